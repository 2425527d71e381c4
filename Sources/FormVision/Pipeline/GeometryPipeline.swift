/// Everything the geometry pipeline learns about one photo.
public struct PageGeometry: Sendable {
    public var template: FormTemplate
    /// The page's corners in photo pixels (top-left, top-right, bottom-right, bottom-left of the
    /// upright page).
    public var pageCorners: [Point]
    public var markers: [DetectedMarker]
    public var rectified: RectifiedPage
    /// Every field's boxes after fine alignment (canonical pixels).
    public var fields: [LocatedField]
    /// Every box's cell, field by field, ready for the classifier.
    public var cells: [[CellImage]]
    /// Every field's OMR bubble columns as read, field by field (empty for a field without
    /// bubbles, or one not found on its lines).
    public var bubbles: [[BubbleReader.Column]] = []
    public var quality: QualityReport

    /// A located box's corners in photo pixels, in page order.
    public func photoCorners(of box: LocatedBox) -> [Point] { box.rect.corners.map(rectified.photoPoint) }
}

/// The stages from a photo to located boxes, chained: markers → page → rectification →
/// fine alignment → verification → quality. Each stage is a value with its own `Parameters`;
/// the pipeline holds no state between photos and can be shared across threads.
///
/// A page whose markers leave one plane (a bent sheet), or a flat one with enough fields not
/// found on their lines to ask for a retake (`QualityAssessor.Parameters.unlocatedFieldsForRetake`;
/// one field under correction fluid is not worth it), is also placed through `PageRegistration`; the placement that finds more fields
/// on their lines is kept (on a tie, the registered one for a bent sheet, the plane for a flat
/// one). A flat page whose boxes are all found takes the direct path alone. A page with one tag
/// and corner marks (C.HASIL-PPWP) is placed by `CornerMarkFinder` and always registered, the
/// registered placement kept on a tie: four marks fit a plane whatever the sheet does between them.
public struct GeometryPipeline: Sendable {
    public var detector = MarkerDetector()
    public var borderFinder = PageBorderFinder()
    public var locator: PageLocator
    public var cornerMarks = CornerMarkFinder()
    public var registration = PageRegistration()
    public var rectifier = Rectifier()
    public var aligner = BoxAligner()
    public var verifier = BoxVerifier()
    public var assessor = QualityAssessor()
    public var extractor = CellExtractor()
    public var bubbleReader = BubbleReader()

    public init(catalog: TemplateCatalog = .builtIn) {
        locator = PageLocator(catalog: catalog)
        // Look for the tag families the catalogue prints, and no others (each costs a pass).
        detector.parameters.families = Array(Set(catalog.templates.flatMap { $0.markers.map(\.family) })).sorted()
    }

    /// Runs every stage on an upright RGB photo.
    ///
    /// - Parameter trace: Receives the stage images when enabled.
    /// - Throws: `PipelineError` when no page can be placed.
    public func run(_ photo: Image, trace: inout PipelineTrace) throws(PipelineError) -> PageGeometry {
        guard detector.canHoldMarkers(width: photo.width, height: photo.height) else {
            let size = detector.detectionSize(width: photo.width, height: photo.height)
            // The side the photo's shorter side needs, at the photo's own scale.
            let scale = Double(max(photo.width, photo.height)) / Double(max(size.width, size.height))
            let needed = Int((Double(MarkerDetector.smallestDetectableSide) * scale).rounded(.up))
            throw .photoTooSmall(width: photo.width, height: photo.height, minimumSide: needed)
        }
        do {
            let gray = photo.grayscale()
            let markers = try detector.detect(in: gray)
            try trace.record("1-markers") { () throws(ImageError) in try DebugDrawing.markers(markers, on: photo) }
            var located = Result { () throws(PipelineError) in try locator.locate(markers) }
            if case .failure(.tooFewMarkers(_, 1, _)) = located {
                // One marker: let the sheet's outline place the rest.
                let borders = try borderFinder.find(in: gray)
                located = Result { () throws(PipelineError) in try locator.locate(markers, pageBorders: borders) }
            }
            var page = try located.get()
            if page.template.cornerMarks != nil { page = try cornerMarks.place(page, in: gray, locator: locator.parameters) }
            var (rectified, fields) = try place(photo, page)
            let unlocated = fields.filter { !$0.located }.count
            // A page placed from one tag and corner marks is registered on its print: four
            // marks fit a plane whatever the sheet does between them.
            let uncertain = page.markersBent || page.template.cornerMarks != nil
            if page.warp != nil || uncertain || unlocated >= assessor.parameters.unlocatedFieldsForRetake {
                let registered = try registration.register(page, in: gray)
                let second = try place(photo, registered)
                let (before, after) = (fields.filter(\.located).count, second.fields.filter(\.located).count)
                if after > before || (after == before && uncertain) {
                    (page, rectified, fields) = (registered, second.rectified, second.fields)
                }
            }
            let placement = assessor.placementReasons(page, photoWidth: photo.width, photoHeight: photo.height)
            try trace.record("2-rectified") { rectified.image }
            try trace.record("3-boxes") { () throws(ImageError) in try DebugDrawing.boxes(fields, on: rectified.image) }
            try trace.record("3-template") { () throws(ImageError) in try DebugDrawing.template(over: rectified) }
            let quality = assessor.assess(rectified, fields: fields, boxHeight: placement.boxHeight, placement: placement.reasons,
                                          bent: page.markersBent)
            let cells = extractor.extract(rectified, fields: fields)
            try trace.record("4-cells") { DebugDrawing.mosaic(cells) }
            let bubbles = fields.map { $0.located ? bubbleReader.read($0, on: rectified) : [] }
            return PageGeometry(template: page.template, pageCorners: page.pageCorners, markers: page.markers,
                                rectified: rectified, fields: fields, cells: cells, bubbles: bubbles, quality: quality)
        } catch let error as PipelineError {
            throw error
        } catch let error as ImageError {
            throw .image(error)
        } catch {
            throw .image(.internalFailure(detail: "\(error)"))
        }
    }
}

extension GeometryPipeline {
    /// Rectifies the page through its mapping, aligns every field on its lines and checks them.
    func place(_ photo: Image, _ page: LocatedPage) throws(ImageError) -> (rectified: RectifiedPage, fields: [LocatedField]) {
        let rectified = try rectifier.rectify(photo, page: page)
        return (rectified, verifier.verify(aligner.align(rectified), on: rectified))
    }
}

/// Debug pictures of the stages.
package enum DebugDrawing {
    package static func markers(_ markers: [DetectedMarker], on photo: Image) throws(ImageError) -> Image {
        var image = photo
        let thickness = max(2, Double(max(photo.width, photo.height)) / 600)
        for marker in markers {
            try polygon(marker.corners, on: &image, thickness: thickness, color: [0, 90, 255])
            // The top-left corner, so the marker's rotation shows.
            let c = marker.corners[0] - Point(0.5, 0.5)
            try _Shim.drawLine(&image, from: c, to: c, thickness: thickness * 4, color: [255, 0, 0])
        }
        return image
    }

    package static func boxes(_ fields: [LocatedField], on page: Image) throws(ImageError) -> Image {
        var image = page
        for field in fields {
            for box in field.boxes {
                // Red: found on its lines; orange: found, weak lines; magenta: not found.
                let color: [UInt8] = !box.located ? [230, 0, 230] : box.lineStrength > 0.2 ? [230, 0, 0] : [255, 140, 0]
                try polygon(box.rect.corners, on: &image, thickness: 1, color: color)
            }
        }
        return image
    }

    /// The template's own drawing in red over the rectified page (faded to gray): where the
    /// photo's print and the template part, both show.
    package static func template(over page: RectifiedPage) throws(ImageError) -> Image {
        let drawing = try PageRenderer().render(page.template, dpi: page.pixelsPerMM * 25.4).grayscale()
        var image = Image(width: page.gray.width, height: page.gray.height, format: .rgb8)
        for y in 0 ..< image.height {
            for x in 0 ..< image.width {
                let photo = 110 + Double(page.gray[x, y]) * 145 / 255
                let ink = x < drawing.width && y < drawing.height ? 1 - Double(drawing[x, y]) / 255 : 0
                image[x, y, 0] = UInt8((photo * (1 - ink) + 230 * ink).rounded())
                image[x, y, 1] = UInt8((photo * (1 - ink)).rounded())
                image[x, y, 2] = UInt8((photo * (1 - ink)).rounded())
            }
        }
        return image
    }

    /// The cells as a mosaic: one field per row segment, its boxes side by side, six fields a
    /// row, ink dark on white with a gray gap between fields.
    package static func mosaic(_ cells: [[CellImage]]) -> Image {
        let side = CellImage.side, gap = 6, perRow = 6
        let fieldWidth = 3 * side + gap
        let rows = (cells.count + perRow - 1) / perRow
        var image = Image(width: perRow * fieldWidth + gap, height: rows * (side + gap) + gap, format: .gray8, fill: 160)
        for (f, field) in cells.enumerated() {
            let ox = gap + (f % perRow) * fieldWidth, oy = gap + (f / perRow) * (side + gap)
            for (b, cell) in field.enumerated() where b < 3 {
                for y in 0 ..< side {
                    for x in 0 ..< side { image[ox + b * side + x, oy + y] = 255 - cell.pixels[y * side + x] }
                }
            }
        }
        return image
    }

    package static func polygon(_ corners: [Point], on image: inout Image, thickness: Double, color: [UInt8]) throws(ImageError) {
        for i in corners.indices {
            let a = corners[i] - Point(0.5, 0.5), b = corners[(i + 1) % corners.count] - Point(0.5, 0.5)
            try _Shim.drawLine(&image, from: a, to: b, thickness: thickness, color: color)
        }
    }
}
