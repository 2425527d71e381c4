/// Draws a template as the blank printed page: paper, markers, box outlines, rules and text.
///
/// Coordinates: the page's millimetres map to pixels by `scale = dpi / 25.4`, with the page's
/// top-left corner at pixel coordinate (0, 0) and a pixel's centre at (x + 0.5, y + 0.5).
public struct PageRenderer: Sendable {
    /// Appearance of the print.
    public struct Parameters: Sendable, Equatable {
        /// Colour of white paper, RGB. Default a slightly warm white, as office paper photographs.
        public var paper: [UInt8] = [250, 249, 244]
        /// Colour of the print (text, rules, box lines, markers), RGB. Default near-black laser toner.
        public var ink: [UInt8] = [28, 28, 30]
        /// Bold text is drawn this much thicker than regular text, as a fraction of its cap height.
        public var boldWeight = 0.06
        /// Stroke of regular text as a fraction of its cap height; Hershey fonts are single-line.
        public var textWeight = 0.09
        /// Whether the text is drawn. Without it the page shows what the template measures
        /// exactly (rules, boxes, markers), which is what registration matches against: a form's
        /// wording and type vary from print to print, its lines do not.
        public var drawsText = true
        /// Writing guides: gray level, dot size and dot spacing, mm (the 2024 forms print them
        /// light, about 200 of 255, as dots 0.2 mm wide every 0.6 mm).
        public var guideGray: UInt8 = 200
        public var guideDotSize = 0.2
        public var guideDotSpacing = 0.6
        /// Stroke of an OMR bubble's circle, mm.
        public var bubbleLineWidth = 0.18

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Pixels per millimetre at a resolution in dots per inch.
    public static func scale(dpi: Double) -> Double { dpi / 25.4 }

    /// The size in pixels of a page rendered at `dpi`.
    public static func pixelSize(of template: FormTemplate, dpi: Double) -> (width: Int, height: Int) {
        let s = scale(dpi: dpi)
        return (Int((template.pageSize.width * s).rounded()), Int((template.pageSize.height * s).rounded()))
    }

    /// Renders the blank page.
    ///
    /// - Parameter dpi: Resolution, 50 to 600.
    /// - Throws: `ImageError.invalidImage` for a resolution out of range, or a template whose
    ///   marker family the AprilTag library does not know.
    public func render(_ template: FormTemplate, dpi: Double) throws(ImageError) -> Image {
        guard (50 ... 600).contains(dpi) else { throw .invalidImage(reason: "render resolution must be 50 to 600 dpi, not \(dpi)") }
        let s = Self.scale(dpi: dpi)
        let size = Self.pixelSize(of: template, dpi: dpi)
        var image = Image(width: size.width, height: size.height, color: parameters.paper)
        for line in template.printing.lines {
            try drawLine(&image, from: line.from * s, to: line.to * s, width: line.width * s,
                         color: line.gray.map { [$0, $0, $0] } ?? parameters.ink)
        }
        let boxLine = template.printing.boxLineWidth * s
        for field in template.fields {
            for box in field.boxes {
                let outer = box.scaled(by: s).insetBy(-boxLine / 2)
                let c = outer.corners
                for i in 0 ..< 4 { try drawLine(&image, from: c[i], to: c[(i + 1) % 4], width: boxLine) }
            }
        }
        for field in template.fields {
            if let guide = field.guide {
                for box in field.boxes { try drawGuide(guide, in: box, on: &image, scale: s) }
            }
            for column in field.bubbles ?? [] { try drawBubbles(column, on: &image, scale: s) }
        }
        for mark in template.cornerMarks ?? [] {
            for square in mark.squares {
                let c = square.scaled(by: s).corners.map { $0 - Point(0.5, 0.5) }
                try _Shim.fillPolygon(&image, c, color: parameters.ink)
            }
        }
        for marker in template.markers { try drawMarker(marker, on: &image, scale: s) }
        if parameters.drawsText {
            for text in template.printing.texts { try drawText(text, on: &image, scale: s) }
        }
        return image
    }

    /// A line between two points in pixel coordinates (centres at +0.5).
    func drawLine(_ image: inout Image, from a: Point, to b: Point, width: Double, color: [UInt8]? = nil) throws(ImageError) {
        let half = Point(0.5, 0.5)
        try _Shim.drawLine(&image, from: a - half, to: b - half, thickness: max(1, width), color: color ?? parameters.ink)
    }

    /// A dotted seven-segment 8 (two stacked rectangles) inside a box, in the faint gray of
    /// `guideGray`, one dot every `guideDotSpacing` mm.
    func drawGuide(_ guide: FormTemplate.Guide, in box: Rect, on image: inout Image, scale s: Double) throws(ImageError) {
        let segments = guide.segments(in: box)
        let gray = [UInt8](repeating: parameters.guideGray, count: 3)
        let dot = max(1, parameters.guideDotSize * s)
        for (a, b) in segments {
            let count = max(1, Int((a.distance(to: b) / parameters.guideDotSpacing).rounded()))
            for k in 0 ... count {
                let p = (a + (b - a) * (Double(k) / Double(count))) * s
                try drawLine(&image, from: p, to: p, width: dot, color: gray)
            }
        }
    }

    /// A column of OMR bubbles: each a thin circle with its digit inside.
    func drawBubbles(_ column: FormTemplate.BubbleColumn, on image: inout Image, scale s: Double) throws(ImageError) {
        let steps = 48
        for (digit, centre) in column.centers.enumerated() {
            let points = (0 ... steps).map { k -> Point in
                let angle = 2 * Double.pi * Double(k) / Double(steps)
                return (centre + Point(cos(angle), sin(angle)) * column.radius) * s
            }
            for (a, b) in zip(points, points.dropFirst()) {
                try drawLine(&image, from: a, to: b, width: parameters.bubbleLineWidth * s)
            }
            let size = column.radius * 1.1
            try drawText(.init(String(digit), at: centre + Point(0, size / 2), size: size, alignment: .center), on: &image, scale: s)
        }
    }

    /// An AprilTag: each black cell is a filled square, so edges are anti-aliased at any scale.
    func drawMarker(_ marker: FormTemplate.Marker, on image: inout Image, scale s: Double) throws(ImageError) {
        let tag = try _Shim.aprilTagCells(family: marker.family, id: marker.id)
        let cell = marker.size / Double(tag.border) * s
        let origin = marker.center * s - Point(cell * Double(tag.side) / 2, cell * Double(tag.side) / 2)
        let half = Point(0.5, 0.5)
        for row in 0 ..< tag.side {
            for column in 0 ..< tag.side where tag.cells[row * tag.side + column] == 0 {
                let corner = origin + Point(Double(column) * cell, Double(row) * cell) - half
                let square = [corner, corner + Point(cell, 0), corner + Point(cell, cell), corner + Point(0, cell)]
                try _Shim.fillPolygon(&image, square, color: parameters.ink)
            }
        }
    }

    func drawText(_ text: FormTemplate.Printing.Text, on image: inout Image, scale s: Double) throws(ImageError) {
        let capHeight = text.size * s
        let font: _Shim.Font = text.bold ? .sansBold : .sans
        let weight = parameters.textWeight + (text.bold ? parameters.boldWeight : 0)
        let thickness = max(1, Int((capHeight * weight).rounded()))
        let unit = try _Shim.textExtent("H", font: font, scale: 1, thickness: thickness)
        let fontScale = capHeight / unit.capHeight
        let ascii = String(text.text.unicodeScalars.map { $0.isASCII ? Character($0) : "-" })
        let extent = try _Shim.textExtent(ascii, font: font, scale: fontScale, thickness: thickness)
        var x = text.position.x * s
        switch text.alignment {
        case .left: break
        case .center: x -= extent.width / 2
        case .right: x -= extent.width
        }
        try _Shim.drawText(&image, ascii, baseline: Point(x, text.position.y * s), font: font, scale: fontScale,
                           thickness: thickness, color: parameters.ink)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
