import CFormVisionShim

/// The one Swift wrapper for each function of the C shim.
///
/// Each wrapper checks nothing the C function checks itself; it passes buffers with explicit
/// sizes and strides, and turns the C status into an `ImageError` in one place, `check`.
/// Nothing outside this file calls the shim.
package enum _Shim {
    /// PNG colour types, as in the IHDR chunk (mirrors `fv_png_color_type`).
    package enum PNGColorType: Int32 {
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
    package static func check(_ status: fv_status, _ error: fv_error, format: ImageFormat?) throws(ImageError) {
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
    package static func jpegReadHeader(_ bytes: UnsafeRawBufferPointer, reduction: Int) throws(ImageError) -> fv_jpeg_info {
        var info = fv_jpeg_info()
        var error = fv_error()
        let status = fv_jpeg_read_header(base(bytes), bytes.count, Int32(reduction), &info, &error)
        try check(status, error, format: .jpeg)
        return info
    }

    /// The corresponding C function is `fv_jpeg_decode`.
    package static func jpegDecode(_ bytes: UnsafeRawBufferPointer, reduction: Int, into pixels: UnsafeMutableRawBufferPointer,
                           width: Int, height: Int, stride: Int, channels: Int) throws(ImageError) {
        precondition(pixels.count >= stride * height)
        var error = fv_error()
        let status = fv_jpeg_decode(base(bytes), bytes.count, Int32(reduction), Int32(channels),
                                    pixels.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                    Int32(width), Int32(height), stride, &error)
        try check(status, error, format: .jpeg)
    }

    /// The corresponding C function is `fv_jpeg_encode`.
    package static func jpegEncode(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int, channels: Int,
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
    package static func pngReadHeader(_ bytes: UnsafeRawBufferPointer) throws(ImageError) -> fv_png_info {
        var info = fv_png_info()
        var error = fv_error()
        let status = fv_png_read_header(base(bytes), bytes.count, &info, &error)
        try check(status, error, format: .png)
        return info
    }

    /// The corresponding C function is `fv_png_decode`.
    package static func pngDecode(_ bytes: UnsafeRawBufferPointer, background: UInt8, into pixels: UnsafeMutableRawBufferPointer,
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
    package static func pngEncode(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                          colorType: PNGColorType, bitDepth: Int, palette: [UInt8] = [],
                          compression: Int, interlaced: Bool = false) throws(ImageError) -> [UInt8] {
        var error = fv_error()
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        let status = palette.withUnsafeBufferPointer { colors in
            fv_png_encode(base(pixels), Int32(width), Int32(height), stride, colorType.rawValue,
                          Int32(bitDepth), colors.baseAddress, Int32(palette.count / 3),
                          Int32(compression), interlaced ? 1 : 0, &output, &size, &error)
        }
        try check(status, error, format: nil)
        defer { fv_buffer_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    // MARK: Pixel operations

    /// The corresponding C function is `fv_orient`.
    package static func orient(_ source: Image, orientation: Int, into destination: inout Image) throws(ImageError) {
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

    /// Interpolation for resizes and warps (mirrors `fv_interpolation`).
    package enum Interpolation: Int32 {
        case nearest = 0
        case linear = 1
        case cubic = 2
        case area = 3
    }

    /// Runs a C call that reads `source` and writes `destination`.
    private static func transform(
        _ source: Image, into destination: inout Image,
        _ call: (UnsafePointer<UInt8>?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<fv_error>) -> fv_status
    ) throws(ImageError) {
        guard source.format == destination.format, !source.isEmpty, !destination.isEmpty else {
            throw .invalidImage(reason: "source and destination must be non-empty and of one pixel format")
        }
        var error = fv_error()
        let status = source.storage.withUnsafeBufferPointer { src in
            destination.storage.withUnsafeMutableBufferPointer { dst in call(src.baseAddress, dst.baseAddress, &error) }
        }
        try check(status, error, format: nil)
    }

    /// Runs a C call that changes `image` in place.
    private static func inPlace(
        _ image: inout Image, _ call: (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<fv_error>) -> fv_status
    ) throws(ImageError) {
        guard !image.isEmpty else { throw .invalidImage(reason: "the image is empty") }
        var error = fv_error()
        let status = image.storage.withUnsafeMutableBufferPointer { pixels in call(pixels.baseAddress, &error) }
        try check(status, error, format: nil)
    }

    /// The corresponding C function is `fv_resize`.
    package static func resize(_ source: Image, into destination: inout Image, interpolation: Interpolation) throws(ImageError) {
        let (dw, dh, ds) = (Int32(destination.width), Int32(destination.height), destination.rowStride)
        try transform(source, into: &destination) { src, dst, error in
            fv_resize(src, Int32(source.width), Int32(source.height), source.rowStride, Int32(source.channels),
                      interpolation.rawValue, dst, dw, dh, ds, error)
        }
    }

    /// Resizes by area averaging (the right filter for shrinking).
    package static func resizeArea(_ source: Image, into destination: inout Image) throws(ImageError) {
        try resize(source, into: &destination, interpolation: .area)
    }

    /// The corresponding C function is `fv_warp_affine`. `matrix` maps source pixels to destination pixels.
    package static func warpAffine(_ source: Image, matrix: [Double], interpolation: Interpolation, border: UInt8,
                           into destination: inout Image) throws(ImageError) {
        precondition(matrix.count == 6)
        let (dw, dh, ds) = (Int32(destination.width), Int32(destination.height), destination.rowStride)
        try transform(source, into: &destination) { src, dst, error in
            fv_warp_affine(src, Int32(source.width), Int32(source.height), source.rowStride, Int32(source.channels),
                           matrix, interpolation.rawValue, Int32(border), dst, dw, dh, ds, error)
        }
    }

    /// The corresponding C function is `fv_warp_perspective`. `homography` maps source pixels to destination pixels.
    package static func warpPerspective(_ source: Image, homography: Homography, interpolation: Interpolation, border: UInt8,
                                into destination: inout Image) throws(ImageError) {
        let (dw, dh, ds) = (Int32(destination.width), Int32(destination.height), destination.rowStride)
        try transform(source, into: &destination) { src, dst, error in
            fv_warp_perspective(src, Int32(source.width), Int32(source.height), source.rowStride,
                                Int32(source.channels), homography.matrix, interpolation.rawValue, Int32(border),
                                dst, dw, dh, ds, error)
        }
    }

    /// The corresponding C function is `fv_remap`. The maps hold source coordinates for every
    /// destination pixel, row-major, `destination.width` floats a row.
    package static func remap(_ source: Image, mapX: [Float], mapY: [Float], interpolation: Interpolation, border: UInt8,
                      into destination: inout Image) throws(ImageError) {
        let count = destination.width * destination.height
        guard mapX.count >= count, mapY.count >= count else { throw .invalidImage(reason: "remap maps too small") }
        let (dw, dh, ds) = (Int32(destination.width), Int32(destination.height), destination.rowStride)
        let mapStride = destination.width
        try transform(source, into: &destination) { src, dst, error in
            mapX.withUnsafeBufferPointer { mx in
                mapY.withUnsafeBufferPointer { my in
                    fv_remap(src, Int32(source.width), Int32(source.height), source.rowStride, Int32(source.channels),
                             mx.baseAddress, my.baseAddress, mapStride, interpolation.rawValue, Int32(border),
                             dst, dw, dh, ds, error)
                }
            }
        }
    }

    /// The correlation coefficient of `template` with every window of `image` (both gray), as a
    /// row-major array of (image.width − template.width + 1) × (image.height − template.height + 1)
    /// floats. The corresponding C function is `fv_match_template`.
    package static func matchTemplate(_ image: Image, _ template: Image) throws(ImageError) -> (scores: [Float], width: Int, height: Int) {
        guard image.format == .gray8, template.format == .gray8 else { throw .invalidImage(reason: "matchTemplate needs gray images") }
        guard template.width <= image.width, template.height <= image.height, template.width > 0, template.height > 0 else {
            throw .invalidImage(reason: "the template must fit inside the image")
        }
        let (rw, rh) = (image.width - template.width + 1, image.height - template.height + 1)
        var scores = [Float](repeating: 0, count: rw * rh)
        var error = fv_error()
        let status = image.storage.withUnsafeBufferPointer { src in
            template.storage.withUnsafeBufferPointer { t in
                scores.withUnsafeMutableBufferPointer { out in
                    fv_match_template(src.baseAddress, Int32(image.width), Int32(image.height), image.rowStride,
                                      t.baseAddress, Int32(template.width), Int32(template.height), template.rowStride,
                                      out.baseAddress, rw, &error)
                }
            }
        }
        try check(status, error, format: nil)
        return (scores, rw, rh)
    }

    /// The corresponding C function is `fv_gaussian_blur`.
    package static func gaussianBlur(_ image: inout Image, sigma: Double) throws(ImageError) {
        let (w, h, s, c) = (Int32(image.width), Int32(image.height), image.rowStride, Int32(image.channels))
        try inPlace(&image) { pixels, error in fv_gaussian_blur(pixels, pixels, w, h, s, c, sigma, error) }
    }

    /// The corresponding C function is `fv_filter`.
    package static func filter(_ image: inout Image, kernel: [Float], width kernelWidth: Int, height kernelHeight: Int) throws(ImageError) {
        precondition(kernel.count == kernelWidth * kernelHeight)
        let (w, h, s, c) = (Int32(image.width), Int32(image.height), image.rowStride, Int32(image.channels))
        try inPlace(&image) { pixels, error in
            fv_filter(pixels, pixels, w, h, s, c, kernel, Int32(kernelWidth), Int32(kernelHeight), error)
        }
    }

    // MARK: Drawing

    /// The corresponding C function is `fv_draw_line`. `color` has one byte per channel.
    package static func drawLine(_ image: inout Image, from a: Point, to b: Point, thickness: Double, color: [UInt8]) throws(ImageError) {
        precondition(color.count == image.channels)
        let (w, h, s, c) = (Int32(image.width), Int32(image.height), image.rowStride, Int32(image.channels))
        try inPlace(&image) { pixels, error in
            fv_draw_line(pixels, w, h, s, c, a.x, a.y, b.x, b.y, thickness, color, error)
        }
    }

    /// The corresponding C function is `fv_fill_polygon`.
    package static func fillPolygon(_ image: inout Image, _ points: [Point], color: [UInt8]) throws(ImageError) {
        precondition(color.count == image.channels)
        let xy = points.flatMap { [$0.x, $0.y] }
        let (w, h, s, c) = (Int32(image.width), Int32(image.height), image.rowStride, Int32(image.channels))
        try inPlace(&image) { pixels, error in
            fv_fill_polygon(pixels, w, h, s, c, xy, Int32(points.count), color, error)
        }
    }

    /// Fonts (mirrors `fv_font`; add `italic` to a face's raw value for its italic form).
    package enum Font: Int32, CaseIterable {
        case sans = 0
        case sansBold = 1
        case plain = 2
        case serif = 3
        case serifBold = 4
        case script = 5
        case scriptBold = 6

        static let italic: Int32 = 16
    }

    /// The corresponding C function is `fv_text_extent`.
    package static func textExtent(_ text: String, font: Font, italic: Bool = false, scale: Double,
                           thickness: Int) throws(ImageError) -> (width: Double, capHeight: Double) {
        var width = 0.0, height = 0.0
        var error = fv_error()
        let face = font.rawValue | (italic ? Font.italic : 0)
        let status = fv_text_extent(text, face, scale, Int32(thickness), &width, &height, &error)
        try check(status, error, format: nil)
        return (width, height)
    }

    /// The corresponding C function is `fv_draw_text`.
    package static func drawText(_ image: inout Image, _ text: String, baseline: Point, font: Font, italic: Bool = false,
                         scale: Double, thickness: Int, color: [UInt8]) throws(ImageError) {
        precondition(color.count == image.channels)
        let (w, h, s, c) = (Int32(image.width), Int32(image.height), image.rowStride, Int32(image.channels))
        let face = font.rawValue | (italic ? Font.italic : 0)
        try inPlace(&image) { pixels, error in
            fv_draw_text(pixels, w, h, s, c, text, baseline.x, baseline.y, face, scale, Int32(thickness), color, error)
        }
    }

    // MARK: AprilTag

    /// The corresponding C function is `fv_apriltag_render`. Returns the cells (0 black, 255
    /// white) with the quiet border, the side in cells, and the black square's side in cells.
    package static func aprilTagCells(family: String, id: Int) throws(ImageError) -> (cells: [UInt8], side: Int, border: Int) {
        var cells = [UInt8](repeating: 0, count: 256)
        var side: Int32 = 0, border: Int32 = 0
        var error = fv_error()
        let status = fv_apriltag_render(family, Int32(id), &cells, Int32(cells.count), &side, &border, &error)
        try check(status, error, format: nil)
        return (Array(cells.prefix(Int(side * side))), Int(side), Int(border))
    }

    /// The corresponding C function is `fv_find_quadrilaterals`. Corners are in our pixel
    /// convention (centres at +0.5), in contour order; largest quad first.
    package static func findQuadrilaterals(_ image: Image, threshold: Double?, epsilonFraction: Double,
                                   minimumAreaFraction: Double, capacity: Int = 8) throws(ImageError) -> [[Point]] {
        guard image.format == .gray8, !image.isEmpty else { throw .invalidImage(reason: "quad finding needs a gray image") }
        var quads = [Double](repeating: 0, count: 8 * capacity)
        var count: Int32 = 0
        var error = fv_error()
        let status = image.storage.withUnsafeBufferPointer { pixels in
            fv_find_quadrilaterals(pixels.baseAddress, Int32(image.width), Int32(image.height), image.rowStride,
                                   threshold ?? -1, epsilonFraction, minimumAreaFraction, &quads, Int32(capacity),
                                   &count, &error)
        }
        try check(status, error, format: nil)
        return (0 ..< min(Int(count), capacity)).map { i in
            (0 ..< 4).map { k in Point(quads[8 * i + 2 * k] + 0.5, quads[8 * i + 2 * k + 1] + 0.5) }
        }
    }

    /// A tag as the shim reports it: libapriltag's corner order and pixel convention.
    package struct AprilTagDetection {
        package var family: String
        package var id: Int
        package var hamming: Int
        package var decisionMargin: Double
        package var center: Point
        package var corners: [Point]
    }

    /// The corresponding C function is `fv_apriltag_detect`.
    package static func detectAprilTags(_ image: Image, families: [String], decimate: Double, sigma: Double, refineEdges: Bool,
                                sharpening: Double, maxHamming: Int, capacity: Int = 64) throws(ImageError) -> [AprilTagDetection] {
        guard image.format == .gray8, !image.isEmpty else { throw .invalidImage(reason: "tag detection needs a gray image") }
        var settings = fv_apriltag_settings(decimate: Float(decimate), sigma: Float(sigma), refine_edges: refineEdges ? 1 : 0,
                                            sharpening: sharpening, max_hamming: Int32(maxHamming))
        var found = [fv_apriltag_detection](repeating: fv_apriltag_detection(), count: capacity)
        var count: Int32 = 0
        var error = fv_error()
        let status = image.storage.withUnsafeBufferPointer { pixels in
            fv_apriltag_detect(pixels.baseAddress, Int32(image.width), Int32(image.height), image.rowStride,
                               families.joined(separator: ","),
                               &settings, &found, Int32(capacity), &count, &error)
        }
        try check(status, error, format: nil)
        return found.prefix(min(Int(count), capacity)).map { d in
            let c = d.corners
            return AprilTagDetection(
                family: families[Int(d.family_index)], id: Int(d.id), hamming: Int(d.hamming), decisionMargin: Double(d.decision_margin),
                center: Point(d.center.0, d.center.1),
                corners: [Point(c.0, c.1), Point(c.2, c.3), Point(c.4, c.5), Point(c.6, c.7)])
        }
    }

    /// The corresponding C function is `fv_opencv_version`.
    package static func openCVVersion() -> String { String(cString: fv_opencv_version()) }
}
