import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// Every kind of bad input gives its typed error, and nothing else.
@Suite struct BadInputTests {
    let jpeg: [UInt8]
    let png: [UInt8]

    init() throws {
        let scene = Fixtures.scene(width: 160, height: 120, format: .rgb8)
        jpeg = try ImageEncoder.jpeg(scene, quality: 90)
        png = try ImageEncoder.png(scene)
    }

    func decodeError(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> ImageError? {
        do {
            _ = try ImageDecoder(options: options).decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func missingFile() {
        #expect(throws: ImageError.fileNotFound(path: "/no/such/dir/photo.jpg")) {
            try ImageDecoder().decode(contentsOfFile: "/no/such/dir/photo.jpg")
        }
    }

    @Test func directoryIsUnreadable() throws {
        let directory = try Fixtures.temporaryDirectory()
        #expect(throws: ImageError.unreadableFile(path: directory.path, reason: "it is a directory")) {
            try ImageDecoder().decode(contentsOfFile: directory.path)
        }
    }

    @Test func fileOverTheByteLimit() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(jpeg, to: directory, name: "big.jpg")
        let options = DecodeOptions(limits: ImageLimits(maxFileBytes: 1000))
        #expect(throws: ImageError.fileTooLarge(path: path, bytes: jpeg.count, limit: 1000)) {
            try ImageDecoder(options: options).decode(contentsOfFile: path)
        }
    }

    @Test func emptyFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write([], to: directory, name: "empty.jpg")
        #expect(throws: ImageError.emptyData) { try ImageDecoder().decode(contentsOfFile: path) }
        #expect(throws: ImageError.emptyData) { try ImageDecoder().info(contentsOfFile: path) }
    }

    @Test func notAnImage() {
        #expect(decodeError(Array("C Hasil KWK, TPS 001\n".utf8)) == .unknownFormat)
        #expect(decodeError([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]) == .unknownFormat) // GIF
    }

    /// Cut anywhere (inside the header, the tables, the image data, the end marker), the file is
    /// reported as truncated.
    @Test(arguments: [0.001, 0.01, 0.05, 0.3, 0.6, 0.9, 0.99])
    func truncatedJPEG(fraction: Double) {
        let cut = Array(jpeg.prefix(max(1, Int(Double(jpeg.count) * fraction))))
        guard case .truncatedData(.jpeg, _)? = decodeError(cut) else {
            Issue.record("\(cut.count) of \(jpeg.count) bytes: \(String(describing: decodeError(cut)))")
            return
        }
    }

    @Test(arguments: [0.001, 0.01, 0.05, 0.3, 0.6, 0.9, 0.99])
    func truncatedPNG(fraction: Double) {
        let cut = Array(png.prefix(max(1, Int(Double(png.count) * fraction))))
        guard case .truncatedData(.png, _)? = decodeError(cut) else {
            Issue.record("\(cut.count) of \(png.count) bytes: \(String(describing: decodeError(cut)))")
            return
        }
    }

    @Test func pngWithoutItsEndChunkIsTruncated() {
        guard case .truncatedData(.png, _)? = decodeError(Array(png.dropLast(12))) else {
            Issue.record("missing IEND accepted")
            return
        }
    }

    @Test func corruptJPEGHuffmanTable() throws {
        var damaged = jpeg
        let dht = try #require(Fixtures.jpegSegment(jpeg, marker: 0xC4))
        for i in 5 ..< 21 { damaged[dht + i] = 0xFF } // code counts that cannot be a Huffman table
        guard case .corruptData(.jpeg, _)? = decodeError(damaged) else {
            Issue.record("got \(String(describing: decodeError(damaged)))")
            return
        }
    }

    @Test func corruptJPEGEntropyData() throws {
        let sos = try #require(Fixtures.jpegSegment(jpeg, marker: 0xDA))
        var damaged = jpeg
        // A restart marker where none belongs: libjpeg warns and resyncs; we must refuse.
        damaged[sos + 200] = 0xFF
        damaged[sos + 201] = 0xD3
        guard case .corruptData(.jpeg, _)? = decodeError(damaged) else {
            Issue.record("got \(String(describing: decodeError(damaged)))")
            return
        }
    }

    @Test func corruptPNGData() throws {
        let idat = try #require(Fixtures.pngChunk(png, type: "IDAT"))
        var damaged = png
        damaged[idat.data + idat.length / 2] ^= 0x5A // the CRC no longer matches
        guard case .corruptData(.png, _)? = decodeError(damaged) else {
            Issue.record("got \(String(describing: decodeError(damaged)))")
            return
        }
    }

    @Test func forgedHugePNGHeaderIsRefusedBeforeAllocation() {
        let forged = Fixtures.forgePNGSize(png, width: 100_000, height: 100_000)
        #expect(decodeError(forged) == .imageTooLarge(width: 100_000, height: 100_000, limits: .default))
        #expect(throws: ImageError.imageTooLarge(width: 100_000, height: 100_000, limits: .default)) {
            try ImageDecoder().info(forged)
        }
    }

    @Test func forgedHugeJPEGHeaderIsRefusedBeforeAllocation() {
        let forged = Fixtures.forgeJPEGSize(jpeg, width: 65_000, height: 65_000)
        #expect(decodeError(forged) == .imageTooLarge(width: 65_000, height: 65_000, limits: .default))
    }

    @Test func oneVeryLongSideIsRefused() {
        let forged = Fixtures.forgePNGSize(png, width: 40_000, height: 1)
        #expect(decodeError(forged) == .imageTooLarge(width: 40_000, height: 1, limits: .default))
    }

    @Test func pixelLimitIsConfigurable() {
        let limits = ImageLimits(maxPixels: 160 * 120 - 1)
        #expect(decodeError(jpeg, options: DecodeOptions(limits: limits)) == .imageTooLarge(width: 160, height: 120, limits: limits))
        #expect(decodeError(jpeg, options: DecodeOptions(limits: ImageLimits(maxPixels: 160 * 120))) == nil)
    }

    @Test func zeroWidthHeader() {
        let forged = Fixtures.forgeJPEGSize(jpeg, width: 0, height: 120)
        let error = decodeError(forged)
        switch error {
        case .corruptData(.jpeg, _)?, .invalidDimensions?: break
        default: Issue.record("got \(String(describing: error))")
        }
    }

    @Test func signaturePrefixIsTruncatedNotUnknown() {
        #expect(decodeError([0xFF, 0xD8]) == .truncatedData(format: .jpeg, detail: "only 2 bytes"))
        #expect(decodeError([0x89, 0x50, 0x4E]) == .truncatedData(format: .png, detail: "only 3 bytes"))
    }

    @Test func encoderRejectsBadArguments() {
        #expect(throws: ImageError.self) { try ImageEncoder.png(Image()) }
        #expect(throws: ImageError.self) { try ImageEncoder.jpeg(Image(width: 4, height: 4), quality: 0) }
    }

    /// The shim refuses an image smaller than libapriltag's threshold tile instead of letting the
    /// library read out of bounds; the detector never hands it one.
    @Test func tagDetectionRefusesImagesSmallerThanATile() throws {
        let tiny = Fixtures.scene(width: 3, height: 40)
        #expect(throws: ImageError.self) {
            try _Shim.detectAprilTags(tiny, families: ["tag36h11"], decimate: 1, sigma: 0, refineEdges: true,
                                      sharpening: 0.25, maxHamming: 1)
        }
        #expect(try MarkerDetector().detect(in: tiny).isEmpty)
        #expect(try MarkerDetector().detect(in: Fixtures.scene(width: 10, height: 10_000)).isEmpty)
    }

    /// Image variants phones and other services send (Tests/Fixtures/images, made by make.py):
    /// each decodes to its true size in gray and RGB, or, for CMYK, gets a typed error.
    @Test(arguments: ["gray.jpg", "progressive.jpg", "gray16.png", "rgb16.png", "palette-transparent.png", "cmyk.jpg"])
    func imageVariants(_ name: String) throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/images/\(name)").path
        for format in [Image.PixelFormat.gray8, .rgb8] {
            let decoder = ImageDecoder(options: DecodeOptions(pixelFormat: format))
            if name == "cmyk.jpg" {
                #expect(throws: ImageError.unsupported(format: .jpeg, detail: "CMYK/YCCK JPEG is not supported")) {
                    try decoder.decode(contentsOfFile: path)
                }
                continue
            }
            let image = try decoder.decode(contentsOfFile: path)
            #expect(image.width == 96 && image.height == 64 && image.format == format, "\(name)")
        }
    }

    /// The 16-bit and progressive variants decode to the pixels they hold: 16-bit samples keep
    /// their high byte, and a progressive JPEG matches the baseline one of the same picture.
    @Test func variantPixels() throws {
        let root = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/images")
        let rgb16 = try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(contentsOfFile: root.appendingPathComponent("rgb16.png").path)
        // R rises 0 → 65535 left to right, G top to bottom, B = 65535 − R.
        #expect(rgb16[0, 0, 0] == 0 && rgb16[95, 0, 0] == 255 && rgb16[0, 63, 1] == 255 && rgb16[95, 0, 2] == 0)
        #expect(abs(Int(rgb16[48, 32, 0]) - 129) <= 1 && abs(Int(rgb16[48, 32, 1]) - 130) <= 1)
        let gray16 = try ImageDecoder().decode(contentsOfFile: root.appendingPathComponent("gray16.png").path)
        let gray = try ImageDecoder().decode(contentsOfFile: root.appendingPathComponent("gray.jpg").path)
        let progressive = try ImageDecoder().decode(contentsOfFile: root.appendingPathComponent("progressive.jpg").path)
        #expect(Fixtures.meanAbsoluteDifference(gray16, gray) < 3)
        #expect(Fixtures.meanAbsoluteDifference(progressive, gray) < 3)
    }
}
