import Testing
@testable import FormVision
@testable import FormVisionTraining

@Suite struct DigitColumnsTests {
    /// Every fold splits the training columns 0–89 into training, calibration and measured
    /// columns with nothing shared and nothing left over, and never reaches the held-out 90–99.
    @Test(arguments: 0 ..< DigitColumns.validationFolds)
    func foldPartitionsTheTrainingColumns(fold: Int) {
        let columns = DigitColumns.validation(fold: fold)
        let parts = [Array(columns.training.joined()), Array(columns.calibration), Array(columns.measured)]
        #expect(parts.map(\.count) == [75, 5, 10])
        #expect(parts.joined().sorted() == Array(0 ..< 90))
        #expect(columns.measuredSplit == .training)
    }

    /// The six folds measure disjoint columns; fold 0 is the split validation runs always used.
    @Test func foldsMeasureDifferentColumns() {
        let measured = (0 ..< DigitColumns.validationFolds).map { Set(DigitColumns.validation(fold: $0).measured) }
        #expect(measured.reduce(Set<Int>()) { $0.union($1) }.count == 10 * DigitColumns.validationFolds)
        #expect(DigitColumns.validation(fold: 0) == DigitColumns(training: [0 ..< 75], calibration: 75 ..< 80, measured: 80 ..< 90,
                                                                  measuredSplit: .training))
        #expect(DigitColumns.final.measured == HandwrittenDigits.Split.heldOut.columns)
        #expect(Set(DigitColumns.final.training.joined()).isDisjoint(with: DigitColumns.final.calibration))
    }

    /// Several ranges load row by row in column order; overlapping or out-of-part ranges are
    /// typed errors. Each cell's first pixel holds its column number.
    @Test func severalColumnRangesLoadInOrder() throws {
        var image = Image(width: 2000, height: 1000, format: .gray8)
        for row in 0 ..< 50 { for column in 0 ..< 100 { image[column * 20, row * 20] = UInt8(column) } }
        let digits = try HandwrittenDigits(image: image, split: .training, columns: [5 ..< 6, 0 ..< 2])
        #expect(digits.samples.map(\.count) == Array(repeating: 15, count: 10))
        #expect(digits.samples[3].prefix(3).map(\.column) == [0, 1, 5])
        #expect(digits.samples[3].map { Int($0.pixels[0]) } == digits.samples[3].map(\.column))
        #expect(throws: ImageError.self) { try HandwrittenDigits(image: image, split: .training, columns: [0 ..< 5, 4 ..< 6]) }
        #expect(throws: ImageError.self) { try HandwrittenDigits(image: image, split: .training, columns: [85 ..< 91]) }
        #expect(throws: ImageError.self) { try HandwrittenDigits(image: image, split: .training, columns: [Range<Int>]()) }
    }
}
