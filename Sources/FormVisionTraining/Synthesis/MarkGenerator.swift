import FormVision

/// Marks that are never digits, drawn as pen strokes into a box: X marks at any rotation from ×
/// to +, slashes, dashes, scribbles and struck-out boxes.
///
/// Two sets of settings: `training`, and `heldOut`, which draws from other ranges and with
/// other stroke shapes (bowed strokes with hooked ends, crossings away from the middle), so
/// that a test of the held-out marks does not share the training marks' distribution.
public struct MarkGenerator: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case x, slash, dash, scribble, struckBox = "struck-box"
    }

    public struct Settings: Sendable, Equatable {
        /// Relative weights of the kinds, in `Kind.allCases` order.
        public var kindWeights: [Double]
        /// Pen width, mm.
        public var penWidth: ClosedRange<Double>
        /// Size of an X, slash or scribble as a fraction of the box (its longer side).
        public var size: ClosedRange<Double>
        /// Offset of the mark's centre from the box centre, fraction of the box.
        public var offset: Double
        /// The X's rotation from × (0) to + (1), and the angle between its strokes, degrees.
        public var rotation: ClosedRange<Double>
        public var crossingAngle: ClosedRange<Double>
        /// Length of the X's second stroke relative to the first.
        public var lengthRatio: ClosedRange<Double>
        /// Where along each stroke the X's strokes cross (0.5 = the middle).
        public var crossing: ClosedRange<Double>
        /// Sideways bow of a stroke and hooks at its ends, fractions of its length.
        public var bow: ClosedRange<Double>
        public var hook: ClosedRange<Double>
        /// A slash's angle from horizontal, degrees: flatter than any upright or slanted 1.
        public var slashAngle: ClosedRange<Double>
        /// Dash length (fraction of the box width) and angle from horizontal, degrees.
        public var dashLength: ClosedRange<Double>
        public var dashAngle: ClosedRange<Double>
        /// Chance that a mark runs over the box line (and a sliver of the line shows at the edge).
        public var overLineRate: Double
        /// Peak ink coverage.
        public var density: ClosedRange<Double>

        /// The settings training draws from.
        public static let training = Settings(
            kindWeights: [0.5, 0.12, 0.22, 0.09, 0.07], penWidth: 0.25 ... 1.2, size: 0.3 ... 1.0, offset: 0.15,
            rotation: 0 ... 1, crossingAngle: 55 ... 125, lengthRatio: 0.6 ... 1, crossing: 0.35 ... 0.65,
            bow: 0 ... 0.06, hook: 0 ... 0, slashAngle: 25 ... 58, dashLength: 0.2 ... 0.9, dashAngle: -25 ... 25, overLineRate: 0.2,
            density: 0.6 ... 1)

        /// The test's settings: other ranges and stroke shapes than `training`.
        public static let heldOut = Settings(
            kindWeights: [0.45, 0.15, 0.2, 0.12, 0.08], penWidth: 0.2 ... 1.5, size: 0.22 ... 1.1, offset: 0.22,
            rotation: 0 ... 1, crossingAngle: 40 ... 140, lengthRatio: 0.45 ... 1, crossing: 0.2 ... 0.8,
            bow: 0.03 ... 0.12, hook: 0.04 ... 0.15, slashAngle: 20 ... 62, dashLength: 0.12 ... 1.0, dashAngle: -40 ... 40, overLineRate: 0.3,
            density: 0.5 ... 1)
    }

    public var settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// A random kind, by the settings' weights.
    public func kind(using g: inout SeededGenerator) -> Kind {
        var pick = g.uniform(0 ... settings.kindWeights.reduce(0, +))
        for (kind, weight) in zip(Kind.allCases, settings.kindWeights) {
            pick -= weight
            if pick <= 0 { return kind }
        }
        return .x
    }

    /// Draws a mark of `kind` into `raster` over `box` (raster pixels). Returns whether the
    /// mark was drawn over the box line (so that the caller may leave a sliver of it).
    @discardableResult
    func draw(_ kind: Kind, in box: Rect, pixelsPerMM: Double, into raster: inout StrokeRaster,
              using g: inout SeededGenerator) -> Bool {
        let s = settings
        let radius = max(0.5, g.uniform(s.penWidth) * pixelsPerMM / 2)
        let density = g.uniform(s.density)
        let overLine = g.chance(s.overLineRate)
        let side = min(box.width, box.height)
        var size = g.uniform(s.size) * side
        if overLine { size = max(size, side * g.uniform(0.9 ... 1.2)) }
        var centre = box.center + Point(g.normal(), g.normal()) * (s.offset * side)
        if overLine { centre = centre + Point(g.uniform(-0.2 ... 0.2), g.uniform(-0.2 ... 0.2)) * side }
        let stroke = { (a: Point, b: Point, g: inout SeededGenerator, raster: inout StrokeRaster) in
            let points = self.handDrawn(from: a, to: b, using: &g).sampled(spacing: max(0.5, radius * 0.5))
            raster.draw(points, radii: Array(repeating: radius * g.uniform(0.9 ... 1.1), count: points.count), density: density)
        }
        switch kind {
        case .x:
            // The bisector turns from × (strokes at ±45°) to + (0° and 90°).
            let turn = g.uniform(s.rotation) * 45 * (g.chance(0.5) ? 1 : -1)
            let opening = g.uniform(s.crossingAngle)
            // Strokes at 90° ∓ half the opening: × at an opening of 90° and no turn.
            let first = (90 - opening / 2 + turn) * Double.pi / 180, second = (90 + opening / 2 + turn) * Double.pi / 180
            let length1 = size * 1.25, length2 = length1 * g.uniform(s.lengthRatio)
            let (t1, t2) = (g.uniform(s.crossing), g.uniform(s.crossing))
            let d1 = Point(cos(first), sin(first)), d2 = Point(cos(second), sin(second))
            let order = g.chance(0.5)
            let a = (centre - d1 * (length1 * t1), centre + d1 * (length1 * (1 - t1)))
            let b = (centre - d2 * (length2 * t2), centre + d2 * (length2 * (1 - t2)))
            stroke(order ? a.0 : a.1, order ? a.1 : a.0, &g, &raster)
            stroke(b.0, b.1, &g, &raster)
        case .slash:
            let angle = g.uniform(s.slashAngle) * Double.pi / 180 * (g.chance(0.8) ? -1 : 1)
            let d = Point(cos(angle), sin(angle)) * (size * 0.6)
            stroke(centre - d, centre + d, &g, &raster)
        case .dash:
            let angle = g.uniform(s.dashAngle) * Double.pi / 180
            let half = g.uniform(s.dashLength) * box.width / 2
            let d = Point(cos(angle), sin(angle)) * half
            let c = Point(centre.x, box.center.y + g.normal() * 0.12 * box.height)
            stroke(c - d, c + d, &g, &raster)
        case .scribble:
            // A zigzag or loops back and forth over a patch of the box.
            let turns = Int.random(in: 3 ... 8, using: &g)
            let (w, h) = (size * g.uniform(0.6 ... 1), size * g.uniform(0.3 ... 0.8))
            var points: [Point] = []
            for i in 0 ... turns {
                let x = centre.x + (i % 2 == 0 ? -w / 2 : w / 2) + g.normal() * 0.05 * w
                let y = centre.y - h / 2 + h * Double(i) / Double(turns) + g.normal() * 0.05 * h
                points.append(Point(x, y))
            }
            let path = PenPath(points).sampled(spacing: max(0.5, radius * 0.5))
            raster.draw(path, radii: Array(repeating: radius, count: path.count), density: density)
        case .struckBox:
            // The whole box struck through: corner to corner, sometimes both ways, sometimes
            // with a line across the middle as well.
            let inset = side * g.uniform(0 ... 0.12)
            let tl = Point(box.minX + inset, box.minY + inset), br = Point(box.maxX - inset, box.maxY - inset)
            let tr = Point(box.maxX - inset, box.minY + inset), bl = Point(box.minX + inset, box.maxY - inset)
            if g.chance(0.5) { stroke(bl, tr, &g, &raster) } else { stroke(tl, br, &g, &raster) }
            if g.chance(0.5) { stroke(tr.y < bl.y ? tl : tr, tr.y < bl.y ? br : bl, &g, &raster) }
            if g.chance(0.4) { stroke(Point(box.minX + inset, box.center.y), Point(box.maxX - inset, box.center.y), &g, &raster) }
        }
        return overLine
    }

    /// A hand-drawn stroke from a to b: bowed sideways, with a hook at either end as the pen
    /// lands or lifts, by the settings.
    func handDrawn(from a: Point, to b: Point, using g: inout SeededGenerator) -> PenPath {
        let length = max(1e-9, a.distance(to: b))
        let along = (b - a) / length, normal = Point(-along.y, along.x)
        let bow = g.uniform(settings.bow) * length * (g.chance(0.5) ? 1 : -1)
        var points = (0 ... 4).map { i -> Point in
            let t = Double(i) / 4
            return a + (b - a) * t + normal * (4 * t * (1 - t) * bow)
        }
        let hook = g.uniform(settings.hook) * length
        if hook > 0.5, g.chance(0.6) {
            let side = g.chance(0.5) ? 1.0 : -1.0
            if g.chance(0.5) { // landing: the hook comes before a, which becomes a corner
                points.insert(a + normal * (hook * side) + along * (hook * 0.5), at: 0)
                return PenPath(points, corners: [1])
            }
            points.append(b + normal * (hook * side) - along * (hook * 0.5)) // lifting: after b
            return PenPath(points, corners: [4])
        }
        return PenPath(points)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
