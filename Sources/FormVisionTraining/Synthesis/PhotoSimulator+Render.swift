import FormVision
extension PhotoSimulator {
    /// Light and texture fields are computed on a grid this many times coarser than the photo,
    /// then upsampled: they vary slowly, and this keeps a 12 MP photo fast.
    static let fieldReduction = 8

    /// Renders the upright photo (RGB) of a page rendered at `dpi`, as the plan says.
    ///
    /// - Complexity: O(photo pixels), a few passes.
    public func render(_ plan: PhotoPlan, page: Image, dpi: Double) throws(ImageError) -> Image {
        guard page.format == .rgb8 else { throw .invalidImage(reason: "the page must be RGB") }
        guard let inverse = plan.pageToPhoto.inverse else { throw .invalidImage(reason: "the camera homography is singular") }
        let (w, h) = (plan.width, plan.height)
        let count = w * h
        let scale = PageRenderer.scale(dpi: dpi)

        // Where each photo pixel looks on the page, how much of it is page, and how lit the paper is.
        var mapX = [Float](repeating: -10, count: count)
        var mapY = [Float](repeating: -10, count: count)
        var coverage = [UInt8](repeating: 0, count: count)
        var shade = [UInt8](repeating: 255, count: count)
        let pxPerMM = plan.suggestedDPI / 25.4 / 1.3
        let bent = !plan.folds.isEmpty || plan.curl != nil || !plan.lifts.isEmpty
        for y in 0 ..< h {
            for x in 0 ..< w {
                guard let q = plan.unproject(Point(Double(x) + 0.5, Double(y) + 0.5), inverse: inverse) else { continue }
                let inside = min(q.x, plan.pageSize.width - q.x, q.y, plan.pageSize.height - q.y) * pxPerMM
                guard inside > -1 else { continue }
                let i = y * w + x
                mapX[i] = Float(q.x * scale - 0.5)
                mapY[i] = Float(q.y * scale - 0.5)
                coverage[i] = UInt8(min(1, max(0, inside + 0.5)) * 255)
                if bent { shade[i] = UInt8(plan.shading(q) * 255) }
            }
        }
        var photo = Image(width: w, height: h, format: .rgb8)
        try _Shim.remap(page, mapX: mapX, mapY: mapY, interpolation: .linear, border: 0, into: &photo)
        mapX = []
        mapY = []

        let background = try backgroundTexture(plan)
        let light = try lightField(plan)
        var noise = SeededGenerator(seed: plan.textureSeed).derived("grain")
        photo.storage.withUnsafeMutableBufferPointer { out in
            background.storage.withUnsafeBufferPointer { bg in
                light.storage.withUnsafeBufferPointer { lit in
                    for i in 0 ..< count {
                        let a = Double(coverage[i]) / 255
                        let s = Double(shade[i]) / 255
                        let grain = Double(Int(noise.next() & 0xF) - 8) * 0.6
                        for c in 0 ..< 3 {
                            let paper = Double(out[i * 3 + c]) * s
                            let behind = Double(bg[i * 3 + c]) + grain
                            let value = (paper * a + behind * (1 - a)) * Double(lit[i * 3 + c]) / 200
                            out[i * 3 + c] = UInt8(min(255, max(0, value)))
                        }
                    }
                }
            }
        }
        try blur(&photo, plan)
        addNoise(&photo, sigma: plan.noiseSigma, seed: plan.textureSeed)
        return photo
    }

    /// The photo as the file stores it: turned for its EXIF orientation, JPEG-encoded.
    public func encode(_ photo: Image, plan: PhotoPlan) throws(ImageError) -> [UInt8] {
        var stored = photo
        if plan.orientation != .normal {
            // The file holds the pixels turned back; a viewer applying the tag shows `photo`.
            let undo: Orientation = switch plan.orientation {
            case .rotate90: .rotate270
            case .rotate270: .rotate90
            default: plan.orientation
            }
            let (w, h) = undo.swapsDimensions ? (photo.height, photo.width) : (photo.width, photo.height)
            stored = Image(width: w, height: h, format: photo.format)
            try _Shim.orient(photo, orientation: undo.rawValue, into: &stored)
        }
        return try ImageEncoder.jpeg(stored, quality: plan.jpegQuality, orientation: plan.orientation)
    }

    // MARK: Fields

    /// A table, wall or cloth texture behind the page, at full size.
    func backgroundTexture(_ plan: PhotoPlan) throws(ImageError) -> Image {
        let r = Self.fieldReduction / 2
        let (w, h) = ((plan.width + r - 1) / r, (plan.height + r - 1) / r)
        var small = Image(width: w, height: h, format: .rgb8)
        let noise = ValueNoise(seed: plan.textureSeed)
        var g = SeededGenerator(seed: plan.textureSeed).derived("background")
        let angle = g.uniform(0 ... Double.pi)
        let (ca, sa) = (cos(angle), sin(angle))
        let base = plan.backgroundColor
        let period = Double(max(w, h)) / g.uniform(90 ... 160)
        for y in 0 ..< h {
            for x in 0 ..< w {
                let (fx, fy) = (Double(x), Double(y))
                let broad = noise.fractal(fx / Double(w) * 4, fy / Double(h) * 4, octaves: 3)
                var factor: Double
                switch plan.background {
                case .table:
                    // Wood: fine grain lines bent by noise, running along planks of varying tone.
                    let along = fx * ca + fy * sa, across = -fx * sa + fy * ca
                    let warp = 8 * noise.fractal(along / (period * 30), across / (period * 4), octaves: 3)
                    let grain = sin((across / period + warp) * 2 * Double.pi)
                    let plank = Int((across / (period * 9)).rounded(.down))
                    let plankTone = noise.lattice(plank, 7) - 0.5
                    let seam = abs(across / (period * 9) - Double(plank) - 0.5) > 0.48 ? -0.25 : 0
                    factor = 0.9 + 0.035 * grain + 0.18 * plankTone + 0.12 * (broad - 0.5) + seam
                case .wall:
                    factor = 0.95 + 0.1 * (broad - 0.5)
                case .cloth:
                    // Folds of fabric: broad soft light and dark bands.
                    let drape = noise.fractal(fx / Double(w) * 2.5 + 3, fy / Double(h) * 1.2, octaves: 2)
                    factor = 0.75 + 0.45 * (drape - 0.5) + 0.2 * (broad - 0.5)
                }
                for c in 0 ..< 3 { small[x, y, c] = UInt8(min(255, max(0, base[c] * factor))) }
            }
        }
        var full = Image(width: plan.width, height: plan.height, format: .rgb8)
        try _Shim.resize(small, into: &full, interpolation: .linear)
        return full
    }

    /// Light reaching each pixel, RGB, scaled so that 200 means "as lit as a scanner".
    func lightField(_ plan: PhotoPlan) throws(ImageError) -> Image {
        let r = Self.fieldReduction
        let (w, h) = ((plan.width + r - 1) / r, (plan.height + r - 1) / r)
        var shadow = Image(width: w, height: h, format: .gray8)
        if !plan.shadow.isEmpty {
            try _Shim.fillPolygon(&shadow, plan.shadow.map { $0 / Double(r) }, color: [255])
            try _Shim.gaussianBlur(&shadow, sigma: Double(max(w, h)) * 0.04)
        }
        var small = Image(width: w, height: h, format: .rgb8)
        let centre = Point(Double(w) / 2, Double(h) / 2)
        let halfDiagonal = centre.length
        for y in 0 ..< h {
            for x in 0 ..< w {
                let p = Point(Double(x) + 0.5, Double(y) + 0.5) - centre
                let gradient = 1 + plan.lightGradient * p.dot(plan.lightDirection) / halfDiagonal
                let vignette = 1 - 0.12 * pow(p.length / halfDiagonal, 2)
                let shaded = 1 - plan.shadowStrength * Double(shadow[x, y]) / 255
                let level = 200 * gradient * vignette * shaded
                for c in 0 ..< 3 { small[x, y, c] = UInt8(min(255, max(0, level * plan.lightColor[c]))) }
            }
        }
        var full = Image(width: plan.width, height: plan.height, format: .rgb8)
        try _Shim.resize(small, into: &full, interpolation: .linear)
        return full
    }

    /// Defocus, then camera motion.
    func blur(_ photo: inout Image, _ plan: PhotoPlan) throws(ImageError) {
        if plan.blurSigma >= 0.2 { try _Shim.gaussianBlur(&photo, sigma: plan.blurSigma) }
        guard plan.motionLength >= 1.5 else { return }
        // A line of samples through the kernel's centre, each splatted bilinearly onto its four
        // nearest taps: the kernel is exactly symmetric, so the blur smears without shifting.
        let size = (Int(plan.motionLength.rounded(.up)) + 2) | 1
        var kernel = [Float](repeating: 0, count: size * size)
        let half = Double(size - 1) / 2
        let samples = size * 8
        for i in 0 ..< samples {
            let t = (Double(i) / Double(samples - 1) - 0.5) * plan.motionLength
            let x = half + t * cos(plan.motionAngle), y = half + t * sin(plan.motionAngle)
            let (ix, iy) = (Int(x.rounded(.down)), Int(y.rounded(.down)))
            let (fx, fy) = (x - Double(ix), y - Double(iy))
            for (dx, dy, weight) in [(0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)] {
                let (kx, ky) = (ix + dx, iy + dy)
                if kx >= 0, kx < size, ky >= 0, ky < size { kernel[ky * size + kx] += Float(weight) }
            }
        }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        try _Shim.filter(&photo, kernel: kernel, width: size, height: size)
    }

    /// Sensor noise: Gaussian per channel, plus a shared luminance part.
    func addNoise(_ photo: inout Image, sigma: Double, seed: UInt64) {
        var g = SeededGenerator(seed: seed).derived("noise")
        let count = photo.width * photo.height
        photo.storage.withUnsafeMutableBufferPointer { out in
            for i in 0 ..< count {
                // Sum of four uniforms: a cheap, bounded approximation of a normal deviate.
                func deviate() -> Double {
                    let r = g.next()
                    let sum = Double(r & 0xFFFF) + Double(r >> 16 & 0xFFFF) + Double(r >> 32 & 0xFFFF) + Double(r >> 48)
                    return (sum / 65535 - 2) * 1.732
                }
                let shared = deviate() * sigma * 0.7
                for c in 0 ..< 3 {
                    let value = Double(out[i * 3 + c]) + shared + deviate() * sigma * 0.5
                    out[i * 3 + c] = UInt8(min(255, max(0, value.rounded())))
                }
            }
        }
    }
}

/// Smooth random values on a lattice, interpolated: the base of the background textures.
struct ValueNoise {
    let seed: UInt64

    func lattice(_ x: Int, _ y: Int) -> Double {
        var h = seed ^ (UInt64(bitPattern: Int64(x)) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(bitPattern: Int64(y)) &* 0xC2B2_AE3D_27D4_EB4F)
        h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return Double(h >> 11) / Double(1 << 53)
    }

    /// Noise at a point, in [0, 1], smooth with a period of one lattice cell.
    func value(_ x: Double, _ y: Double) -> Double {
        let (ix, iy) = (Int(x.rounded(.down)), Int(y.rounded(.down)))
        let (fx, fy) = (x - Double(ix), y - Double(iy))
        let (sx, sy) = (fx * fx * (3 - 2 * fx), fy * fy * (3 - 2 * fy))
        let top = lattice(ix, iy) * (1 - sx) + lattice(ix + 1, iy) * sx
        let bottom = lattice(ix, iy + 1) * (1 - sx) + lattice(ix + 1, iy + 1) * sx
        return top * (1 - sy) + bottom * sy
    }

    /// Octaves of noise, each twice as fine and half as strong, normalised to [0, 1].
    func fractal(_ x: Double, _ y: Double, octaves: Int) -> Double {
        var (sum, amplitude, frequency, total) = (0.0, 1.0, 1.0, 0.0)
        for _ in 0 ..< octaves {
            sum += value(x * frequency, y * frequency) * amplitude
            total += amplitude
            amplitude /= 2
            frequency *= 2
        }
        return sum / total
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
