import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// Locating a C.HASIL-PPWP page from its one tag and four corner marks, on photos of the
/// template's render made by the photo simulator: any rotation, tilted, bent, with marks hidden.
@Suite struct PPWPLocatingTests {
    static let set = try! TemplateCatalog.ppwp2024.formSet(id: "c-hasil-ppwp")
    static let pipeline = GeometryPipeline(catalog: .ppwp2024)

    /// A photo of a page; `cover` paints skin-coloured patches (page mm) over the page first,
    /// as a thumb hides what is under it, and `strokes` draws dark blue pen strokes 0.5 mm wide.
    static func photo(page: Int, rotation: Double, tilt: Double, seed: UInt64, level: PhotoLevel = .scan,
                      megapixels: Double = 3, lifts: [PhotoPlan.Lift] = [], cover: [Rect] = [],
                      strokes: [(Point, Point)] = []) throws -> (Image, PhotoPlan, FormTemplate) {
        let template = set.pages.first { $0.page == page }!
        let (photo, plan) = try SimulatedPhoto.make(template, level: level, seed: seed, megapixels: megapixels, rotation: rotation,
                                                    tilt: tilt, tiltDirection: 0.7, fill: 0.85, lifts: lifts) { page, s in
            for rect in cover { try _Shim.fillPolygon(&page, rect.scaled(by: s).corners, color: [214, 178, 150]) }
            for (a, b) in strokes { try _Shim.drawLine(&page, from: a * s, to: b * s, thickness: 0.5 * s, color: [30, 40, 120]) }
        }
        return (photo, plan, template)
    }

    /// The largest distance of a box corner from the truth, in box heights, over located fields.
    static func largestError(_ geometry: PageGeometry, _ plan: PhotoPlan, _ template: FormTemplate) throws -> Double {
        try KnownBendTests.largestError(geometry, plan, template, locatedOnly: true)
    }

    @Test(arguments: [(2, 0.0, 0.0), (3, 0.3, 0.35), (2, Double.pi / 2 + 0.1, 0.45), (3, Double.pi - 0.2, 0.3), (2, -Double.pi / 2, 0.55)])
    func aPageIsPlacedFromItsTagAndCornerMarks(page: Int, rotation: Double, tilt: Double) throws {
        let (photo, plan, template) = try Self.photo(page: page, rotation: rotation, tilt: tilt, seed: 11 + UInt64(page))
        var trace = PipelineTrace()
        let geometry = try Self.pipeline.run(photo, trace: &trace)
        #expect(geometry.template.id == template.id)
        #expect(geometry.fields.allSatisfy { $0.located }, "\(geometry.fields.filter { !$0.located }.map(\.name))")
        let error = try Self.largestError(geometry, plan, template)
        #expect(error < 0.05, "largest box corner error \(error) box heights")
    }

    /// A curled page: the marks leave the plane, the page gets a warp and registration.
    @Test func aCurledPageIsFollowed() throws {
        let lifts: [PhotoPlan.Lift] = [.curl(origin: Point(215 - 45, 165), normal: Point(1, 0), reach: 45, height: 16)]
        let (photo, plan, template) = try Self.photo(page: 2, rotation: 0.1, tilt: 0.4, seed: 5, lifts: lifts)
        var trace = PipelineTrace()
        let geometry = try Self.pipeline.run(photo, trace: &trace)
        #expect(geometry.rectified.warp != nil)
        #expect(geometry.fields.allSatisfy { $0.located }, "\(geometry.fields.filter { !$0.located }.map(\.name))")
        let error = try Self.largestError(geometry, plan, template)
        #expect(error < 0.1, "largest box corner error \(error) box heights")
    }

    /// One or two marks hidden: the page is placed from the tag, the other marks and its rules,
    /// and no field is located off its lines; with three hidden, the photo is refused.
    @Test(arguments: [[0], [2], [2, 3], [0, 3]])
    func hiddenCornerMarksAreNeverGuessed(hidden: [Int]) throws {
        let template = Self.set.pages[0]
        let marks = try #require(template.cornerMarks)
        let cover = hidden.map { marks[$0].rect.insetBy(-4) }
        let (photo, plan, _) = try Self.photo(page: 2, rotation: 0.2, tilt: 0.4, seed: 21, cover: cover)
        var trace = PipelineTrace()
        let geometry = try Self.pipeline.run(photo, trace: &trace)
        #expect(geometry.template.id == template.id)
        let error = try Self.largestError(geometry, plan, template)
        #expect(error < 0.25, "a located field is \(error) box heights off")
        #expect(geometry.fields.filter { $0.located }.count >= 2, "\(geometry.fields.filter { !$0.located }.map(\.name))")
    }

    @Test func threeHiddenMarksAreARetake() throws {
        let marks = try #require(Self.set.pages[0].cornerMarks)
        let cover = [0, 2, 3].map { marks[$0].rect.insetBy(-4) }
        let (photo, _, _) = try Self.photo(page: 2, rotation: 0.2, tilt: 0.3, seed: 22, cover: cover)
        var trace = PipelineTrace()
        #expect(throws: PipelineError.cornerMarksNotFound(template: "c-hasil-ppwp-p2", found: 1, needed: 2)) {
            try Self.pipeline.run(photo, trace: &trace)
        }
    }

    /// The mark pattern's touch point is its centre: matched against a render of the page at
    /// the same scale, each mark is found where the template prints it, to a tenth of a mm.
    @Test func cornerMarksAreFoundWhereTheyArePrinted() throws {
        let template = Self.set.pages[1]
        let finder = CornerMarkFinder()
        let s = finder.parameters.pixelsPerMM
        let gray = try PageRenderer().render(template, dpi: s * 25.4 * 2).grayscale()
        // Page mm to pixels of that render, shifted and turned a little so that the fit has work.
        let truth = Homography.scale(2 * s, 2 * s)
        let rough = Homography.translation(3, -2).concatenating(truth).concatenating(Homography([1, 0.01, 0, -0.01, 1, 0, 0, 0, 1]))
        for mark in try #require(template.cornerMarks) {
            let found = try #require(try finder.find(mark, near: rough, reach: 10, patterns: [CornerMarkFinder.pattern(
                square: mark.square, margin: finder.parameters.margin, pixelsPerMM: s)], minimumScore: finder.parameters.minimumScore,
                in: gray))
            let expected = try #require(truth.apply(mark.center))
            #expect(found.point.distance(to: expected) < 0.1 * 2 * s, "\(mark.center): \(found.point) vs \(expected)")
            #expect(found.score > 0.9)
        }
    }
}

/// The dotted writing guide printed in every PPWP page 2 box is not ink: a box with only its
/// guide gives an empty cell, and a pen stroke across the guide keeps its ink.
@Suite struct WritingGuideTests {
    /// A photo of page 2 with a dark vertical stroke, a written 1, down the middle of the tens
    /// box of pair 2, over the guide's middle bar.
    static func photo(level: PhotoLevel, seed: UInt64, megapixels: Double) throws -> Image {
        let box = PPWPLocatingTests.set.pages[0].fields[1].boxes[1]
        return try PPWPLocatingTests.photo(page: 2, rotation: 0.1, tilt: 0.3, seed: seed, level: level, megapixels: megapixels,
                                           strokes: [(Point(box.center.x, box.minY + 1), Point(box.center.x, box.maxY - 1))]).0
    }

    /// At 12 MP a guide's dots are sharp enough to pass for ink; at 3 MP a phone's blur
    /// already fades them.
    @Test(arguments: [(PhotoLevel.scan, UInt64(33), 12.0), (.phone, 31, 12), (.hard, 32, 3)])
    func aGuideAloneIsNotInk(level: PhotoLevel, seed: UInt64, megapixels: Double) throws {
        let photo = try Self.photo(level: level, seed: seed, megapixels: megapixels)
        var trace = PipelineTrace()
        let geometry = try PPWPLocatingTests.pipeline.run(photo, trace: &trace)
        for (f, field) in geometry.fields.enumerated() {
            for (b, cell) in geometry.cells[f].enumerated() {
                if f == 1 && b == 1 {
                    let bounds = try #require(cell.statistics.bounds, "the stroke over the guide was lost")
                    #expect(bounds.height > 0.7, "the stroke kept only \(bounds.height) of the box's height")
                } else {
                    // The classifier sees the cell's pixels: none may carry the guide's dots.
                    #expect(cell.statistics.inkFraction < 0.002 && cell.pixels.max()! < 32,
                            "\(field.name) box \(b): guide read as ink \(cell.statistics.inkFraction), \(cell.pixels.max()!)")
                }
            }
        }
        // Without the guide's removal the same boxes hold ink: the check above can fail.
        var plain = PPWPLocatingTests.pipeline
        plain.extractor.parameters.guideInk = 0
        let unguided = try plain.run(photo, trace: &trace)
        let inked = unguided.cells.flatMap { $0 }.filter { $0.pixels.max()! >= 32 }.count
        if megapixels >= 12 { #expect(inked >= 2, "only \(inked) boxes show their guide as ink without its removal") }
    }
}

/// OMR bubbles read as probabilities over 0–9 and none: blackened in full or in part, two
/// blackened, none, one crossed out.
@Suite struct BubbleReadingTests {
    /// What an officer did to one bubble.
    enum Fill { case full, part, crossed }

    /// Page 2 with these bubbles marked: (field, column, digit, how).
    static func photo(_ marks: [(Int, Int, Int, Fill)], level: PhotoLevel, seed: UInt64, megapixels: Double) throws -> Image {
        let template = PPWPLocatingTests.set.pages[0]
        let pen: [UInt8] = [35, 38, 70]
        return try SimulatedPhoto.make(template, level: level, seed: seed, megapixels: megapixels, rotation: -0.15, tilt: 0.35,
                                       tiltDirection: 2.0, fill: 0.85) { page, s in
            for (f, c, digit, how) in marks {
                guard let column = template.fields[f].bubbles?[c] else { continue }
                let centre = column.centers[digit], r = column.radius * 1.05
                switch how {
                case .full, .part:
                    // A part fill leaves the upper third of the bubble white.
                    let angles = how == .full ? Array(stride(from: 0.0, through: 2 * .pi, by: .pi / 24))
                        : Array(stride(from: -0.2, through: .pi + 0.2, by: .pi / 24))
                    try _Shim.fillPolygon(&page, angles.map { (centre + Point(cos($0), sin($0)) * r) * s }, color: pen)
                case .crossed:
                    for (a, b) in [(Point(-1, -1), Point(1, 1)), (Point(1, -1), Point(-1, 1))] {
                        try _Shim.drawLine(&page, from: (centre + a * (0.8 * r)) * s, to: (centre + b * (0.8 * r)) * s,
                                           thickness: 0.35 * s, color: pen)
                    }
                }
            }
        }.0
    }

    @Test(arguments: [(PhotoLevel.scan, UInt64(41), 6.0), (.phone, 42, 8), (.hard, 43, 3)])
    func bubblesAreReadAsProbabilities(level: PhotoLevel, seed: UInt64, megapixels: Double) throws {
        let marks: [(Int, Int, Int, Fill)] = [
            (0, 0, 1, .full), (0, 1, 2, .full), (0, 2, 3, .part),
            (1, 1, 4, .full), (1, 1, 7, .full), (1, 2, 0, .full), (1, 2, 5, .crossed),
        ]
        let photo = try Self.photo(marks, level: level, seed: seed, megapixels: megapixels)
        var trace = PipelineTrace()
        let geometry = try PPWPLocatingTests.pipeline.run(photo, trace: &trace)
        let columns = geometry.bubbles
        try #require(columns.count == 3 && columns.allSatisfy { $0.count == 3 }, "\(columns.map(\.count))")
        func p(_ f: Int, _ c: Int, _ k: Int) -> Double { columns[f][c].probabilities[k] }
        // Blackened in full, and two thirds: the digit.
        #expect(columns[0][0].likeliest == 1 && p(0, 0, 1) > 0.95, "\(columns[0][0].fills)")
        #expect(columns[0][1].likeliest == 2 && p(0, 1, 2) > 0.95, "\(columns[0][1].fills)")
        #expect(columns[0][2].likeliest == 3 && p(0, 2, 3) > 0.8, "\(columns[0][2].fills)")
        // None blackened: none, surely.
        for (f, c) in [(1, 0), (2, 0), (2, 1), (2, 2)] {
            #expect(columns[f][c].likeliest == nil && p(f, c, 10) > 0.95, "\(f) \(c): \(columns[f][c].fills)")
        }
        // Two blackened: neither is sure, and they are the two likeliest.
        let two = columns[1][1].probabilities
        #expect(two.max()! < 0.7 && two[4] + two[7] > 0.9, "\(columns[1][1].fills)")
        // One blackened, another crossed out: the blackened one, well ahead.
        #expect(columns[1][2].likeliest == 0 && p(1, 2, 0) > 4 * p(1, 2, 5), "\(columns[1][2].fills)")
    }
}
