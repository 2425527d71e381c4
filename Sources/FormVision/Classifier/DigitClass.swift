/// What the classifier says a box holds: a digit, a mark meaning "no digit here", or nothing.
public enum DigitClass: Int, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    case zero = 0, one, two, three, four, five, six, seven, eight, nine
    /// An X or a dash: the writer's "no digit here". Never a digit (the 2024 app read an X as
    /// an 8 and turned 74 into 748).
    case mark = 10
    /// An empty box.
    case blank = 11

    /// The digit, for the ten digit classes.
    public var digit: Int? { rawValue < 10 ? rawValue : nil }

    /// The class's name in files and JSON: "0"…"9", "mark", "blank".
    public var name: String { digit.map(String.init) ?? (self == .mark ? "mark" : "blank") }

    public init?(name: String) {
        guard let match = DigitClass.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public var description: String { name }
}
