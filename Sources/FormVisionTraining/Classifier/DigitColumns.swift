import FormVision

/// Which digits.png columns a training run trains on, fits the softmax temperature on, and
/// measures on.
///
/// A final run trains on columns 0–84, calibrates on 85–89 and measures the held-out 90–99. A
/// validation run (`train --validate`) never touches 90–99: fold k measures ten of the training
/// columns, calibrates on the five before them and trains on the other 75. Fold 0 measures
/// 80–89 (the only fold before folds existed); folds 1–5 step 15 columns left each, so the six
/// folds measure disjoint columns and two folds give twice the validation digits of one.
public struct DigitColumns: Sendable, Equatable {
    /// The columns trained on, in column order.
    public var training: [Range<Int>]
    /// Kept out of training to fit the temperature: a temperature fitted on digits the network
    /// trained on comes out too sharp for new writers.
    public var calibration: Range<Int>
    public var measured: Range<Int>
    /// The part of the split that `measured` lies in.
    public var measuredSplit: HandwrittenDigits.Split

    public static let final = DigitColumns(training: [0 ..< 85], calibration: 85 ..< 90, measured: 90 ..< 100, measuredSplit: .heldOut)

    /// Folds 0 ..< `validationFolds`.
    public static let validationFolds = 6

    /// The columns of validation fold `fold` (0 ..< `validationFolds`).
    public static func validation(fold: Int) -> DigitColumns {
        precondition((0 ..< validationFolds).contains(fold), "no validation fold \(fold)")
        let (measuredColumns, calibrationColumns) = (10, 5)
        let end = HandwrittenDigits.Split.training.columns.upperBound - fold * (measuredColumns + calibrationColumns)
        let measured = end - measuredColumns ..< end
        let calibration = measured.lowerBound - calibrationColumns ..< measured.lowerBound
        let training = [0 ..< calibration.lowerBound, measured.upperBound ..< HandwrittenDigits.Split.training.columns.upperBound]
        return DigitColumns(training: training.filter { !$0.isEmpty }, calibration: calibration, measured: measured, measuredSplit: .training)
    }
}
