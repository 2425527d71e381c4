import FormVision

/// Digits drawn as pen trajectories by simulated writers: the styles Indonesian officers write
/// (DOMAIN.md), which neither digits.png nor the fonts cover well: open, closed and one-stroke
/// curved 4s, 1s with a long flag and a base, crossed 7s, 9s with curved, straight and short
/// tails, looped 2s.
///
/// Each digit has several variants (`Variant`), each a set of pen paths in a unit box (x to the
/// right, y down, both 0–1). A `Writer` picks one variant per digit and draws it consistently:
/// the same slant, proportions, pen and a fixed personal distortion of every path point, with a
/// little variation from one instance to the next.
///
/// Some variants are held out of training (`Split.heldOut`), as a style test in the way the
/// held-out fonts are: each is a way of writing a digit the network never saw drawn.
public enum StrokeDigits {
    public enum Split: String, Sendable, CaseIterable {
        case training
        /// Variants never used in training: the generator's style test.
        case heldOut = "held-out"
    }

    /// A way of writing one digit.
    public enum Variant: String, Sendable, CaseIterable {
        case zeroOval, zeroNarrow, zeroOvershoot
        case oneBare, oneFlag, oneFlagBase, oneCurvedFlag
        case twoPlain, twoLooped, twoAngular
        case threeRound, threeFlatTop
        case fourOpen, fourClosed, fourHook, fourRound, fourTallOpen
        case fivePlain, fiveOneStroke, fiveRound
        case sixPlain, sixStraight
        case sevenPlain, sevenCrossed, sevenHooked, sevenCurved
        case eightOneStroke, eightStacked
        case nineCurved, nineStraight, nineShort, nineHooked

        public var digit: Int {
            switch self {
            case .zeroOval, .zeroNarrow, .zeroOvershoot: 0
            case .oneBare, .oneFlag, .oneFlagBase, .oneCurvedFlag: 1
            case .twoPlain, .twoLooped, .twoAngular: 2
            case .threeRound, .threeFlatTop: 3
            case .fourOpen, .fourClosed, .fourHook, .fourRound, .fourTallOpen: 4
            case .fivePlain, .fiveOneStroke, .fiveRound: 5
            case .sixPlain, .sixStraight: 6
            case .sevenPlain, .sevenCrossed, .sevenHooked, .sevenCurved: 7
            case .eightOneStroke, .eightStacked: 8
            case .nineCurved, .nineStraight, .nineShort, .nineHooked: 9
            }
        }

        /// The held-out variants: one way of writing each digit, kept out of training.
        public var split: Split {
            switch self {
            case .zeroOvershoot, .oneCurvedFlag, .twoAngular, .threeFlatTop, .fourTallOpen, .fiveRound, .sixStraight,
                 .sevenCurved, .eightStacked, .nineHooked: .heldOut
            default: .training
            }
        }
    }

    /// The variants of `digit` in a split.
    public static func variants(of digit: Int, split: Split) -> [Variant] {
        Variant.allCases.filter { $0.digit == digit && $0.split == split }
    }

    /// How one writer draws digits.
    public struct Writer: Sendable, Equatable {
        /// The variant this writer uses for each digit 0–9.
        public var variants: [Variant]
        /// Horizontal shear (positive leans right), width as a fraction of the height, and the
        /// height as a fraction of the box's.
        public var slant: Double
        public var widthRatio: Double
        public var heightFraction: Double
        /// Pen width in mm: 0.25 for a fine ballpoint to 1.3 for a broad marker.
        public var penWidth: Double
        /// How much thinner the pen's line is at the start and end of a stroke (0 = none).
        public var taper: Double
        /// Peak ink coverage (a ballpoint leaves less than a marker).
        public var density: Double
        /// Personal distortion of every path point (fraction of the height), fixed per writer,
        /// and the variation from one instance to the next.
        public var shapeDeviation: Double
        public var instanceDeviation: Double
        /// Tremor along the stroke, fraction of the height.
        public var tremor: Double
        /// Seed of the writer's fixed distortion.
        public var seed: UInt64

        /// A random writer whose variants come from `split`.
        public static func random(split: Split, using g: inout SeededGenerator) -> Writer {
            let variants = (0 ..< 10).map { digit in
                let choices = StrokeDigits.variants(of: digit, split: split)
                let fallback = StrokeDigits.variants(of: digit, split: .training)
                let pool = choices.isEmpty ? fallback : choices
                return pool[Int.random(in: 0 ..< pool.count, using: &g)]
            }
            let marker = g.chance(0.35)
            return Writer(
                variants: variants,
                slant: g.uniform(-0.15 ... 0.35),
                widthRatio: g.uniform(0.45 ... 0.85),
                heightFraction: g.uniform(0.5 ... 0.9),
                penWidth: marker ? g.uniform(0.6 ... 1.3) : g.uniform(0.25 ... 0.6),
                taper: marker ? g.uniform(0 ... 0.2) : g.uniform(0 ... 0.6),
                density: marker ? g.uniform(0.85 ... 1) : g.uniform(0.55 ... 0.95),
                shapeDeviation: g.uniform(0 ... 0.045),
                instanceDeviation: g.uniform(0.005 ... 0.02),
                tremor: g.uniform(0 ... 0.008),
                seed: g.next()
            )
        }
    }

    /// The paths of one instance of `digit` as `writer` draws it, in the unit box before the
    /// writer's proportions and slant.
    static func paths(_ digit: Int, writer: Writer, using g: inout SeededGenerator) -> [PenPath] {
        let variant = writer.variants[digit]
        var personal = SeededGenerator(seed: writer.seed).derived(variant.rawValue)
        return shape(variant, using: &personal).map { path in
            path.map { p in
                // The writer's own distortion (same every time), then this instance's.
                let fixed = Point(personal.normal(), personal.normal()) * writer.shapeDeviation
                return p + fixed + Point(g.normal(), g.normal()) * writer.instanceDeviation
            }
        }
    }

    /// Draws `digit` into `raster`, centred near `centre` (raster pixels), `height` pixels tall,
    /// with `pixelsPerMM` giving the pen's width in pixels.
    static func draw(_ digit: Int, writer: Writer, centre: Point, height: Double, pixelsPerMM: Double,
                     into raster: inout StrokeRaster, using g: inout SeededGenerator) {
        let h = height * g.uniform(0.92 ... 1.06)
        let w = h * writer.widthRatio * g.uniform(0.92 ... 1.08)
        let slant = writer.slant + g.normal() * 0.04
        let angle = g.normal() * 0.04
        let radius = max(0.5, writer.penWidth * pixelsPerMM * g.uniform(0.9 ... 1.1) / 2)
        let (c, s) = (cos(angle), sin(angle))
        for path in paths(digit, writer: writer, using: &g) {
            let placed = path.map { p in
                // Unit box → centred, sheared (x moves with height above the centre), turned.
                let local = Point((p.x - 0.5) * w - slant * (p.y - 0.5) * h, (p.y - 0.5) * h)
                return centre + Point(c * local.x - s * local.y, s * local.x + c * local.y)
            }
            var points = placed.sampled(spacing: max(0.5, radius * 0.5))
            if writer.tremor > 0 {
                let phase = g.uniform(0 ... 6.3), frequency = g.uniform(0.15 ... 0.4)
                points = points.enumerated().map { i, p in
                    p + Point(sin(phase + Double(i) * frequency), cos(1.3 * phase + Double(i) * frequency * 0.8)) * (writer.tremor * h)
                }
            }
            let n = points.count
            let radii = (0 ..< n).map { i -> Double in
                let t = n > 1 ? Double(i) / Double(n - 1) : 0.5
                let ends = min(1, min(t, 1 - t) * 6) // 0 at the ends, 1 from a sixth of the way in
                return radius * (1 - writer.taper * (1 - ends))
            }
            raster.draw(points, radii: radii, density: writer.density * g.uniform(0.93 ... 1))
        }
    }

    /// A point on an ellipse about (cx, cy) with radii (rx, ry), at `degrees` (0 = right,
    /// 90 = down, since y points down).
    static func ellipse(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, _ degrees: Double) -> Point {
        let a = degrees * Double.pi / 180
        return Point(cx + rx * cos(a), cy + ry * sin(a))
    }

    /// Points along an ellipse from `from` to `to` degrees, `count` of them.
    static func arc(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, from: Double, to: Double, count: Int) -> [Point] {
        (0 ..< count).map { ellipse(cx, cy, rx, ry, from + (to - from) * Double($0) / Double(count - 1)) }
    }

    /// The pen paths of a variant in the unit box, with the variant's own random proportions.
    static func shape(_ variant: Variant, using g: inout SeededGenerator) -> [PenPath] {
        let u = { (g: inout SeededGenerator, r: ClosedRange<Double>) in g.uniform(r) }
        switch variant {
        case .zeroOval:
            let start = u(&g, -110 ... -70)
            return [PenPath(arc(0.5, 0.5, 0.48, 0.5, from: start, to: start - 360 - u(&g, 5 ... 25), count: 13))]
        case .zeroNarrow:
            let start = u(&g, -100 ... -80)
            return [PenPath(arc(0.5, 0.5, 0.34, 0.5, from: start, to: start - 355, count: 13))]
        case .zeroOvershoot:
            // Starts inside at the top right, goes round and crosses its start: a small tail.
            let start = u(&g, -60 ... -30)
            return [PenPath([Point(0.62, 0.2)] + arc(0.5, 0.52, 0.46, 0.48, from: start, to: start - 400, count: 15))]
        case .oneBare:
            return [PenPath([Point(0.52, 0), Point(0.48, 1)])]
        case .oneFlag:
            let flag = u(&g, 0.2 ... 0.45)
            return [PenPath([Point(0.55 - flag, u(&g, 0.15 ... 0.4)), Point(0.55, 0), Point(0.5, 1)], corners: [1])]
        case .oneFlagBase:
            let flag = u(&g, 0.3 ... 0.5)
            return [PenPath([Point(0.55 - flag, u(&g, 0.2 ... 0.45)), Point(0.55, 0), Point(0.5, 1)], corners: [1]),
                    PenPath([Point(0.15, 1), Point(0.85, 0.99)])]
        case .oneCurvedFlag:
            return [PenPath([Point(0.1, 0.42), Point(0.3, 0.22), Point(0.5, 0.04), Point(0.56, 0), Point(0.52, 0.5), Point(0.5, 1)],
                            corners: [3])]
        case .twoPlain:
            let base = u(&g, 0.85 ... 1.0)
            return [PenPath([Point(0.08, 0.25), Point(0.45, 0), Point(0.88, 0.22), Point(0.72, 0.52), Point(0.05, 1),
                             Point(base, 0.98)], corners: [4])]
        case .twoLooped:
            return [PenPath([Point(0.1, 0.25), Point(0.45, 0), Point(0.88, 0.2), Point(0.72, 0.5), Point(0.3, 0.82),
                             Point(0.12, 0.97), Point(0.16, 0.8), Point(0.35, 0.9), Point(0.6, 1), Point(0.95, 0.97)])]
        case .twoAngular:
            return [PenPath([Point(0.08, 0.14), Point(0.5, 0), Point(0.9, 0.12), Point(0.06, 1), Point(0.95, 0.98)],
                            corners: [3])]
        case .threeRound:
            return [PenPath([Point(0.12, 0.12), Point(0.5, 0), Point(0.85, 0.18), Point(0.75, 0.4), Point(0.42, 0.5),
                             Point(0.8, 0.6), Point(0.9, 0.8), Point(0.55, 1), Point(0.08, 0.88)], corners: [4])]
        case .threeFlatTop:
            return [PenPath([Point(0.1, 0.02), Point(0.88, 0), Point(0.42, 0.42), Point(0.82, 0.56), Point(0.92, 0.8),
                             Point(0.55, 1), Point(0.08, 0.88)], corners: [1, 2])]
        case .fourOpen:
            let bar = u(&g, 0.55 ... 0.7)
            return [PenPath([Point(0.2, 0), Point(0.06, bar), Point(0.98, bar - 0.02)], corners: [1]),
                    PenPath([Point(0.7, u(&g, 0.05 ... 0.3)), Point(0.7, 1)])]
        case .fourClosed:
            let bar = u(&g, 0.6 ... 0.72)
            return [PenPath([Point(0.66, 0), Point(0.04, bar), Point(0.98, bar - 0.02)], corners: [1]),
                    PenPath([Point(0.68, 0), Point(0.68, 1)])]
        case .fourHook:
            // One stroke: the left arm curves down into a bowl that meets the stem, up the
            // stem to the top, then back down it (like ч).
            return [PenPath([Point(0.15, 0.02), Point(0.1, 0.32), Point(0.3, 0.58), Point(0.62, 0.6), Point(0.8, 0.4),
                             Point(0.82, 0), Point(0.8, 0.5), Point(0.78, 1)], corners: [5])]
        case .fourRound:
            // The diagonal turns into the bar through a curve: a closed, rounded top.
            return [PenPath([Point(0.64, 0), Point(0.3, 0.3), Point(0.06, 0.6), Point(0.22, 0.7), Point(0.6, 0.68),
                             Point(0.98, 0.64)]),
                    PenPath([Point(0.66, 0.02), Point(0.68, 1)])]
        case .fourTallOpen:
            return [PenPath([Point(0.12, 0), Point(0.12, 0.55), Point(0.95, 0.55)], corners: [1]),
                    PenPath([Point(0.72, 0), Point(0.72, 1)])]
        case .fivePlain:
            return [PenPath([Point(0.24, 0.02), Point(0.2, 0.45), Point(0.55, 0.38), Point(0.88, 0.6), Point(0.8, 0.9),
                             Point(0.45, 1), Point(0.1, 0.88)], corners: [1]),
                    PenPath([Point(0.24, 0.02), Point(0.88, 0)])]
        case .fiveOneStroke:
            return [PenPath([Point(0.88, 0), Point(0.25, 0.02), Point(0.2, 0.45), Point(0.55, 0.38), Point(0.88, 0.6),
                             Point(0.8, 0.9), Point(0.45, 1), Point(0.1, 0.88)], corners: [1, 2])]
        case .fiveRound:
            return [PenPath([Point(0.3, 0.02), Point(0.22, 0.42), Point(0.6, 0.36), Point(0.92, 0.62), Point(0.7, 0.95),
                             Point(0.3, 0.98), Point(0.15, 0.8)], corners: [1]),
                    PenPath([Point(0.3, 0.02), Point(0.9, 0.05)])]
        case .sixPlain:
            return [PenPath([Point(0.78, 0.02), Point(0.4, 0.2), Point(0.12, 0.6), Point(0.25, 0.95), Point(0.6, 0.98),
                             Point(0.85, 0.75), Point(0.65, 0.52), Point(0.32, 0.56), Point(0.16, 0.72)])]
        case .sixStraight:
            return [PenPath([Point(0.7, 0), Point(0.15, 0.7), Point(0.3, 0.97), Point(0.65, 0.98), Point(0.85, 0.75),
                             Point(0.6, 0.52), Point(0.3, 0.58), Point(0.16, 0.72)])]
        case .sevenPlain:
            return [PenPath([Point(0.05, 0.04), Point(0.95, 0.02), Point(0.42, 1)], corners: [1])]
        case .sevenCrossed:
            return [PenPath([Point(0.05, 0.04), Point(0.95, 0.02), Point(0.42, 1)], corners: [1]),
                    PenPath([Point(0.32, u(&g, 0.45 ... 0.58)), Point(0.85, u(&g, 0.42 ... 0.55))])]
        case .sevenHooked:
            // A tick down at the left end of the bar.
            return [PenPath([Point(0.05, 0.25), Point(0.06, 0.03), Point(0.95, 0.02), Point(0.42, 1)], corners: [1, 2])]
        case .sevenCurved:
            return [PenPath([Point(0.05, 0.05), Point(0.95, 0.02), Point(0.62, 0.4), Point(0.48, 0.72), Point(0.45, 1)],
                            corners: [1])]
        case .eightOneStroke:
            return [PenPath([Point(0.75, 0.1), Point(0.5, 0), Point(0.2, 0.15), Point(0.3, 0.4), Point(0.75, 0.62),
                             Point(0.85, 0.85), Point(0.5, 1), Point(0.15, 0.85), Point(0.25, 0.62), Point(0.7, 0.38),
                             Point(0.8, 0.15), Point(0.6, 0.02)])]
        case .eightStacked:
            return [PenPath(arc(0.5, 0.24, 0.32, 0.24, from: 90, to: 90 - 360, count: 11)),
                    PenPath(arc(0.5, 0.73, 0.45, 0.27, from: -90, to: -90 + 360, count: 11))]
        case .nineCurved:
            return [PenPath([Point(0.82, 0.15), Point(0.5, 0), Point(0.16, 0.2), Point(0.3, 0.46), Point(0.7, 0.4),
                             Point(0.84, 0.08), Point(0.8, 0.55), Point(0.68, 0.88), Point(0.4, 1)], corners: [5])]
        case .nineStraight:
            return [PenPath([Point(0.82, 0.15), Point(0.5, 0), Point(0.16, 0.2), Point(0.3, 0.46), Point(0.7, 0.4),
                             Point(0.84, 0.08), Point(0.82, 1)], corners: [5])]
        case .nineShort:
            // A big loop and a short tail.
            let tail = u(&g, 0.8 ... 0.95)
            return [PenPath([Point(0.85, 0.25), Point(0.5, 0), Point(0.1, 0.28), Point(0.3, 0.62), Point(0.72, 0.56),
                             Point(0.88, 0.12), Point(0.86, tail)], corners: [5])]
        case .nineHooked:
            return [PenPath([Point(0.82, 0.15), Point(0.5, 0), Point(0.16, 0.2), Point(0.3, 0.46), Point(0.7, 0.4),
                             Point(0.84, 0.08), Point(0.8, 0.7), Point(0.72, 0.95), Point(0.5, 1), Point(0.35, 0.88)],
                            corners: [5])]
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
