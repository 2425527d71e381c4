/// An 8-bit image in memory: gray or RGB, interleaved, rows top to bottom.
///
/// Memory layout: the pixel at column `x`, row `y`, channel `c` is the byte at
/// `y * rowStride + x * channels + c` of `storage`. The origin is the top-left corner of the
/// upright image. Rows may carry padding after `width * channels` bytes (when `rowStride` is
/// larger); padding bytes are never part of the image and are not compared by `==`.
///
/// `Image` is a value type with copy-on-write storage. A decoder can write into an existing
/// image's storage to avoid an allocation per photo (see `ImageDecoder.decode(_:into:)`).
public struct Image: Sendable {
    /// How many 8-bit channels a pixel has, and what they mean.
    public enum PixelFormat: Int, Sendable, Codable, CustomStringConvertible {
        /// One channel: luminance.
        case gray8 = 1
        /// Three channels: red, green, blue.
        case rgb8 = 3

        /// Bytes per pixel.
        public var channels: Int { rawValue }

        public var description: String { self == .gray8 ? "gray" : "rgb" }
    }

    /// Width in pixels.
    public private(set) var width: Int
    /// Height in pixels.
    public private(set) var height: Int
    /// The pixel format.
    public private(set) var format: PixelFormat
    /// Bytes from the start of one row to the start of the next; at least `width * channels`.
    public private(set) var rowStride: Int
    /// The bytes, `rowStride * height` of them or more (a reused buffer may be larger).
    public package(set) var storage: [UInt8]

    /// Bytes per pixel.
    public var channels: Int { format.channels }

    /// Whether the image has no pixels.
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// An image with no pixels; a starting point for `ImageDecoder.decode(_:into:)`.
    public init() {
        width = 0
        height = 0
        format = .gray8
        rowStride = 0
        storage = []
    }

    /// An image filled with one value in every channel.
    ///
    /// - Parameters:
    ///   - width: Width in pixels, at least 0.
    ///   - height: Height in pixels, at least 0.
    ///   - format: Gray or RGB.
    ///   - rowAlignment: Rows start at multiples of this many bytes (a power of two). 1 packs
    ///     rows tightly.
    ///   - fill: The value of every byte.
    public init(width: Int, height: Int, format: PixelFormat = .gray8, rowAlignment: Int = 1,
                fill: UInt8 = 0) {
        precondition(width >= 0 && height >= 0, "image size must not be negative")
        let stride = Image.rowStride(width: width, format: format, alignment: rowAlignment)
        self.width = width
        self.height = height
        self.format = format
        self.rowStride = stride
        self.storage = [UInt8](repeating: fill, count: stride * height)
    }

    /// An image filled with one colour: `color` holds one byte per channel.
    public init(width: Int, height: Int, color: [UInt8]) {
        precondition(color.count == 1 || color.count == 3, "a colour has 1 or 3 channels")
        let format: PixelFormat = color.count == 1 ? .gray8 : .rgb8
        var row = [UInt8]()
        row.reserveCapacity(width * color.count)
        for _ in 0 ..< width { row += color }
        var bytes = [UInt8]()
        bytes.reserveCapacity(row.count * height)
        for _ in 0 ..< height { bytes += row }
        self.init(width: width, height: height, format: format, pixels: bytes)
    }

    /// An image over existing bytes.
    ///
    /// - Precondition: `pixels.count >= rowStride * height` and `rowStride >= width * channels`.
    public init(width: Int, height: Int, format: PixelFormat, rowStride: Int? = nil,
                pixels: [UInt8]) {
        let stride = rowStride ?? width * format.channels
        precondition(width >= 0 && height >= 0 && stride >= width * format.channels,
                     "invalid image geometry")
        precondition(pixels.count >= stride * height, "not enough bytes for the image")
        self.width = width
        self.height = height
        self.format = format
        self.rowStride = stride
        self.storage = pixels
    }

    /// The row stride for a width, format and alignment: `width * channels` rounded up to a
    /// multiple of `alignment`.
    public static func rowStride(width: Int, format: PixelFormat, alignment: Int) -> Int {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0,
                     "row alignment must be a power of two")
        let packed = width * format.channels
        return (packed + alignment - 1) & ~(alignment - 1)
    }

    /// Reshapes the image, keeping its storage when it is large enough.
    ///
    /// The pixel values afterwards are unspecified. This is how decoders reuse a caller's buffer.
    mutating func reshape(width: Int, height: Int, format: PixelFormat, rowAlignment: Int) {
        let stride = Image.rowStride(width: width, format: format, alignment: rowAlignment)
        let needed = stride * height
        if storage.count < needed {
            // Not zero-filled: every caller overwrites every pixel, and a 12 MP memset is ~1 ms.
            storage = [UInt8](unsafeUninitializedCapacity: needed) { _, count in count = needed }
        }
        self.width = width
        self.height = height
        self.format = format
        self.rowStride = stride
    }

    /// The value of one channel of one pixel.
    ///
    /// - Precondition: the coordinates lie inside the image.
    public subscript(x: Int, y: Int, channel: Int = 0) -> UInt8 {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0
                         && channel < channels, "pixel index out of range")
            return storage[y * rowStride + x * channels + channel]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0
                         && channel < channels, "pixel index out of range")
            storage[y * rowStride + x * channels + channel] = newValue
        }
    }

    /// The bytes of row `y`, without padding.
    public func row(_ y: Int) -> ArraySlice<UInt8> {
        precondition(y >= 0 && y < height, "row out of range")
        let start = y * rowStride
        return storage[start ..< start + width * channels]
    }

    /// The same pixels with tightly packed rows (`rowStride == width * channels`).
    public func packed() -> Image {
        if rowStride == width * channels && storage.count == rowStride * height { return self }
        var bytes = [UInt8]()
        bytes.reserveCapacity(width * channels * height)
        for y in 0 ..< height { bytes.append(contentsOf: row(y)) }
        return Image(width: width, height: height, format: format, pixels: bytes)
    }
}

extension Image: Equatable {
    /// Two images are equal when they have the same size, format and pixel values; row padding
    /// and spare storage are ignored.
    public static func == (lhs: Image, rhs: Image) -> Bool {
        guard lhs.width == rhs.width, lhs.height == rhs.height, lhs.format == rhs.format else {
            return false
        }
        for y in 0 ..< lhs.height where lhs.row(y) != rhs.row(y) { return false }
        return true
    }
}
