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

        public init() {}
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
        if source < parameters.fontShare + parameters.hersheyShare {
            let style = DigitStyle.training[Int.random(in: 0 ..< DigitStyle.training.count, using: &g)]
            return (try typeset(digit, face: .hershey(style), using: &g), DigitClass(rawValue: digit)!)
        }
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
    func finish(_ canvas: InkCanvas, digit: Bool = false, using g: inout SeededGenerator) throws(ImageError) -> [Float] {
        var coverage = try elastic(canvas.coverage, using: &g)
        if digit, g.chance(parameters.gapRate) { breakStroke(&coverage, using: &g) }
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
        extractor.clearLineFragments(&values, width: w, height: h)
        return extractor.normalisedCell(values, colour: nil, width: w, height: h).pixels.map { Float($0) / 255 }
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
