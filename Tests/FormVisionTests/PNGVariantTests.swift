import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// Every kind of PNG decodes to the 8-bit gray or RGB values it stands for.
@Suite struct PNGVariantTests {
    let width = 37
    let height = 23

    /// Encodes raw samples with the shim's PNG writer (any colour type and depth).
    func encode(_ samples: [UInt8], colorType: _Shim.PNGColorType, bitDepth: Int, palette: [UInt8] = []) throws -> [UInt8] {
        let stride = width * colorType.samples * bitDepth / 8
        return try samples.withUnsafeBytes { raw in
            try _Shim.pngEncode(raw, width: width, height: height, stride: stride, colorType: colorType,
                                bitDepth: bitDepth, palette: palette, compression: 6)
        }
    }

    func decode(_ bytes: [UInt8], _ format: Image.PixelFormat) throws -> Image {
        try ImageDecoder(options: DecodeOptions(pixelFormat: format)).decode(bytes)
    }

    func value(_ x: Int, _ y: Int, _ c: Int) -> Int { (x * 7 + y * 11 + c * 50) % 256 }

    @Test func gray8() throws {
        let samples = (0 ..< width * height).map { UInt8(value($0 % width, $0 / width, 0)) }
        let png = try encode(samples, colorType: .gray, bitDepth: 8)
        let gray = try decode(png, .gray8)
        let rgb = try decode(png, .rgb8)
        for y in 0 ..< height {
            for x in 0 ..< width {
                #expect(Int(gray[x, y]) == value(x, y, 0))
                for c in 0 ..< 3 { #expect(Int(rgb[x, y, c]) == value(x, y, 0)) }
            }
        }
    }

    @Test func rgb8ToGrayUsesLuminanceWeights() throws {
        var samples = [UInt8]()
        for y in 0 ..< height { for x in 0 ..< width { for c in 0 ..< 3 { samples.append(UInt8(value(x, y, c))) } } }
        let png = try encode(samples, colorType: .rgb, bitDepth: 8)
        let rgb = try decode(png, .rgb8)
        let gray = try decode(png, .gray8)
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< 3 { #expect(Int(rgb[x, y, c]) == value(x, y, c)) }
                // Rec. 709 luma, libpng's default weights.
                let luma = 0.2126 * Double(value(x, y, 0)) + 0.7152 * Double(value(x, y, 1)) + 0.0722 * Double(value(x, y, 2))
                #expect(abs(Double(gray[x, y]) - luma) <= 1.5)
            }
        }
    }

    @Test func rgbaIsCompositedOntoPaper() throws {
        var samples = [UInt8]()
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< 3 { samples.append(UInt8(value(x, y, c))) }
                samples.append(UInt8((x * 255) / (width - 1))) // alpha from 0 (left) to 255 (right)
            }
        }
        let rgb = try decode(try encode(samples, colorType: .rgba, bitDepth: 8), .rgb8)
        for y in 0 ..< height {
            for x in 0 ..< width {
                let alpha = Double((x * 255) / (width - 1)) / 255
                for c in 0 ..< 3 {
                    let expected = Double(value(x, y, c)) * alpha + 255 * (1 - alpha)
                    #expect(abs(Double(rgb[x, y, c]) - expected) <= 1)
                }
            }
        }
    }

    @Test func paletteExpandsToItsColours() throws {
        let palette: [UInt8] = [0, 0, 0, 255, 0, 0, 0, 128, 255, 250, 250, 240]
        let indices = (0 ..< width * height).map { UInt8($0 % 4) }
        let rgb = try decode(try encode(indices, colorType: .palette, bitDepth: 8, palette: palette), .rgb8)
        for y in 0 ..< height {
            for x in 0 ..< width {
                let index = (y * width + x) % 4
                for c in 0 ..< 3 { #expect(rgb[x, y, c] == palette[index * 3 + c]) }
            }
        }
    }

    @Test(arguments: [_Shim.PNGColorType.gray, .rgb])
    func sixteenBitScalesToEightBits(colorType: _Shim.PNGColorType) throws {
        var samples = [UInt8]()
        func sample16(_ x: Int, _ y: Int, _ c: Int) -> Int { (x * 1777 + y * 911 + c * 20_000) % 65_536 }
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< colorType.samples {
                    let v = sample16(x, y, c)
                    samples += [UInt8(v >> 8), UInt8(v & 0xFF)] // big-endian, as PNG stores it
                }
            }
        }
        let format: Image.PixelFormat = colorType == .gray ? .gray8 : .rgb8
        let image = try decode(try encode(samples, colorType: colorType, bitDepth: 16), format)
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< colorType.samples {
                    let expected = Double(sample16(x, y, c)) / 257
                    #expect(abs(Double(image[x, y, c]) - expected) <= 1)
                }
            }
        }
    }

    @Test func interlacedDecodesLikeProgressiveOrder() throws {
        var samples = [UInt8]()
        for y in 0 ..< height { for x in 0 ..< width { for c in 0 ..< 3 { samples.append(UInt8(value(x, y, c))) } } }
        let interlaced = try samples.withUnsafeBytes { raw in
            try _Shim.pngEncode(raw, width: width, height: height, stride: width * 3, colorType: .rgb, bitDepth: 8,
                                compression: 6, interlaced: true)
        }
        let header = try interlaced.withUnsafeBytes { try _Shim.pngReadHeader($0) }
        #expect(header.interlaced != 0)
        let rgb = try decode(interlaced, .rgb8)
        #expect(rgb == (try decode(try encode(samples, colorType: .rgb, bitDepth: 8), .rgb8)))
        #expect(rgb[5, 7, 1] == UInt8(value(5, 7, 1)))
    }

    @Test func headerDescribesTheFile() throws {
        let png = try encode([UInt8](repeating: 0, count: width * height * 2), colorType: .grayAlpha, bitDepth: 8)
        let info = try ImageDecoder().info(png)
        #expect(info == ImageInfo(format: .png, width: width, height: height, channels: 2, bitDepth: 8,
                                  orientation: .normal, colorModel: "gray+alpha"))
    }
}
