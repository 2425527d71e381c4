/// How one counting officer writes: pen, size, slant and habits. One style per form, drawn at
/// random by the training target's generator (`WriterStyle.random`), so that a corpus holds many
/// writers. Part of a synthetic photo's label (`PhotoLabel.writer`); labels of real photos have none.
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

    public init(
        inkName: String,
        ink: [UInt8],
        pen: Pen,
        density: Double,
        strokeWidth: Double,
        strokeThreshold: Double,
        heightFraction: Double,
        slant: Double,
        jitter: Double,
        leadingHabit: LeadingHabit,
        startLeftRate: Double,
        overflowRate: Double,
        correctionRate: Double
    ) {
        self.inkName = inkName
        self.ink = ink
        self.pen = pen
        self.density = density
        self.strokeWidth = strokeWidth
        self.strokeThreshold = strokeThreshold
        self.heightFraction = heightFraction
        self.slant = slant
        self.jitter = jitter
        self.leadingHabit = leadingHabit
        self.startLeftRate = startLeftRate
        self.overflowRate = overflowRate
        self.correctionRate = correctionRate
    }
}
