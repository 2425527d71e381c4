/// What a box's ink looks like, to tell an empty box from a faint digit.
public struct InkStatistics: Sendable, Equatable, Codable {
    /// Fraction of the cell's pixels that are ink (coverage at least the ink threshold).
    public var inkFraction: Double
    /// Mean ink coverage over the cell, 0–1.
    public var inkMass: Double
    /// The strongest ink in the cell (99th percentile of coverage), 0–1: a faint pencil-like
    /// digit has low peak ink, a smudge has low fraction.
    public var peakInk: Double
    /// The ink's bounding box relative to the cell (0–1 each way), nil when there is no ink.
    public var bounds: Rect?
    /// How coloured the ink is: mean of (largest − smallest channel drop) / largest drop over
    /// ink pixels, 0 for gray or black ink, towards 1 for saturated blue.
    public var colorfulness: Double
}

/// One box's content, ready for the classifier.
public struct CellImage: Sendable, Equatable {
    public static let side = 28

    public var field: String
    public var index: Int
    /// `side` × `side` ink coverage, 0 = paper, 255 = full ink, the ink scaled to fit a 20 × 20
    /// square and centred by its centre of mass, as in MNIST.
    public var pixels: [UInt8]
    public var statistics: InkStatistics
}

/// Stage 6: cuts the inside of every box out of the rectified page, keeps the ink only, and
/// normalises it for the classifier.
///
/// Ink is measured against the paper around the box, channel by channel: a pixel's coverage is
/// its largest drop below the paper's colour, relative to the paper. That works for blue and
/// black pens alike and under yellow light, where the paper itself is coloured.
public struct CellExtractor: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Margin kept inside the box's inner edge, mm: clear of the printed line's blur.
        public var inset = 0.3
        /// A channel this far below the paper (fraction of the paper's level) counts as full ink.
        public var fullInkDrop = 0.5
        /// Coverage from which a pixel counts as ink for the statistics and the bounding box.
        public var inkThreshold = 0.35
        /// Rows and columns in the outer band of the cell that are mostly ink are leftovers of
        /// the box line (or a neighbour's) and are cleared: the band's width (fraction of the
        /// cell) and the coverage that marks a line.
        public var edgeBand = 0.12
        public var lineCoverage = 0.6
        /// The ink's longer side is scaled to this many pixels of the 28 × 28 cell (MNIST's 20).
        public var digitSize = 20
        /// Ink smaller than this fraction of the cell's height is enlarged only as much as ink of
        /// that size would be, so a speck or a stray stroke stays small instead of becoming a
        /// full-size 1 or dash. Digits are written at half the box height or more.
        public var smallestDigit = 0.3

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    public func extract(_ page: RectifiedPage, fields: [LocatedField]) -> [[CellImage]] {
        fields.map { field in
            field.boxes.enumerated().map { index, box in
                extract(box.rect, field: field.name, index: index, page: page)
            }
        }
    }

    func extract(_ box: Rect, field: String, index: Int, page: RectifiedPage) -> CellImage {
        let inner = box.insetBy(parameters.inset * page.pixelsPerMM)
        let x0 = max(0, Int(inner.minX.rounded())), y0 = max(0, Int(inner.minY.rounded()))
        let x1 = min(page.image.width, Int(inner.maxX.rounded())), y1 = min(page.image.height, Int(inner.maxY.rounded()))
        let (w, h) = (max(0, x1 - x0), max(0, y1 - y0))
        let paper = paperColor(in: box.insetBy(-page.pixelsPerMM), of: page.image)
        return cell(from: page.image, x: x0, y: y0, width: w, height: h, paper: paper, field: field, index: index)
    }

    /// A cell from a whole image of one box's content (any size, dark ink on light paper), as
    /// `formvision classify` and tests use it: the paper colour is taken from the image itself.
    public func cell(fromImage image: Image) -> CellImage {
        let rgb = image.format == .rgb8 ? image : image.rgb()
        let paper = paperColor(in: Rect(x: 0, y: 0, width: Double(rgb.width), height: Double(rgb.height)), of: rgb)
        return cell(from: rgb, x: 0, y: 0, width: rgb.width, height: rgb.height, paper: paper, field: "", index: 0)
    }

    /// Ink coverage of a region against a paper colour, line leftovers cleared, statistics, and
    /// the normalised 28 × 28 cell.
    func cell(from image: Image, x x0: Int, y y0: Int, width w: Int, height h: Int, paper: [Double], field: String,
              index: Int) -> CellImage {
        let empty = CellImage(field: field, index: index, pixels: [UInt8](repeating: 0, count: CellImage.side * CellImage.side),
                              statistics: InkStatistics(inkFraction: 0, inkMass: 0, peakInk: 0, bounds: nil, colorfulness: 0))
        guard w >= 4, h >= 4 else { return empty }
        var coverage = [Float](repeating: 0, count: w * h)
        var colour = [Float](repeating: 0, count: w * h)
        for y in 0 ..< h {
            for x in 0 ..< w {
                var largest = 0.0, smallest = Double.infinity
                for c in 0 ..< 3 {
                    let drop = max(0, (paper[c] - Double(image[x0 + x, y0 + y, c])) / max(1, paper[c]))
                    largest = max(largest, drop)
                    smallest = min(smallest, drop)
                }
                coverage[y * w + x] = Float(min(1, largest / parameters.fullInkDrop))
                colour[y * w + x] = largest > 0.05 ? Float((largest - smallest) / largest) : 0
            }
        }
        clearLineFragments(&coverage, width: w, height: h)
        let (pixels, statistics) = normalisedCell(coverage, colour: colour, width: w, height: h)
        return CellImage(field: field, index: index, pixels: pixels, statistics: statistics)
    }

    /// The ink statistics of a coverage map and its normalised 28 × 28 cell (all paper when
    /// there is no ink). `colour` is nil for maps that carry no colour (statistics then say 0).
    func normalisedCell(_ coverage: [Float], colour: [Float]?, width w: Int, height h: Int)
        -> (pixels: [UInt8], statistics: InkStatistics) {
        let statistics = Self.statistics(coverage, colour: colour ?? [Float](repeating: 0, count: w * h), width: w,
                                         height: h, threshold: Float(parameters.inkThreshold))
        guard let bounds = statistics.bounds else {
            return ([UInt8](repeating: 0, count: CellImage.side * CellImage.side), statistics)
        }
        return (normalise(coverage, width: w, height: h, bounds: bounds), statistics)
    }

    /// The paper's colour in an area: a high percentile of each channel, where paper outweighs
    /// lines and ink (the area around a box includes a millimetre of paper on every side).
    func paperColor(in area: Rect, of image: Image) -> [Double] {
        let x0 = max(0, Int(area.minX)), y0 = max(0, Int(area.minY))
        let x1 = min(image.width, Int(area.maxX)), y1 = min(image.height, Int(area.maxY))
        var result: [Double] = []
        for c in 0 ..< 3 {
            var histogram = [Int](repeating: 0, count: 256)
            var total = 0
            for y in stride(from: y0, to: y1, by: 2) {
                for x in stride(from: x0, to: x1, by: 2) {
                    histogram[Int(image[x, y, c])] += 1
                    total += 1
                }
            }
            var seen = 0, level = 255
            for (value, count) in histogram.enumerated() {
                seen += count
                if seen * 100 >= total * 85 { level = value; break }
            }
            result.append(Double(level))
        }
        return result
    }

    /// Clears rows and columns near the cell's edges that are mostly ink: box-line leftovers.
    func clearLineFragments(_ coverage: inout [Float], width w: Int, height h: Int) {
        let bandX = max(1, Int(Double(w) * parameters.edgeBand)), bandY = max(1, Int(Double(h) * parameters.edgeBand))
        let limit = Float(parameters.lineCoverage)
        for y in Array(0 ..< bandY) + Array(h - bandY ..< h) {
            var sum: Float = 0
            for x in 0 ..< w { sum += coverage[y * w + x] }
            if sum / Float(w) > limit { for x in 0 ..< w { coverage[y * w + x] = 0 } }
        }
        for x in Array(0 ..< bandX) + Array(w - bandX ..< w) {
            var sum: Float = 0
            for y in 0 ..< h { sum += coverage[y * w + x] }
            if sum / Float(h) > limit { for y in 0 ..< h { coverage[y * w + x] = 0 } }
        }
    }

    static func statistics(_ coverage: [Float], colour: [Float], width w: Int, height h: Int, threshold: Float) -> InkStatistics {
        var inkPixels = 0, mass: Float = 0, colourSum: Float = 0
        var (minX, minY, maxX, maxY) = (w, h, -1, -1)
        for y in 0 ..< h {
            for x in 0 ..< w {
                let v = coverage[y * w + x]
                mass += v
                guard v >= threshold else { continue }
                inkPixels += 1
                colourSum += colour[y * w + x]
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        let sorted = coverage.sorted()
        let peak = Double(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
        let bounds = maxX >= minX
            ? Rect(x: Double(minX) / Double(w), y: Double(minY) / Double(h),
                   width: Double(maxX - minX + 1) / Double(w), height: Double(maxY - minY + 1) / Double(h))
            : nil
        return InkStatistics(inkFraction: Double(inkPixels) / Double(w * h), inkMass: Double(mass) / Double(w * h),
                             peakInk: peak, bounds: bounds, colorfulness: inkPixels > 0 ? Double(colourSum) / Double(inkPixels) : 0)
    }

    /// Scales the ink's bounding box so its longer side is `digitSize` and places it in the
    /// 28 × 28 cell with its centre of mass at the centre (shifted back inside if needed).
    func normalise(_ coverage: [Float], width w: Int, height h: Int, bounds: Rect) -> [UInt8] {
        let bx = Int((bounds.minX * Double(w)).rounded()), by = Int((bounds.minY * Double(h)).rounded())
        let bw = max(1, Int((bounds.width * Double(w)).rounded())), bh = max(1, Int((bounds.height * Double(h)).rounded()))
        let scale = Double(parameters.digitSize) / max(Double(max(bw, bh)), parameters.smallestDigit * Double(h))
        let tw = max(1, Int((Double(bw) * scale).rounded())), th = max(1, Int((Double(bh) * scale).rounded()))
        let glyph = AreaResampler.resample(coverage, width: w, height: h, crop: (bx, by, bw, bh), to: (tw, th))
        var cx = 0.0, cy = 0.0, total = 0.0
        for y in 0 ..< th {
            for x in 0 ..< tw {
                let v = Double(glyph[y * tw + x])
                cx += v * (Double(x) + 0.5); cy += v * (Double(y) + 0.5); total += v
            }
        }
        let side = CellImage.side
        let centre = Double(side) / 2
        var ox = total > 0 ? Int((centre - cx / total).rounded()) : (side - tw) / 2
        var oy = total > 0 ? Int((centre - cy / total).rounded()) : (side - th) / 2
        ox = min(max(0, ox), side - tw)
        oy = min(max(0, oy), side - th)
        var pixels = [UInt8](repeating: 0, count: side * side)
        for y in 0 ..< th {
            for x in 0 ..< tw { pixels[(oy + y) * side + ox + x] = UInt8(min(1, max(0, glyph[y * tw + x])) * 255) }
        }
        return pixels
    }
}

/// Resampling: by exact area overlap when shrinking (each target pixel is the mean of the
/// source area it covers), bilinear when enlarging (so a small digit is not made of blocks).
enum AreaResampler {
    /// - Parameters:
    ///   - crop: The source rectangle (x, y, width, height) in pixels.
    ///   - to: Target width and height.
    static func resample(_ source: [Float], width: Int, height: Int, crop: (Int, Int, Int, Int),
                         to size: (Int, Int)) -> [Float] {
        let (cx, cy, cw, ch) = crop
        let (tw, th) = size
        let columns = weights(from: cw, to: tw), rows = weights(from: ch, to: th)
        var output = [Float](repeating: 0, count: tw * th)
        for (ty, rowWeights) in rows.enumerated() {
            for (tx, columnWeights) in columns.enumerated() {
                var sum: Float = 0, weight: Float = 0
                for (sy, wy) in rowWeights {
                    let y = cy + sy
                    guard y >= 0, y < height else { continue }
                    for (sx, wx) in columnWeights {
                        let x = cx + sx
                        guard x >= 0, x < width else { continue }
                        sum += source[y * width + x] * wx * wy
                        weight += wx * wy
                    }
                }
                output[ty * tw + tx] = weight > 0 ? sum / weight : 0
            }
        }
        return output
    }

    /// For each target index, the source indices it draws on and their weights. Shrinking:
    /// the overlap of the target pixel's footprint with each source pixel. Enlarging: linear
    /// interpolation between the two source pixels around the target pixel's centre.
    static func weights(from n: Int, to m: Int) -> [[(Int, Float)]] {
        let ratio = Double(n) / Double(m)
        return (0 ..< m).map { t in
            if ratio < 1 {
                let centre = (Double(t) + 0.5) * ratio - 0.5
                let left = Int(centre.rounded(.down)), f = centre - Double(left)
                let a = min(max(left, 0), n - 1), b = min(max(left + 1, 0), n - 1)
                return a == b ? [(a, Float(1))] : [(a, Float(1 - f)), (b, Float(f))]
            }
            let start = Double(t) * ratio, end = Double(t + 1) * ratio
            var list: [(Int, Float)] = []
            var s = Int(start)
            while Double(s) < end, s < n {
                let overlap = min(end, Double(s + 1)) - max(start, Double(s))
                if overlap > 1e-9 { list.append((s, Float(overlap))) }
                s += 1
            }
            return list
        }
    }
}
