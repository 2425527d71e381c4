import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

@Suite struct HomographyTests {
    let known = Homography([1.8, 0.25, 120, -0.3, 1.6, 80, 0.0004, -0.0002, 1])

    @Test func fitRecoversAKnownHomographyFromFourPoints() throws {
        let source = [Point(0, 0), Point(210, 0), Point(210, 297), Point(0, 297)]
        let fitted = try #require(Homography.fitting(from: source, to: source.map { known.apply($0)! }))
        for p in [Point(50, 60), Point(200, 10), Point(105, 148)] {
            #expect(fitted.apply(p)!.distance(to: known.apply(p)!) < 1e-6)
        }
    }

    @Test func leastSquaresFitAveragesNoise() throws {
        var g = SeededGenerator(seed: 5)
        var source: [Point] = [], target: [Point] = []
        for _ in 0 ..< 200 {
            let p = Point(g.uniform(0 ... 210), g.uniform(0 ... 297))
            source.append(p)
            target.append(known.apply(p)! + Point(g.normal(deviation: 0.5), g.normal(deviation: 0.5)))
        }
        let fitted = try #require(Homography.fitting(from: source, to: target))
        for p in [Point(0, 0), Point(210, 297), Point(105, 148)] { #expect(fitted.apply(p)!.distance(to: known.apply(p)!) < 0.3) }
    }

    /// The affine fit recovers an affine map from a few points, averages a perspective one,
    /// and refuses collinear points.
    @Test func affineFitRecoversAnAffineMap() throws {
        let affine = Homography([1.8, 0.25, 120, -0.3, 1.6, 80, 0, 0, 1])
        let source = [Point(184, 30), Point(190, 42), Point(200, 15), Point(14, 15), Point(178, 41)]
        let fitted = try #require(Homography.affineFitting(from: source, to: source.map { affine.apply($0)! }))
        for p in [Point(0, 0), Point(215, 330), Point(100, 200)] { #expect(fitted.apply(p)!.distance(to: affine.apply(p)!) < 1e-6) }
        #expect(fitted.matrix[6] == 0 && fitted.matrix[7] == 0 && fitted.matrix[8] == 1)
        #expect(Homography.affineFitting(from: [Point(0, 0), Point(1, 1), Point(2, 2)], to: [Point(0, 0), Point(1, 1), Point(5, 2)]) == nil)
        #expect(Homography.affineFitting(from: [Point(0, 0), Point(1, 1)], to: [Point(0, 0), Point(1, 1)]) == nil)
    }

    @Test func inverseAndConcatenation() throws {
        let inverse = try #require(known.inverse)
        let p = Point(33, 44)
        #expect(inverse.apply(known.apply(p)!)!.distance(to: p) < 1e-9)
        #expect(known.concatenating(inverse).apply(p)!.distance(to: p) < 1e-9)
        #expect(Homography.fitting(from: [Point(0, 0), Point(1, 1), Point(2, 2), Point(3, 3)],
                                   to: [Point(0, 0), Point(1, 1), Point(2, 2), Point(3, 3)]) == nil)
    }
}

/// Photos built in code: the blank form warped by a known homography onto a plain background.
@Suite struct KnownGeometryTests {
    static let template = try! TemplateCatalog.builtIn.template(id: "c-hasil-kwk-p2-3")
    static let page: Image = try! PageRenderer().render(template, dpi: 150)

    /// The page turned by `angle` (radians) about its centre, tilted by a perspective term, and
    /// placed in a frame.
    static func homography(angle: Double, tilt: Double, scale: Double, frame: (Int, Int)) -> Homography {
        let centre = Point(105, 148.5)
        let corners = [Point(0, 0), Point(210, 0), Point(210, 297), Point(0, 297)]
        let placed = corners.map { corner -> Point in
            let v = (corner - centre).rotated(by: angle)
            let depth = 1 + tilt * v.x / 210
            return Point(Double(frame.0) / 2 + v.x * scale / depth, Double(frame.1) / 2 + v.y * scale / depth)
        }
        return Homography.fitting(from: corners, to: placed)!
    }

    static func photo(_ h: Homography, frame: (Int, Int)) throws -> Image {
        let s = PageRenderer.scale(dpi: 150)
        // Render pixels -> page mm -> photo pixels, in OpenCV's centre convention.
        let matrix = Homography.translation(-0.5, -0.5).concatenating(h).concatenating(.scale(1 / s, 1 / s))
            .concatenating(.translation(0.5, 0.5))
        var photo = Image(width: frame.0, height: frame.1, format: .rgb8)
        try _Shim.warpPerspective(page, homography: matrix, interpolation: .linear, border: 90, into: &photo)
        return photo
    }

    @Test(arguments: [0.0, 0.3, -0.7, Double.pi / 2, Double.pi, 3 * Double.pi / 2 + 0.2, 2.5])
    func pageIsFoundAtAnyRotation(angle: Double) throws {
        let frame = (1500, 1500)
        let truth = Self.homography(angle: angle, tilt: 0.15, scale: 4.2, frame: frame)
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(try Self.photo(truth, frame: frame), trace: &trace)
        #expect(geometry.template.id == Self.template.id)
        for (found, corner) in zip(geometry.pageCorners, Self.template.pageRect.corners) {
            #expect(found.distance(to: truth.apply(corner)!) < 2, "angle \(angle)")
        }
        // Every box within a canonical pixel of where the known homography puts it.
        let s = geometry.rectified.pixelsPerMM
        for field in geometry.fields {
            let printed = try #require(Self.template.field(named: field.name))
            for (box, rect) in zip(field.boxes, printed.boxes) {
                #expect(box.rect.center.distance(to: rect.scaled(by: s).center) < 1.0, "\(field.name) at angle \(angle)")
            }
        }
        #expect(!geometry.quality.needsRetake, "\(geometry.quality.reasons)")
    }

    /// Quad decimation, which a large detection image gets, finds the markers the undecimated
    /// reference finds, with the corners refined to the same place; a detection image under
    /// `decimateFromLongSide` is not decimated at all.
    @Test(arguments: [(2000, true), (1500, false)])
    func decimatedDetectionMatchesTheUndecimatedReference(side: Int, decimated: Bool) throws {
        let frame = (side, side)
        let truth = Self.homography(angle: 0.2, tilt: 0.1, scale: Double(side) / 360, frame: frame)
        let gray = try Self.photo(truth, frame: frame).grayscale()
        var reference = MarkerDetector.Parameters()
        reference.decimate = 1
        let slow = try MarkerDetector(parameters: reference).detect(in: gray)
        let fast = try MarkerDetector().detect(in: gray)
        #expect((max(gray.width, gray.height) >= MarkerDetector.Parameters().decimateFromLongSide) == decimated)
        #expect(fast.count == Self.template.markers.count)
        #expect(fast.map(\.id).sorted() == slow.map(\.id).sorted())
        var largest = 0.0
        for marker in fast {
            let other = try #require(slow.first { $0.id == marker.id })
            for (a, b) in zip(marker.corners, other.corners) { largest = max(largest, a.distance(to: b)) }
        }
        // Decimated, the quads differ a little before refinement (0.14 px here), never by more
        // than a quarter pixel; undecimated, the two runs are the same computation.
        if decimated { #expect(largest > 0 && largest < 0.25) } else { #expect(largest == 0) }
    }

    /// With markers hidden (a thumb, a fold), the rest still place the page.
    @Test func hiddenMarkersAreTolerated() throws {
        let frame = (1400, 1600)
        let truth = Self.homography(angle: 0.1, tilt: 0.1, scale: 4.4, frame: frame)
        var photo = try Self.photo(truth, frame: frame)
        for marker in Self.template.markers.filter({ [0, 2, 5].contains($0.id % 6) }) {
            let corners = marker.rect.insetBy(-2).corners.map { truth.apply($0)! - Point(0.5, 0.5) }
            try _Shim.fillPolygon(&photo, corners, color: [250, 250, 245])
        }
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(photo, trace: &trace)
        #expect(geometry.markers.count == 3)
        #expect(geometry.pageCorners[2].distance(to: truth.apply(Point(210, 297))!) < 3)
    }

    /// One marker and the sheet's outline against a dark table place the page; one marker on a
    /// background as light as the paper is not enough, and says so.
    @Test(arguments: [(UInt8(60), true), (UInt8(250), false)])
    func oneMarkerNeedsThePageBorder(background: UInt8, placed: Bool) throws {
        let frame = (1400, 1600)
        let truth = Self.homography(angle: 0.2, tilt: 0.1, scale: 4.2, frame: frame)
        let s = PageRenderer.scale(dpi: 150)
        let matrix = Homography.translation(-0.5, -0.5).concatenating(truth).concatenating(.scale(1 / s, 1 / s))
            .concatenating(.translation(0.5, 0.5))
        var photo = Image(width: frame.0, height: frame.1, format: .rgb8)
        try _Shim.warpPerspective(Self.page, homography: matrix, interpolation: .linear, border: background, into: &photo)
        for marker in Self.template.markers.dropFirst() {
            try _Shim.fillPolygon(&photo, marker.rect.insetBy(-2).corners.map { truth.apply($0)! - Point(0.5, 0.5) },
                                  color: [250, 249, 244])
        }
        var trace = PipelineTrace()
        let result = Result { () throws(PipelineError) in try GeometryPipeline().run(photo, trace: &trace) }
        switch result {
        case .success(let geometry):
            #expect(placed)
            #expect(geometry.markers.count == 1)
            for (found, corner) in zip(geometry.pageCorners, Self.template.pageRect.corners) {
                #expect(found.distance(to: truth.apply(corner)!) < 6)
            }
        case .failure(let error):
            #expect(!placed)
            #expect(error == .tooFewMarkers(template: Self.template.id, found: 1, needed: 2))
        }
    }

    @Test func aPhotoWithoutAFormIsATypedError() throws {
        var trace = PipelineTrace()
        #expect(throws: PipelineError.markersNotFound(found: 0)) {
            try GeometryPipeline().run(Fixtures.scene(width: 800, height: 600, format: .rgb8), trace: &trace)
        }
    }

    @Test func smallPageAsksForARetake() throws {
        let frame = (420, 560)
        let truth = Self.homography(angle: 0, tilt: 0, scale: 1.6, frame: frame) // boxes ~14 px tall
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(try Self.photo(truth, frame: frame), trace: &trace)
        #expect(geometry.quality.reasons.contains { if case .resolutionTooLow = $0 { true } else { false } })
    }

    @Test func cutOffPageAsksForARetake() throws {
        let frame = (1000, 1200)
        var truth = Self.homography(angle: 0, tilt: 0, scale: 4.6, frame: frame)
        truth = Homography.translation(0, -420).concatenating(truth) // the top rows of boxes fall off the frame
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(try Self.photo(truth, frame: frame), trace: &trace)
        #expect(geometry.quality.reasons.contains(.pageCutOff))
    }

    @Test func blurredPhotoAsksForARetake() throws {
        let frame = (1200, 1500)
        let truth = Self.homography(angle: 0.05, tilt: 0, scale: 4.6, frame: frame)
        var photo = try Self.photo(truth, frame: frame)
        try _Shim.gaussianBlur(&photo, sigma: 3.5)
        var trace = PipelineTrace()
        // Markers may survive the blur or not; either way nothing is read from this photo.
        let result = Result { () throws(PipelineError) in try GeometryPipeline().run(photo, trace: &trace) }
        if case .success(let geometry) = result {
            #expect(geometry.quality.reasons.contains { if case .blurred = $0 { true } else { false } })
        }
    }

    @Test func darkPhotoAsksForARetake() throws {
        let frame = (1200, 1500)
        let truth = Self.homography(angle: 0, tilt: 0, scale: 4.6, frame: frame)
        var photo = try Self.photo(truth, frame: frame)
        photo.storage = photo.storage.map { $0 / 5 }
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(photo, trace: &trace)
        #expect(geometry.quality.reasons.contains { if case .underexposed = $0 { true } else { false } })
    }

    @Test func traceRecordsEveryStageOnlyWhenAsked() throws {
        let frame = (1200, 1500)
        let photo = try Self.photo(Self.homography(angle: 0, tilt: 0, scale: 4.6, frame: frame), frame: frame)
        var off = PipelineTrace()
        _ = try GeometryPipeline().run(photo, trace: &off)
        #expect(off.images.isEmpty)
        var on = PipelineTrace(enabled: true)
        _ = try GeometryPipeline().run(photo, trace: &on)
        #expect(on.images.map(\.name) == ["1-markers", "2-rectified", "3-boxes", "3-template", "4-cells"])
    }
}

@Suite struct CellExtractionTests {
    /// A flat page with one digit written in a box, one X, and the rest empty.
    @Test func cellsHoldTheInkCentred() throws {
        let template = try TemplateCatalog.builtIn.template(id: "c-hasil-kwk-p2-2")
        let s = 8.0
        var page = try PageRenderer().render(template, dpi: s * 25.4)
        let box = template.fields[0].boxes[2].scaled(by: s)
        // A thick "1" off-centre to the left, and a line fragment hugging the right edge.
        try _Shim.drawLine(&page, from: Point(box.minX + 18, box.minY + 12), to: Point(box.minX + 16, box.maxY - 12),
                           thickness: 5, color: [30, 40, 150])
        try _Shim.drawLine(&page, from: Point(box.maxX - 3.5, box.minY), to: Point(box.maxX - 3.5, box.maxY),
                           thickness: 2, color: [20, 20, 20])
        let rectified = RectifiedPage(template: template, image: page, gray: page.grayscale(), pixelsPerMM: s,
                                      pageToPhoto: .scale(s, s))
        let fields = BoxAligner().align(rectified)
        let cells = CellExtractor().extract(rectified, fields: fields)
        let one = cells[0][2]
        #expect(one.statistics.inkFraction > 0.03)
        #expect(one.statistics.colorfulness > 0.3) // blue ink
        let bounds = try #require(one.statistics.bounds)
        #expect(bounds.maxX < 0.8, "the line fragment at the right edge was cleared")
        // Centre of mass near the middle of the 28 × 28 cell, the ink about 20 px tall.
        var mx = 0.0, my = 0.0, total = 0.0, rows = Set<Int>()
        for y in 0 ..< 28 {
            for x in 0 ..< 28 where one.pixels[y * 28 + x] > 0 {
                let v = Double(one.pixels[y * 28 + x])
                mx += v * (Double(x) + 0.5); my += v * (Double(y) + 0.5); total += v
                if one.pixels[y * 28 + x] > 128 { rows.insert(y) }
            }
        }
        #expect(abs(mx / total - 14) < 1.5 && abs(my / total - 14) < 1.5)
        #expect(rows.count >= 17 && rows.count <= 21)
        // An empty box is empty.
        let empty = cells[1][0]
        #expect(empty.statistics.inkFraction < 0.005 && empty.statistics.bounds == nil)
        #expect(empty.pixels.allSatisfy { $0 == 0 })
    }

    /// A stray stroke a tenth of the box tall stays small in the cell (not a full-size 1), while
    /// a stroke two thirds of the box tall is scaled to the digit size.
    @Test func specksAreNotEnlargedToDigits() {
        let extractor = CellExtractor()
        let (w, h) = (60, 72)
        func inkRows(strokeLength: Int) -> Int {
            var coverage = [Float](repeating: 0, count: w * h)
            for y in (h - strokeLength) / 2 ..< (h + strokeLength) / 2 { for x in 29 ..< 32 { coverage[y * w + x] = 1 } }
            let cell = extractor.normalisedCell(coverage, colour: nil, width: w, height: h).pixels
            return (0 ..< 28).filter { y in (0 ..< 28).contains { cell[y * 28 + $0] > 128 } }.count
        }
        #expect(inkRows(strokeLength: 7) <= 8)
        let full = inkRows(strokeLength: 48)
        #expect(full >= 19 && full <= 21)
    }

    @Test func areaResamplingPreservesMean() {
        var g = SeededGenerator(seed: 2)
        let source = (0 ..< 37 * 23).map { _ in Float(g.uniform(0 ... 1)) }
        let out = AreaResampler.resample(source, width: 37, height: 23, crop: (0, 0, 37, 23), to: (10, 7))
        let meanIn = source.reduce(0, +) / Float(source.count), meanOut = out.reduce(0, +) / Float(out.count)
        #expect(abs(meanIn - meanOut) < 0.02)
    }
}

/// The pipeline over the committed corpus: every page identified, boxes where the labels say.
@Suite struct SampleFormsGeometryTests {
    @Test func everySampleIsLocatedWithinTolerance() throws {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("SampleForms/photos")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let labels = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && $0 != "manifest.json" }.sorted()
        #expect(labels.count >= 36)
        let pipeline = GeometryPipeline()
        var errors: [Double] = []
        for file in labels {
            let label = try decoder.decode(PhotoLabel.self, from: Data(contentsOf: directory.appendingPathComponent(file)))
            let photo = try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8))
                .decode(contentsOfFile: directory.appendingPathComponent(label.image).path)
            var trace = PipelineTrace()
            let geometry = try pipeline.run(photo, trace: &trace)
            let comparison = GeometryComparison(label: label, geometry: geometry)
            #expect(comparison.templateMatches, "\(file): \(geometry.template.id)")
            errors += comparison.cornerErrors
        }
        let summary = ErrorSummary(errors)
        #expect(summary.median <= 1 && summary.p99 <= 3, "\(summary)")
    }
}
