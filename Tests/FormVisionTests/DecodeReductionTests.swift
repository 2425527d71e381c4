import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// Reduced decodes agree with a full decode shrunk by a plain box filter.
@Suite struct DecodeReductionTests {
    static let reductions: [DecodeOptions.Reduction] = [.half, .quarter, .eighth]

    @Test(arguments: reductions, [Image.PixelFormat.gray8, .rgb8])
    func jpegReductionMatchesBoxFilteredFullDecode(reduction: DecodeOptions.Reduction, format: Image.PixelFormat) throws {
        let source = Fixtures.scene(width: 640, height: 480, format: format)
        let jpeg = try ImageEncoder.jpeg(source, quality: 95)
        let full = try ImageDecoder(options: DecodeOptions(pixelFormat: format)).decode(jpeg)
        let reduced = try ImageDecoder(options: DecodeOptions(pixelFormat: format, reduction: reduction)).decode(jpeg)
        let reference = Fixtures.boxReduce(full, factor: reduction.factor)
        #expect(reduced.width == 640 / reduction.factor && reduced.height == 480 / reduction.factor)
        #expect(reduced.format == format)
        // The DCT-domain reduction is not a box filter, but on a smooth scene it is close to one.
        let difference = Fixtures.meanAbsoluteDifference(reduced, reference)
        #expect(difference < 2.5, "mean difference \(difference) at 1/\(reduction.factor)")
    }

    @Test(arguments: reductions)
    func pngReductionIsTheBoxFilteredFullDecode(reduction: DecodeOptions.Reduction) throws {
        let source = Fixtures.scene(width: 613, height: 457, format: .rgb8)
        let png = try ImageEncoder.png(source)
        for format in [Image.PixelFormat.gray8, .rgb8] {
            let full = try ImageDecoder(options: DecodeOptions(pixelFormat: format)).decode(png)
            let reduced = try ImageDecoder(options: DecodeOptions(pixelFormat: format, reduction: reduction, rowAlignment: 32)).decode(png)
            #expect(reduced == Fixtures.boxReduce(full, factor: reduction.factor))
        }
    }

    /// A size that is not a multiple of the factor rounds up, as libjpeg does, and the JPEG's
    /// last partial block still lines up with the reference's.
    @Test(arguments: reductions)
    func oddSizedJPEGRoundsUpAndLinesUp(reduction: DecodeOptions.Reduction) throws {
        let source = Fixtures.scene(width: 613, height: 457)
        let jpeg = try ImageEncoder.jpeg(source, quality: 95)
        let image = try ImageDecoder(options: DecodeOptions(reduction: reduction)).decode(jpeg)
        #expect(image.width == (613 + reduction.factor - 1) / reduction.factor)
        #expect(image.height == (457 + reduction.factor - 1) / reduction.factor)
        let reference = Fixtures.boxReduce(try ImageDecoder().decode(jpeg), factor: reduction.factor)
        let difference = Fixtures.meanAbsoluteDifference(image, reference)
        #expect(difference < 2.5, "mean difference \(difference)")
    }

    /// The fast block average matches the plain reference exactly, for every factor and shape.
    @Test func boxReducedMatchesReference() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0 ..< 20 {
            let width = Int.random(in: 1 ... 50, using: &generator), height = Int.random(in: 1 ... 50, using: &generator)
            let format: Image.PixelFormat = Bool.random(using: &generator) ? .gray8 : .rgb8
            var image = Image(width: width, height: height, format: format, rowAlignment: 16)
            for y in 0 ..< height {
                for x in 0 ..< width {
                    for c in 0 ..< format.channels { image[x, y, c] = UInt8.random(in: 0 ... 255, using: &generator) }
                }
            }
            for factor in [1, 2, 3, 4, 8] {
                #expect(image.boxReduced(by: factor) == Fixtures.boxReduce(image, factor: factor))
            }
        }
    }

    /// The shim's area resize, by a whole factor, is the same block average.
    @Test func shimAreaResizeByWholeFactorIsBoxAverage() throws {
        let image = Fixtures.scene(width: 64, height: 48, format: .rgb8)
        var resized = Image(width: 16, height: 12, format: .rgb8)
        try _Shim.resizeArea(image, into: &resized)
        #expect(Fixtures.maxAbsoluteDifference(resized, Fixtures.boxReduce(image, factor: 4)) <= 1)
    }

    @Test func fullDecodeIsCloseToTheSource() throws {
        let source = Fixtures.scene(width: 320, height: 240, format: .rgb8)
        let decoded = try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(ImageEncoder.jpeg(source, quality: 95))
        #expect(Fixtures.meanAbsoluteDifference(decoded, source) < 2)
        let lossless = try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(ImageEncoder.png(source))
        #expect(lossless == source)
    }
}
