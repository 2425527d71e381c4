import FormVision

/// How well the network keeps marks and digits apart: the 2024 app read an X as an 8.
public struct MarkSeparation: Sendable, Equatable {
    /// Share of X marks, dashes and blanks classified as one of the two non-digit classes.
    public var nonDigitRate: Double
    /// Share of digits classified as a mark or blank.
    public var digitLostRate: Double

    /// Measures on marks and blanks drawn from `seed` (a stream no training run uses) and on
    /// labelled digits.
    public static func measure(_ network: DigitNetwork, cells: TrainingCells, digits: [(cell: [Float], label: DigitClass)],
                               marks: Int, blanks: Int, seed: UInt64) throws(ImageError) -> MarkSeparation {
        measure(network, nonDigits: try samples(cells: cells, marks: marks, blanks: blanks, seed: seed), digits: digits)
    }

    /// Measures on given marks and blanks (any labels; only "not a digit" counts) and digits.
    public static func measure(_ network: DigitNetwork, nonDigits: [(cell: [Float], label: DigitClass)],
                               digits: [(cell: [Float], label: DigitClass)]) -> MarkSeparation {
        let p = network.probabilities(nonDigits.flatMap(\.cell), count: nonDigits.count)
        var nonDigit = 0
        for n in nonDigits.indices where DigitNetwork.top(p, cell: n).class.digit == nil { nonDigit += 1 }
        let q = network.probabilities(digits.flatMap(\.cell), count: digits.count)
        var lost = 0
        for n in 0 ..< digits.count where DigitNetwork.top(q, cell: n).class.digit == nil { lost += 1 }
        return MarkSeparation(nonDigitRate: Double(nonDigit) / Double(max(1, nonDigits.count)),
                              digitLostRate: Double(lost) / Double(max(1, digits.count)))
    }
}

extension MarkSeparation {
    /// The marks then blanks `measure` uses, labelled.
    public static func samples(cells: TrainingCells, marks: Int, blanks: Int, seed: UInt64) throws(ImageError)
        -> [(cell: [Float], label: DigitClass)] {
        var g = SeededGenerator(seed: seed).derived("held-out-marks")
        var result: [(cell: [Float], label: DigitClass)] = []
        for _ in 0 ..< marks { result.append((try cells.mark(using: &g), .mark)) }
        for _ in 0 ..< blanks { result.append((try cells.blank(using: &g), .blank)) }
        return result
    }
}

/// Confidence calibration: a softmax temperature fitted on validation data, and the expected
/// calibration error (ECE) that measures how far confidences are from accuracies.
public enum Calibration {
    /// The temperature T that minimises the negative log-likelihood of the labels under
    /// softmax(logits / T), by golden-section search over [0.25, 8].
    public static func fitTemperature(_ network: DigitNetwork, _ samples: [(cell: [Float], label: DigitClass)]) -> Float {
        let logits = network.logits(samples.flatMap(\.cell), count: samples.count)
        let labels = samples.map(\.label)
        func nll(_ t: Double) -> Double { logLoss(logits: logits, labels: labels, temperature: Float(t)) }
        var (a, b) = (0.25, 8.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0 ..< 30 {
            let c = b - ratio * (b - a), d = a + ratio * (b - a)
            if nll(c) < nll(d) { b = d } else { a = c }
        }
        return Float((a + b) / 2)
    }

    /// The log loss: −ln p(label), averaged over the samples, at the network's temperature.
    /// Unlike accuracy it moves with every sample's confidence, so it separates two networks
    /// whose error counts on a few hundred digits are tied.
    public static func logLoss(_ network: DigitNetwork, _ samples: [(cell: [Float], label: DigitClass)]) -> Double {
        logLoss(logits: network.logits(samples.flatMap(\.cell), count: samples.count), labels: samples.map(\.label),
                temperature: network.temperature)
    }

    /// The log loss of a batch of logits (`labels.count` × 12) at a temperature.
    static func logLoss(logits: [Float], labels: [DigitClass], temperature: Float) -> Double {
        guard !labels.isEmpty else { return 0 }
        var total = 0.0
        var row = [Float](repeating: 0, count: DigitNetwork.Layout.classes)
        logits.withUnsafeBufferPointer { z in
            for (n, label) in labels.enumerated() {
                Kernels.softmax(z.baseAddress! + n * DigitNetwork.Layout.classes, count: DigitNetwork.Layout.classes,
                                temperature: temperature, into: &row)
                total -= log(max(Double(row[label.rawValue]), 1e-12))
            }
        }
        return total / Double(labels.count)
    }

    /// Expected calibration error over `bins` equal-width confidence bins: the sample-weighted
    /// mean of |accuracy − mean confidence| per bin. Also returns the share of samples that are
    /// wrong with a top probability of at least 0.99 ("confidently wrong").
    public static func expectedCalibrationError(_ network: DigitNetwork, _ samples: [(cell: [Float], label: DigitClass)],
                                                bins: Int = 15) -> (ece: Double, confidentlyWrong: Double) {
        let p = network.probabilities(samples.flatMap(\.cell), count: samples.count)
        var count = [Int](repeating: 0, count: bins), correct = [Int](repeating: 0, count: bins)
        var confidence = [Double](repeating: 0, count: bins)
        var confidentlyWrong = 0
        for (n, s) in samples.enumerated() {
            let (top, value) = DigitNetwork.top(p, cell: n)
            let c = Double(value)
            let bin = min(bins - 1, Int(c * Double(bins)))
            count[bin] += 1
            confidence[bin] += c
            if top == s.label { correct[bin] += 1 } else if c >= 0.99 { confidentlyWrong += 1 }
        }
        var ece = 0.0
        for i in 0 ..< bins where count[i] > 0 {
            ece += Double(count[i]) / Double(samples.count) * abs(Double(correct[i]) / Double(count[i]) - confidence[i] / Double(count[i]))
        }
        return (ece, Double(confidentlyWrong) / Double(max(1, samples.count)))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
