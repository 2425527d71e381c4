/// Makes classifier inputs the way the reader sees them: marks drawn into a box-sized canvas by
/// the same handwriting code as the corpus, distorted, then normalised by the same code as the
/// pipeline's cells.
///
/// Classes: digits from digits.png (training columns only, unless asked otherwise), X marks and
/// dashes drawn as pen strokes, and blanks (empty, or specks and line fragments).
public struct TrainingCells: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Share of marks (X or dash) and of blanks among the samples.
        public var markShare = 0.14
        public var blankShare = 0.08
        /// Elastic distortion: displacement amplitude (fraction of the box) and smoothness
        /// (lattice cells across the box).
        public var elasticAmplitude = 0.06
        public var elasticCells = 3.0
        /// Chance of a box-line fragment left at a cell edge.
        public var fragmentRate = 0.3
        /// Share of digits kept with their soft, anti-aliased edges (coverage proportional to the
        /// sample's gray) rather than cut into strokes of a pen's weight: real cells come both
        /// ways, depending on the pen and the photo's sharpness.
        public var softShare = 0.5
        /// Canvas: a 7.5 × 9 mm box at the pipeline's 8 px/mm.
        public var box = Rect(x: 16, y: 18, width: 60, height: 72)

        public init() {}
    }

    public var digits: HandwrittenDigits
    public var parameters: Parameters
    let extractor = CellExtractor()

    public init(digits: HandwrittenDigits, parameters: Parameters = Parameters()) {
        self.digits = digits
        self.parameters = parameters
    }

    /// One random training sample: 784 inputs (0–1) and its class.
    public func sample(using g: inout SeededGenerator) throws(ImageError) -> (cell: [Float], label: DigitClass) {
        let pick = g.uniform(0 ... 1)
        if pick < parameters.blankShare { return (try blank(using: &g), .blank) }
        if pick < parameters.blankShare + parameters.markShare { return (try mark(using: &g), .mark) }
        let digit = Int.random(in: 0 ..< 10, using: &g)
        let pool = digits.samples[digit]
        return (try handwritten(pool[Int.random(in: 0 ..< pool.count, using: &g)], using: &g), DigitClass(rawValue: digit)!)
    }

    /// A digit as written by a random writer, distorted.
    public func handwritten(_ sample: HandwrittenDigits.Sample, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var canvas = emptyCanvas()
        var style = WriterStyle.random(using: &g)
        style.jitter *= 0.5
        var strokes = FormFiller.Parameters()
        if g.chance(parameters.softShare) {
            // Coverage = gray / 255: (v − 127.5) / 255 + 0.5.
            style.strokeThreshold = 127.5
            strokes.edgeSoftness = 255
        }
        try canvas.drawDigit(sample, in: parameters.box, style: style, parameters: strokes, placement: .centre, using: &g)
        return try finish(canvas, using: &g)
    }

    /// An X or a dash.
    public func mark(using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var canvas = emptyCanvas()
        let width = g.uniform(2.5 ... 7)
        if g.chance(0.6) { try canvas.drawX(in: parameters.box, stroke: width, using: &g) } else {
            try canvas.drawDash(in: parameters.box, stroke: width, using: &g)
        }
        return try finish(canvas, using: &g)
    }

    /// Nothing, or a speck or stray fragment the pipeline might let through.
    public func blank(using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var canvas = emptyCanvas()
        if g.chance(0.5) {
            let p = parameters.box.center + Point(g.normal() * 15, g.normal() * 15)
            let q = p + Point(g.normal() * 3, g.normal() * 3)
            try canvas.stroke([p, q], width: g.uniform(1 ... 3))
        }
        return try finish(canvas, using: &g)
    }

    func emptyCanvas() -> InkCanvas {
        let page = Image(width: Int(parameters.box.maxX + parameters.box.minX), height: Int(parameters.box.maxY + parameters.box.minY),
                         format: .gray8)
        return InkCanvas(around: parameters.box, margin: 0.0, page: page)
    }

    /// Elastic distortion, a possible line fragment, then the pipeline's normalisation.
    func finish(_ canvas: InkCanvas, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var coverage = try elastic(canvas.coverage, using: &g)
        let (w, h) = (coverage.width, coverage.height)
        var values = coverage.storage.prefix(w * h).map { Float($0) / 255 }
        if g.chance(parameters.fragmentRate) {
            // A sliver of box line along one edge, as a slightly misplaced box leaves.
            let edge = Int.random(in: 0 ..< 4, using: &g), thickness = Int.random(in: 1 ... 3, using: &g)
            for t in 0 ..< thickness {
                for i in 0 ..< (edge < 2 ? w : h) {
                    let index = switch edge {
                    case 0: t * w + i
                    case 1: (h - 1 - t) * w + i
                    case 2: i * w + t
                    default: i * w + (w - 1 - t)
                    }
                    values[index] = max(values[index], Float(g.uniform(0.6 ... 1)))
                }
            }
        }
        coverage = Image()
        extractor.clearLineFragments(&values, width: w, height: h)
        let statistics = CellExtractor.statistics(values, colour: [Float](repeating: 0, count: w * h), width: w, height: h,
                                                  threshold: Float(extractor.parameters.inkThreshold))
        guard let bounds = statistics.bounds else { return [Float](repeating: 0, count: 784) }
        return extractor.normalise(values, width: w, height: h, bounds: bounds).map { Float($0) / 255 }
    }

    /// A smooth random displacement of the canvas.
    func elastic(_ image: Image, using g: inout SeededGenerator) throws(ImageError) -> Image {
        let (w, h) = (image.width, image.height)
        let noise = ValueNoise(seed: g.next())
        let amplitude = parameters.elasticAmplitude * Double(max(w, h)) * g.uniform(0 ... 1)
        let cells = parameters.elasticCells
        var mapX = [Float](repeating: 0, count: w * h), mapY = [Float](repeating: 0, count: w * h)
        for y in 0 ..< h {
            for x in 0 ..< w {
                let u = Double(x) / Double(w) * cells, v = Double(y) / Double(h) * cells
                mapX[y * w + x] = Float(Double(x) + amplitude * (noise.value(u, v) - 0.5) * 2)
                mapY[y * w + x] = Float(Double(y) + amplitude * (noise.value(u + 17.3, v + 5.1) - 0.5) * 2)
            }
        }
        var out = Image(width: w, height: h, format: .gray8)
        try _Shim.remap(image, mapX: mapX, mapY: mapY, interpolation: .linear, border: 0, into: &out)
        return out
    }

    /// A held-out digits.png sample as the network sees it: its pixels normalised directly, no
    /// augmentation (the measurement the acceptance figures use).
    public func plain(_ sample: HandwrittenDigits.Sample) -> [Float] {
        let values = sample.pixels.map { Float($0) / 255 }
        let statistics = CellExtractor.statistics(values, colour: [Float](repeating: 0, count: 400), width: 20, height: 20,
                                                  threshold: Float(extractor.parameters.inkThreshold))
        guard let bounds = statistics.bounds else { return [Float](repeating: 0, count: 784) }
        return extractor.normalise(values, width: 20, height: 20, bounds: bounds).map { Float($0) / 255 }
    }
}
