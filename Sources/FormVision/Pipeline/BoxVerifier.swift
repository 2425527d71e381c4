/// Stage 4b: every box checks itself. After alignment, the printed sides of a field's boxes
/// must be found where the boxes now are.
///
/// Alignment moves a field onto the pattern of lines that best fits it, and it always finds
/// *some* best fit: on a page that the model maps wrongly (a curl the markers did not see, a
/// fold between them) that fit can be millimetres or a row away from the truth. A box whose
/// sides are not where it says they are must not be read as if it were.
///
/// For each side, darkness is averaged across it in `segments` pieces along the middle of the
/// side; the side is found when a thin dark ridge stands at one offset within
/// `positionTolerance` of where the side should be, in every piece, at least `minimumStrength`
/// of the print contrast high. A printed line is straight and runs through all pieces; a pen
/// stroke that happens to lie near a side (a 1, the bar of a 7) wanders across them.
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
        /// How far from its expected place a side's line may be and still count, mm. Aligned
        /// boxes sit within about 0.1 mm of their lines; a box 1 mm off is still read from its
        /// own ink, which this allows.
        public var positionTolerance = 0.5
        /// The least ridge height of a side's line, as a fraction of the page's print contrast
        /// (paper level minus darkest print). Printed lines measure 0.5–1 in sharp photos and
        /// about 0.3 in blurred ones at the lowest resolution; open paper measures about 0.
        public var minimumStrength = 0.12
        /// The part of each side that is profiled, as a fraction of its length, centred: the
        /// corners are left out, where the perpendicular sides and neighbouring lines meet it.
        public var span = 0.7
        /// Pieces the span is cut into; the line must be found at the same offset in each.
        public var segments = 3

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
                let strengths = sideStrengths(field.boxes[b].rect, gray: page.gray, lineWidth: lineWidth, pixelsPerMM: s)
                field.boxes[b].sideStrengths = strengths
                field.boxes[b].located = strengths.allSatisfy { $0 >= parameters.minimumStrength }
                for side in 0 ..< 4 where strengths[side] >= parameters.minimumStrength { found[side] += 1 }
            }
            // Most boxes, in every direction: 2 of 3, 1 of 1.
            field.located = found.allSatisfy { 2 * $0 > field.boxes.count }
            return field
        }
    }

    /// The ridge strength of each side of a box (top, right, bottom, left), each as a fraction
    /// of the contrast around the box.
    func sideStrengths(_ box: Rect, gray: Image, lineWidth w: Double, pixelsPerMM s: Double) -> [Double] {
        let tolerance = parameters.positionTolerance * s
        let reach = tolerance + 4 * w + 2
        let window = Darkness(gray, around: box.insetBy(-reach))
        guard !window.isEmpty else { return [0, 0, 0, 0] }
        let contrast = max(window.contrast, 16)
        let half = w / 2
        let spanX = (box.minX + box.width * (1 - parameters.span) / 2, box.maxX - box.width * (1 - parameters.span) / 2)
        let spanY = (box.minY + box.height * (1 - parameters.span) / 2, box.maxY - box.height * (1 - parameters.span) / 2)
        let sides: [(horizontal: Bool, position: Double, span: (Double, Double))] = [
            (true, box.minY - half, spanX), (false, box.maxX + half, spanY),
            (true, box.maxY + half, spanX), (false, box.minX - half, spanY),
        ]
        let pieces = max(1, parameters.segments)
        return sides.map { side in
            let length = (side.span.1 - side.span.0) / Double(pieces)
            let ridges = (0 ..< pieces).map { k in
                let from = side.span.0 + Double(k) * length
                let profile = window.profile(alongRows: side.horizontal, spans: [(from, from + length)])
                return Ridge(Profile(values: profile.values.map { $0 / max(1, length) }, origin: profile.origin), width: w)
            }
            var best = 0.0
            var t = -tolerance
            while t <= tolerance {
                best = max(best, ridges.map { $0.profile.at(side.position + t) }.min() ?? 0)
                t += 0.5
            }
            return best / contrast
        }
    }
}
