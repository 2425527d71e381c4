import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// Digits written over the printed box lines, on synthetic photos with held-out handwriting.
@Suite struct OverflowTests {
    struct Tally {
        var digits = 0, digitsRead = 0
        var blanksBesideDigits = 0, blanksReadAsDigits = 0
        var digitRate: Double { Double(digitsRead) / Double(max(1, digits)) }
    }

    /// Reads every box of `photos` `scan` photos whose writers push every digit onto or across a
    /// box line, with each of the extractors given, from one geometry per photo.
    static func tally(photos: Int, seed: UInt64, extractors: [CellExtractor]) throws -> [Tally] {
        var synthesizer = Synthesizer(digits: try HandwrittenDigits.load(contentsOfFile: Fixtures.digitsPath, split: .heldOut))
        synthesizer.writerOverflowRate = 1
        let pipeline = GeometryPipeline()
        let network = try DigitNetwork.bundled()
        var tallies = [Tally](repeating: Tally(), count: extractors.count)
        for n in 0 ..< photos {
            let item = try synthesizer.make(formSet: TemplateCatalog.builtIn.formSets[1], page: 2, level: .scan,
                                            stationSeed: seed &+ UInt64(n), photoSeed: seed &+ 1000 &+ UInt64(n),
                                            name: "overflow-\(n)", megapixels: 3)
            var trace = PipelineTrace()
            let geometry = try pipeline.run(try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(item.jpeg), trace: &trace)
            for (e, extractor) in extractors.enumerated() {
                let cells = extractor.extract(geometry.rectified, fields: geometry.fields)
                for (f, field) in geometry.fields.enumerated() {
                    guard let truth = item.label.fields.first(where: { $0.name == field.name }) else { continue }
                    for (b, cell) in cells[f].enumerated() {
                        let read = DigitNetwork.top(network.classify(cell), cell: 0).class
                        let box = truth.boxes[b].truth
                        if let d = box.digit, box.correction == nil {
                            tallies[e].digits += 1
                            if read == DigitClass(rawValue: d) { tallies[e].digitsRead += 1 }
                        } else if box.mark == .blank,
                                  [b - 1, b + 1].contains(where: { truth.boxes.indices.contains($0) && truth.boxes[$0].truth.mark == .digit }) {
                            tallies[e].blanksBesideDigits += 1
                            if read.digit != nil { tallies[e].blanksReadAsDigits += 1 }
                        }
                    }
                }
            }
        }
        return tallies
    }

    /// Every digit pushed 18–40 % of a box off centre. A blank box beside one never reads as a
    /// digit (a neighbour's overflow is not a 1), with the default cells and with the
    /// experimental ones that follow strokes past the lines; those read the pushed digits
    /// themselves clearly better (measured 87 % against 69 % on 8 photos; the default loses the
    /// strokes outside the box, which is why `overflowReach` exists).
    @Test func overflowingDigitsAndTheirNeighbours() throws {
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        var following = CellExtractor()
        following.parameters.overflowReach = 0.45
        let tallies = try Self.tally(photos: 5, seed: 4100, extractors: [CellExtractor(), following])
        let (inside, followed) = (tallies[0], tallies[1])
        #expect(inside.digits >= 60 && inside.blanksBesideDigits >= 6, "\(inside)")
        #expect(inside.blanksReadAsDigits == 0, "\(inside)")
        #expect(followed.blanksReadAsDigits <= 1, "\(followed)")
        #expect(followed.digitRate >= 0.8, "\(followed)")
        #expect(followed.digitRate >= inside.digitRate + 0.08, "inside \(inside), followed \(followed)")
    }
}

/// Printed lines taken out of a coverage map, bridged where strokes cross them.
@Suite struct LineRemovalTests {
    static let (w, h) = (40, 30)

    static func render(_ c: [Float]) -> [String] {
        (0 ..< h).map { y in String((0 ..< w).map { c[y * w + $0] >= 0.35 ? "#" : "." }) }
    }

    @Test func linesGoStrokesAcrossThemStay() {
        let (w, h) = (Self.w, Self.h)
        var c = [Float](repeating: 0, count: w * h)
        // A vertical printed line 3 px wide at x 10–12, a horizontal one at y 24–25.
        for y in 0 ..< h { for x in 10 ... 12 { c[y * w + x] = 1 } }
        for x in 0 ..< w { for y in 24 ... 25 { c[y * w + x] = 1 } }
        // A stroke crossing the vertical line at y 8–9, from x 4 to 20.
        for x in 4 ... 20 { for y in 8 ... 9 { c[y * w + x] = 0.9 } }
        // A stroke running beside the vertical line, x 14–15, y 2–14 (not on it).
        for y in 2 ... 14 { for x in 14 ... 15 { c[y * w + x] = 0.8 } }
        // Lines expected a pixel off where they are, as alignment leaves them.
        let lines = [CellExtractor.PrintedLine(horizontal: false, centre: 12.5, span: 0 ... 30, halfWidth: 2.5),
                     CellExtractor.PrintedLine(horizontal: true, centre: 24, span: 0 ... 40, halfWidth: 2.5)]
        CellExtractor.removeLines(lines, from: &c, x0: 0, y0: 0, width: w, height: h, threshold: 0.35, lineShare: 0.8)
        let image = Self.render(c)
        // The crossing stroke is whole again.
        #expect(image[8].dropFirst(4).prefix(17).allSatisfy { $0 == "#" }, "\(image[8])")
        // Bridged with the fainter side: the stroke beside the line (0.8) covers x 14–15 there.
        #expect(abs(c[8 * w + 11] - 0.8) < 1e-6)
        // The line is gone elsewhere, and the horizontal line entirely.
        for y in [0, 5, 12, 20, 29] { #expect(image[y].dropFirst(9).prefix(5).allSatisfy { $0 == "." } || y == 12, "row \(y): \(image[y])") }
        #expect(image[24].allSatisfy { $0 == "." } && image[25].allSatisfy { $0 == "." })
        // The stroke beside the line stays.
        #expect(image[5].dropFirst(14).prefix(2) == "##", "\(image[5])")
    }
}
