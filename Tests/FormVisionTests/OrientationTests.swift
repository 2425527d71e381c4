import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// EXIF orientation: read from the file, applied by the shim exactly as the Swift reference maps.
@Suite struct OrientationTests {
    /// Applies an orientation with the pure-Swift reference mapping.
    static func reference(_ stored: Image, _ orientation: Orientation) -> Image {
        let (w, h) = orientation.swapsDimensions ? (stored.height, stored.width) : (stored.width, stored.height)
        var upright = Image(width: w, height: h, format: stored.format)
        for y in 0 ..< stored.height {
            for x in 0 ..< stored.width {
                let p = orientation.uprightPosition(x: x, y: y, width: stored.width, height: stored.height)
                for c in 0 ..< stored.channels { upright[p.x, p.y, c] = stored[x, y, c] }
            }
        }
        return upright
    }

    @Test(arguments: Orientation.allCases)
    func jpegOrientationIsReadAndApplied(orientation: Orientation) throws {
        let stored = Fixtures.blocks(width: 72, height: 40)
        let jpeg = try ImageEncoder.jpeg(stored, quality: 95, orientation: orientation)

        let info = try ImageDecoder().info(jpeg)
        #expect(info.orientation == orientation)
        #expect(info.width == 72 && info.height == 40)
        #expect(info.uprightWidth == (orientation.swapsDimensions ? 40 : 72))

        let raw = try ImageDecoder(options: DecodeOptions(appliesOrientation: false)).decode(jpeg)
        let upright = try ImageDecoder().decode(jpeg)
        #expect(upright == Self.reference(raw, orientation))
    }

    @Test(arguments: Orientation.allCases)
    func orientationWithReductionAndRGB(orientation: Orientation) throws {
        let stored = Fixtures.scene(width: 96, height: 64, format: .rgb8)
        let jpeg = try ImageEncoder.jpeg(stored, quality: 90, orientation: orientation)
        let options = DecodeOptions(pixelFormat: .rgb8, reduction: .quarter, rowAlignment: 16)
        let upright = try ImageDecoder(options: options).decode(jpeg)
        var rawOptions = options
        rawOptions.appliesOrientation = false
        let raw = try ImageDecoder(options: rawOptions).decode(jpeg)
        #expect(upright == Self.reference(raw, orientation))
        #expect(upright.rowStride % 16 == 0)
    }

    @Test func referenceMappingIsABijection() {
        for orientation in Orientation.allCases {
            var seen = Set<Int>()
            for y in 0 ..< 5 {
                for x in 0 ..< 7 {
                    let p = orientation.uprightPosition(x: x, y: y, width: 7, height: 5)
                    let w = orientation.swapsDimensions ? 5 : 7
                    seen.insert(p.y * w + p.x)
                }
            }
            #expect(seen.count == 35)
        }
    }

    @Test func damagedEXIFMeansNoOrientationNotAnError() throws {
        let stored = Fixtures.blocks(width: 32, height: 24)
        var jpeg = try ImageEncoder.jpeg(stored, quality: 90, orientation: .rotate90)
        let app1 = try #require(Fixtures.jpegSegment(jpeg, marker: 0xE1))
        jpeg[app1 + 10] = 0x58 // break the TIFF byte-order mark ("MM" -> "XM")
        let image = try ImageDecoder().decode(jpeg)
        #expect(image.width == 32 && image.height == 24)
        #expect(try ImageDecoder().info(jpeg).orientation == .normal)
    }

    /// Random damage anywhere in the first bytes (markers, EXIF, tables) gives a typed error or
    /// an image, and never a crash.
    @Test func randomHeaderDamageNeverCrashes() throws {
        let jpeg = try ImageEncoder.jpeg(Fixtures.blocks(width: 48, height: 32), quality: 80, orientation: .rotate270)
        var generator = SeededGenerator(seed: 7)
        var outcomes = (images: 0, errors: 0)
        for _ in 0 ..< 300 {
            var damaged = jpeg
            for _ in 0 ..< 3 {
                damaged[Int.random(in: 0 ..< min(400, damaged.count), using: &generator)] = UInt8.random(in: 0 ... 255, using: &generator)
            }
            do {
                let image = try ImageDecoder().decode(damaged)
                #expect(!image.isEmpty)
                outcomes.images += 1
            } catch {
                outcomes.errors += 1
            }
        }
        #expect(outcomes.images + outcomes.errors == 300)
        #expect(outcomes.errors > 0)
    }
}
