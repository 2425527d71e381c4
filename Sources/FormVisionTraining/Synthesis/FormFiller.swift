import FormVision

/// The truth of one field of a filled form.
public struct FieldTruth: Sendable, Equatable, Codable {
    public var name: String
    public var value: Int
    public var boxes: [BoxTruth]
}

/// Writes a station's numbers into a rendered page by hand: real handwritten digits from
/// `HandwrittenDigits`, and drawn X marks, dashes and corrections, in one writer's style.
///
/// Each mark is drawn as an ink-coverage mask (0–1) on a small canvas around its box, then
/// laid onto the page with the pen's colour (`page = page·(1 − a) + ink·a`).
public struct FormFiller: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Margin of a mark's canvas around its box, as a fraction of the box size: room for
        /// digits that run over the box lines.
        public var canvasMargin = 0.45
        /// How far an overflowing digit is pushed, as a fraction of the box size.
        public var overflowShift = 0.18...0.4
        /// Largest rotation of a digit, in radians.
        public var maxRotation = 0.12
        /// Softness of stroke edges, in units of the upscaled sample's 0–255 values.
        public var edgeSoftness = 35.0
        /// Colour of correction fluid, RGB.
        public var fluid: [UInt8] = [246, 246, 240]

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Writes every field of `template` whose value is in `values` into `page`.
    ///
    /// - Parameters:
    ///   - page: The rendered page, RGB, at `dpi`.
    ///   - digits: Where the handwritten digits come from (use the held-out part for corpora
    ///     that measure accuracy).
    /// - Returns: The truth of every field written, in template order.
    public func fill(_ template: FormTemplate, values: [String: Int], on page: inout Image, dpi: Double,
                     digits: HandwrittenDigits, style: WriterStyle,
                     using g: inout SeededGenerator) throws(ImageError) -> [FieldTruth] {
        guard page.format == .rgb8 else { throw .invalidImage(reason: "the page must be RGB") }
        let scale = PageRenderer.scale(dpi: dpi)
        var truths: [FieldTruth] = []
        for field in template.fields {
            guard let value = values[field.name] else { continue }
            var boxes = style.marks(for: value, boxes: field.boxes.count, using: &g)
            for (index, rect) in field.boxes.enumerated() {
                if case .digit = boxes[index].mark, g.chance(style.correctionRate) {
                    boxes[index].correction = g.chance(0.6) ? .fluid : .struck
                }
                try write(boxes[index], in: rect.scaled(by: scale), scale: scale, page: &page, digits: digits,
                          style: style, using: &g)
            }
            truths.append(FieldTruth(name: field.name, value: value, boxes: boxes))
        }
        return truths
    }

    /// Draws one box's mark.
    func write(_ truth: BoxTruth, in box: Rect, scale: Double, page: inout Image, digits: HandwrittenDigits,
               style: WriterStyle, using g: inout SeededGenerator) throws(ImageError) {
        var canvas = InkCanvas(around: box, margin: parameters.canvasMargin, page: page)
        guard !canvas.isEmpty else { return }
        let stroke = max(1, style.strokeWidth * scale)
        switch (truth.mark, truth.correction) {
        case (.blank, _):
            return
        case (.x, _):
            try canvas.drawX(in: box, stroke: stroke, using: &g)
        case (.dash, _):
            try canvas.drawDash(in: box, stroke: stroke, using: &g)
        case (.digit, .fluid?):
            // The mistake, then the fluid over it, then the right digit.
            var wrong = canvas
            try wrong.drawDigit(sample(otherThan: truth.digit!, digits, &g), in: box, style: style, parameters: parameters,
                                placement: .centre, using: &g)
            wrong.composite(onto: &page, ink: style.ink, density: style.density)
            paintFluid(over: box, page: &page, using: &g)
            try canvas.drawDigit(sample(truth.digit!, digits, &g), in: box, style: style, parameters: parameters,
                                 placement: .centre, using: &g)
        case (.digit, .struck?):
            try canvas.drawDigit(sample(otherThan: truth.digit!, digits, &g), in: box, style: style,
                                 parameters: parameters, placement: .left, using: &g)
            try canvas.strike(in: box, stroke: stroke, using: &g)
            try canvas.drawDigit(sample(truth.digit!, digits, &g), in: box, style: style, parameters: parameters,
                                 placement: .right, using: &g)
        case (.digit, nil):
            let placement: InkCanvas.Placement = g.chance(style.overflowRate) ? .overflow : .centre
            try canvas.drawDigit(sample(truth.digit!, digits, &g), in: box, style: style, parameters: parameters,
                                 placement: placement, using: &g)
        }
        canvas.composite(onto: &page, ink: style.ink, density: style.density)
    }

    func sample(_ digit: Int, _ digits: HandwrittenDigits, _ g: inout SeededGenerator) -> HandwrittenDigits.Sample {
        let pool = digits.samples[digit]
        return pool[Int.random(in: 0 ..< pool.count, using: &g)]
    }

    func sample(otherThan digit: Int, _ digits: HandwrittenDigits, _ g: inout SeededGenerator) -> HandwrittenDigits.Sample {
        let other = (digit + Int.random(in: 1 ... 9, using: &g)) % 10
        return sample(other, digits, &g)
    }

    /// A blob of correction fluid a little larger than the box, covering its lines in part.
    func paintFluid(over box: Rect, page: inout Image, using g: inout SeededGenerator) {
        let grow = box.width * g.uniform(0.05 ... 0.25)
        let area = box.insetBy(-grow)
        let x0 = max(0, Int(area.minX)), x1 = min(page.width, Int(area.maxX.rounded(.up)))
        let y0 = max(0, Int(area.minY)), y1 = min(page.height, Int(area.maxY.rounded(.up)))
        let centre = area.center
        let (rx, ry) = (area.width / 2, area.height / 2)
        let fluid = parameters.fluid
        for y in y0 ..< y1 {
            for x in x0 ..< x1 {
                let dx = (Double(x) + 0.5 - centre.x) / rx, dy = (Double(y) + 0.5 - centre.y) / ry
                // A rounded rectangle (superellipse) with a soft rim.
                let r = pow(pow(abs(dx), 4) + pow(abs(dy), 4), 0.25)
                let a = min(1, max(0, (1 - r) * 12)) * 0.97
                guard a > 0 else { continue }
                for c in 0 ..< 3 {
                    page[x, y, c] = UInt8(Double(page[x, y, c]) * (1 - a) + Double(fluid[c]) * a)
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
