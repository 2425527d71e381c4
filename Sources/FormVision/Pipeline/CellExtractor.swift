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

    /// A cell with no ink at all.
    static func empty(field: String, index: Int) -> CellImage {
        CellImage(field: field, index: index, pixels: [UInt8](repeating: 0, count: side * side),
                  statistics: InkStatistics(inkFraction: 0, inkMass: 0, peakInk: 0, bounds: nil, colorfulness: 0))
    }
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
        /// Ink that touches the cell's edge and lies wholly within this band of it (fraction of
        /// the cell across that edge) is a fragment of a box line, or the overflow of a
        /// neighbour's digit, and is cleared...
        public var fragmentBand = 0.2
        /// ...unless it comes within this distance (fraction of the cell's shorter side) of the
        /// rest of the ink: the separate top bar of a tall 5 stays with its digit.
        public var fragmentKeepGap = 0.08
        /// Ink within the bands that runs along an edge for more than this fraction of it is a
        /// line, whatever is near it.
        public var fragmentLength = 0.6
        /// Background flattening for whole-image cells (`cell(fromImage:)`): the paper is
        /// estimated pixel by pixel by a grey closing over this radius (fraction of the shorter
        /// side), so that a shadow across a crop is not ink.
        public var paperRadius = 0.15
        /// How far past its box a pipeline cell follows a digit's strokes, as a fraction of the
        /// box's width and height on every side (0: the box's inside only, the default).
        ///
        /// Experimental (`CellExtractor+Overflow.swift`): at 0.45 it reads digits pushed over the
        /// box lines on `scan` photos far better (87 % against 69 % of them, on held-out digits),
        /// but on `phone` photos it lowers box accuracy (92.7 % against 96.7 %), so it stays off
        /// until it measures better everywhere. Crops given to `cell(fromImage:)` are taken as
        /// they are either way.
        public var overflowReach = 0.0
        /// A box's printed writing guide (`FormTemplate.Guide`, the dotted 8 of the 2024 forms)
        /// is not ink: within `guideBand` mm of its dotted lines, coverage below `guideInk` is
        /// cleared. The guide prints at about 200 of 255, a coverage of 0.37 where it is sharp
        /// and less once a photo blurs its 0.2 mm dots; a pen stroke crossing it covers 0.7 or
        /// more, and keeps it. The band is the dots' half-width (0.1 mm) and the blur (0.2 mm).
        public var guideInk = 0.6
        public var guideBand = 0.3
        /// How far a printed line's ink reaches beyond its printed half-width, mm: the blur of
        /// print and photo. The band is taken out of a cell except where strokes cross it.
        public var lineBlur = 0.2
        /// An offset across a printed line belongs to it when at least this share of the pixels
        /// along it are ink: a printed line is unbroken, a stroke beside it covers part of it.
        public var lineShare = 0.8
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
        let allBoxes = fields.flatMap { $0.boxes.map(\.rect) }
        return fields.map { field in
            field.boxes.enumerated().map { index, box in
                extract(box, field: field.name, index: index, page: page, allBoxes: allBoxes)
            }
        }
    }

    /// One box's cell, with its strokes followed past the printed lines (see
    /// `CellExtractor+Overflow.swift`). `allBoxes` are every located box of the page.
    func extract(_ located: LocatedBox, field: String, index: Int, page: RectifiedPage, allBoxes: [Rect]) -> CellImage {
        let box = located.rect
        let ppm = page.pixelsPerMM
        let inner = box.insetBy(parameters.inset * ppm)
        let paper = paperColor(in: box.insetBy(-ppm), of: page.image)
        // The writing guide printed in this box, canonical pixels.
        let guide = page.template.field(named: field)?.guide?.segments(in: box, scale: ppm) ?? []
        guard parameters.overflowReach > 0 else {
            // The box's inside only, its edges cleaned of line leftovers and neighbours' strokes.
            let (x0, y0, w, h) = Self.pixels(of: inner, in: page.image)
            return cell(from: page.image, x: x0, y: y0, width: w, height: h, field: field, index: index, paper: paper,
                        paperStride: (0, 0), guide: guide, guideBand: parameters.guideBand * ppm)
        }
        let (reachX, reachY) = (box.width * parameters.overflowReach, box.height * parameters.overflowReach)
        let area = Rect(x: box.minX - reachX, y: box.minY - reachY, width: box.width + 2 * reachX, height: box.height + 2 * reachY)
        let (x0, y0, w, h) = Self.pixels(of: area, in: page.image)
        guard inner.width >= 4, inner.height >= 4, w >= 4, h >= 4 else { return .empty(field: field, index: index) }
        var (coverage, colour) = coverageMap(page.image, x: x0, y: y0, width: w, height: h, paper: paper, paperStride: (0, 0))
        clearGuide(&coverage, x: x0, y: y0, width: w, height: h, segments: guide, band: parameters.guideBand * ppm)
        let threshold = Float(parameters.inkThreshold)
        let others = allBoxes.filter { $0 != box && $0.overlaps(area) }
        let lines = Self.printedLines(near: area, page: page, shift: located.shift, boxes: [box] + others,
                                      blur: parameters.lineBlur * ppm)
        Self.removeLines(lines, from: &coverage, x0: x0, y0: y0, width: w, height: h, threshold: threshold,
                         lineShare: Float(parameters.lineShare))
        func local(_ r: Rect) -> Rect { Rect(x: r.minX - Double(x0), y: r.minY - Double(y0), width: r.width, height: r.height) }
        Self.keepOwnInk(&coverage, width: w, height: h, own: local(box), others: others.map(local), interior: local(inner),
                        threshold: threshold)
        let (pixels, statistics) = normalisedCell(coverage, colour: colour, width: w, height: h,
                                                  reference: (width: inner.width, height: inner.height))
        return CellImage(field: field, index: index, pixels: pixels, statistics: statistics)
    }

    /// The whole pixels of a canonical rectangle (edges rounded to the nearest pixel boundary),
    /// clipped to the image: origin and size, the size 0 when nothing is left.
    static func pixels(of rect: Rect, in image: Image) -> (x: Int, y: Int, width: Int, height: Int) {
        let x0 = max(0, Int(rect.minX.rounded())), y0 = max(0, Int(rect.minY.rounded()))
        let x1 = min(image.width, Int(rect.maxX.rounded())), y1 = min(image.height, Int(rect.maxY.rounded()))
        return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))
    }

    /// A cell from a whole image of one box's content (any size, dark ink on light paper), as
    /// `formvision classify` and tests use it: the paper colour is taken from the image itself.
    ///
    /// An arbitrary crop is sloppier than the pipeline's cells: the paper may be shaded unevenly
    /// (it is flattened, see `paperRadius`) and fragments of the box line may show along its
    /// edges (cleared as in every cell).
    public func cell(fromImage image: Image) -> CellImage {
        let rgb = image.format == .rgb8 ? image : image.rgb()
        let paper = paperMap(of: rgb)
        return cell(from: rgb, x: 0, y: 0, width: rgb.width, height: rgb.height, field: "", index: 0, noiseFloor: true,
                    paper: paper, paperStride: (3, 3 * rgb.width))
    }

    /// The paper's colour at every pixel of an image, RGB interleaved: a grey closing (each
    /// channel's maximum within `paperRadius`, then the minimum within it) removes ink strokes
    /// narrower than the window and keeps the edge of a shadow exactly where it is. (Shrinking
    /// the image first, or smoothing the result, moves a hard shadow edge by a pixel or two and
    /// leaves a thin line of false ink along it.)
    func paperMap(of image: Image) -> [Double] {
        let (w, h) = (image.width, image.height)
        let r = max(1, Int((parameters.paperRadius * Double(min(w, h))).rounded()))
        var result = [Double](repeating: 0, count: w * h * 3)
        for c in 0 ..< 3 {
            var paper = [Double](repeating: 0, count: w * h)
            for y in 0 ..< h { for x in 0 ..< w { paper[y * w + x] = Double(image[x, y, c]) } }
            for operation in [SlidingWindow.Operation.maximum, .minimum] {
                paper = SlidingWindow.apply(operation, to: SlidingWindow.apply(operation, to: paper, width: w, height: h, radius: r,
                                                                              horizontal: true), width: w, height: h, radius: r, horizontal: false)
            }
            for i in 0 ..< w * h { result[i * 3 + c] = paper[i] }
        }
        return result
    }

    /// Ink coverage of a region against the paper's colour, line leftovers cleared, statistics,
    /// and the normalised 28 × 28 cell. The paper's level of channel c at region pixel (x, y) is
    /// `paper[x · paperStride.x + y · paperStride.y + c]`: strides (0, 0) for one colour, or a
    /// map with one RGB value per pixel. `guide` is a writing guide's segments in the image's
    /// pixels (`clearGuide`).
    func cell(from image: Image, x x0: Int, y y0: Int, width w: Int, height h: Int, field: String,
              index: Int, noiseFloor: Bool = false, paper: [Double], paperStride: (x: Int, y: Int),
              guide: [(Point, Point)] = [], guideBand: Double = 0) -> CellImage {
        guard w >= 4, h >= 4 else { return .empty(field: field, index: index) }
        var (coverage, colour) = coverageMap(image, x: x0, y: y0, width: w, height: h, paper: paper, paperStride: paperStride)
        clearGuide(&coverage, x: x0, y: y0, width: w, height: h, segments: guide, band: guideBand)
        if noiseFloor { Self.subtractNoiseFloor(&coverage) }
        clearLineFragments(&coverage, width: w, height: h)
        clearEdgeFragments(&coverage, width: w, height: h)
        let (pixels, statistics) = normalisedCell(coverage, colour: colour, width: w, height: h)
        return CellImage(field: field, index: index, pixels: pixels, statistics: statistics)
    }

    /// Clears the faint print of a writing guide: coverage below `guideInk` within `band`
    /// pixels of its segments, in the image's pixels (a pixel's centre at +0.5); the coverage map
    /// is the `w` × `h` region at (`x0`, `y0`).
    func clearGuide(_ coverage: inout [Float], x x0: Int, y y0: Int, width w: Int, height h: Int, segments: [(Point, Point)],
                    band: Double) {
        guard !segments.isEmpty, band > 0 else { return }
        let faint = Float(parameters.guideInk)
        for y in 0 ..< h {
            for x in 0 ..< w where coverage[y * w + x] > 0 && coverage[y * w + x] < faint {
                let p = Point(Double(x0 + x) + 0.5, Double(y0 + y) + 0.5)
                if segments.contains(where: { Self.distance(p, toSegment: $0.0, $0.1) <= band }) { coverage[y * w + x] = 0 }
            }
        }
    }

    /// Distance from a point to a segment.
    static func distance(_ p: Point, toSegment a: Point, _ b: Point) -> Double {
        let d = b - a
        let length2 = d.x * d.x + d.y * d.y
        let t = length2 > 0 ? max(0, min(1, ((p.x - a.x) * d.x + (p.y - a.y) * d.y) / length2)) : 0
        return p.distance(to: a + d * t)
    }

    /// Ink coverage of a region against the paper's colour (0–1, a pixel's largest drop below
    /// the paper over the channels, relative to `fullInkDrop`), and how coloured the ink is.
    func coverageMap(_ image: Image, x x0: Int, y y0: Int, width w: Int, height h: Int, paper: [Double],
                     paperStride: (x: Int, y: Int)) -> (coverage: [Float], colour: [Float]) {
        var coverage = [Float](repeating: 0, count: w * h)
        var colour = [Float](repeating: 0, count: w * h)
        for y in 0 ..< h {
            for x in 0 ..< w {
                var largest = 0.0, smallest = Double.infinity
                for c in 0 ..< 3 {
                    let level = paper[x * paperStride.x + y * paperStride.y + c]
                    let drop = max(0, (level - Double(image[x0 + x, y0 + y, c])) / max(1, level))
                    largest = max(largest, drop)
                    smallest = min(smallest, drop)
                }
                coverage[y * w + x] = Float(min(1, largest / parameters.fullInkDrop))
                colour[y * w + x] = largest > 0.05 ? Float((largest - smallest) / largest) : 0
            }
        }
        return (coverage, colour)
    }

    /// The ink statistics of a coverage map and its normalised 28 × 28 cell (all paper when
    /// there is no ink). `colour` is nil for maps that carry no colour (statistics then say 0).
    package func normalisedCell(_ coverage: [Float], colour: [Float]?, width w: Int, height h: Int,
                                reference: (width: Double, height: Double)? = nil)
        -> (pixels: [UInt8], statistics: InkStatistics) {
        // The box's own size, when the map reaches beyond it: fractions are of the box's area,
        // and `smallestDigit` of its height.
        let reference = reference ?? (Double(w), Double(h))
        var statistics = Self.statistics(coverage, colour: colour ?? [Float](repeating: 0, count: w * h), width: w,
                                         height: h, threshold: Float(parameters.inkThreshold))
        let areaRatio = Double(w * h) / max(1, reference.width * reference.height)
        statistics.inkFraction *= areaRatio
        statistics.inkMass *= areaRatio
        guard let bounds = statistics.bounds else {
            return ([UInt8](repeating: 0, count: CellImage.side * CellImage.side), statistics)
        }
        return (normalise(coverage, width: w, height: h, bounds: bounds, referenceHeight: reference.height), statistics)
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
    package func clearLineFragments(_ coverage: inout [Float], width w: Int, height h: Int) {
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

    /// Takes the median coverage (most pixels of a cell are paper, so this is the paper's
    /// grain and noise as the paper map leaves them) off every pixel, rescaled so that full ink
    /// stays full.
    static func subtractNoiseFloor(_ coverage: inout [Float]) {
        guard !coverage.isEmpty else { return }
        // The median, to 1/1024, from a histogram.
        var histogram = [Int](repeating: 0, count: 1025)
        for v in coverage { histogram[Int(max(0, min(1, v)) * 1024)] += 1 }
        var seen = 0, bin = 0
        while bin < 1024, seen + histogram[bin] <= coverage.count / 2 { seen += histogram[bin]; bin += 1 }
        let floor = Float(bin) / 1024
        guard floor > 0, floor < 1 else { return }
        for i in coverage.indices { coverage[i] = max(0, (coverage[i] - floor) / (1 - floor)) }
    }

    /// Clears ink that is a fragment of a box line or a neighbour's overflow, not part of what
    /// is written in this box:
    /// - ink that touches an edge of the cell and lies wholly within `fragmentBand` of the edges
    ///   it touches (a sliver of line, a neighbour's stroke poking in, a speck at the edge);
    /// - ink that lies wholly within the bands and runs along an edge for more than
    ///   `fragmentLength` of it (a printed line inside a crop, not touching the crop's edge).
    /// A fragment shorter than `fragmentLength` stays when it comes within `fragmentKeepGap`
    /// of the other ink.
    package func clearEdgeFragments(_ coverage: inout [Float], width w: Int, height h: Int) {
        guard w >= 4, h >= 4 else { return }
        let threshold = Float(parameters.inkThreshold)
        let components = InkComponents(coverage, width: w, height: h, threshold: threshold)
        let bandX = Double(w) * parameters.fragmentBand, bandY = Double(h) * parameters.fragmentBand
        enum Kind { case ink, shortFragment, line }
        var kinds = [Kind](repeating: .ink, count: components.count)
        for (label, pixels) in components.pixels.enumerated() {
            var (left, right, top, bottom) = (false, false, false, false)
            var (minX, minY, maxX, maxY) = (w, h, -1, -1)
            for i in pixels {
                let (x, y) = (i % w, i / w)
                left = left || x == 0; right = right || x == w - 1; top = top || y == 0; bottom = bottom || y == h - 1
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
            let within = { (l: Bool, r: Bool, t: Bool, b: Bool) in
                pixels.allSatisfy { i in
                    let (x, y) = (Double(i % w), Double(i / w))
                    return (l && x < bandX) || (r && x >= Double(w) - bandX) || (t && y < bandY) || (b && y >= Double(h) - bandY)
                }
            }
            let length = max(Double(maxX - minX + 1) / Double(w), Double(maxY - minY + 1) / Double(h))
            let touching = (left || right || top || bottom) && within(left, right, top, bottom)
            if (touching || within(true, true, true, true)) && length > parameters.fragmentLength {
                kinds[label] = .line
            } else if touching {
                kinds[label] = .shortFragment
            }
        }
        guard kinds.contains(where: { $0 != .ink }) else { return }
        // The rest of the ink, grown by the keep gap: a short fragment that reaches it stays.
        let gap = max(1, Int((parameters.fragmentKeepGap * Double(min(w, h))).rounded()))
        var rest = [Bool](repeating: false, count: w * h)
        for (label, pixels) in components.pixels.enumerated() where kinds[label] == .ink {
            for i in pixels { rest[i] = true }
        }
        let near = Self.grown(rest, width: w, height: h, radius: gap)
        for (label, pixels) in components.pixels.enumerated() where kinds[label] != .ink {
            if kinds[label] == .shortFragment, pixels.contains(where: { near[$0] }) { continue }
            // The component and the faint edge of its stroke around it.
            for i in pixels {
                let (x, y) = (i % w, i / w)
                for yy in max(0, y - 1) ... min(h - 1, y + 1) {
                    for xx in max(0, x - 1) ... min(w - 1, x + 1) where coverage[yy * w + xx] < threshold || yy * w + xx == i {
                        coverage[yy * w + xx] = 0
                    }
                }
            }
        }
    }

    /// A mask grown by `radius` pixels (a square window).
    static func grown(_ mask: [Bool], width w: Int, height h: Int, radius r: Int) -> [Bool] {
        var rows = [Bool](repeating: false, count: w * h)
        for y in 0 ..< h {
            for x in 0 ..< w where mask[y * w + x] {
                for xx in max(0, x - r) ... min(w - 1, x + r) { rows[y * w + xx] = true }
            }
        }
        var out = [Bool](repeating: false, count: w * h)
        for y in 0 ..< h {
            for x in 0 ..< w where rows[y * w + x] {
                for yy in max(0, y - r) ... min(h - 1, y + r) { out[yy * w + x] = true }
            }
        }
        return out
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
        let peak = Double(orderStatistic(coverage, rank: min(coverage.count - 1, coverage.count * 99 / 100)))
        let bounds = maxX >= minX
            ? Rect(x: Double(minX) / Double(w), y: Double(minY) / Double(h),
                   width: Double(maxX - minX + 1) / Double(w), height: Double(maxY - minY + 1) / Double(h))
            : nil
        return InkStatistics(inkFraction: Double(inkPixels) / Double(w * h), inkMass: Double(mass) / Double(w * h),
                             peakInk: peak, bounds: bounds, colorfulness: inkPixels > 0 ? Double(colourSum) / Double(inkPixels) : 0)
    }

    /// The value that `values.sorted()[rank]` would give, for coverage in 0–1, without sorting:
    /// a 1024-bin histogram finds the bin that holds the rank, and only that bin's values are
    /// sorted. The statistics run on every training cell; a full sort was a twelfth of the time.
    static func orderStatistic(_ values: [Float], rank: Int) -> Float {
        precondition(rank >= 0 && rank < values.count)
        let bins = 1024
        func bin(_ v: Float) -> Int { min(bins - 1, max(0, Int(v * Float(bins)))) }
        var histogram = [Int](repeating: 0, count: bins)
        for v in values { histogram[bin(v)] += 1 }
        var target = 0, below = 0
        while below + histogram[target] <= rank { below += histogram[target]; target += 1 }
        let inBin = values.filter { bin($0) == target }.sorted()
        return inBin[rank - below]
    }

    /// Scales the ink's bounding box so its longer side is `digitSize` and places it in the
    /// 28 × 28 cell with its centre of mass at the centre (shifted back inside if needed).
    func normalise(_ coverage: [Float], width w: Int, height h: Int, bounds: Rect, referenceHeight: Double) -> [UInt8] {
        let bx = Int((bounds.minX * Double(w)).rounded()), by = Int((bounds.minY * Double(h)).rounded())
        let bw = max(1, Int((bounds.width * Double(w)).rounded())), bh = max(1, Int((bounds.height * Double(h)).rounded()))
        let scale = Double(parameters.digitSize) / max(Double(max(bw, bh)), parameters.smallestDigit * referenceHeight)
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

/// One-dimensional sliding-window filters over the rows or columns of an image, clipped at its
/// edges: the maximum and minimum (van Herk–Gil-Werman: a prefix and a suffix maximum per block
/// of the window's length, O(1) per pixel) and the mean (a running sum). `reference` is the direct loop.
enum SlidingWindow {
    enum Operation { case maximum, minimum, mean }

    static func apply(_ operation: Operation, to values: [Double], width w: Int, height h: Int, radius r: Int,
                      horizontal: Bool) -> [Double] {
        var out = values
        let (lines, length, step) = horizontal ? (h, w, 1) : (w, h, w)
        var line = [Double](repeating: 0, count: length), filtered = line
        for index in 0 ..< lines {
            let base = horizontal ? index * w : index
            for i in 0 ..< length { line[i] = values[base + i * step] }
            switch operation {
            case .maximum: maximum(line, radius: r, into: &filtered)
            case .minimum:
                maximum(line.map { -$0 }, radius: r, into: &filtered)
                for i in filtered.indices { filtered[i] = -filtered[i] }
            case .mean: mean(line, radius: r, into: &filtered)
            }
            for i in 0 ..< length { out[base + i * step] = filtered[i] }
        }
        return out
    }

    /// out[i] = max of v[i − r ... i + r] (clipped).
    static func maximum(_ v: [Double], radius r: Int, into out: inout [Double]) {
        let n = v.count, k = 2 * r + 1
        guard n > 0 else { return }
        var prefix = v, suffix = v
        for i in 1 ..< n where i % k != 0 { prefix[i] = max(prefix[i - 1], v[i]) }
        for i in stride(from: n - 2, through: 0, by: -1) where (i + 1) % k != 0 { suffix[i] = max(suffix[i + 1], v[i]) }
        for i in 0 ..< n {
            let lo = max(0, i - r), hi = min(n - 1, i + r)
            // [lo, hi] spans at most two blocks: the suffix of lo's block and the prefix of hi's.
            // Within one block, the window either starts the block or (clipped) ends the line.
            if lo / k != hi / k { out[i] = max(suffix[lo], prefix[hi]) } else { out[i] = lo % k == 0 ? prefix[hi] : suffix[lo] }
        }
    }

    /// out[i] = mean of v[i − r ... i + r] (clipped).
    static func mean(_ v: [Double], radius r: Int, into out: inout [Double]) {
        let n = v.count
        var sums = [Double](repeating: 0, count: n + 1)
        for i in 0 ..< n { sums[i + 1] = sums[i] + v[i] }
        for i in 0 ..< n {
            let lo = max(0, i - r), hi = min(n - 1, i + r)
            out[i] = (sums[hi + 1] - sums[lo]) / Double(hi - lo + 1)
        }
    }

    /// The direct loop over each window, for tests of the fast forms.
    static func reference(_ operation: Operation, to values: [Double], width w: Int, height h: Int, radius r: Int,
                          horizontal: Bool) -> [Double] {
        var out = values
        let (lines, length) = horizontal ? (h, w) : (w, h)
        for line in 0 ..< lines {
            let at = { (i: Int) in horizontal ? line * w + i : i * w + line }
            for i in 0 ..< length {
                var best = -Double.infinity, sum = 0.0
                let lo = max(0, i - r), hi = min(length - 1, i + r)
                for j in lo ... hi {
                    best = max(best, operation == .minimum ? -values[at(j)] : values[at(j)])
                    sum += values[at(j)]
                }
                out[at(i)] = switch operation {
                case .maximum: best
                case .minimum: -best
                case .mean: sum / Double(hi - lo + 1)
                }
            }
        }
        return out
    }
}

/// The 8-connected components of a coverage map's ink (coverage ≥ threshold).
struct InkComponents {
    /// The pixel indices of each component.
    var pixels: [[Int]] = []
    var count: Int { pixels.count }

    init(_ coverage: [Float], width w: Int, height h: Int, threshold: Float) {
        var label = [Int](repeating: -1, count: w * h)
        var stack: [Int] = []
        for start in 0 ..< w * h where coverage[start] >= threshold && label[start] < 0 {
            let id = pixels.count
            var members: [Int] = []
            label[start] = id
            stack.append(start)
            while let i = stack.popLast() {
                members.append(i)
                let (x, y) = (i % w, i / w)
                for yy in max(0, y - 1) ... min(h - 1, y + 1) {
                    for xx in max(0, x - 1) ... min(w - 1, x + 1) {
                        let j = yy * w + xx
                        if label[j] < 0, coverage[j] >= threshold { label[j] = id; stack.append(j) }
                    }
                }
            }
            pixels.append(members)
        }
    }
}

/// Resampling: by exact area overlap when shrinking (each target pixel is the mean of the
/// source area it covers), bilinear when enlarging (so a small digit is not made of blocks).
package enum AreaResampler {
    /// - Parameters:
    ///   - crop: The source rectangle (x, y, width, height) in pixels.
    ///   - to: Target width and height.
    package static func resample(_ source: [Float], width: Int, height: Int, crop: (Int, Int, Int, Int),
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
    package static func weights(from n: Int, to m: Int) -> [[(Int, Float)]] {
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
