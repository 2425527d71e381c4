/// Compares located boxes with a photo's label.
///
/// Box position error is measured in pixels of the canonical page: the distance in the photo
/// between a located corner and the labelled one, divided by the photo's local scale (photo
/// pixels per canonical pixel, taken from the labelled box itself).
public struct GeometryComparison: Sendable {
    /// Whether the pipeline named the labelled template.
    public var templateMatches: Bool
    /// Corner errors, canonical pixels, every corner of every box.
    public var cornerErrors: [Double]
    /// Page corner errors, photo pixels.
    public var pageCornerErrors: [Double]
    /// Boxes whose farthest corner is more than `offLimit` box heights from the truth: read,
    /// they would be read from the wrong place.
    public var boxesOff = 0
    /// Of those, the boxes of fields that the pipeline found on their lines (`LocatedField.located`):
    /// off with no flag. The goal is none.
    public var boxesOffUnflagged = 0
    /// Fields the pipeline did not find on their lines.
    public var unlocatedFields = 0

    /// A box is off when a corner is farther than this many box heights from the truth: a
    /// quarter of a box brings a neighbour's line or ink well into the cell.
    public static let offLimit = 0.25

    public init(label: PhotoLabel, geometry: PageGeometry) {
        templateMatches = geometry.template.id == label.template
        pageCornerErrors = zip(label.pageCorners, geometry.pageCorners).map { $0.distance(to: $1) }
        guard templateMatches else {
            cornerErrors = []
            return
        }
        unlocatedFields = geometry.fields.filter { !$0.located }.count
        let s = geometry.rectified.pixelsPerMM
        var errors: [Double] = []
        for field in label.fields {
            guard let located = geometry.fields.first(where: { $0.name == field.name }),
                  let template = geometry.template.field(named: field.name) else { continue }
            for (index, box) in field.boxes.enumerated() where index < located.boxes.count {
                let truth = box.corners
                // Photo pixels per canonical pixel, from the labelled box's height and width.
                let photoHeight = (truth[0].distance(to: truth[3]) + truth[1].distance(to: truth[2])) / 2
                let photoWidth = (truth[0].distance(to: truth[1]) + truth[3].distance(to: truth[2])) / 2
                let canonical = template.boxes[index].scaled(by: s)
                let scale = (photoHeight / canonical.height + photoWidth / canonical.width) / 2
                let found = geometry.photoCorners(of: located.boxes[index])
                for (a, b) in zip(truth, found) { errors.append(a.distance(to: b) / scale) }
                let farthest = zip(truth, found).map { $0.distance(to: $1) }.max() ?? 0
                if farthest > Self.offLimit * photoHeight {
                    boxesOff += 1
                    if located.located { boxesOffUnflagged += 1 }
                }
            }
        }
        cornerErrors = errors
    }
}

/// Summary statistics of a list of errors.
public struct ErrorSummary: Sendable, Equatable, Codable {
    public var count: Int
    public var median: Double
    public var p90: Double
    public var p99: Double
    public var max: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            sorted.isEmpty ? .nan : sorted[Swift.min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))]
        }
        count = sorted.count
        median = quantile(0.5)
        p90 = quantile(0.9)
        p99 = quantile(0.99)
        max = sorted.last ?? .nan
    }
}
