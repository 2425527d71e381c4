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
            try drawLine(&image, from: line.from * s, to: line.to * s, width: line.width * s)
        }
        let boxLine = template.printing.boxLineWidth * s
        for field in template.fields {
            for box in field.boxes {
                let outer = box.scaled(by: s).insetBy(-boxLine / 2)
                let c = outer.corners
                for i in 0 ..< 4 { try drawLine(&image, from: c[i], to: c[(i + 1) % 4], width: boxLine) }
            }
        }
        for marker in template.markers { try drawMarker(marker, on: &image, scale: s) }
        if parameters.drawsText {
            for text in template.printing.texts { try drawText(text, on: &image, scale: s) }
        }
        return image
    }

    /// A line between two points in pixel coordinates (centres at +0.5).
    func drawLine(_ image: inout Image, from a: Point, to b: Point, width: Double) throws(ImageError) {
        let half = Point(0.5, 0.5)
        try _Shim.drawLine(&image, from: a - half, to: b - half, thickness: max(1, width), color: parameters.ink)
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
