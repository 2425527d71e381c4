import Foundation
import Testing
import FormVisionTestSupport
@testable import FormVision
@testable import FormVisionTraining
import CFormVisionFontShim

@Suite struct PolygonFillTests {
    func total(_ image: Image) -> Double { image.storage.reduce(0) { $0 + Double($1) } / 255 }

    /// A square's coverage adds up to its area, with fractional edges.
    @Test func squareCoverageIsItsArea() {
        var image = Image(width: 20, height: 20, format: .gray8)
        PolygonFill.fill([[Point(2.25, 3.5), Point(12.75, 3.5), Point(12.75, 11.1), Point(2.25, 11.1)]], into: &image)
        #expect(abs(total(image) - 10.5 * 7.6) < 0.6)
        #expect(image[5, 5] == 255 && image[1, 5] == 0 && image[14, 5] == 0)
        #expect(image[2, 5] > 150 && image[2, 5] < 230) // three quarters covered
    }

    /// A ring with its hole wound the other way leaves the hole empty (the inside of a 0).
    @Test func oppositeWindingMakesAHole() {
        var image = Image(width: 30, height: 30, format: .gray8)
        let outer = [Point(2, 2), Point(28, 2), Point(28, 28), Point(2, 28)]
        let inner = [Point(10, 10), Point(10, 20), Point(20, 20), Point(20, 10)]
        PolygonFill.fill([outer, inner], into: &image)
        #expect(image[15, 15] == 0 && image[5, 15] == 255)
        #expect(abs(total(image) - (26 * 26 - 100)) < 1)
    }

    /// Overlapping strokes wound the same way fill once (non-zero rule, not even-odd).
    @Test func overlapsFillOnce() {
        var image = Image(width: 30, height: 30, format: .gray8)
        let a = [Point(2, 2), Point(20, 2), Point(20, 20), Point(2, 20)]
        let b = [Point(10, 10), Point(28, 10), Point(28, 28), Point(10, 28)]
        PolygonFill.fill([a, b], into: &image)
        #expect(image[15, 15] == 255)
        #expect(abs(total(image) - (2 * 18 * 18 - 100)) < 1)
    }

    /// Polygons partly or wholly outside the image are clipped, never written out of bounds.
    @Test func clipsToTheImage() {
        var image = Image(width: 10, height: 8, format: .gray8)
        PolygonFill.fill([[Point(-5, -5), Point(15, -5), Point(15, 4), Point(-5, 4)]], into: &image)
        #expect(abs(total(image) - 40) < 0.5)
        var untouched = Image(width: 10, height: 8, format: .gray8)
        PolygonFill.fill([[Point(20, 20), Point(30, 20), Point(30, 30)]], into: &untouched)
        #expect(total(untouched) == 0)
    }
}

@Suite struct OutlineContourTests {
    typealias P = (point: Point, tag: fv_outline_tag)
    func on(_ x: Double, _ y: Double) -> P { (Point(x, y), FV_OUTLINE_ON) }
    func conic(_ x: Double, _ y: Double) -> P { (Point(x, y), FV_OUTLINE_CONIC) }
    func cubic(_ x: Double, _ y: Double) -> P { (Point(x, y), FV_OUTLINE_CUBIC) }

    /// On-curve points only: the polygon is the points themselves.
    @Test func straightContour() throws {
        let square = [on(0, 0), on(10, 0), on(10, 10), on(0, 10)]
        #expect(try OutlineContour.flatten(square) == [Point(0, 0), Point(10, 0), Point(10, 10), Point(0, 10)])
    }

    /// Four conic points on a square's corners imply on-curve midpoints: the curve is a closed
    /// loop through the edge midpoints, inside the square and around its centre.
    @Test func allConicContourIsClosedAndSmooth() throws {
        let polygon = try OutlineContour.flatten([conic(0, 0), conic(10, 0), conic(10, 10), conic(0, 10)])
        #expect(polygon.count == 4 * OutlineFont.segmentsPerCurve)
        for p in polygon {
            let r = p.distance(to: Point(5, 5))
            // Between the midpoints' circle and the segments' own midpoints, (8.75, 1.25) and so on.
            #expect(r >= 5 - 1e-9 && r <= 5.31, "\(p) at \(r)")
        }
        for m in [Point(5, 0), Point(10, 5), Point(5, 10), Point(0, 5)] {
            #expect(polygon.contains { $0.distance(to: m) < 1e-9 }, "passes through \(m)")
        }
    }

    /// A contour that starts on a control point is walked from its first on-curve point, and a
    /// cubic's chords stay inside its control polygon and end on its end points.
    @Test func cubicContourStartingOffTheCurve() throws {
        let polygon = try OutlineContour.flatten([cubic(10, 10), on(10, 0), on(0, 0), cubic(0, 10)])
        // One line (10,0)→(0,0) and one cubic (0,0)→(10,0) bulging up to y = 7.5.
        #expect(polygon.first == Point(10, 0))
        #expect(polygon.count == 2 + OutlineFont.segmentsPerCurve - 1)
        #expect(polygon.contains(Point(0, 0)))
        let top = polygon.map(\.y).max() ?? 0
        #expect(abs(top - 7.5) < 0.2, "the cubic's height \(top)")
        #expect(polygon.allSatisfy { $0.x >= -1e-9 && $0.x <= 10 + 1e-9 && $0.y >= -1e-9 && $0.y <= 10 })
    }

    @Test func unpairedCubicControlIsMalformed() {
        #expect(throws: FontError.self) { try OutlineContour.flatten([self.on(0, 0), self.cubic(5, 5), self.on(10, 0)]) }
        #expect(throws: FontError.self) { try OutlineContour.flatten([self.cubic(0, 0), self.cubic(5, 5)]) }
    }
}

/// Debian's handwriting fonts, installed by scripts/setup.sh.
@Suite struct HandwritingFontTests {
    static var installed: Bool {
        HandwritingFont.catalogue.allSatisfy { FileManager.default.fileExists(atPath: HandwritingFont.defaultDirectory + "/" + $0.file) }
    }

    /// Every catalogue font, TrueType and CFF alike, gives ten digits of sensible shape.
    @Test func everyFontGivesTenDigits() throws {
        try #require(Self.installed, "run scripts/setup.sh")
        let faces = try HandwritingFont.faces(.training) + HandwritingFont.faces(.heldOut)
        #expect(faces.count == HandwritingFont.catalogue.count)
        for face in faces {
            for (digit, glyph) in face.glyphs.enumerated() {
                var image = Image(width: 80, height: 80, format: .gray8)
                PolygonFill.fill(glyph.contours.map { $0.map { Point(40, 40) + $0 * 60 } }, into: &image)
                let area = image.storage.reduce(0) { $0 + Double($1) } / 255
                #expect(area > 40 && area < 2500, "\(face.name) \(digit): ink area \(area)")
                let b = try #require(glyph.bounds)
                #expect(b.height <= 1.0001 && b.height > 0.3, "\(face.name) \(digit): height \(b.height)")
                // A 0's counter is paper, in any hand: holes come out as holes.
                if digit == 0 { #expect(image[40, 40] < 64, "\(face.name): the middle of its 0 is inked") }
            }
        }
        #expect(Set(faces.map(\.name)).count == faces.count)
    }

    /// The held-out fonts share no package, hence no writer, with the training fonts.
    @Test func heldOutFontsAreSeparate() {
        let training = HandwritingFont.catalogue.filter { $0.role == .training }
        let heldOut = HandwritingFont.catalogue.filter { $0.role == .heldOut }
        #expect(heldOut.count >= 2)
        #expect(Set(heldOut.map(\.package)).isDisjoint(with: training.map(\.package)))
    }

    /// The validation fonts (`train --validate`) are two training fonts, so final training uses
    /// them, and no held-out font is among them.
    @Test func validationFontsAreTrainingFonts() {
        let training = Set(HandwritingFont.catalogue.filter { $0.role == .training }.map(\.name))
        #expect(HandwritingFont.validationNames.count == 2)
        #expect(HandwritingFont.validationNames.isSubset(of: training))
        // Folds 0-2 measure three disjoint pairs, all training fonts; fold 3 repeats fold 0.
        let pairs = (0 ..< 3).map { HandwritingFont.validationNames(fold: $0) }
        #expect(pairs.allSatisfy { $0.count == 2 && $0.isSubset(of: training) })
        #expect(pairs.reduce(Set<String>()) { $0.union($1) }.count == 6)
        #expect(HandwritingFont.validationNames(fold: 0) == HandwritingFont.validationNames)
        #expect(HandwritingFont.validationNames(fold: 3) == HandwritingFont.validationNames)
    }

    @Test func missingFontNamesItsPackage() {
        #expect(throws: FontError.fontNotInstalled(name: "delphine", path: "/nonexistent/truetype/sjfonts/Delphine.ttf",
                                                   package: "fonts-sjfonts")) {
            try HandwritingFont.faces(.heldOut, directory: "/nonexistent")
        }
    }

    /// Not a font, a truncated font, and 400 random byte mutations of real fonts (one of each
    /// outline kind, TrueType and CFF): outlines or a typed FontError, never a crash or a hang.
    @Test func badFontBytesGiveTypedErrors() throws {
        try #require(Self.installed, "run scripts/setup.sh")
        #expect(throws: FontError.notAFont) { try OutlineFont(bytes: Array("not a font at all".utf8)) }
        #expect(throws: FontError.notAFont) { try OutlineFont(bytes: []) }
        #expect(throws: FontError.self) { try OutlineFont(contentsOf: "/nonexistent.ttf") }
        var g = SeededGenerator(seed: 5)
        for file in ["truetype/fifthhorseman/dkg.ttf", "opentype/bwht/BecauseWeLearn-Regular.otf"] {
            let bytes = try FileBytes.read(HandwritingFont.defaultDirectory + "/" + file, limit: 1 << 24)
            // A font cut to a third: FreeType opens files lazily and treats glyph data past the
            // end as empty, so each digit is a typed error, an empty outline, or the full font's
            // own outline; never something else.
            let full = try OutlineFont(bytes: bytes)
            let cut: OutlineFont? = try? OutlineFont(bytes: Array(bytes.prefix(bytes.count / 3)))
            var intact = 0
            for c in "0123456789" {
                do throws(FontError) {
                    let outline = try cut?.outline(for: c)
                    if let outline, !outline.contours.isEmpty {
                        #expect(outline == (try full.outline(for: c)), "\(file) cut: \(c) differs from the full font's")
                        intact += 1
                    }
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
            #expect(intact < 10, "\(file) cut to a third still gave every digit")
            for _ in 0 ..< 200 {
                var mutated = bytes
                for _ in 0 ..< Int.random(in: 1 ... 8, using: &g) {
                    // Mostly the table directory and the first tables, where offsets and counts live.
                    let index = g.chance(0.5) ? Int.random(in: 0 ..< min(bytes.count, 2048), using: &g) : Int.random(in: 0 ..< bytes.count, using: &g)
                    mutated[index] = UInt8.random(in: 0 ... 255, using: &g)
                }
                do throws(FontError) {
                    let font = try OutlineFont(bytes: mutated)
                    for c in "0123456789" { _ = try font.outline(for: c) }
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }
}
