/// Encodes images as PNG (lossless, for debug images) or JPEG (for simulated photos).
public enum ImageEncoder {
    /// Encodes an image as an 8-bit gray or RGB PNG.
    ///
    /// - Parameters:
    ///   - image: A non-empty image.
    ///   - compression: zlib's level, 0 (none, fastest) to 9 (smallest). Default 6.
    /// - Throws: `.invalidImage` for an empty image or a level out of range.
    public static func png(_ image: Image, compression: Int = 6) throws(ImageError) -> [UInt8] {
        guard !image.isEmpty else { throw .invalidImage(reason: "an empty image cannot be encoded") }
        guard (0 ... 9).contains(compression) else {
            throw .invalidImage(reason: "PNG compression must be 0 to 9, not \(compression)")
        }
        let colorType: _Shim.PNGColorType = image.format == .gray8 ? .gray : .rgb
        return try withBytes(image.storage) { pixels throws(ImageError) in
            try _Shim.pngEncode(pixels, width: image.width, height: image.height, stride: image.rowStride,
                                colorType: colorType, bitDepth: 8, compression: compression)
        }
    }

    /// Encodes an image as a baseline JPEG, optionally with an EXIF orientation tag.
    ///
    /// - Parameters:
    ///   - image: A non-empty image, at most 65500 pixels a side.
    ///   - quality: libjpeg's quality, 1–100. Default 90. Phones write about 85–95.
    ///   - orientation: Written as EXIF when not `.normal`, as a phone does when it stores the
    ///     sensor's pixels of a rotated photo.
    /// - Throws: `.invalidImage` for an empty or oversized image or a quality out of range.
    public static func jpeg(_ image: Image, quality: Int = 90,
                            orientation: Orientation = .normal) throws(ImageError) -> [UInt8] {
        guard !image.isEmpty, image.width <= 65_500, image.height <= 65_500 else {
            throw .invalidImage(reason: "JPEG needs 1 to 65500 pixels a side, not \(image.width)×\(image.height)")
        }
        guard (1 ... 100).contains(quality) else {
            throw .invalidImage(reason: "JPEG quality must be 1 to 100, not \(quality)")
        }
        let app1 = orientation == .normal ? [] : EXIF.app1Payload(orientation: orientation)
        return try withBytes(image.storage) { pixels throws(ImageError) in
            try _Shim.jpegEncode(pixels, width: image.width, height: image.height, stride: image.rowStride,
                                 channels: image.channels, quality: quality, app1: app1)
        }
    }
}
