/// How a row of boxes is laid out once each box is a digit or "no digit" (an X, a dash or blank).
public enum BoxPattern: String, Sendable, Equatable, Codable {
    /// The digits stand together: "7 4 X", "X 7 4", "0 1 6", "· · 7".
    case contiguous
    /// A no-digit box stands between two digits: "7 X 4". What the writer meant is not certain.
    case markBetweenDigits = "mark_between_digits"
    /// No box holds a digit: the writer left the field blank or crossed it out. Evidence of 0
    /// only where the arithmetic agrees.
    case empty
}

/// What one field's boxes say about its value: for every value the boxes can hold, how probable
/// they make it, and the most probable way of writing it.
///
/// Each box is one of eleven symbols: a digit 0–9 or "no digit" (the classifier's `mark` and
/// `blank` together). A row of symbols stands for the number its digits make read left to right
/// (`BoxTruth.value(of:)`): "7 4 X" is 74, "X X 0" is 0, and a row with no digit counts as 0
/// but is flagged `empty`. The likelihood of a value v is the sum, over every row of symbols that
/// stands for v, of the product of the boxes' symbol probabilities:
///
///     L(v) = Σ_{s₁…sₙ → v} Π_b p_b(s_b)
///
/// Before that, every class probability is floored: p' = (1 − ε) p + ε / 12, as if any box could
/// be misread with a small fixed chance ε whatever the classifier says. Without the floor one
/// overconfident box (0.999 on a wrong digit, 10⁻⁶ on the right one) would outvote the form's
/// arithmetic and make the decoder "correct" a different, right field instead.
///
/// - Complexity: O(11ⁿ · n) for n boxes, done once per field; fields have at most
///   `maximumBoxes` boxes.
public struct FieldLikelihood: Sendable, Equatable {
    /// The most boxes a field may have for the reader (11⁴ rows of symbols to sum over).
    public static let maximumBoxes = 4
    /// The symbol index of "no digit" in `symbolProbabilities`.
    public static let noDigit = 10

    /// The field's name.
    public let name: String
    /// Per box, the floored probability of each symbol: digits 0–9, then "no digit".
    public let symbolProbabilities: [[Double]]
    /// `likelihood[v]` for v in 0...capacity; they sum to 1.
    public let likelihood: [Double]
    /// Per value, the most probable row of symbols that stands for it (indices into the
    /// symbols), and how that row is laid out.
    public let bestRow: BestRows
    public let bestPattern: [BoxPattern]

    /// The most probable row of symbols for every value, kept as one number per value (the
    /// row's symbols as digits in base 11) and spelt out when asked for: a field has a
    /// thousand values and the reader looks at two or three of them.
    public struct BestRows: Sendable, Equatable, RandomAccessCollection {
        /// Per value, the row in base 11, first box most significant.
        let codes: [Int32]
        let boxes: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { codes.count }

        /// The row of symbols for `value`, one per box.
        public subscript(value: Int) -> [Int] { FieldLikelihood.row(code: Int(codes[value]), boxes: boxes) }
    }

    /// Builds the likelihood from each box's 12 class probabilities (`DigitClass` order).
    ///
    /// - Parameters:
    ///   - boxes: One probability vector per box, most significant box first.
    ///   - floor: ε above; 0 trusts the classifier's probabilities as they are.
    /// - Precondition: 1…`maximumBoxes` boxes of 12 probabilities each.
    public init(name: String, boxes: [[Float]], floor: Double) {
        precondition((1 ... Self.maximumBoxes).contains(boxes.count), "a field has 1 to \(Self.maximumBoxes) boxes")
        self.name = name
        let classes = DigitNetwork.Layout.classes
        let symbols: [[Double]] = boxes.map { raw in
            precondition(raw.count == classes, "12 class probabilities per box")
            let total = raw.reduce(0) { $0 + Double(max(0, $1)) }
            let p = raw.map { total > 0 ? Double(max(0, $0)) / total : 1 / Double(classes) }
            let floored = p.map { (1 - floor) * $0 + floor / Double(classes) }
            return Array(floored[0 ..< 10]) + [floored[DigitClass.mark.rawValue] + floored[DigitClass.blank.rawValue]]
        }
        symbolProbabilities = symbols
        var capacity = 1
        for _ in boxes { capacity *= 10 }
        var likelihood = [Double](repeating: 0, count: capacity)
        var bestProbability = [Double](repeating: -1, count: capacity)
        var bestCode = [Int32](repeating: 0, count: capacity)
        var bestPattern = [BoxPattern](repeating: .empty, count: capacity)
        // Every row of symbols in order (first box most significant), as an odometer: no
        // allocation per row. Every value is reached (by its row of digits), so every value
        // gets a best row.
        let n = boxes.count, base = Self.noDigit + 1
        let layouts = Self.rowLayouts[n]
        var row = [Int](repeating: 0, count: n)
        // prefix[b]: the product of the first b boxes' probabilities, multiplied in box order
        // (as a sum over rows written out would); only the boxes after the last one to change
        // are multiplied again.
        var prefix = [Double](repeating: 1, count: n + 1)
        var changed = 0
        for code in layouts.indices {
            for b in changed ..< n { prefix[b + 1] = prefix[b] * symbols[b][row[b]] }
            let probability = prefix[n]
            let value = Int(layouts[code].value), pattern = layouts[code].pattern
            likelihood[value] += probability
            if probability > bestProbability[value] {
                bestProbability[value] = probability
                bestCode[value] = Int32(code)
                bestPattern[value] = pattern
            }
            var b = n - 1
            while b >= 0 {
                row[b] += 1
                if row[b] < base { break }
                row[b] = 0
                b -= 1
            }
            changed = max(0, b)
        }
        self.likelihood = likelihood
        bestRow = BestRows(codes: bestCode, boxes: n)
        self.bestPattern = bestPattern
    }

    /// The largest value the boxes hold (999 for three boxes).
    public var capacity: Int { likelihood.count - 1 }

    /// The value the boxes themselves make most probable, before any arithmetic.
    public var reading: Int {
        var best = 0
        for v in likelihood.indices where likelihood[v] > likelihood[best] { best = v }
        return best
    }

    /// For each number of boxes n (index n, 1…`maximumBoxes`), every row of n symbols in
    /// order (first box most significant, base 11): the value it stands for and its layout.
    /// They depend on the row alone, so they are worked out once per process.
    static let rowLayouts: [[(value: Int32, pattern: BoxPattern)]] = (0 ... maximumBoxes).map { n in
        guard n > 0 else { return [] }
        var rows = 1
        for _ in 0 ..< n { rows *= noDigit + 1 }
        return (0 ..< rows).map { code in
            let (value, pattern) = value(of: row(code: code, boxes: n))
            return (Int32(value), pattern)
        }
    }

    /// The row of `boxes` symbols numbered `code` in base 11, first box most significant.
    static func row(code: Int, boxes: Int) -> [Int] {
        var row = [Int](repeating: 0, count: boxes), rest = code
        for b in stride(from: boxes - 1, through: 0, by: -1) {
            row[b] = rest % (noDigit + 1)
            rest /= noDigit + 1
        }
        return row
    }

    /// The number a row of symbols stands for, and its layout.
    static func value(of row: [Int]) -> (value: Int, pattern: BoxPattern) {
        var value = 0, digits = 0, gapAfterDigit = false, gap = false
        for symbol in row {
            if symbol == noDigit {
                if digits > 0 { gapAfterDigit = true }
            } else {
                if gapAfterDigit { gap = true }
                value = value * 10 + symbol
                digits += 1
            }
        }
        return (value, digits == 0 ? .empty : gap ? .markBetweenDigits : .contiguous)
    }
}
