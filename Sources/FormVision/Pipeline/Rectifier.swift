/// A page warped flat: the template's page at a fixed number of pixels per millimetre.
///
/// Canonical pixel coordinates: page millimetre (x, y) is at canonical pixel (x·s, y·s), with
/// s = `pixelsPerMM`, top-left of the top-left pixel at (0, 0).
public struct RectifiedPage: Sendable {
    public var template: FormTemplate
    /// The flat page, RGB.
    public var image: Image
    /// The same, gray.
    public var gray: Image
    public var pixelsPerMM: Double
    /// Page millimetres to photo pixels.
    public var pageToPhoto: Homography

    /// A canonical pixel position in the photo.
    public func photoPoint(_ canonical: Point) -> Point {
        pageToPhoto.apply(canonical / pixelsPerMM) ?? Point(.nan, .nan)
    }
}

/// Stage 3: warps the photo so that the page is flat and upright at the canonical resolution.
public struct Rectifier: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Canonical resolution. 8 px/mm (203 dpi) puts a 7.5 × 9 mm box at 60 × 72 px: ample
        /// for a 28 × 28 digit, and about what a 12 MP photo of a full page delivers.
        public var pixelsPerMM = 8.0

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Rectifies an RGB photo.
    public func rectify(_ photo: Image, page: LocatedPage) throws(ImageError) -> RectifiedPage {
        guard photo.format == .rgb8 else { throw .invalidImage(reason: "rectification needs the RGB photo") }
        let s = parameters.pixelsPerMM
        guard let photoToPage = page.pageToPhoto.inverse else { throw .invalidImage(reason: "singular page homography") }
        // OpenCV puts pixel centres at integers, we at +0.5: shift in, map, shift out.
        let matrix = Homography.translation(-0.5, -0.5)
            .concatenating(.scale(s, s))
            .concatenating(photoToPage)
            .concatenating(.translation(0.5, 0.5))
        let width = Int((page.template.pageSize.width * s).rounded())
        let height = Int((page.template.pageSize.height * s).rounded())
        var flat = Image(width: width, height: height, format: .rgb8)
        try _Shim.warpPerspective(photo, homography: matrix, interpolation: .linear, border: 255, into: &flat)
        return RectifiedPage(template: page.template, image: flat, gray: flat.grayscale(), pixelsPerMM: s,
                             pageToPhoto: page.pageToPhoto)
    }
}

extension Image {
    /// The same pixels as RGB (gray copied into all three channels); an RGB image is returned as is.
    public func rgb() -> Image {
        guard format == .gray8 else { return self }
        var out = Image(width: width, height: height, format: .rgb8)
        for y in 0 ..< height {
            for x in 0 ..< width {
                let v = self[x, y]
                out[x, y, 0] = v; out[x, y, 1] = v; out[x, y, 2] = v
            }
        }
        return out
    }

    /// Luma, (77 R + 150 G + 29 B + 128) / 256 (BT.601 weights in fixed point); a gray image is
    /// returned as is.
    ///
    /// The fast kernel: 16-bit wrapping arithmetic along each row through raw pointers, which
    /// the compiler vectorises (the largest sum, 256 · 255 + 128, fits in 16 bits, so nothing
    /// wraps). `grayscaleReference()` is the plain definition; a test compares them.
    public func grayscale() -> Image {
        guard format == .rgb8 else { return self }
        var gray = Image(width: width, height: height, format: .gray8)
        let (w, h, stride, outStride) = (width, height, rowStride, gray.rowStride)
        storage.withUnsafeBufferPointer { src in
            gray.storage.withUnsafeMutableBufferPointer { dst in
                guard let source = src.baseAddress, let target = dst.baseAddress else { return }
                for y in 0 ..< h {
                    Self.lumaRow(source + y * stride, into: target + y * outStride, count: w)
                }
            }
        }
        return gray
    }

    /// One row of `grayscale()`: `count` RGB pixels to `count` luma bytes.
    @inline(__always)
    static func lumaRow(_ rgb: UnsafePointer<UInt8>, into gray: UnsafeMutablePointer<UInt8>, count: Int) {
        for x in 0 ..< count {
            let r = UInt16(rgb[3 &* x]), g = UInt16(rgb[3 &* x &+ 1]), b = UInt16(rgb[3 &* x &+ 2])
            let luma = (77 &* r) &+ (150 &* g) &+ (29 &* b) &+ 128
            gray[x] = UInt8(truncatingIfNeeded: luma &>> 8)
        }
    }

    /// The reference for `grayscale()`: the same formula, pixel by pixel, in plain arithmetic.
    package func grayscaleReference() -> Image {
        guard format == .rgb8 else { return self }
        var gray = Image(width: width, height: height, format: .gray8)
        for y in 0 ..< height {
            for x in 0 ..< width {
                let luma = 77 * Int(self[x, y, 0]) + 150 * Int(self[x, y, 1]) + 29 * Int(self[x, y, 2])
                gray[x, y] = UInt8((luma + 128) >> 8)
            }
        }
        return gray
    }
}
