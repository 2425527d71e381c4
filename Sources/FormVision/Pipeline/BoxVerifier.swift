/// Stage 4b: every box checks itself. After alignment, the printed sides of a field's boxes
/// must be found where the boxes now are.
///
/// Alignment moves a field onto the pattern of lines that best fits it, and it always finds
/// *some* best fit: on a page that the model maps wrongly (a curl the markers did not see, a
/// fold between them) that fit can be millimetres or a row away from the truth. A box whose
/// sides are not where it says they are must not be read as if it were.
///
/// For each side, darkness is profiled across it in `segments` pieces along the middle of the
/// side; the side is found when, at one offset within `positionTolerance` of where the side
/// should be, every piece is darker than the box's inside next to it by at least
/// `minimumStrength` of the print contrast. A printed line is straight and runs through all
/// pieces; a pen stroke that happens to lie near a side (a 1, the bar of a 7) wanders across
/// them.
///
/// A field is located when, in each of the four directions, most of its boxes have that side
/// found. A box moved by a quarter of its height or width puts the sides on one side of it in
/// the box's inside, away from any printed line, so every box of the field misses that side;
/// one box whose lines are painted over (correction fluid) leaves the others to vouch for it.
///
/// Boxes shifted by a whole period of a regular grid (exactly one row, or one box along a
/// field) find every side of their neighbour; this check cannot see that, so it is the page
/// model's job (markers, registration) never to be that far off.
public struct BoxVerifier: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// How far from its expected place a side's line may be and still count, mm: the larger
        /// of `positionTolerance` and `tolerancePhotoPixels` of the photo's own pixels there,
        /// but never more than `maximumTolerance`. Aligned boxes sit within about 0.1 mm of their
        /// lines in a sharp photo, within a photo pixel or so in a coarse one (0.4 mm at boxes
        /// 20 px tall). A box off by a quarter of its height (2.25 mm) or width still puts one
        /// side at least 2.25 − 1 mm inside the box, away from every printed line.
        public var positionTolerance = 0.5
        public var tolerancePhotoPixels = 2.0
        public var maximumTolerance = 1.0
        /// The least ridge height of a side's line, as a fraction of the page's print contrast
        /// (paper level minus darkest print). Printed lines measure 0.5–1 in sharp photos and
        /// about 0.3 in blurred ones at the lowest resolution; open paper measures about 0.
        public var minimumStrength = 0.12
        /// The part of each side that is profiled, as a fraction of its length, centred: the
        /// corners are left out, where the perpendicular sides and neighbouring lines meet it.
        public var span = 0.9
        /// Pieces the span is cut into; the line must be found at the same offset in each.
        public var segments = 4
        /// The band inside the box, mm from the side's line, whose darkness a side is compared
        /// with: clear of the line's blur, short of where most digits' strokes run.
        public var interior = 0.8 ... 1.6

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// The fields with each box's side strengths measured and its `located` flag set.
    public func verify(_ fields: [LocatedField], on page: RectifiedPage) -> [LocatedField] {
        let s = page.pixelsPerMM
        let lineWidth = page.template.printing.boxLineWidth * s
        return fields.map { field in
            var field = field
            var found = [0, 0, 0, 0]
            for b in field.boxes.indices {
                let box = field.boxes[b].rect
                // The photo's own resolution at the box: its height in photo pixels per mm.
                let photoHeight = page.photoPoint(Point(box.center.x, box.minY)).distance(to: page.photoPoint(Point(box.center.x, box.maxY)))
                let photoPixel = box.height / s / max(photoHeight, 1e-6)
                let tolerance = min(parameters.maximumTolerance,
                                    max(parameters.positionTolerance, parameters.tolerancePhotoPixels * photoPixel))
                // The box's own window: its contrast is the box's print against its paper, which a
                // window over the whole field (with another box's heavy ink) would overstate.
                let window = Darkness(page.gray, around: box.insetBy(-(tolerance * s + 3 * lineWidth + 2)))
                let strengths = sideStrengths(box, in: window, lineWidth: lineWidth, pixelsPerMM: s, tolerance: tolerance)
                field.boxes[b].sideStrengths = strengths
                field.boxes[b].located = strengths.allSatisfy { $0 >= parameters.minimumStrength }
                for side in 0 ..< 4 where strengths[side] >= parameters.minimumStrength { found[side] += 1 }
            }
            // Most boxes, in every direction: 2 of 3, 1 of 1.
            field.located = found.allSatisfy { 2 * $0 > field.boxes.count }
            return field
        }
    }

    /// How much darker each side of a box (top, right, bottom, left) is than the inside next to
    /// it, as a fraction of the contrast around the box.
    ///
    /// Per piece of the side: the darkness profile across it, averaged over a printed line's
    /// width, at its darkest within `tolerance` mm of the side, minus the mean darkness of
    /// the band `interior` mm inside the box; the side's strength is the least over its pieces
    /// (at one offset for all). Only the inside is compared, not the outside: at low resolution
    /// a box's side and its neighbour's, 1.2 mm apart, blur into one dark band, which a
    /// symmetric ridge filter would flatten, while the blank inside stays paper.
    func sideStrengths(_ box: Rect, in window: Darkness, lineWidth w: Double, pixelsPerMM s: Double, tolerance mm: Double) -> [Double] {
        let tolerance = mm * s
        let inside = (parameters.interior.lowerBound * s, parameters.interior.upperBound * s)
        guard !window.isEmpty else { return [0, 0, 0, 0] }
        let contrast = max(window.contrast, 16)
        let half = w / 2
        let spanX = (box.minX + box.width * (1 - parameters.span) / 2, box.maxX - box.width * (1 - parameters.span) / 2)
        let spanY = (box.minY + box.height * (1 - parameters.span) / 2, box.maxY - box.height * (1 - parameters.span) / 2)
        // Each side: whether it runs along x, where its line's centre is, the span it is
        // profiled over, and which way the box's inside lies (+1 towards larger coordinates).
        let sides: [(horizontal: Bool, position: Double, span: (Double, Double), inward: Double)] = [
            (true, box.minY - half, spanX, 1), (false, box.maxX + half, spanY, -1),
            (true, box.maxY + half, spanX, -1), (false, box.minX - half, spanY, 1),
        ]
        let pieces = max(1, parameters.segments)
        return sides.map { side in
            let length = (side.span.1 - side.span.0) / Double(pieces)
            let profiles = (0 ..< pieces).map { k in
                let from = side.span.0 + Double(k) * length
                // Only what the tests read: the side's neighbourhood and the inside band, plus the
                // ridge filter's reach.
                let margin = tolerance + inside.1 + 4 * w + 2
                let profile = window.profile(alongRows: side.horizontal, spans: [(from, from + length)],
                                             within: (side.position - margin, side.position + margin))
                return Profile(values: profile.values.map { $0 / max(1, length) }, origin: profile.origin)
            }
            // Mean darkness over [a, b] (canonical px), sampled every half pixel.
            func mean(_ profile: Profile, _ a: Double, _ b: Double) -> Double {
                let steps = max(1, Int(((b - a) * 2).rounded()))
                return (0 ... steps).reduce(0) { $0 + profile.at(a + (b - a) * Double($1) / Double(steps)) } / Double(steps + 1)
            }
            let paper = profiles.map { p in
                let (a, b) = (side.position + side.inward * (half + inside.0), side.position + side.inward * (half + inside.1))
                return mean(p, min(a, b), max(a, b))
            }
            let ridges = profiles.map { Ridge($0, width: w) }
            var best = 0.0
            var t = -tolerance
            while t <= tolerance {
                let c = side.position + t
                // Per piece the better of the two tests; the side's value is what every piece reaches.
                let value = zip(zip(profiles, paper), ridges).map { pair, ridge in
                    max(mean(pair.0, c - half, c + half) - pair.1, ridge.profile.at(c))
                }.min() ?? 0
                best = max(best, value)
                t += 0.5
            }
            return best / contrast
        }
    }
}
