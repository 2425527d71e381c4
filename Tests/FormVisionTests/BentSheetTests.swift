import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// The warp of a bent page and its thin-plate spline, against fields known in closed form.
@Suite struct PageWarpTests {
    /// λ = 0 passes through every point; any affine field is reproduced everywhere (the spline's
    /// kernel weights vanish for it).
    @Test func thinPlateSplineInterpolatesAndKeepsAffineFields() throws {
        var g = SeededGenerator(seed: 7)
        let points = (0 ..< 20).map { _ in Point(g.uniform(0 ... 210), g.uniform(0 ... 297)) }
        let values = points.map { _ in Point(g.uniform(-5 ... 5), g.uniform(-5 ... 5)) }
        let spline = try #require(ThinPlateSpline(points: points, values: values, smoothing: 0, unit: 100))
        for (p, v) in zip(points, values) { #expect(spline(p).distance(to: v) < 1e-6) }

        let affine = { (p: Point) in Point(0.02 * p.x - 0.01 * p.y + 1.5, 0.005 * p.x + 0.03 * p.y - 2) }
        let fit = try #require(ThinPlateSpline(points: points, values: points.map(affine), smoothing: 0.01, unit: 100))
        for q in [Point(0, 0), Point(105, 148), Point(210, 297), Point(30, 250)] {
            #expect(fit(q).distance(to: affine(q)) < 1e-6)
        }
        #expect(ThinPlateSpline(points: [Point(0, 0), Point(1, 1)], values: [.zero, .zero], smoothing: 0, unit: 1) == nil)
    }

    /// Bilinear nodes reproduce a linear field between them; composing with nothing changes
    /// nothing; composing two constant shifts adds them.
    @Test func warpInterpolatesAndComposes() {
        let linear = { (p: Point) in Point(0.01 * p.x + 0.5, -0.02 * p.y) }
        let warp = PageWarp(pageSize: .a4, spacing: 4, linear)
        for q in [Point(1.3, 2.2), Point(105.5, 148.7), Point(209, 296)] {
            #expect(warp.displacement(at: q).distance(to: linear(q)) < 1e-9)
        }
        #expect(warp.composed(after: { _ in .zero }) == warp)
        let shift = PageWarp(pageSize: .a4, spacing: 4) { _ in Point(1, -2) }
        let both = shift.composed(after: { _ in Point(0.5, 0.25) })
        #expect(both.displacement(at: Point(50, 60)).distance(to: Point(1.5, -1.75)) < 1e-12)
        #expect(abs(both.largestDisplacement - Point(1.5, -1.75).length) < 1e-12)
    }
}

/// Photos of bent sheets whose bend is known exactly: the simulator's own plan is the truth.
@Suite struct KnownBendTests {
    static let set = try! TemplateCatalog.builtIn.formSet(id: "c-hasil-kwk-3")

    /// A photo of page `page` of a three-pair station seen by a camera looking straight down
    /// with a tilt, the paper lifted as `lifts` say, and the plan that made it.
    static func photo(page: Int, lifts: [PhotoPlan.Lift], tilt: Double = 0.35) throws -> (Image, PhotoPlan, FormTemplate) {
        let template = set.pages[page - 1]
        let (photo, plan) = try SimulatedPhoto.make(template, level: .scan, seed: 99, megapixels: 2.5, rotation: 0.05, tilt: tilt,
                                                    tiltDirection: 0.3, fill: 0.8, lifts: lifts)
        return (photo, plan, template)
    }

    /// Largest distance of a located box corner from the truth, in box heights; over the
    /// fields found on their lines only, with `locatedOnly`.
    static func largestError(_ geometry: PageGeometry, _ plan: PhotoPlan, _ template: FormTemplate,
                             locatedOnly: Bool = false) throws -> Double {
        var largest = 0.0
        for field in geometry.fields where field.located || !locatedOnly {
            let printed = try #require(template.field(named: field.name))
            for (box, rect) in zip(field.boxes, printed.boxes) {
                let truth = rect.corners.map(plan.project)
                let height = truth[0].distance(to: truth[3])
                for (found, true_) in zip(geometry.photoCorners(of: box), truth) {
                    largest = max(largest, found.distance(to: true_) / height)
                }
            }
        }
        return largest
    }

    /// The right edge curled over a cylinder (a parabola of the same curvature: radius
    /// reach² / 2·height = 40 mm) rising 20 mm, and a fold across the middle rising at 5°:
    /// markers leave one plane by several millimetres, the page is located with a warp, and
    /// every box lies within a tenth of its height of the truth and is found on its lines.
    @Test(arguments: [1, 2])
    func aCurledAndFoldedSheetIsMappedBoxByBox(page: Int) throws {
        let lifts: [PhotoPlan.Lift] = [
            .curl(origin: Point(210 - 40, 148.5), normal: Point(1, 0), reach: 40, height: 20),
            .crease(origin: Point(105, 148.5), normal: Point(0, 1), slope: tan(0.09)),
        ]
        let (photo, plan, template) = try Self.photo(page: page, lifts: lifts)
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(photo, trace: &trace)
        #expect(geometry.template.id == template.id)
        #expect(geometry.rectified.warp != nil)
        let error = try Self.largestError(geometry, plan, template)
        #expect(error < 0.1, "largest box corner error \(error) box heights")
        // The bend matters: the plane through the markers alone puts boxes far off.
        var flat = geometry
        flat.rectified.warp = nil
        let flatError = try Self.largestError(flat, plan, template)
        #expect(flatError > 0.25, "the plane alone is off by only \(flatError) box heights")
        #expect(geometry.fields.allSatisfy { $0.located }, "\(geometry.fields.filter { !$0.located }.map(\.name))")
        #expect(!geometry.quality.needsRetake, "\(geometry.quality.reasons)")
    }

    /// The same camera over the flat sheet keeps the plain homography: no warp, no cost.
    @Test func aFlatSheetHasNoWarp() throws {
        let (photo, plan, template) = try Self.photo(page: 1, lifts: [])
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(photo, trace: &trace)
        #expect(geometry.rectified.warp == nil)
        #expect(try Self.largestError(geometry, plan, template) < 0.05)
    }

    /// A bump in the middle of the page, between the markers, which therefore still agree on one
    /// plane: the boxes it displaces are either found on their lines or not read; never `ok`
    /// and off.
    @Test func aBumpTheMarkersCannotSeeIsNeverReadSilently() throws {
        let lifts: [PhotoPlan.Lift] = [.bump(center: Point(140, 120), radius: 18, height: 9)]
        let (photo, plan, template) = try Self.photo(page: 1, lifts: lifts, tilt: 0.55)
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(photo, trace: &trace)
        #expect(geometry.fields.filter { $0.located }.count >= geometry.fields.count * 3 / 4,
                "\(geometry.fields.filter { !$0.located }.map(\.name))")
        for field in geometry.fields where field.located {
            let printed = try #require(template.field(named: field.name))
            for (box, rect) in zip(field.boxes, printed.boxes) {
                let truth = rect.corners.map(plan.project)
                let height = truth[0].distance(to: truth[3])
                let error = zip(geometry.photoCorners(of: box), truth).map { $0.distance(to: $1) }.max()! / height
                #expect(error < 0.25, "\(field.name) is located but \(error) box heights off")
            }
        }
    }
}

/// Boxes check themselves: a field moved off its printed lines is not located.
@Suite struct BoxVerifierTests {
    static let template = try! TemplateCatalog.builtIn.template(id: "c-hasil-kwk-p1")

    /// A filled page photographed at `level` and `megapixels`, located: its aligned fields, and
    /// the page.
    static func alignedPage(level: PhotoLevel = .scan, megapixels: Double = 3) throws -> (RectifiedPage, [LocatedField]) {
        let path = Fixtures.digitsPath
        try #require(FileManager.default.fileExists(atPath: path), "run scripts/setup.sh to extract digits.png")
        let synthesizer = Synthesizer(digits: try HandwrittenDigits.load(contentsOfFile: path, split: .heldOut))
        let plan = try CorpusPlan(id: "c-hasil-kwk-3", seed: 5, levels: [level])
        let entry = plan.entry(0)
        let item = try synthesizer.make(formSet: entry.formSet, page: entry.page, level: entry.level, stationSeed: entry.stationSeed,
                                        photoSeed: entry.photoSeed, name: entry.name, megapixels: megapixels)
        let photo = try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(item.jpeg)
        var trace = PipelineTrace()
        let geometry = try GeometryPipeline().run(photo, trace: &trace)
        return (geometry.rectified, geometry.fields)
    }

    static func moved(_ fields: [LocatedField], by shift: Point) -> [LocatedField] {
        fields.map { field in
            var field = field
            for b in field.boxes.indices {
                field.boxes[b].rect = Rect(x: field.boxes[b].rect.x + shift.x, y: field.boxes[b].rect.y + shift.y,
                                           width: field.boxes[b].rect.width, height: field.boxes[b].rect.height)
            }
            return field
        }
    }

    /// Where alignment put them, every field is found; moved a quarter of a box up, down, left
    /// or right (0.25 box height is where a box starts to be read from the wrong place), none is.
    /// On a sharp scan, and on a coarse, blurred hard photo (boxes about 25 px tall), where the
    /// tolerance grows with the photo's pixels.
    @Test(arguments: [(PhotoLevel.scan, 3.0), (.hard, 1.0)])
    func fieldsOffTheirLinesAreNotLocated(level: PhotoLevel, megapixels: Double) throws {
        let (page, fields) = try Self.alignedPage(level: level, megapixels: megapixels)
        let verifier = BoxVerifier()
        let found = verifier.verify(fields, on: page).filter { $0.located }.count
        #expect(found >= fields.count - 1, "\(found) of \(fields.count) found where alignment put them")
        let s = page.pixelsPerMM
        let (w, h) = (CHasilKWK.Layout.boxWidth * s, CHasilKWK.Layout.boxHeight * s)
        for shift in [Point(0, h / 4), Point(0, -h / 4), Point(w / 4, 0), Point(-w / 4, 0), Point(w / 4, h / 4)] {
            let checked = verifier.verify(Self.moved(fields, by: shift), on: page)
            let located = checked.filter(\.located).map(\.name)
            #expect(located.isEmpty, "moved by \(shift): \(located)")
        }
    }

    /// Correction fluid over one box's lines: the other two boxes of the field vouch for it.
    /// (The paint takes the box's own lines; the printed rules 1 mm outside stay, which the box
    /// may still half see, so only the loss of its own lines is checked for that box.)
    @Test func oneBoxWithItsLinesPaintedOverKeepsItsField() throws {
        var (page, fields) = try Self.alignedPage()
        let field = fields[0]
        let before = BoxVerifier().verify([field], on: page)[0].boxes[1].sideStrengths
        let r = field.boxes[1].rect.insetBy(-6)
        for y in Int(r.minY) ..< Int(r.maxY) { for x in Int(r.minX) ..< Int(r.maxX) { page.gray[x, y] = 250 } }
        let checked = BoxVerifier().verify([field], on: page)
        #expect(checked[0].located)
        let after = checked[0].boxes[1].sideStrengths
        #expect(zip(before, after).allSatisfy { $1 < 0.6 * $0 }, "before \(before), after \(after)")
    }
}
