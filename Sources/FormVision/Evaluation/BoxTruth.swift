/// What is really written in one box: the label the corpus records and accuracy is measured on.
public struct BoxTruth: Sendable, Equatable, Codable {
    /// The kind of mark in a box.
    public enum Mark: String, Sendable, Equatable, Codable, CaseIterable {
        /// A digit, 0–9.
        case digit
        /// An X: "no digit here".
        case x
        /// A dash: "no digit here".
        case dash
        /// Nothing written.
        case blank
    }

    /// How a mistake in the box was corrected, if it was.
    public enum Correction: String, Sendable, Equatable, Codable {
        /// Painted over with correction fluid and written again.
        case fluid
        /// The wrong digit struck through and the right one squeezed in beside it.
        case struck
    }

    public var mark: Mark
    /// The digit, when `mark` is `.digit`.
    public var digit: Int?
    /// The correction made in this box, if any; the digit is the corrected one.
    public var correction: Correction?

    public init(mark: Mark, digit: Int? = nil, correction: Correction? = nil) {
        precondition((mark == .digit) == (digit != nil), "a digit box has a digit, other boxes have none")
        self.mark = mark
        self.digit = digit
        self.correction = correction
    }

    public static func digit(_ d: Int) -> BoxTruth { BoxTruth(mark: .digit, digit: d) }
    public static let x = BoxTruth(mark: .x)
    public static let dash = BoxTruth(mark: .dash)
    public static let blank = BoxTruth(mark: .blank)

    /// The value a row of boxes stands for: the digits read left to right, ignoring X, dash and
    /// blank boxes wherever they are (so "7 4 X" is 74 and "X X 0" is 0). Nil when no box holds a digit.
    public static func value(of boxes: [BoxTruth]) -> Int? {
        let digits = boxes.compactMap(\.digit)
        guard !digits.isEmpty else { return nil }
        return digits.reduce(0) { $0 * 10 + $1 }
    }
}
