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
    /// Page millimetres to photo pixels, for the plane that best fits the page.
    public var pageToPhoto: Homography
    /// The page's bend, when it is not flat: page point q lies where `pageToPhoto` puts q + D(q).
    public var warp: PageWarp? = nil

    /// The page's mapping to the photo.
    public var mapping: PageMapping { PageMapping(homography: pageToPhoto, warp: warp) }

    /// A canonical pixel position in the photo.
    public func photoPoint(_ canonical: Point) -> Point {
        mapping.photoPoint(canonical / pixelsPerMM) ?? Point(.nan, .nan)
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
        let flat = try Self.warp(photo, mapping: page.mapping, pageSize: page.template.pageSize, pixelsPerMM: s)
        return RectifiedPage(template: page.template, image: flat, gray: flat.grayscale(), pixelsPerMM: s,
                             pageToPhoto: page.pageToPhoto, warp: page.warp)
    }

    /// The page of a photo (gray or RGB) at `pixelsPerMM`, through its mapping: one perspective
    /// warp for a flat page, a remap through the warp for a bent one. Pixels outside the photo
    /// are white.
    static func warp(_ photo: Image, mapping: PageMapping, pageSize: FormTemplate.Size,
                     pixelsPerMM s: Double) throws(ImageError) -> Image {
        let width = Int((pageSize.width * s).rounded())
        let height = Int((pageSize.height * s).rounded())
        var flat = Image(width: width, height: height, format: photo.format)
        if let warp = mapping.warp {
            let (mapX, mapY) = photoMaps(mapping.homography, warp: warp, width: width, height: height, pixelsPerMM: s)
            try _Shim.remap(photo, mapX: mapX, mapY: mapY, interpolation: .linear, border: 255, into: &flat)
        } else {
            guard let photoToPage = mapping.homography.inverse else { throw .invalidImage(reason: "singular page homography") }
            // OpenCV puts pixel centres at integers, we at +0.5: shift in, map, shift out.
            let matrix = Homography.translation(-0.5, -0.5)
                .concatenating(.scale(s, s))
                .concatenating(photoToPage)
                .concatenating(.translation(0.5, 0.5))
            try _Shim.warpPerspective(photo, homography: matrix, interpolation: .linear, border: 255, into: &flat)
        }
        return flat
    }

    /// For every pixel of a `width` × `height` page image at `s` px/mm, the photo position
    /// (OpenCV's convention, pixel centres at integers) of the page point it shows.
    ///
    /// - Complexity: O(width × height); the warp is interpolated along each row of grid cells.
    static func photoMaps(_ h: Homography, warp: PageWarp, width: Int, height: Int,
                          pixelsPerMM s: Double) -> (x: [Float], y: [Float]) {
        var mapX = [Float](repeating: -1e6, count: width * height)
        var mapY = mapX
        let m = h.matrix
        for row in 0 ..< height {
            let py = (Double(row) + 0.5) / s
            for column in 0 ..< width {
                let px = (Double(column) + 0.5) / s
                let d = warp.displacement(at: Point(px, py))
                let (x, y) = (px + d.x, py + d.y)
                let w = m[6] * x + m[7] * y + m[8]
                guard abs(w) > 1e-12 else { continue }
                mapX[row * width + column] = Float((m[0] * x + m[1] * y + m[2]) / w - 0.5)
                mapY[row * width + column] = Float((m[3] * x + m[4] * y + m[5]) / w - 0.5)
            }
        }
        return (mapX, mapY)
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
