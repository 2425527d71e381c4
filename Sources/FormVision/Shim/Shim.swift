import CFormVisionShim

/// The one Swift wrapper for each function of the C shim.
///
/// Each wrapper checks nothing the C function checks itself; it passes buffers with explicit
/// sizes and strides, and turns the C status into an `ImageError` in one place, `check`.
/// Nothing outside this file calls the shim.
enum _Shim {
    /// PNG colour types, as in the IHDR chunk (mirrors `fv_png_color_type`).
    enum PNGColorType: Int32 {
        case gray = 0
        case rgb = 2
        case palette = 3
        case grayAlpha = 4
        case rgba = 6

        /// Samples per pixel.
        var samples: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    /// Turns a shim status into a thrown error.
    ///
    /// - Parameter format: The format being decoded, for the error; nil for operations on pixels.
    static func check(_ status: fv_status, _ error: fv_error, format: ImageFormat?) throws(ImageError) {
        if status == FV_OK { return }
        let message = withUnsafeBytes(of: error.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch (status, format) {
        case (FV_ERR_TRUNCATED, let format?): throw .truncatedData(format: format, detail: message)
        case (FV_ERR_CORRUPT, let format?): throw .corruptData(format: format, detail: message)
        case (FV_ERR_UNSUPPORTED, let format?): throw .unsupported(format: format, detail: message)
        case (FV_ERR_NO_MEMORY, _): throw .outOfMemory(detail: message)
        default: throw .internalFailure(detail: message.isEmpty ? "shim status \(status.rawValue)" : message)
        }
    }

    /// Base address of a byte buffer as the shim wants it; never nil for an empty buffer.
    private static func base(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
            ?? UnsafePointer(bitPattern: 1)!
    }

    // MARK: JPEG

    /// The corresponding C function is `fv_jpeg_read_header`.
    static func jpegReadHeader(_ bytes: UnsafeRawBufferPointer, reduction: Int) throws(ImageError) -> fv_jpeg_info {
        var info = fv_jpeg_info()
        var error = fv_error()
        let status = fv_jpeg_read_header(base(bytes), bytes.count, Int32(reduction), &info, &error)
        try check(status, error, format: .jpeg)
        return info
    }

    /// The corresponding C function is `fv_jpeg_decode`.
    static func jpegDecode(_ bytes: UnsafeRawBufferPointer, reduction: Int, into pixels: UnsafeMutableRawBufferPointer,
                           width: Int, height: Int, stride: Int, channels: Int) throws(ImageError) {
        precondition(pixels.count >= stride * height)
        var error = fv_error()
        let status = fv_jpeg_decode(base(bytes), bytes.count, Int32(reduction), Int32(channels),
                                    pixels.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                    Int32(width), Int32(height), stride, &error)
        try check(status, error, format: .jpeg)
    }

    /// The corresponding C function is `fv_jpeg_encode`.
    static func jpegEncode(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int, channels: Int,
                           quality: Int, app1: [UInt8]) throws(ImageError) -> [UInt8] {
        var error = fv_error()
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        let status = app1.withUnsafeBufferPointer { segment in
            fv_jpeg_encode(base(pixels), Int32(width), Int32(height), stride, Int32(channels),
                           Int32(quality), segment.baseAddress, segment.count, &output, &size, &error)
        }
        try check(status, error, format: nil)
        defer { fv_buffer_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    // MARK: PNG

    /// The corresponding C function is `fv_png_read_header`.
    static func pngReadHeader(_ bytes: UnsafeRawBufferPointer) throws(ImageError) -> fv_png_info {
        var info = fv_png_info()
        var error = fv_error()
        let status = fv_png_read_header(base(bytes), bytes.count, &info, &error)
        try check(status, error, format: .png)
        return info
    }

    /// The corresponding C function is `fv_png_decode`.
    static func pngDecode(_ bytes: UnsafeRawBufferPointer, background: UInt8, into pixels: UnsafeMutableRawBufferPointer,
                          width: Int, height: Int, stride: Int, channels: Int) throws(ImageError) {
        precondition(pixels.count >= stride * height)
        var error = fv_error()
        let status = fv_png_decode(base(bytes), bytes.count, Int32(channels), Int32(background),
                                   pixels.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                   Int32(width), Int32(height), stride, &error)
        try check(status, error, format: .png)
    }

    /// The corresponding C function is `fv_png_encode`.
    ///
    /// - Parameters:
    ///   - bitDepth: 8 or 16; 16-bit samples are big-endian byte pairs.
    ///   - palette: RGB triples, for `FV_PNG_PALETTE` only.
    static func pngEncode(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                          colorType: PNGColorType, bitDepth: Int, palette: [UInt8] = [],
                          compression: Int) throws(ImageError) -> [UInt8] {
        var error = fv_error()
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        let status = palette.withUnsafeBufferPointer { colors in
            fv_png_encode(base(pixels), Int32(width), Int32(height), stride, colorType.rawValue,
                          Int32(bitDepth), colors.baseAddress, Int32(palette.count / 3),
                          Int32(compression), &output, &size, &error)
        }
        try check(status, error, format: nil)
        defer { fv_buffer_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    // MARK: Pixel operations

    /// The corresponding C function is `fv_orient`.
    static func orient(_ source: Image, orientation: Int, into destination: inout Image) throws(ImageError) {
        var error = fv_error()
        let status = source.storage.withUnsafeBufferPointer { src in
            destination.storage.withUnsafeMutableBufferPointer { dst in
                fv_orient(src.baseAddress, Int32(source.width), Int32(source.height), source.rowStride,
                          Int32(source.channels), Int32(orientation), dst.baseAddress,
                          Int32(destination.width), Int32(destination.height), destination.rowStride, &error)
            }
        }
        try check(status, error, format: nil)
    }

    /// The corresponding C function is `fv_resize_area`.
    static func resizeArea(_ source: Image, into destination: inout Image) throws(ImageError) {
        var error = fv_error()
        let status = source.storage.withUnsafeBufferPointer { src in
            destination.storage.withUnsafeMutableBufferPointer { dst in
                fv_resize_area(src.baseAddress, Int32(source.width), Int32(source.height), source.rowStride,
                               Int32(source.channels), dst.baseAddress, Int32(destination.width),
                               Int32(destination.height), destination.rowStride, &error)
            }
        }
        try check(status, error, format: nil)
    }

    /// The corresponding C function is `fv_opencv_version`.
    static func openCVVersion() -> String { String(cString: fv_opencv_version()) }
}
