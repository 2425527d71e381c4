import Foundation
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// The fast sliding-window filters against the direct loop.
@Suite struct SlidingWindowTests {
    /// The histogram selection gives exactly what sorting gives, at every rank, with ties,
    /// values outside 0–1 and values on bin edges.
    @Test func orderStatisticMatchesSorting() {
        var g = SeededGenerator(seed: 43)
        for count in [1, 2, 5, 100, 784] {
            var values = (0 ..< count).map { _ in Float(g.uniform(-0.1 ... 1.1)) }
            if count > 4 { values[1] = values[0]; values[2] = 0.5; values[3] = 1; values[4] = 0 }
            let sorted = values.sorted()
            for rank in 0 ..< count {
                #expect(CellExtractor.orderStatistic(values, rank: rank) == sorted[rank], "count \(count) rank \(rank)")
            }
        }
    }

    @Test(arguments: [SlidingWindow.Operation.maximum, .minimum, .mean])
    func fastFormsMatchTheReference(_ operation: SlidingWindow.Operation) {
        var g = SeededGenerator(seed: 41)
        for (w, h) in [(1, 1), (7, 3), (13, 29), (40, 17)] {
            let values = (0 ..< w * h).map { _ in g.uniform(0 ... 255) }
            for radius in [1, 2, 3, 5, 20] {
                for horizontal in [true, false] {
                    let fast = SlidingWindow.apply(operation, to: values, width: w, height: h, radius: radius, horizontal: horizontal)
                    let reference = SlidingWindow.reference(operation, to: values, width: w, height: h, radius: radius, horizontal: horizontal)
                    let worst = zip(fast, reference).map { abs($0 - $1) }.max() ?? 0
                    #expect(worst < 1e-9, "\(operation) \(w)x\(h) radius \(radius) horizontal \(horizontal): off by \(worst)")
                }
            }
        }
    }
}

/// Box-line fragments, neighbours' strokes and shaded paper are not ink of the box.
@Suite struct CellCleanupTests {
    let extractor = CellExtractor()
    let w = 60
    let h = 72

    func map(_ ink: (Int, Int) -> Bool) -> [Float] {
        (0 ..< w * h).map { ink($0 % w, $0 / w) ? 1 : 0 }
    }

    func inkCount(_ coverage: [Float]) -> Int { coverage.filter { $0 >= 0.35 }.count }

    @Test func aLineAlongAnEdgeIsCleared() {
        // A 3 px line along the left edge, over 70 % of its length: shorter than the row rule's
        // 60 %-coverage test would catch only if it were nearly whole.
        var coverage = map { x, y in x < 3 && y > 10 && y < 60 }
        extractor.clearEdgeFragments(&coverage, width: w, height: h)
        #expect(inkCount(coverage) == 0)
    }

    @Test func aPrintedFrameInsideACropIsCleared() {
        // A box outline 4 px inside the crop's edges (it touches no edge).
        var coverage = map { x, y in
            let onVertical = (x == 4 || x == 5 || x == 54 || x == 55) && y >= 4 && y <= 67
            let onHorizontal = (y == 4 || y == 5 || y == 66 || y == 67) && x >= 4 && x <= 55
            return onVertical || onHorizontal
        }
        extractor.clearEdgeFragments(&coverage, width: w, height: h)
        #expect(inkCount(coverage) == 0)
    }

    @Test func aDigitInTheMiddleStaysAndAFragmentBesideItGoes() {
        let digit = { (x: Int, y: Int) in x >= 28 && x <= 32 && y >= 15 && y <= 58 }
        var coverage = map { x, y in digit(x, y) || (x >= w - 2 && y > 20 && y < 50) }
        extractor.clearEdgeFragments(&coverage, width: w, height: h)
        #expect(inkCount(coverage) == inkCount(map(digit)))
        #expect(coverage[40 * w + w - 1] == 0)
    }

    @Test func aNeighboursStrokePokingInIsCleared() {
        // A short stroke 3 px wide in from the right edge, 6 px deep at its top: would be
        // normalised into a 1.
        var coverage = map { x, y in x >= w - 3 - (45 - y) / 7 && y > 25 && y < 45 }
        extractor.clearEdgeFragments(&coverage, width: w, height: h)
        #expect(inkCount(coverage) == 0)
    }

    @Test func aSeparateBarCloseToItsDigitStays() {
        // A tall 5's top bar touching the top edge, 2 px above the rest of the digit.
        let bar = { (x: Int, y: Int) in y < 3 && x >= 18 && x <= 40 }
        let body = { (x: Int, y: Int) in (x >= 18 && x <= 21 && y >= 5 && y <= 35) || (y >= 33 && y <= 36 && x >= 18 && x <= 42) }
        var coverage = map { x, y in bar(x, y) || body(x, y) }
        let before = inkCount(coverage)
        extractor.clearEdgeFragments(&coverage, width: w, height: h)
        #expect(inkCount(coverage) == before)
    }

    /// A crop photographed with a shadow across it and a line of the printed box along an edge:
    /// blank, as `classify` reads it.
    @Test func aShadedCropWithALineFragmentIsBlank() {
        var image = Image(width: 70, height: 80, format: .rgb8)
        for y in 0 ..< 80 {
            for x in 0 ..< 70 {
                let shade = x < 35 ? 1.0 : 0.7 // a hard shadow edge down the middle
                let line = (x >= 2 && x <= 4) ? 0.4 : 1.0
                for c in 0 ..< 3 { image[x, y, c] = UInt8(230 * shade * line) }
            }
        }
        let cell = extractor.cell(fromImage: image)
        #expect(cell.statistics.bounds == nil, "ink found at \(String(describing: cell.statistics.bounds))")
        #expect(cell.pixels.allSatisfy { $0 == 0 })
    }

    /// The same crop with a digit-like stroke in it keeps the stroke.
    @Test func aShadedCropKeepsItsInk() {
        var image = Image(width: 70, height: 80, format: .rgb8)
        for y in 0 ..< 80 {
            for x in 0 ..< 70 {
                let shade = x < 35 ? 1.0 : 0.7
                let ink = (x >= 33 && x <= 38 && y >= 15 && y <= 65) ? 0.15 : 1.0
                for c in 0 ..< 3 { image[x, y, c] = UInt8(230 * shade * ink) }
            }
        }
        let cell = extractor.cell(fromImage: image)
        #expect((cell.statistics.bounds?.height ?? 0) > 0.55, "\(String(describing: cell.statistics.bounds))")
    }
}

/// The stroke generator and the marks generator: held-out styles and settings really are apart.
@Suite struct StrokeGeneratorTests {
    @Test func everyDigitHasTrainingVariantsAndOneHeldOut() {
        for digit in 0 ..< 10 {
            #expect(!StrokeDigits.variants(of: digit, split: .training).isEmpty, "digit \(digit)")
            #expect(StrokeDigits.variants(of: digit, split: .heldOut).count == 1, "digit \(digit)")
        }
        // The styles DOMAIN.md and the measured failures name are trained on.
        let training = Set(StrokeDigits.Variant.allCases.filter { $0.split == .training })
        for needed: StrokeDigits.Variant in [.fourOpen, .fourClosed, .fourHook, .oneFlagBase, .sevenCrossed, .nineStraight, .nineShort, .twoLooped] {
            #expect(training.contains(needed), "\(needed)")
        }
    }

    @Test func writersUseOnlyTheirSplitsVariants() {
        var g = SeededGenerator(seed: 3)
        for _ in 0 ..< 50 {
            let heldOut = StrokeDigits.Writer.random(split: .heldOut, using: &g)
            #expect(heldOut.variants.allSatisfy { $0.split == .heldOut })
            let training = StrokeDigits.Writer.random(split: .training, using: &g)
            #expect(training.variants.allSatisfy { $0.split == .training })
            #expect(zip(0 ..< 10, training.variants).allSatisfy { $0 == $1.digit })
        }
    }

    func drawn(_ digit: Int, _ writer: StrokeDigits.Writer, seed: UInt64) -> [Float] {
        var raster = StrokeRaster(width: 60, height: 72)
        var g = SeededGenerator(seed: seed)
        StrokeDigits.draw(digit, writer: writer, centre: Point(30, 36), height: 50, pixelsPerMM: 8, into: &raster, using: &g)
        return raster.coverage
    }

    @Test func aWriterIsConsistentButNotIdentical() {
        var g = SeededGenerator(seed: 9)
        let writer = StrokeDigits.Writer.random(split: .training, using: &g)
        let other = StrokeDigits.Writer.random(split: .training, using: &g)
        let a = drawn(4, writer, seed: 1), b = drawn(4, writer, seed: 2), again = drawn(4, writer, seed: 1)
        #expect(a == again, "same writer and seed draw the same pixels")
        #expect(a != b, "two instances differ")
        #expect(a.reduce(0, +) > 50, "ink was drawn")
        // Two instances of one writer are closer to each other than to another writer's 4 (on
        // average over digits, so that one coincidence cannot decide it).
        func distance(_ x: [Float], _ y: [Float]) -> Float { zip(x, y).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
        var same: Float = 0, different: Float = 0
        for digit in 0 ..< 10 {
            same += distance(drawn(digit, writer, seed: 11), drawn(digit, writer, seed: 12))
            different += distance(drawn(digit, writer, seed: 11), drawn(digit, other, seed: 12))
        }
        #expect(same < different)
    }

    @Test func heldOutMarkSettingsDifferFromTrainings() {
        let (training, heldOut) = (MarkGenerator.Settings.training, MarkGenerator.Settings.heldOut)
        #expect(training != heldOut)
        #expect(training.hook.upperBound == 0 && heldOut.hook.lowerBound > 0, "hooked strokes only in the test")
        #expect(heldOut.crossing.lowerBound < training.crossing.lowerBound)
        // Slashes stay flatter than an upright 1 slanted by the writers' largest slant (0.35).
        let steepestOne = atan(1 / 0.35) * 180 / Double.pi
        #expect(training.slashAngle.upperBound < steepestOne && heldOut.slashAngle.upperBound < steepestOne)
    }

    @Test(arguments: MarkGenerator.Kind.allCases)
    func everyKindOfMarkDrawsInk(_ kind: MarkGenerator.Kind) {
        for settings in [MarkGenerator.Settings.training, .heldOut] {
            var g = SeededGenerator(seed: 5)
            var raster = StrokeRaster(width: 60, height: 72)
            MarkGenerator(settings: settings).draw(kind, in: Rect(x: 0, y: 0, width: 60, height: 72), pixelsPerMM: 8, into: &raster, using: &g)
            #expect(raster.coverage.filter { $0 > 0.5 }.count > 20, "\(kind)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
