/// What an image file says about itself, read from its header without decoding the pixels.
public struct ImageInfo: Sendable, Equatable, Codable {
    /// The encoded format.
    public var format: ImageFormat
    /// Width of the stored pixels, before orientation is applied.
    public var width: Int
    /// Height of the stored pixels, before orientation is applied.
    public var height: Int
    /// Channels in the file: 1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha (or CMYK for JPEG).
    public var channels: Int
    /// Bits per sample in the file (8 for JPEG; 1–16 for PNG).
    public var bitDepth: Int
    /// The EXIF orientation (JPEG only; `.normal` when absent).
    public var orientation: Orientation
    /// A short description of the colour model: "gray", "rgb", "palette", "gray+alpha", "rgba",
    /// "ycbcr", "cmyk".
    public var colorModel: String

    /// Width of the upright picture (after orientation).
    public var uprightWidth: Int { orientation.swapsDimensions ? height : width }
    /// Height of the upright picture (after orientation).
    public var uprightHeight: Int { orientation.swapsDimensions ? width : height }
}

/// How an image is decoded.
public struct DecodeOptions: Sendable, Equatable {
    /// How much smaller than the stored image to decode, by a whole factor.
    ///
    /// For JPEG the reduction happens inside the inverse DCT, so a reduced decode is also much
    /// faster. For PNG the full image is decoded and then shrunk by block averaging
    /// (`Image.boxReduced(by:)`). Either way the result is ceil(width / factor) ×
    /// ceil(height / factor), and output pixel (x, y) covers input pixels from factor·x and
    /// factor·y on.
    public enum Reduction: Int, Sendable, Codable, CaseIterable {
        case none = 1
        case half = 2
        case quarter = 4
        case eighth = 8

        /// The divisor.
        public var factor: Int { rawValue }

        /// The reduced length of a side: ceil(length / factor), as libjpeg computes it.
        public func reduce(_ length: Int) -> Int { (length + rawValue - 1) / rawValue }
    }

    /// The pixel format of the result. Default gray: the whole pipeline works on gray.
    public var pixelFormat: Image.PixelFormat
    /// The reduction. Default none.
    public var reduction: Reduction
    /// Whether to turn the picture upright according to its EXIF orientation. Default true:
    /// phone photos rely on it.
    public var appliesOrientation: Bool
    /// Rows of the result start at multiples of this many bytes (a power of two). Default 1.
    public var rowAlignment: Int
    /// The paper colour that transparent PNG pixels are composited onto. Default 255 (white).
    public var background: UInt8
    /// Size limits, checked from the header before anything is allocated.
    public var limits: ImageLimits

    public init(pixelFormat: Image.PixelFormat = .gray8, reduction: Reduction = .none,
                appliesOrientation: Bool = true, rowAlignment: Int = 1, background: UInt8 = 255,
                limits: ImageLimits = .default) {
        self.pixelFormat = pixelFormat
        self.reduction = reduction
        self.appliesOrientation = appliesOrientation
        self.rowAlignment = rowAlignment
        self.background = background
        self.limits = limits
    }
}

/// Decodes JPEG and PNG images into `Image` values.
///
/// Decoding is strict: a file that is cut short, damaged, larger than the limits or of another
/// format throws an `ImageError`; a partly decoded image is never returned. The pixels are
/// written straight into the result's storage, with no intermediate copy, except where an EXIF
/// rotation or a PNG reduction needs a second buffer.
///
/// A decoder holds only its options, so one decoder can be shared by many threads.
public struct ImageDecoder: Sendable {
    /// The options every decode uses.
    public var options: DecodeOptions

    public init(options: DecodeOptions = DecodeOptions()) {
        self.options = options
    }

    // MARK: Formats and headers

    /// The format the first bytes announce.
    ///
    /// - Throws: `.emptyData`; `.truncatedData` when the data is a prefix of a signature;
    ///   `.unknownFormat` otherwise.
    public static func detectFormat(_ bytes: UnsafeRawBufferPointer) throws(ImageError) -> ImageFormat {
        if bytes.isEmpty { throw .emptyData }
        let signatures: [(ImageFormat, [UInt8])] = [
            (.jpeg, [0xFF, 0xD8, 0xFF]),
            (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ]
        for (format, signature) in signatures {
            if bytes.starts(with: signature) { return format }
            if bytes.count < signature.count, signature.starts(with: bytes) {
                throw .truncatedData(format: format, detail: "only \(bytes.count) bytes")
            }
        }
        throw .unknownFormat
    }

    /// Reads an image's header: format, size, channels, orientation.
    ///
    /// Cheap: reads no pixel data. It does not prove the rest of the file is intact; only a
    /// decode does. The size is checked against the limits.
    public func info(_ bytes: UnsafeRawBufferPointer) throws(ImageError) -> ImageInfo {
        let header = try Header(bytes, reduction: .none)
        try options.limits.check(width: header.width, height: header.height)
        return header.info
    }

    /// Reads the header of an image in a byte array. See `info(_:)` for a raw buffer.
    public func info(_ bytes: [UInt8]) throws(ImageError) -> ImageInfo {
        try withBytes(bytes) { raw throws(ImageError) in try info(raw) }
    }

    /// Reads the header of an image file. See `info(_:)` for a raw buffer.
    public func info(contentsOfFile path: String) throws(ImageError) -> ImageInfo {
        try info(try readFile(path))
    }

    /// The bytes of an image file, refused before reading when larger than
    /// `options.limits.maxFileBytes`: for callers that both inspect and decode a file.
    ///
    /// - Throws: `.fileNotFound`, `.unreadableFile`, `.fileTooLarge`.
    public func readFile(_ path: String) throws(ImageError) -> [UInt8] {
        try FileBytes.read(path, limit: options.limits.maxFileBytes)
    }

    // MARK: Decoding

    /// Decodes an image held in memory.
    ///
    /// - Returns: The upright (when `appliesOrientation`), reduced image in `options.pixelFormat`.
    /// - Throws: `ImageError`: `.emptyData`, `.unknownFormat`, `.truncatedData`, `.corruptData`,
    ///   `.unsupported`, `.imageTooLarge`, `.invalidDimensions`, `.outOfMemory`.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(ImageError) -> Image {
        var image = Image()
        try decode(bytes, into: &image)
        return image
    }

    /// Decodes an image in a byte array.
    public func decode(_ bytes: [UInt8]) throws(ImageError) -> Image {
        try withBytes(bytes) { raw throws(ImageError) in try decode(raw) }
    }

    /// Decodes an image file.
    ///
    /// - Throws: `.fileNotFound`, `.unreadableFile`, `.fileTooLarge`, and every error of
    ///   `decode(_:)`.
    public func decode(contentsOfFile path: String) throws(ImageError) -> Image {
        try decode(try readFile(path))
    }

    /// Decodes into an existing image, reusing its storage when it is large enough.
    ///
    /// For batch work: decode every photo into the same `Image` and no pixel buffer is allocated
    /// after the first (as long as later photos are no larger). On failure `image` becomes empty
    /// (0×0) but keeps its storage, so no partly decoded pixels are ever visible.
    public func decode(_ bytes: UnsafeRawBufferPointer, into image: inout Image) throws(ImageError) {
        do {
            try decodeUnchecked(bytes, into: &image)
        } catch {
            image.reshape(width: 0, height: 0, format: options.pixelFormat, rowAlignment: 1)
            throw error
        }
    }

    private func decodeUnchecked(_ bytes: UnsafeRawBufferPointer, into image: inout Image) throws(ImageError) {
        let header = try Header(bytes, reduction: options.reduction)
        try options.limits.check(width: header.width, height: header.height)
        let orientation = options.appliesOrientation ? header.info.orientation : .normal
        let format = options.pixelFormat
        let alignment = options.rowAlignment
        let (width, height) = (header.scaledWidth, header.scaledHeight)
        let (uprightWidth, uprightHeight) = orientation.swapsDimensions ? (height, width) : (width, height)

        switch (header.info.format, orientation, options.reduction) {
        case (.jpeg, .normal, _):
            image.reshape(width: width, height: height, format: format, rowAlignment: alignment)
            try decodeJPEG(bytes, into: &image)
        case (.jpeg, _, _):
            var stored = Image()
            stored.reshape(width: width, height: height, format: format, rowAlignment: 1)
            try decodeJPEG(bytes, into: &stored)
            image.reshape(width: uprightWidth, height: uprightHeight, format: format, rowAlignment: alignment)
            try _Shim.orient(stored, orientation: orientation.rawValue, into: &image)
        case (.png, _, .none):
            image.reshape(width: width, height: height, format: format, rowAlignment: alignment)
            try decodePNG(bytes, into: &image)
        case (.png, _, _):
            var full = Image()
            full.reshape(width: header.info.width, height: header.info.height, format: format, rowAlignment: 1)
            try decodePNG(bytes, into: &full)
            let reduced = full.boxReduced(by: options.reduction.factor)
            image.reshape(width: width, height: height, format: format, rowAlignment: alignment)
            for y in 0 ..< height {
                let start = y * image.rowStride
                image.storage.replaceSubrange(start ..< start + reduced.rowStride, with: reduced.row(y))
            }
        }
    }

    private func decodeJPEG(_ bytes: UnsafeRawBufferPointer, into image: inout Image) throws(ImageError) {
        let (width, height, stride, channels) = (image.width, image.height, image.rowStride, image.channels)
        let reduction = options.reduction.factor
        try withMutableBytes(&image.storage) { pixels throws(ImageError) in
            try _Shim.jpegDecode(bytes, reduction: reduction, into: pixels, width: width, height: height,
                                 stride: stride, channels: channels)
        }
    }

    private func decodePNG(_ bytes: UnsafeRawBufferPointer, into image: inout Image) throws(ImageError) {
        let (width, height, stride, channels) = (image.width, image.height, image.rowStride, image.channels)
        let background = options.background
        try withMutableBytes(&image.storage) { pixels throws(ImageError) in
            try _Shim.pngDecode(bytes, background: background, into: pixels, width: width, height: height,
                                stride: stride, channels: channels)
        }
    }
}

/// Everything read from a header that decoding needs.
private struct Header {
    var info: ImageInfo
    var scaledWidth: Int
    var scaledHeight: Int

    var width: Int { info.width }
    var height: Int { info.height }

    init(_ bytes: UnsafeRawBufferPointer, reduction: DecodeOptions.Reduction) throws(ImageError) {
        switch try ImageDecoder.detectFormat(bytes) {
        case .jpeg:
            let jpeg = try _Shim.jpegReadHeader(bytes, reduction: reduction.factor)
            let model = switch jpeg.components { case 1: "gray"; case 3: "ycbcr"; case 4: "cmyk"; default: "other" }
            info = ImageInfo(format: .jpeg, width: Int(jpeg.width), height: Int(jpeg.height),
                             channels: Int(jpeg.components), bitDepth: 8,
                             orientation: EXIF.orientation(inJPEG: bytes) ?? .normal, colorModel: model)
            scaledWidth = Int(jpeg.scaled_width)
            scaledHeight = Int(jpeg.scaled_height)
        case .png:
            let png = try _Shim.pngReadHeader(bytes)
            let transparent = png.has_transparency != 0
            let (channels, model): (Int, String) = switch _Shim.PNGColorType(rawValue: png.color_type) {
            case .gray: transparent ? (2, "gray+alpha") : (1, "gray")
            case .rgb: transparent ? (4, "rgba") : (3, "rgb")
            case .palette: (transparent ? 4 : 3, "palette")
            case .grayAlpha: (2, "gray+alpha")
            case .rgba, nil: (4, "rgba")
            }
            info = ImageInfo(format: .png, width: Int(png.width), height: Int(png.height), channels: channels,
                             bitDepth: Int(png.bit_depth), orientation: .normal, colorModel: model)
            scaledWidth = reduction.reduce(Int(png.width))
            scaledHeight = reduction.reduce(Int(png.height))
        }
    }
}
