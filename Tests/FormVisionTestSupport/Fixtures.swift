import Foundation
import FormVision
import FormVisionTraining

/// Test inputs built in code: synthetic images, encoded files, damaged and forged variants.
public enum Fixtures {
    /// A deterministic image with smooth gradients and a few hard edges, like a photo of paper.
    ///
    /// Every pixel is a function of (x, y, channel), so any two calls agree exactly.
    public static func scene(width: Int, height: Int, format: Image.PixelFormat = .gray8) -> Image {
        var image = Image(width: width, height: height, format: format)
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< format.channels {
                    let gradient = 40 + 150 * Double(x + y) / Double(width + height)
                    let wave = 25 * sin(Double(x) / 23 + Double(c)) * cos(Double(y) / 17)
                    let box = (x / 40 + y / 40) % 5 == 0 ? -30.0 : 0
                    let value = gradient + wave + box + Double(c * 12)
                    image[x, y, c] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
        return image
    }

    /// An image whose 8×8 blocks all differ, so any flip or rotation changes it visibly.
    public static func blocks(width: Int, height: Int) -> Image {
        var image = Image(width: width, height: height, format: .gray8)
        for y in 0 ..< height {
            for x in 0 ..< width {
                image[x, y] = UInt8((x / 8 * 37 + y / 8 * 91) % 200 + 30)
            }
        }
        return image
    }

    /// A box-filter reduction by a whole factor, in the plainest Swift: the reference that reduced
    /// decodes and `Image.boxReduced(by:)` are compared with. Output pixel (x, y) averages the
    /// input block from (factor·x, factor·y), clipped at the right and bottom edges.
    public static func boxReduce(_ image: Image, factor: Int) -> Image {
        let width = (image.width + factor - 1) / factor, height = (image.height + factor - 1) / factor
        var out = Image(width: width, height: height, format: image.format)
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< image.channels {
                    var sum = 0, count = 0
                    for sy in y * factor ..< min(image.height, (y + 1) * factor) {
                        for sx in x * factor ..< min(image.width, (x + 1) * factor) {
                            sum += Int(image[sx, sy, c])
                            count += 1
                        }
                    }
                    out[x, y, c] = UInt8((sum + count / 2) / count)
                }
            }
        }
        return out
    }

    /// The mean absolute difference of two images of the same size and format.
    public static func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
        precondition(a.width == b.width && a.height == b.height && a.format == b.format)
        var total = 0
        for y in 0 ..< a.height {
            for (p, q) in zip(a.row(y), b.row(y)) { total += abs(Int(p) - Int(q)) }
        }
        return Double(total) / Double(a.width * a.height * a.channels)
    }

    /// The largest absolute difference of two images of the same size and format.
    public static func maxAbsoluteDifference(_ a: Image, _ b: Image) -> Int {
        precondition(a.width == b.width && a.height == b.height && a.format == b.format)
        var largest = 0
        for y in 0 ..< a.height {
            for (p, q) in zip(a.row(y), b.row(y)) { largest = max(largest, abs(Int(p) - Int(q))) }
        }
        return largest
    }

    // MARK: Damaged and forged files

    /// The offset of the first JPEG marker segment `marker` (the byte after 0xFF), if any.
    public static func jpegSegment(_ bytes: [UInt8], marker: UInt8) -> Int? {
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            if bytes[offset + 1] == marker { return offset }
            if bytes[offset + 1] == 0xDA { return nil }
            offset += 2 + (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        return nil
    }

    /// A JPEG whose frame header (SOF0) claims another size; the rest is unchanged.
    public static func forgeJPEGSize(_ bytes: [UInt8], width: Int, height: Int) -> [UInt8] {
        guard let sof = jpegSegment(bytes, marker: 0xC0) else { fatalError("no SOF0 segment") }
        var forged = bytes
        forged[sof + 5] = UInt8(height >> 8); forged[sof + 6] = UInt8(height & 0xFF)
        forged[sof + 7] = UInt8(width >> 8); forged[sof + 8] = UInt8(width & 0xFF)
        return forged
    }

    /// A PNG whose IHDR claims another size, with a correct CRC so only the size is wrong.
    public static func forgePNGSize(_ bytes: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var forged = bytes
        // Signature (8), length (4), "IHDR" (4), then width and height; the CRC covers type+data.
        func put(_ value: UInt32, at offset: Int) {
            for i in 0 ..< 4 { forged[offset + i] = UInt8(value >> (24 - 8 * UInt32(i)) & 0xFF) }
        }
        put(width, at: 16)
        put(height, at: 20)
        put(CRC32.checksum(Array(forged[12 ..< 29])), at: 29)
        return forged
    }

    /// The offset of the data of the first PNG chunk of a type, if any.
    public static func pngChunk(_ bytes: [UInt8], type: String) -> (data: Int, length: Int)? {
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
            if String(decoding: bytes[offset + 4 ..< offset + 8], as: UTF8.self) == type {
                return (offset + 8, length)
            }
            offset += 12 + length
        }
        return nil
    }

    // MARK: Files

    /// The repository's root folder (tests read the setup script's data from it).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// digits.png as scripts/setup.sh extracts it.
    public static var digitsPath: String { repositoryRoot.appendingPathComponent(".formvision-data/digits.png").path }

    /// A new empty directory under the system's temporary directory.
    public static func temporaryDirectory(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("formvision-tests-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes bytes to a file and returns its path.
    @discardableResult
    public static func write(_ bytes: [UInt8], to directory: URL, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}
