import FormVision

/// A small gray canvas of ink coverage around one box: 0 = no ink, 255 = full ink.
///
/// Marks are drawn into it (digit images warped into place, pen strokes), and then it is laid
/// onto the page in one pass with the pen's colour.
struct InkCanvas {
    /// Where a digit goes in its box.
    enum Placement {
        case centre
        /// Pushed onto or across a box line.
        case overflow
        /// Squeezed into the left or right part of the box (a struck-out correction).
        case left, right
    }

    /// The canvas, in page pixels from `origin`.
    var coverage: Image
    /// The page pixel of the canvas's top-left corner.
    let origin: (x: Int, y: Int)

    /// A canvas over the box grown by `margin` box sizes, clipped to the page.
    init(around box: Rect, margin: Double, page: Image) {
        let grown = box.insetBy(-margin * max(box.width, box.height))
        let x0 = max(0, Int(grown.minX)), y0 = max(0, Int(grown.minY))
        let x1 = min(page.width, Int(grown.maxX.rounded(.up))), y1 = min(page.height, Int(grown.maxY.rounded(.up)))
        origin = (x0, y0)
        coverage = Image(width: max(0, x1 - x0), height: max(0, y1 - y0), format: .gray8)
    }

    var isEmpty: Bool { coverage.isEmpty }

    /// A page point in canvas coordinates, in OpenCV's convention (pixel centres at integers).
    func local(_ p: Point) -> Point { Point(p.x - Double(origin.x) - 0.5, p.y - Double(origin.y) - 0.5) }

    /// Warps a 20×20 digit sample into the box and cuts it into strokes of the writer's weight.
    mutating func drawDigit(_ sample: HandwrittenDigits.Sample, in box: Rect, style: WriterStyle,
                            parameters: FormFiller.Parameters, placement: Placement,
                            using g: inout SeededGenerator) throws(ImageError) {
        let side = HandwrittenDigits.cellSize
        // The sample's ink bounding box.
        var (minX, minY, maxX, maxY) = (side, side, -1, -1)
        for y in 0 ..< side {
            for x in 0 ..< side where sample.pixels[y * side + x] > 60 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= minX else { return }
        let inkCentre = Point(Double(minX + maxX) / 2, Double(minY + maxY) / 2)
        var height = box.height * style.heightFraction * g.uniform(0.9 ... 1.08)
        var centre = box.center + Point(g.normal() * style.jitter * box.width, g.normal() * style.jitter * box.height)
        switch placement {
        case .centre: break
        case .overflow:
            let shift = g.uniform(parameters.overflowShift)
            let direction = [Point(1, 0), Point(-1, 0), Point(0, 1), Point(0, -1)][Int.random(in: 0 ..< 4, using: &g)]
            centre = centre + Point(direction.x * shift * box.width, direction.y * shift * box.height)
        case .left, .right:
            height *= 0.72
            centre = centre + Point((placement == .left ? -0.22 : 0.22) * box.width, 0)
        }
        let scale = height / Double(maxY - minY + 1)
        let angle = g.uniform(-parameters.maxRotation ... parameters.maxRotation)
        let slant = style.slant + g.uniform(-0.05 ... 0.05)
        // M = translate(centre) · rotate · shear · scale · translate(−inkCentre), as a 2×3 matrix.
        let (c, s) = (cos(angle), sin(angle))
        let a = [scale, slant * scale, 0, scale] // shear · scale: [[s, k·s], [0, s]]
        let m00 = c * a[0] - s * a[2], m01 = c * a[1] - s * a[3]
        let m10 = s * a[0] + c * a[2], m11 = s * a[1] + c * a[3]
        let target = local(centre)
        let tx = target.x - (m00 * inkCentre.x + m01 * inkCentre.y)
        let ty = target.y - (m10 * inkCentre.x + m11 * inkCentre.y)
        let source = Image(width: side, height: side, format: .gray8, pixels: sample.pixels)
        var warped = Image(width: coverage.width, height: coverage.height, format: .gray8)
        try _Shim.warpAffine(source, matrix: [m00, m01, tx, m10, m11, ty], interpolation: .cubic, border: 0, into: &warped)
        let threshold = style.strokeThreshold, softness = parameters.edgeSoftness
        accumulate(warped) { value in min(1, max(0, (Double(value) - threshold) / softness + 0.5)) }
    }

    /// Draws a stroke through points, with a little tremor, at full coverage.
    mutating func stroke(_ points: [Point], width: Double) throws(ImageError) {
        var layer = Image(width: coverage.width, height: coverage.height, format: .gray8)
        for (p, q) in zip(points, points.dropFirst()) {
            try _Shim.drawLine(&layer, from: local(p), to: local(q), thickness: width, color: [255])
        }
        accumulate(layer) { Double($0) / 255 }
    }

    /// A hand-drawn line from a to b: a few points with sideways wobble.
    func wobbly(from a: Point, to b: Point, wobble: Double, using g: inout SeededGenerator) -> [Point] {
        let steps = 6
        let normal = Point(-(b.y - a.y), b.x - a.x) / max(1e-9, a.distance(to: b))
        let bend = g.normal() * wobble
        return (0 ... steps).map { i in
            let t = Double(i) / Double(steps)
            let arc = 4 * t * (1 - t) * bend + g.normal() * wobble * 0.15
            return a + (b - a) * t + normal * arc
        }
    }

    /// An X across the box.
    mutating func drawX(in box: Rect, stroke width: Double, using g: inout SeededGenerator) throws(ImageError) {
        let inset = { (g: inout SeededGenerator) in g.uniform(0.08 ... 0.25) }
        let w = box.width, h = box.height
        let tl = Point(box.minX + inset(&g) * w, box.minY + inset(&g) * h)
        let br = Point(box.maxX - inset(&g) * w, box.maxY - inset(&g) * h)
        let tr = Point(box.maxX - inset(&g) * w, box.minY + inset(&g) * h)
        let bl = Point(box.minX + inset(&g) * w, box.maxY - inset(&g) * h)
        try stroke(wobbly(from: tl, to: br, wobble: 0.04 * h, using: &g), width: width)
        try stroke(wobbly(from: tr, to: bl, wobble: 0.04 * h, using: &g), width: width)
    }

    /// A dash across the middle of the box.
    mutating func drawDash(in box: Rect, stroke width: Double, using g: inout SeededGenerator) throws(ImageError) {
        let y = box.center.y + g.normal() * 0.08 * box.height
        let half = box.width * g.uniform(0.22 ... 0.42)
        let tilt = g.normal() * 0.05 * box.height
        try stroke(wobbly(from: Point(box.center.x - half, y - tilt), to: Point(box.center.x + half, y + tilt),
                          wobble: 0.03 * box.height, using: &g), width: width)
    }

    /// Strokes through the left part of the box (over a struck-out digit).
    mutating func strike(in box: Rect, stroke width: Double, using g: inout SeededGenerator) throws(ImageError) {
        let left = box.minX + 0.05 * box.width, right = box.minX + 0.55 * box.width
        try stroke(wobbly(from: Point(left, box.maxY - 0.25 * box.height), to: Point(right, box.minY + 0.25 * box.height),
                          wobble: 0.03 * box.height, using: &g), width: width)
    }

    /// Adds a layer's coverage: covered = 1 − (1 − covered)(1 − layer).
    mutating func accumulate(_ layer: Image, _ coverageOf: (UInt8) -> Double) {
        let count = coverage.width * coverage.height
        layer.storage.withUnsafeBufferPointer { src in
            coverage.storage.withUnsafeMutableBufferPointer { dst in
                for i in 0 ..< count {
                    let a = coverageOf(src[i])
                    guard a > 0 else { continue }
                    let covered = Double(dst[i]) / 255
                    dst[i] = UInt8((1 - (1 - covered) * (1 - a)) * 255)
                }
            }
        }
    }

    /// Adds a raster's coverage (same size as the canvas), as `accumulate(_:_:)` does.
    mutating func accumulate(_ raster: StrokeRaster) {
        precondition(raster.width == coverage.width && raster.height == coverage.height)
        for y in 0 ..< raster.height {
            for x in 0 ..< raster.width {
                let a = Double(raster.coverage[y * raster.width + x])
                guard a > 0 else { continue }
                let covered = Double(coverage[x, y]) / 255
                coverage[x, y] = UInt8((1 - (1 - covered) * (1 - a)) * 255)
            }
        }
    }

    /// Lays the ink onto the page: page = page·(1 − a) + ink·a with a = coverage·density.
    func composite(onto page: inout Image, ink: [UInt8], density: Double) {
        let (w, h, stride) = (coverage.width, coverage.height, page.rowStride)
        let (ox, oy) = origin
        coverage.storage.withUnsafeBufferPointer { src in
            page.storage.withUnsafeMutableBufferPointer { dst in
                for y in 0 ..< h {
                    for x in 0 ..< w {
                        let a = Double(src[y * w + x]) / 255 * density
                        guard a > 0 else { continue }
                        let p = (oy + y) * stride + (ox + x) * 3
                        for c in 0 ..< 3 { dst[p + c] = UInt8(Double(dst[p + c]) * (1 - a) + Double(ink[c]) * a) }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
