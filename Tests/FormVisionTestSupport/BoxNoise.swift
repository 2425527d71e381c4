import FormVision
import FormVisionTraining

/// A model of a classifier's mistakes, to test the reader's decoding without a classifier:
/// from what is truly written in a box, class probabilities as a flawed classifier would give
/// them.
///
/// Per box, in order:
/// - with `confidentlyWrongRate`, a wrong class gets a top probability of 0.99 to 0.99999 and the
///   true class almost nothing (10⁻⁷ to 10⁻⁴): the failure no threshold on the classifier can catch;
/// - an X or a dash is read as a digit that looks like it (8, 4, 1 or 7) with
///   `markAsDigitRate`, at 0.9 to 0.999 (the 74 → 748 failure);
/// - with `unsureRate`, the true class gets 0.4 to 0.95 and a confusable class most of the rest;
/// - otherwise the true class gets 0.97 to 0.99999.
/// What is left is spread over the other classes at random.
public struct BoxNoise: Sendable {
    public var confidentlyWrongRate = 0.015
    public var markAsDigitRate = 0.05
    public var unsureRate = 0.05

    public init() {}

    /// The 12 class probabilities (`DigitClass` order) for a box that truly holds `truth`.
    public func probabilities(for truth: BoxTruth, using g: inout SeededGenerator) -> [Float] {
        let trueClass: Int = switch truth.mark {
        case .digit: truth.digit!
        case .x, .dash: DigitClass.mark.rawValue
        case .blank: DigitClass.blank.rawValue
        }
        var p = [Double](repeating: 0, count: 12)
        func other(than c: Int) -> Int { (c + Int.random(in: 1 ..< 12, using: &g)) % 12 }
        if g.chance(confidentlyWrongRate) {
            let wrong = other(than: trueClass)
            p[wrong] = g.uniform(0.99 ... 0.99999)
            p[trueClass] = g.uniform(1e-7 ... 1e-4)
        } else if truth.mark == .x || truth.mark == .dash, g.chance(markAsDigitRate) {
            let lookalike = [8, 4, 1, 7][Int.random(in: 0 ..< 4, using: &g)]
            p[lookalike] = g.uniform(0.9 ... 0.999)
            p[trueClass] = g.uniform(0.0005 ... 0.05)
        } else if g.chance(unsureRate) {
            p[trueClass] = g.uniform(0.4 ... 0.95)
            p[other(than: trueClass)] = (1 - p[trueClass]) * g.uniform(0.6 ... 0.95)
        } else {
            p[trueClass] = g.uniform(0.97 ... 0.99999)
        }
        let rest = max(0, 1 - p.reduce(0, +))
        let weights = (0 ..< 12).map { p[$0] == 0 ? g.uniform(0 ... 1) : 0 }
        let total = weights.reduce(0, +)
        for c in 0 ..< 12 where total > 0 { p[c] += rest * weights[c] / total }
        return p.map { Float($0) }
    }
}

/// Stations with known values, written the way officers write them, for decoding tests.
public enum NoisyStations {
    /// One station's fields as `FieldEvidence` from `noise`, with their true values and boxes.
    public static func make(formSet: FormSet, noise: BoxNoise, seed: UInt64)
        -> (evidence: [FieldEvidence], truth: [String: Int], boxes: [String: [BoxTruth]]) {
        var g = SeededGenerator(seed: seed)
        var stationGenerator = g.derived("station")
        let values = (try? StationGenerator().values(for: formSet, using: &stationGenerator)) ?? [:]
        var writerGenerator = g.derived("writer")
        let style = WriterStyle.random(using: &writerGenerator)
        var evidence: [FieldEvidence] = []
        var boxes: [String: [BoxTruth]] = [:]
        for (photo, page) in formSet.pages.enumerated() {
            for field in page.fields {
                let value = values[field.name] ?? 0
                let marks = style.marks(for: value, boxes: field.boxes.count, using: &g)
                boxes[field.name] = marks
                evidence.append(FieldEvidence(name: field.name, boxes: marks.map { noise.probabilities(for: $0, using: &g) },
                                              photo: photo))
            }
        }
        return (evidence, values, boxes)
    }
}
