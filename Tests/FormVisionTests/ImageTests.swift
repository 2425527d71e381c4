import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

@Suite struct ImageTests {
    /// The fast luma kernel against its reference: every byte equal, on random pixels (the
    /// extremes included) in packed and padded rows, and on widths that are no multiple of a
    /// vector.
    @Test(arguments: [(1, 1, 1), (17, 5, 1), (613, 31, 1), (613, 31, 64), (4000, 3, 16)])
    func grayscaleMatchesItsReference(width: Int, height: Int, alignment: Int) {
        var g = SeededGenerator(seed: UInt64(width * 7 + height))
        var image = Image(width: width, height: height, format: .rgb8, rowAlignment: alignment)
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< 3 {
                    let r = Int.random(in: 0 ..< 10, using: &g)
                    image[x, y, c] = r == 0 ? 0 : r == 1 ? 255 : UInt8.random(in: 0 ... 255, using: &g)
                }
            }
        }
        let fast = image.grayscale(), reference = image.grayscaleReference()
        #expect(fast.width == width && fast.height == height && fast.format == .gray8)
        #expect((0 ..< height).allSatisfy { y in (0 ..< width).allSatisfy { x in fast[x, y] == reference[x, y] } })
    }

    /// A row stride larger than the width holds the same pixels as a packed decode.
    @Test(arguments: [ImageFormat.jpeg, .png], [Image.PixelFormat.gray8, .rgb8])
    func strideLargerThanWidth(format: ImageFormat, pixelFormat: Image.PixelFormat) throws {
        let source = Fixtures.scene(width: 613, height: 101, format: .rgb8)
        let bytes = format == .jpeg ? try ImageEncoder.jpeg(source) : try ImageEncoder.png(source)
        let packed = try ImageDecoder(options: DecodeOptions(pixelFormat: pixelFormat)).decode(bytes)
        let aligned = try ImageDecoder(options: DecodeOptions(pixelFormat: pixelFormat, rowAlignment: 64)).decode(bytes)
        #expect(packed.rowStride == 613 * pixelFormat.channels)
        #expect(aligned.rowStride == Image.rowStride(width: 613, format: pixelFormat, alignment: 64))
        #expect(aligned.rowStride > packed.rowStride && aligned.rowStride % 64 == 0)
        #expect(aligned == packed)
        #expect(aligned.packed().storage == packed.storage)
    }

    /// Decoding a batch into one image reuses its buffer.
    @Test func decodeIntoReusesStorage() throws {
        let decoder = ImageDecoder()
        let large = try ImageEncoder.jpeg(Fixtures.scene(width: 400, height: 300))
        let small = try ImageEncoder.png(Fixtures.scene(width: 200, height: 100))
        var image = Image()
        try large.withUnsafeBytes { try decoder.decode($0, into: &image) }
        let address = image.storage.withUnsafeBufferPointer { $0.baseAddress }
        try small.withUnsafeBytes { try decoder.decode($0, into: &image) }
        #expect(image.width == 200 && image.height == 100)
        #expect(image.storage.withUnsafeBufferPointer { $0.baseAddress } == address)
        #expect(image == (try decoder.decode(small)))
    }

    /// A failed decode into an existing image leaves it empty, never half-written.
    @Test func failedDecodeIntoLeavesAnEmptyImage() throws {
        let decoder = ImageDecoder()
        let good = try ImageEncoder.jpeg(Fixtures.scene(width: 120, height: 80))
        let truncated = Array(good.prefix(good.count / 2))
        var image = Image()
        try good.withUnsafeBytes { try decoder.decode($0, into: &image) }
        #expect(throws: ImageError.self) { try truncated.withUnsafeBytes { try decoder.decode($0, into: &image) } }
        #expect(image.isEmpty)
    }

    @Test func fileAndMemoryDecodesAgree() throws {
        let directory = try Fixtures.temporaryDirectory()
        let bytes = try ImageEncoder.jpeg(Fixtures.scene(width: 160, height: 120, format: .rgb8), orientation: .rotate90)
        let path = try Fixtures.write(bytes, to: directory, name: "photo.jpg")
        let decoder = ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8))
        #expect(try decoder.decode(contentsOfFile: path) == decoder.decode(bytes))
        #expect(try decoder.info(contentsOfFile: path).orientation == .rotate90)
    }

    @Test func pixelAccessAndEquality() {
        var a = Image(width: 3, height: 2, format: .rgb8, rowAlignment: 8, fill: 9)
        #expect(a.rowStride == 16)
        a[2, 1, 2] = 200
        #expect(a[2, 1, 2] == 200 && a[0, 0, 0] == 9)
        var b = Image(width: 3, height: 2, format: .rgb8, fill: 9)
        #expect(a != b)
        b[2, 1, 2] = 200
        #expect(a == b)
        a.storage[12] = 77 // a padding byte of row 0 (bytes 9..<16)
        #expect(a == b)
    }
}
