import FormVision

/// A typeface for digit styles: Hershey's vector faces, which OpenCV draws.
public struct DigitStyle: Sendable, Equatable, CustomStringConvertible {
    let font: _Shim.Font
    let italic: Bool

    public var description: String { "\(font)\(italic ? " italic" : "")" }

    /// The faces training draws from: sans, bold sans, plain, serif and bold serif, upright and italic.
    public static let training: [DigitStyle] = [_Shim.Font.sans, .sansBold, .plain, .serif, .serifBold]
        .flatMap { [DigitStyle(font: $0, italic: false), DigitStyle(font: $0, italic: true)] }
    /// Held out of training entirely, as a style test: the two handwriting-like script faces.
    public static let heldOut: [DigitStyle] = [DigitStyle(font: .script, italic: false), DigitStyle(font: .scriptBold, italic: false)]
}

/// Where a typeset digit's shape comes from: a Hershey face OpenCV strokes, or the outlines of a
/// handwriting font.
public enum Typeface: Sendable, Equatable, CustomStringConvertible {
    case hershey(DigitStyle)
    case outline(DigitFace)

    public var description: String {
        switch self {
        case .hershey(let style): "hershey \(style)"
        case .outline(let face): face.name
        }
    }
}

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
        /// Share of digits drawn from the training handwriting fonts (`TrainingCells.faces`), in
        /// writers' pen weights. Compared with `train --validate` (columns 80–89): 0.25 and 0.4
        /// read digits.png alike, and more font digits read unseen hands better; 0.5 was no better.
        public var fontShare = 0.4
        /// Share of digits drawn by the stroke generator's writers (`StrokeDigits`, training
        /// variants only): the officers' styles that digits.png and the fonts lack.
        public var strokeShare = 0.0
        /// How marks are drawn: nil for the first round's X and dash (`InkCanvas.drawX`,
        /// `drawDash`); `MarkGenerator.Settings.training` for every kind of mark
        /// (`MarkGenerator.Settings.heldOut` is the test's).
        public var markSettings: MarkGenerator.Settings? = nil
        /// Share of blanks that hold a neighbour's stroke poking in at an edge.
        public var neighbourStrokeShare = 0.0
        /// Share of samples photographed as a sloppy crop (shaded paper, noise, a piece of the
        /// printed box inside the crop, blur) and normalised the way `classify` normalises an
        /// arbitrary crop (`CellExtractor.cell(fromImage:)`).
        public var sloppyShare = 0.0
        /// Share of samples reduced to a low resolution, and the box height (px) they are
        /// reduced to: at `hard`, boxes are about 20 px high.
        public var lowResolutionShare = 0.0
        public var lowResolutionHeight = 14.0 ... 32.0
        /// The canvas's scale, px per mm (the pipeline's).
        public var pixelsPerMM = 8.0
        /// Share of digits drawn from the Hershey faces (`DigitStyle.training`), with the variants
        /// Indonesian officers write: a crossed 7, a 1 with a flag or a base.
        public var hersheyShare = 0.05
        /// Chance that a font digit is drawn in a different pen weight, and how: the blur (px of
        /// the canvas, σ) and the level (0–1) at which the blurred glyph is cut again.
        public var penWeightRate = 0.7
        public var penBlur = 0.6 ... 1.6
        public var penLevel = 0.3 ... 0.6
        /// The finest pen, px of the canvas (0.3 mm at the pipeline's 8 px/mm): font strokes
        /// thinner than this are thickened.
        public var minimumPen = 2.4
        /// Chance of a gap in one stroke of a digit, and the gap's radius (px of the canvas):
        /// pens skip and loops are left open.
        public var gapRate = 0.3
        public var gapRadius = 2.0 ... 4.0
        /// Geometry of typeset digits: rotation (radians), slant (x shift per unit of height,
        /// positive leaning right) and width scale, each uniform in its range.
        public var typesetRotation = -0.12 ... 0.12
        public var typesetSlant = -0.1 ... 0.3
        public var typesetWidthScale = 0.75 ... 1.25
        /// Canvas: a 7.5 × 9 mm box at the pipeline's 8 px/mm.
        public var box = Rect(x: 16, y: 18, width: 60, height: 72)

        /// The first round's recipe, which trained the committed network.
        public init() {}

        /// The second round's recipe: the stroke generator's writers, every kind of mark,
        /// neighbours' strokes in blanks, sloppy photographed crops and low resolution.
        public static var secondRound: Parameters {
            var p = Parameters()
            p.markShare = 0.18
            p.blankShare = 0.1
            p.fontShare = 0.3
            p.strokeShare = 0.25
            p.markSettings = .training
            p.neighbourStrokeShare = 0.2
            p.sloppyShare = 0.3
            p.lowResolutionShare = 0.25
            return p
        }
    }

    public var digits: HandwrittenDigits
    /// Handwriting fonts to draw digits from (`HandwritingFonts.faces(.training)`); none means
    /// digits.png and the Hershey faces only.
    public var faces: [DigitFace]
    public var parameters: Parameters
    let extractor = CellExtractor()

    public init(digits: HandwrittenDigits, faces: [DigitFace] = [], parameters: Parameters = Parameters()) {
        self.digits = digits
        self.faces = faces
        self.parameters = parameters
    }

    /// One random training sample: 784 inputs (0–1) and its class.
    public func sample(using g: inout SeededGenerator) throws(ImageError) -> (cell: [Float], label: DigitClass) {
        let pick = g.uniform(0 ... 1)
        if pick < parameters.blankShare { return (try blank(using: &g), .blank) }
        if pick < parameters.blankShare + parameters.markShare { return (try mark(using: &g), .mark) }
        let digit = Int.random(in: 0 ..< 10, using: &g)
        let source = g.uniform(0 ... 1)
        if source < parameters.fontShare, !faces.isEmpty {
            let face = faces[Int.random(in: 0 ..< faces.count, using: &g)]
            return (try typeset(digit, face: .outline(face), using: &g), DigitClass(rawValue: digit)!)
        }
        if source < parameters.fontShare + parameters.strokeShare {
            return (try stroked(digit, split: .training, using: &g), DigitClass(rawValue: digit)!)
        }
        if source < parameters.fontShare + parameters.strokeShare + parameters.hersheyShare {
            let style = DigitStyle.training[Int.random(in: 0 ..< DigitStyle.training.count, using: &g)]
            return (try typeset(digit, face: .hershey(style), using: &g), DigitClass(rawValue: digit)!)
        }
        let pool = digits.samples[digit]
        return (try handwritten(pool[Int.random(in: 0 ..< pool.count, using: &g)], using: &g), DigitClass(rawValue: digit)!)
    }

    /// A digit as a random writer of the stroke generator draws it, in one of `split`'s variants.
    public func stroked(_ digit: Int, split: StrokeDigits.Split, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var canvas = emptyCanvas()
        let writer = StrokeDigits.Writer.random(split: split, using: &g)
        let (w, h) = (canvas.coverage.width, canvas.coverage.height)
        var raster = StrokeRaster(width: w, height: h)
        let centre = Point(Double(w) / 2, Double(h) / 2) + Point(g.normal() * 0.05 * Double(w), g.normal() * 0.05 * Double(h))
        StrokeDigits.draw(digit, writer: writer, centre: centre, height: parameters.box.height * writer.heightFraction,
                          pixelsPerMM: parameters.pixelsPerMM, into: &raster, using: &g)
        canvas.accumulate(raster)
        return try finish(canvas, digit: true, using: &g)
    }

    /// Stroke-generator digits of `split`'s variants, `perDigit` of each, from a seed no
    /// training run uses: with `.heldOut`, the generator's style test.
    /// The cells are made in `testConditions`, whatever the recipe.
    public func strokeSamples(split: StrokeDigits.Split, perDigit: Int, seed: UInt64) throws(ImageError) -> [(cell: [Float], label: DigitClass)] {
        let cells = inTestConditions
        var g = SeededGenerator(seed: seed).derived("stroke-digits-\(split.rawValue)")
        var samples: [(cell: [Float], label: DigitClass)] = []
        for digit in 0 ..< 10 {
            for _ in 0 ..< perDigit { samples.append((try cells.stroked(digit, split: split, using: &g), DigitClass(rawValue: digit)!)) }
        }
        return samples
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
        return try finish(canvas, digit: true, using: &g)
    }

    /// A digit set in a typeface, in a random size and pen weight, with a writer's variants,
    /// slanted and turned a little.
    public func typeset(_ digit: Int, face: Typeface, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var canvas = emptyCanvas()
        let box = parameters.box
        var layer = Image(width: canvas.coverage.width, height: canvas.coverage.height, format: .gray8)
        let height = box.height * g.uniform(0.55 ... 0.85)
        var stroke: Double
        switch face {
        case .hershey(let style):
            let thickness = Int.random(in: 2 ... 6, using: &g)
            stroke = Double(thickness)
            let unit = try _Shim.textExtent("8", font: style.font, italic: style.italic, scale: 1, thickness: thickness)
            let scale = height / unit.capHeight
            let extent = try _Shim.textExtent(String(digit), font: style.font, italic: style.italic, scale: scale, thickness: thickness)
            let origin = canvas.local(box.center) + Point(-extent.width / 2, extent.capHeight / 2)
            try _Shim.drawText(&layer, String(digit), baseline: origin, font: style.font, italic: style.italic, scale: scale,
                               thickness: thickness, color: [255])
        case .outline(let font):
            let centre = canvas.local(box.center)
            PolygonFill.fill(font.glyphs[digit].contours.map { $0.map { centre + $0 * height } }, into: &layer)
            if g.chance(parameters.penWeightRate) { try reweight(&layer, using: &g) }
            stroke = Self.strokeWidth(layer)
            // No pen draws a hairline: thin fonts (or thinned ones) are thickened to a fine pen.
            for _ in 0 ..< 4 where stroke > 0 && stroke < parameters.minimumPen {
                Self.dilate(&layer)
                stroke = Self.strokeWidth(layer)
            }
        }
        try addWritersVariants(digit, to: &layer, stroke: stroke, using: &g)
        // A little rotation, slant and change of width about the box centre.
        let angle = g.uniform(parameters.typesetRotation), slant = g.uniform(parameters.typesetSlant)
        let widthScale = g.uniform(parameters.typesetWidthScale)
        let c = canvas.local(box.center)
        let (cs, sn) = (cos(angle), sin(angle))
        let m00 = cs * widthScale, m01 = cs * slant - sn, m10 = sn * widthScale, m11 = sn * slant + cs
        var turned = Image(width: layer.width, height: layer.height, format: .gray8)
        try _Shim.warpAffine(layer, matrix: [m00, m01, c.x - m00 * c.x - m01 * c.y, m10, m11, c.y - m10 * c.x - m11 * c.y],
                             interpolation: .linear, border: 0, into: &turned)
        canvas.accumulate(turned) { Double($0) / 255 }
        return try finish(canvas, digit: true, using: &g)
    }

    /// Writers' variants on the glyph's own box (DOMAIN.md: a 7 with or without a bar, a 1
    /// with or without a flag and a base), whatever the glyph has itself: drawn in `layer`
    /// (ink 255 on 0) with a pen of `stroke` px.
    func addWritersVariants(_ digit: Int, to layer: inout Image, stroke: Double, using g: inout SeededGenerator) throws(ImageError) {
        guard digit == 1 || digit == 7, let ink = Self.inkBox(layer) else { return }
        let width = max(2, stroke)
        if digit == 7, g.chance(0.5) { // a bar across the stem
            let y = ink.center.y + g.uniform(-0.05 ... 0.1) * ink.height
            try _Shim.drawLine(&layer, from: Point(ink.center.x - 0.3 * ink.width, y), to: Point(ink.center.x + 0.25 * ink.width, y),
                               thickness: width, color: [255])
        }
        // Only on a bare stroke: a writer whose 1 has a flag or a base does not add another.
        let bare = ink.width < 0.3 * ink.height + width
        if digit == 1, bare, g.chance(0.5) { // a flag, short and steep to long and low
            let top = Point(ink.maxX - 0.5 * width, ink.minY + 0.5 * width)
            let end = top + Point(-g.uniform(0.2 ... 0.6), g.uniform(0.15 ... 0.6)) * ink.height
            try _Shim.drawLine(&layer, from: top, to: end, thickness: width, color: [255])
        }
        if digit == 1, bare, g.chance(0.3) { // a base
            try _Shim.drawLine(&layer, from: Point(ink.center.x - 0.3 * ink.height, ink.maxY), to: Point(ink.center.x + 0.3 * ink.height, ink.maxY),
                               thickness: width, color: [255])
        }
    }

    /// Digits set in the given faces, `perDigit` of each digit spread evenly over the faces,
    /// from a seed no training run uses: the style test.
    public func typesetSamples(_ faces: [Typeface], perDigit: Int, seed: UInt64) throws(ImageError) -> [(cell: [Float], label: DigitClass)] {
        guard !faces.isEmpty else { return [] }
        var g = SeededGenerator(seed: seed).derived("held-out-typeset")
        var samples: [(cell: [Float], label: DigitClass)] = []
        for digit in 0 ..< 10 {
            for i in 0 ..< perDigit {
                samples.append((try typeset(digit, face: faces[i % faces.count], using: &g), DigitClass(rawValue: digit)!))
            }
        }
        return samples
    }

    /// A different pen: the glyph blurred, then cut again at a random level (a low level
    /// thickens the strokes, a high one thins them).
    func reweight(_ layer: inout Image, using g: inout SeededGenerator) throws(ImageError) {
        try _Shim.gaussianBlur(&layer, sigma: g.uniform(parameters.penBlur))
        let level = g.uniform(parameters.penLevel) * 255, ramp = 0.12 * 255
        for i in layer.storage.indices {
            let v = (Double(layer.storage[i]) - level) / ramp + 0.5
            layer.storage[i] = UInt8(max(0, min(1, v)) * 255)
        }
    }

    /// Grows the ink by one pixel on every side (a 3 × 3 maximum).
    static func dilate(_ layer: inout Image) {
        let (w, h) = (layer.width, layer.height)
        let source = layer
        for y in 0 ..< h {
            for x in 0 ..< w {
                var v: UInt8 = 0
                for sy in max(0, y - 1) ... min(h - 1, y + 1) {
                    for sx in max(0, x - 1) ... min(w - 1, x + 1) { v = max(v, source[sx, sy]) }
                }
                layer[x, y] = v
            }
        }
    }

    /// A stroke's width in a layer: the median length of the horizontal ink runs.
    static func strokeWidth(_ layer: Image) -> Double {
        var runs: [Int] = []
        for y in 0 ..< layer.height {
            var run = 0
            for x in 0 ..< layer.width {
                if layer[x, y] > 128 { run += 1 } else if run > 0 { runs.append(run); run = 0 }
            }
            if run > 0 { runs.append(run) }
        }
        guard !runs.isEmpty else { return 0 }
        runs.sort()
        return Double(runs[runs.count / 2])
    }

    /// The bounding box of a layer's ink, in its own pixel coordinates.
    static func inkBox(_ layer: Image) -> Rect? {
        var (minX, minY, maxX, maxY) = (layer.width, layer.height, -1, -1)
        for y in 0 ..< layer.height {
            for x in 0 ..< layer.width where layer[x, y] > 128 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return maxX >= minX ? Rect(x: Double(minX), y: Double(minY), width: Double(maxX - minX + 1), height: Double(maxY - minY + 1)) : nil
    }

    /// A mark that is not a digit (X, slash, dash, scribble, struck box), drawn with the
    /// training settings.
    public func mark(using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        if let settings = parameters.markSettings { return try mark(settings: settings, using: &g) }
        var canvas = emptyCanvas()
        let width = g.uniform(2.5 ... 7)
        if g.chance(0.6) { try canvas.drawX(in: parameters.box, stroke: width, using: &g) } else {
            try canvas.drawDash(in: parameters.box, stroke: width, using: &g)
        }
        return try finish(canvas, using: &g)
    }

    /// A mark drawn with the given settings.
    public func mark(settings: MarkGenerator.Settings, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var canvas = emptyCanvas()
        let generator = MarkGenerator(settings: settings)
        var raster = StrokeRaster(width: canvas.coverage.width, height: canvas.coverage.height)
        let box = Rect(x: 0, y: 0, width: Double(raster.width), height: Double(raster.height))
        let overLine = generator.draw(generator.kind(using: &g), in: box, pixelsPerMM: parameters.pixelsPerMM, into: &raster, using: &g)
        canvas.accumulate(raster)
        return try finish(canvas, fragment: overLine ? true : nil, using: &g)
    }

    /// Marks and blanks drawn with `settings` from a seed no training run uses: with
    /// `MarkGenerator.Settings.heldOut`, the marks test.
    /// The cells are made in `testConditions`, whatever the recipe.
    public func markSamples(settings: MarkGenerator.Settings, marks: Int, blanks: Int, seed: UInt64) throws(ImageError)
        -> [(cell: [Float], label: DigitClass)] {
        let cells = inTestConditions
        var g = SeededGenerator(seed: seed).derived("marks-\(settings == .heldOut ? "held-out" : "training")")
        var samples: [(cell: [Float], label: DigitClass)] = []
        for _ in 0 ..< marks { samples.append((try cells.mark(settings: settings, using: &g), .mark)) }
        for _ in 0 ..< blanks { samples.append((try cells.blank(using: &g), .blank)) }
        return samples
    }

    /// The conditions the generated test sets are made in, fixed so that a test does not move
    /// with the recipe under test: a third of the cells photographed as sloppy crops, a quarter
    /// at low resolution, a fifth of the blanks with a neighbour's stroke.
    public static let testConditions: (sloppy: Double, lowResolution: Double, neighbourStroke: Double) = (0.3, 0.25, 0.2)

    /// These cells with the test conditions in place of the recipe's.
    var inTestConditions: TrainingCells {
        var cells = self
        (cells.parameters.sloppyShare, cells.parameters.lowResolutionShare, cells.parameters.neighbourStrokeShare) = Self.testConditions
        return cells
    }

    /// Nothing, or a speck, a stray fragment or a neighbour's stroke the pipeline might let
    /// through; `finish` may add a sliver of box line or photograph it as a sloppy crop.
    public func blank(using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var canvas = emptyCanvas()
        let (w, h) = (Double(canvas.coverage.width), Double(canvas.coverage.height))
        // No draw at a share of 0, so that the first round's blanks come out as they did.
        if parameters.neighbourStrokeShare == 0 || !g.chance(parameters.neighbourStrokeShare) {
            if g.chance(0.5) { // a speck anywhere
                let p = parameters.box.center + Point(g.normal() * 15, g.normal() * 15)
                let q = p + Point(g.normal() * 3, g.normal() * 3)
                try canvas.stroke([p, q], width: g.uniform(1 ... 3))
            }
        } else { // a neighbour's stroke poking in at an edge
            var raster = StrokeRaster(width: Int(w), height: Int(h))
            let edge = Int.random(in: 0 ..< 4, using: &g), depth = g.uniform(0.03 ... 0.15)
            let along = g.uniform(0.15 ... 0.85), length = g.uniform(0.15 ... 0.6)
            let (a, b): (Point, Point) = switch edge {
            case 0: (Point(depth * w, (along - length / 2) * h), Point(depth * w * 0.3, (along + length / 2) * h))
            case 1: (Point(w - depth * w, (along - length / 2) * h), Point(w - depth * w * 0.3, (along + length / 2) * h))
            case 2: (Point((along - length / 2) * w, depth * h), Point((along + length / 2) * w, 0))
            default: (Point((along - length / 2) * w, h - depth * h), Point((along + length / 2) * w, h))
            }
            let radius = g.uniform(1 ... 4)
            let points = PenPath([a, b + (b - a) * 0.3]).sampled(spacing: 1)
            raster.draw(points, radii: Array(repeating: radius, count: points.count))
            canvas.accumulate(raster)
        }
        return try finish(canvas, using: &g)
    }

    func emptyCanvas() -> InkCanvas {
        let page = Image(width: Int(parameters.box.maxX + parameters.box.minX), height: Int(parameters.box.maxY + parameters.box.minY),
                         format: .gray8)
        return InkCanvas(around: parameters.box, margin: 0.0, page: page)
    }

    /// Elastic distortion and a possible gap; then either the pipeline's cell (a possible
    /// sliver of box line, low resolution, the pipeline's clean-up and normalisation) or a
    /// sloppy photographed crop normalised as `classify` does (`photographed`). `fragment`
    /// forces (true) or forbids (false) the sliver of line; nil leaves it to chance.
    func finish(_ canvas: InkCanvas, digit: Bool = false, fragment: Bool? = nil, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var coverage = try elastic(canvas.coverage, using: &g)
        if digit, g.chance(parameters.gapRate) { breakStroke(&coverage, using: &g) }
        if g.chance(parameters.sloppyShare) { return try photographed(coverage, using: &g) }
        var (w, h) = (coverage.width, coverage.height)
        var values = coverage.storage.prefix(w * h).map { Float($0) / 255 }
        if fragment ?? g.chance(parameters.fragmentRate) {
            // A sliver of box line along one edge, as a slightly misplaced box leaves.
            let edge = Int.random(in: 0 ..< 4, using: &g), thickness = Int.random(in: 1 ... 3, using: &g)
            let length = g.chance(0.7) ? 1.0 : g.uniform(0.3 ... 1)
            let count = edge < 2 ? w : h
            let start = Int(Double(count) * (1 - length) * g.uniform(0 ... 1))
            for t in 0 ..< thickness {
                for i in start ..< min(count, start + Int(Double(count) * length)) {
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
        if let (tw, th) = reducedSize(width: w, height: h, boxHeight: h, using: &g) {
            values = AreaResampler.resample(values, width: w, height: h, crop: (0, 0, w, h), to: (tw, th))
            (w, h) = (tw, th)
        }
        extractor.clearLineFragments(&values, width: w, height: h)
        extractor.clearEdgeFragments(&values, width: w, height: h)
        return extractor.normalisedCell(values, colour: nil, width: w, height: h).pixels.map { Float($0) / 255 }
    }

    /// With chance `lowResolutionShare`, the size an image of `width` × `height` px shrinks to
    /// when the box in it (`boxHeight` px high) is reduced to a height in `lowResolutionHeight`;
    /// nil otherwise.
    func reducedSize(width: Int, height: Int, boxHeight: Int, using g: inout SeededGenerator) -> (Int, Int)? {
        guard g.chance(parameters.lowResolutionShare) else { return nil }
        let scale = g.uniform(parameters.lowResolutionHeight) / Double(boxHeight)
        return (max(4, Int((Double(width) * scale).rounded())), max(4, Int((Double(height) * scale).rounded())))
    }

    /// The ink photographed as a sloppy crop of a box: a margin of paper and printed box line
    /// around it on some sides, shaded paper, ink of a pen's colour, noise, blur and perhaps a
    /// low resolution; then normalised by `CellExtractor.cell(fromImage:)`, as `classify` does.
    func photographed(_ coverage: Image, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        let (w, h) = (coverage.width, coverage.height)
        // Margins: how far the crop reaches beyond the box interior on each side (px); the
        // printed line lies just outside the interior (the pipeline's 0.3 mm inset).
        let margins = (0 ..< 4).map { _ in g.chance(0.5) ? Int(g.uniform(0 ... 0.15) * Double(min(w, h))) : 0 }
        let (left, right, top, bottom) = (margins[0], margins[1], margins[2], margins[3])
        let (W, H) = (w + left + right, h + top + bottom)
        var photo = Image(width: W, height: H, format: .rgb8)
        let paper = g.uniform(150 ... 250)
        let tint = [1.0, g.uniform(0.95 ... 1), g.uniform(0.85 ... 1)]
        let shadowDepth = g.chance(0.6) ? g.uniform(0 ... 0.45) : 0
        let shadowAngle = g.uniform(0 ... 2 * Double.pi), shadowEdge = g.uniform(0.2 ... 0.8)
        let blue = g.chance(0.55)
        let ink: [Double] = blue ? [g.uniform(15 ... 45), g.uniform(35 ... 70), g.uniform(120 ... 175)]
            : [g.uniform(15 ... 35), g.uniform(15 ... 35), g.uniform(18 ... 40)]
        let density = g.uniform(0.6 ... 0.98), noise = g.uniform(0 ... 6)
        // The printed box line: dark gray, 1.5–4 px, at the interior's edge less the inset.
        let lineWidth = g.uniform(1.5 ... 4), lineGap = g.uniform(1 ... 3.5), lineLevel = g.uniform(0.25 ... 0.6)
        let inset = (Double(left), Double(top), Double(left + w), Double(top + h))
        let (shadowX, shadowY) = (cos(shadowAngle), sin(shadowAngle))
        for y in 0 ..< H {
            for x in 0 ..< W {
                let (fx, fy) = (Double(x) + 0.5, Double(y) + 0.5)
                let along = ((fx / Double(W) - 0.5) * shadowX + (fy / Double(H) - 0.5) * shadowY) + 0.5
                let shade = 1 - shadowDepth * max(0, min(1, (along - shadowEdge) * 4 + 0.5))
                // Distance outside the interior to each printed line.
                var line = 0.0
                for (d, visible) in [(inset.0 - fx, left > 0), (fx - inset.2, right > 0), (inset.1 - fy, top > 0), (fy - inset.3, bottom > 0)] where visible {
                    let centre = lineGap + lineWidth / 2
                    line = max(line, max(0, min(1, lineWidth / 2 - abs(d - centre) + 0.5)))
                }
                let a = (x >= left && x < left + w && y >= top && y < top + h) ? Double(coverage[x - left, y - top]) / 255 * density : 0
                // Sensor noise, uniform with the given standard deviation, the same in every channel.
                let grain = g.uniform(-1.732 ... 1.732) * noise
                for c in 0 ..< 3 {
                    var v = paper * tint[c] * shade
                    v = v * (1 - line * (1 - lineLevel))
                    v = v * (1 - a) + ink[c] * a
                    v += grain
                    photo[x, y, c] = UInt8(max(0, min(255, v.rounded())))
                }
            }
        }
        if g.chance(0.3) { try _Shim.gaussianBlur(&photo, sigma: g.uniform(0.5 ... 1.3)) }
        if let (tw, th) = reducedSize(width: W, height: H, boxHeight: h, using: &g) {
            var small = Image(width: tw, height: th, format: .rgb8)
            try _Shim.resizeArea(photo, into: &small)
            photo = small
        }
        return extractor.cell(fromImage: photo).pixels.map { Float($0) / 255 }
    }

    /// A gap in one stroke, as a skipping pen or an unclosed loop leaves: a disc of paper at a
    /// random ink pixel.
    func breakStroke(_ image: inout Image, using g: inout SeededGenerator) {
        let ink = image.storage.indices.filter { image.storage[$0] > 128 }
        guard let centre = ink.randomElement(using: &g) else { return }
        let (cx, cy) = (centre % image.rowStride, centre / image.rowStride)
        let radius = g.uniform(parameters.gapRadius)
        let r = Int(radius.rounded(.up))
        for y in max(0, cy - r) ... min(image.height - 1, cy + r) {
            for x in max(0, cx - r) ... min(image.width - 1, cx + r) {
                let d = (Double((x - cx) * (x - cx) + (y - cy) * (y - cy))).squareRoot()
                if d <= radius { image[x, y] = 0 }
            }
        }
    }

    /// A smooth random displacement of the canvas.
    ///
    /// The displacement is evaluated on a grid every `elasticGridStep` pixels and interpolated
    /// bilinearly in between: the noise varies over a whole lattice cell (a few dozen pixels),
    /// so the grid loses nothing visible, and evaluating it at every pixel was an eighth of the
    /// training-cell time.
    func elastic(_ image: Image, using g: inout SeededGenerator) throws(ImageError) -> Image {
        let (w, h) = (image.width, image.height)
        let noise = ValueNoise(seed: g.next())
        let amplitude = parameters.elasticAmplitude * Double(max(w, h)) * g.uniform(0 ... 1)
        let cells = parameters.elasticCells
        let step = Self.elasticGridStep
        let (gw, gh) = ((w - 1) / step + 2, (h - 1) / step + 2)
        var gridX = [Double](repeating: 0, count: gw * gh), gridY = gridX
        for j in 0 ..< gh {
            for i in 0 ..< gw {
                let u = Double(i * step) / Double(w) * cells, v = Double(j * step) / Double(h) * cells
                gridX[j * gw + i] = amplitude * (noise.value(u, v) - 0.5) * 2
                gridY[j * gw + i] = amplitude * (noise.value(u + 17.3, v + 5.1) - 0.5) * 2
            }
        }
        var mapX = [Float](repeating: 0, count: w * h), mapY = [Float](repeating: 0, count: w * h)
        for y in 0 ..< h {
            let (j, fy) = (y / step, Double(y % step) / Double(step))
            for x in 0 ..< w {
                let (i, fx) = (x / step, Double(x % step) / Double(step))
                let (a, b, c, d) = (j * gw + i, j * gw + i + 1, (j + 1) * gw + i, (j + 1) * gw + i + 1)
                let dx = (gridX[a] * (1 - fx) + gridX[b] * fx) * (1 - fy) + (gridX[c] * (1 - fx) + gridX[d] * fx) * fy
                let dy = (gridY[a] * (1 - fx) + gridY[b] * fx) * (1 - fy) + (gridY[c] * (1 - fx) + gridY[d] * fx) * fy
                mapX[y * w + x] = Float(Double(x) + dx)
                mapY[y * w + x] = Float(Double(y) + dy)
            }
        }
        var out = Image(width: w, height: h, format: .gray8)
        try _Shim.remap(image, mapX: mapX, mapY: mapY, interpolation: .linear, border: 0, into: &out)
        return out
    }

    /// Pixels between the points where `elastic` evaluates its noise.
    static let elasticGridStep = 4

    /// Every sample of a digits.png part, labelled, as `plain` gives it: the held-out,
    /// validation and calibration sets.
    public func plainSamples(_ part: HandwrittenDigits) -> [(cell: [Float], label: DigitClass)] {
        part.samples.joined().map { (cell: plain($0), label: DigitClass(rawValue: $0.digit)!) }
    }

    /// A held-out digits.png sample as the network sees it: its pixels normalised directly, no
    /// augmentation (the measurement the acceptance figures use).
    public func plain(_ sample: HandwrittenDigits.Sample) -> [Float] {
        let side = HandwrittenDigits.cellSize
        return extractor.normalisedCell(sample.pixels.map { Float($0) / 255 }, colour: nil, width: side, height: side)
            .pixels.map { Float($0) / 255 }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
