import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

@Suite struct StationTests {
    /// Every generated station satisfies every relation of its form set, page and cross-page.
    @Test(arguments: TemplateCatalog.all.formSets.map(\.id))
    func stationsSatisfyEveryRelation(id: String) throws {
        let set = try TemplateCatalog.all.formSet(id: id)
        let names = Set(set.allFields.map(\.name))
        for seed in 0 ..< 300 as Range<UInt64> {
            var g = SeededGenerator(seed: seed)
            let values = try StationGenerator().values(for: set, using: &g)
            #expect(Set(values.keys) == names)
            for relation in set.allRelations {
                #expect(relation.holds(values) == true, "seed \(seed): \(relation) with \(relation.fieldNames.map { "\($0)=\(values[$0]!)" })")
            }
            for field in set.allFields {
                let value = try #require(values[field.name])
                #expect(value >= 0 && value <= field.capacity)
            }
        }
    }

    @Test func unsupportedFamily() throws {
        var set = try TemplateCatalog.builtIn.formSet(id: "c-hasil-kwk-2")
        set.pages[0].family = "c-hasil-dpr"
        var g = SeededGenerator(seed: 1)
        #expect(throws: StationGenerator.Failure.unsupportedFamily("c-hasil-dpr")) {
            try StationGenerator().values(for: set, using: &g)
        }
    }

    /// Whatever a writer's habits, the marks read back as the value, and an unused box never
    /// holds a digit other than a leading zero.
    @Test func writerMarksReadBackAsTheValue() {
        var g = SeededGenerator(seed: 3)
        for _ in 0 ..< 40 {
            var style = WriterStyle.random(using: &g)
            style.startLeftRate = 0.5
            for value in 0 ... 999 {
                let marks = style.marks(for: value, boxes: 3, using: &g)
                #expect(marks.count == 3)
                #expect(BoxTruth.value(of: marks) == value)
            }
        }
    }

    @Test func boxValues() {
        #expect(BoxTruth.value(of: [.digit(7), .digit(4), .x]) == 74)
        #expect(BoxTruth.value(of: [.x, .x, .digit(0)]) == 0)
        #expect(BoxTruth.value(of: [.digit(0), .digit(1), .digit(6)]) == 16)
        #expect(BoxTruth.value(of: [.blank, .dash, .blank]) == nil)
    }
}

@Suite struct PhotoPlanTests {
    /// The inverse used to render agrees with the projection used for labels.
    @Test(arguments: PhotoLevel.allCases)
    func unprojectInvertsProject(level: PhotoLevel) throws {
        for seed in 0 ..< 20 as Range<UInt64> {
            var g = SeededGenerator(seed: seed)
            let plan = PhotoSimulator().plan(level: level, pageSize: .a4, megapixels: 2, using: &g)
            let inverse = try #require(plan.pageToPhoto.inverse)
            for q in [Point(20, 30), Point(105, 148.5), Point(190, 280), Point(3, 290)] {
                let p = plan.project(q)
                let back = try #require(plan.unproject(p, inverse: inverse))
                #expect(back.distance(to: q) < 0.01, "seed \(seed): \(q) -> \(p) -> \(back)")
            }
            // The whole page is inside the frame.
            for corner in FormTemplate.Size.a4.corners {
                let p = plan.project(corner)
                #expect(p.x >= 0 && p.y >= 0 && p.x <= Double(plan.width) && p.y <= Double(plan.height))
            }
        }
    }
}

extension FormTemplate.Size {
    var corners: [Point] { [Point(0, 0), Point(width, 0), Point(width, height), Point(0, height)] }
}

/// Tests that need digits.png (scripts/setup.sh extracts it).
@Suite struct SynthesizerTests {
    let synthesizer: Synthesizer

    init() throws {
        let path = Fixtures.digitsPath
        try #require(FileManager.default.fileExists(atPath: path), "run scripts/setup.sh to extract digits.png")
        synthesizer = Synthesizer(digits: try HandwrittenDigits.load(contentsOfFile: path, split: .heldOut))
    }

    @Test func digitsSplitIsFixed() throws {
        let heldOut = synthesizer.digits
        #expect(heldOut.count == 500)
        #expect(heldOut.samples.allSatisfy { $0.count == 50 })
        #expect(heldOut.samples.joined().allSatisfy { (90 ..< 100).contains($0.column) })
        let training = try HandwrittenDigits.load(contentsOfFile: Fixtures.digitsPath, split: .training)
        #expect(training.count == 4500)
        #expect(training.samples.joined().allSatisfy { $0.column < 90 && $0.digit == $0.row / 5 })
    }

    func make(_ index: Int, seed: UInt64 = 42, level: PhotoLevel = .phone) throws -> Synthesizer.Item {
        let plan = try CorpusPlan(id: "c-hasil-kwk", seed: seed, levels: [level])
        let entry = plan.entry(index)
        return try synthesizer.make(formSet: entry.formSet, page: entry.page, level: entry.level,
                                    stationSeed: entry.stationSeed, photoSeed: entry.photoSeed,
                                    name: entry.name, megapixels: 0.12)
    }

    /// The same seed gives the same pixels and labels; another seed does not.
    @Test func deterministic() throws {
        let a = try make(1), b = try make(1)
        #expect(a.jpeg == b.jpeg)
        #expect(a.label == b.label)
        let c = try make(1, seed: 43)
        #expect(c.jpeg != a.jpeg)
    }

    /// Both pages of one station carry the same numbers, and the label's values obey the set.
    @Test func pagesOfAStationShareItsNumbers() throws {
        let page1 = try make(0, level: .hard), page2 = try make(1, level: .hard)
        #expect(page1.label.station == page2.label.station)
        #expect(page1.label.stationValues == page2.label.stationValues)
        #expect(page1.label.page == 1 && page2.label.page == 2)
        let set = try TemplateCatalog.builtIn.formSet(id: page1.label.formSet)
        for relation in set.allRelations { #expect(relation.holds(page1.label.stationValues) == true) }
        for field in page1.label.fields + page2.label.fields {
            #expect(BoxTruth.value(of: field.boxes.map(\.truth)) == field.value)
            #expect(page1.label.stationValues[field.name] == field.value)
        }
    }

    /// The label geometry lies in the photo, which decodes at the labelled size.
    @Test(arguments: PhotoLevel.allCases)
    func labelsDescribeThePhoto(level: PhotoLevel) throws {
        let item = try make(0, level: level)
        let photo = try ImageDecoder().decode(item.jpeg)
        #expect(photo.width == item.label.photo.width && photo.height == item.label.photo.height)
        let inside = { (p: Point) in p.x >= 0 && p.y >= 0 && p.x <= Double(photo.width) && p.y <= Double(photo.height) }
        #expect(item.label.pageCorners.allSatisfy(inside))
        #expect(item.label.fields.flatMap(\.boxes).flatMap(\.corners).allSatisfy(inside))
        #expect(item.label.digitsSplit == HandwrittenDigits.Split.heldOut.rawValue)
    }
}
