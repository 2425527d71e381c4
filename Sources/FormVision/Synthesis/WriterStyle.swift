/// How one counting officer writes: pen, size, slant and habits. One style per form, drawn at
/// random, so that a corpus holds many writers.
public struct WriterStyle: Sendable, Equatable, Codable {
    /// What an officer writes in the unused leading boxes of a short number.
    public enum LeadingHabit: String, Sendable, Equatable, Codable, CaseIterable {
        case blank, x, dash, zero
    }

    /// The kind of pen.
    public enum Pen: String, Sendable, Equatable, Codable {
        /// A felt-tip marker: broad, dense strokes.
        case marker
        /// A ballpoint: thin, lighter strokes.
        case ballpoint
    }

    /// Ink colour name ("blue" or "black") and its RGB value.
    public var inkName: String
    public var ink: [UInt8]
    public var pen: Pen
    /// Ink coverage at the centre of a stroke, 0–1 (ballpoints leave less).
    public var density: Double
    /// Stroke width of marks drawn as lines (X, dash, strike), in mm.
    public var strokeWidth: Double
    /// Where the digit images are cut into strokes (0–255 of the upscaled sample): lower means
    /// thicker strokes.
    public var strokeThreshold: Double
    /// Digit height as a fraction of the box height.
    public var heightFraction: Double
    /// Horizontal shear of the digits (positive leans right).
    public var slant: Double
    /// Random offset of each digit from the box centre, as a fraction of the box size.
    public var jitter: Double
    /// What goes in unused leading boxes.
    public var leadingHabit: LeadingHabit
    /// How often a short number starts in the hundreds box, with X after it (74 as "7 4 X").
    public var startLeftRate: Double
    /// How often a digit is pushed onto or across a box line.
    public var overflowRate: Double
    /// How often a box holds a corrected mistake.
    public var correctionRate: Double

    /// A random writer.
    public static func random(using g: inout SeededGenerator) -> WriterStyle {
        let blue = g.chance(0.55)
        let ink: [UInt8] = blue
            ? [UInt8(g.uniform(15 ... 45)), UInt8(g.uniform(35 ... 70)), UInt8(g.uniform(120 ... 175))]
            : [UInt8(g.uniform(15 ... 35)), UInt8(g.uniform(15 ... 35)), UInt8(g.uniform(18 ... 40))]
        let pen: Pen = g.chance(0.6) ? .marker : .ballpoint
        let habits: [(LeadingHabit, Double)] = [(.blank, 0.55), (.x, 0.2), (.dash, 0.1), (.zero, 0.15)]
        var pick = g.uniform(0 ... 1)
        var habit = LeadingHabit.blank
        for (candidate, weight) in habits {
            pick -= weight
            if pick <= 0 { habit = candidate; break }
        }
        return WriterStyle(
            inkName: blue ? "blue" : "black", ink: ink, pen: pen,
            density: pen == .marker ? g.uniform(0.88 ... 0.98) : g.uniform(0.7 ... 0.88),
            strokeWidth: pen == .marker ? g.uniform(0.45 ... 0.8) : g.uniform(0.3 ... 0.45),
            strokeThreshold: pen == .marker ? g.uniform(70 ... 120) : g.uniform(115 ... 160),
            heightFraction: g.uniform(0.55 ... 0.9),
            slant: g.uniform(-0.12 ... 0.3),
            jitter: g.uniform(0.02 ... 0.1),
            leadingHabit: habit,
            startLeftRate: g.chance(0.15) ? g.uniform(0.2 ... 0.6) : 0,
            overflowRate: g.uniform(0 ... 0.12),
            correctionRate: g.chance(0.3) ? g.uniform(0.01 ... 0.04) : 0
        )
    }

    /// The marks this writer puts in `boxes` boxes for a value.
    ///
    /// - Precondition: the value fits the boxes.
    public func marks(for value: Int, boxes: Int, using g: inout SeededGenerator) -> [BoxTruth] {
        let digits = String(value).compactMap { $0.wholeNumberValue }
        precondition(digits.count <= boxes, "\(value) does not fit \(boxes) boxes")
        let unused = boxes - digits.count
        if unused > 0, g.chance(startLeftRate) {
            // Started in the leftmost box; the unused boxes after it get an X (74 -> "7 4 X").
            return digits.map(BoxTruth.digit) + Array(repeating: .x, count: unused)
        }
        let filler: BoxTruth = switch leadingHabit {
        case .blank: .blank
        case .x: .x
        case .dash: .dash
        case .zero: .digit(0)
        }
        return Array(repeating: filler, count: unused) + digits.map(BoxTruth.digit)
    }
}
