import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision

/// The C.HASIL-PPWP templates against the printed form: the blank 2024 form's images
/// (Tests/Fixtures/images/ppwp-2024, gray copies of kawalc1's, MIT licence) must show every box
/// side, bubble, rule, corner mark and the tag within a printed line's width of where the
/// template puts them, and so must the template's own render.
@Suite struct PPWPTemplateTests {
    static let set = try! TemplateCatalog.ppwp2024.formSet(id: "c-hasil-ppwp")
    /// The tolerance: one printed box line.
    static let lineWidth = CHasilPPWP.Layout.boxLineWidth

    /// An image of a page and where the page's millimetres fall in it.
    struct View {
        let image: Image
        let origin: Point
        let scaleX: Double
        let scaleY: Double

        /// The continuous pixel position of a page point (pixel (i, j) covers [i, i + 1)).
        func pixel(_ p: Point) -> Point { Point(origin.x + p.x * scaleX, origin.y + p.y * scaleY) }

        /// 255 minus the gray value at a page point, bilinear.
        func darkness(at p: Point) -> Double {
            let q = pixel(p) - Point(0.5, 0.5)
            let x0 = Int(q.x.rounded(.down)), y0 = Int(q.y.rounded(.down))
            guard x0 >= 0, y0 >= 0, x0 + 1 < image.width, y0 + 1 < image.height else { return 0 }
            let fx = q.x - Double(x0), fy = q.y - Double(y0)
            let top = Double(image[x0, y0]) * (1 - fx) + Double(image[x0 + 1, y0]) * fx
            let bottom = Double(image[x0, y0 + 1]) * (1 - fx) + Double(image[x0 + 1, y0 + 1]) * fx
            return 255 - (top * (1 - fy) + bottom * fy)
        }

        /// Where, along `normal` from the points `along`, the printed line is darkest within
        /// ±`reach` mm, and how dark it is there (mean over the points). A line wider than a
        /// pixel or two is a plateau: its middle counts (the run within 90 % of the peak).
        func strongestLine(along points: [Point], normal: Point, reach: Double) -> (offset: Double, darkness: Double) {
            let steps = 50
            let offsets = (-steps ... steps).map { reach * Double($0) / Double(steps) }
            let profile = offsets.map { offset in points.map { darkness(at: $0 + normal * offset) }.reduce(0, +) / Double(points.count) }
            let peak = profile.indices.max { profile[$0] < profile[$1] }!
            var (first, last) = (peak, peak)
            while first > 0, profile[first - 1] >= 0.9 * profile[peak] { first -= 1 }
            while last < profile.count - 1, profile[last + 1] >= 0.9 * profile[peak] { last += 1 }
            return ((offsets[first] + offsets[last]) / 2, profile[peak])
        }
    }

    /// The reference image of a page. Its frame was measured once from the corner marks (their
    /// outer edges span these pixels); `cornerMarksAndTag` checks it against the marks.
    static func reference(page: Int) throws -> View {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/images/ppwp-2024/page-\(page).png").path
        let image = try ImageDecoder(options: DecodeOptions(pixelFormat: .gray8)).decode(contentsOfFile: path)
        let (left, top, width, height) = page == 2 ? (47.0, 37.0, 1118.0, 1696.0) : (11.0, 10.0, 1261.0, 1913.0)
        let outer = CHasilPPWP.Layout.cornerMarkCenters[0] - Point(CHasilPPWP.Layout.cornerMarkSquare, CHasilPPWP.Layout.cornerMarkSquare)
        let span = CHasilPPWP.Layout.cornerMarkCenters[2] - CHasilPPWP.Layout.cornerMarkCenters[0]
            + Point(2 * CHasilPPWP.Layout.cornerMarkSquare, 2 * CHasilPPWP.Layout.cornerMarkSquare)
        let sx = width / span.x, sy = height / span.y
        return View(image: image, origin: Point(left - outer.x * sx, top - outer.y * sy), scaleX: sx, scaleY: sy)
    }

    /// The template's own render at 300 dpi.
    static func render(_ template: FormTemplate) throws -> View {
        let s = PageRenderer.scale(dpi: 300)
        return View(image: try PageRenderer().render(template, dpi: 300).grayscale(), origin: Point(0, 0), scaleX: s, scaleY: s)
    }

    static func template(page: Int) -> FormTemplate { set.pages.first { $0.page == page }! }

    @Test func formSetHasTheFormsArithmetic() throws {
        try Self.set.validate()
        let (p2, p3) = (Self.template(page: 2), Self.template(page: 3))
        #expect(p2.markers.map(\.id) == [102] && p3.markers.map(\.id) == [103])
        #expect(p2.markers[0].family == "tag36h10")
        #expect(p2.cornerMarks?.count == 4 && p3.cornerMarks?.count == 4)
        #expect(p2.fields.map(\.name) == ["votes_pair_1", "votes_pair_2", "votes_pair_3"])
        for field in p2.fields {
            #expect(field.boxes.count == 3 && field.bubbles?.count == 3 && field.guide != nil)
            #expect(p2.relations.contains(.upperBound(field: field.name, bound: 600)))
        }
        for field in p3.fields { #expect(field.bubbles == nil && field.guide == nil) }
        #expect(p3.relations.contains(.sumEquals(terms: ["votes_valid", "votes_invalid"], total: "votes_total")))
        #expect(Self.set.crossPageRelations == [.sumEquals(terms: ["votes_pair_1", "votes_pair_2", "votes_pair_3"], total: "votes_valid")])
        for name in ["votes_valid", "votes_invalid", "votes_total"] {
            #expect(p3.relations.contains(.upperBound(field: name, bound: 600)))
        }
        // The JSON form of the set reads back as the same set.
        #expect(try TemplateJSON.formSet(from: TemplateJSON.encode(Self.set)) == Self.set)
    }

    /// The new parts are validated like the old: each break gets a typed error naming it.
    @Test func brokenBubblesGuidesAndCornerMarksAreRefused() throws {
        func reason(_ change: (inout FormTemplate) -> Void) -> String {
            var template = Self.template(page: 2)
            change(&template)
            do { try template.validate() } catch {
                if case .invalid(_, let reason) = error { return reason }
            }
            return "accepted"
        }
        let reasons = [
            reason { _ = $0.fields[0].bubbles?.removeLast() },
            reason { _ = $0.fields[1].bubbles?[0].centers.removeLast() },
            reason { $0.fields[2].bubbles?[2].centers[9].y = 400 },
            reason { let box = $0.fields[0].boxes[0]; $0.fields[0].bubbles?[0].centers[0] = box.center },
            reason { $0.fields[0].guide?.inset = Point(4, 1) },
            reason { $0.cornerMarks?[2].center = Point(214, 329) },
            reason { _ in },
        ]
        let expected = ["2 bubble columns for 3 boxes", "ten bubbles", "outside the page", "overlaps", "writing guide",
                        "corner mark 2", "accepted"]
        for (reason, expected) in zip(reasons, expected) { #expect(reason.contains(expected), "\(reason)") }
    }

    /// Each corner mark's two squares are ink and the other two quarters paper; the tag's black
    /// square ends where the template says (dark just inside its edge, paper just outside).
    @Test(arguments: [2, 3]) func cornerMarksAndTag(page: Int) throws {
        let template = Self.template(page: page)
        for view in [try Self.reference(page: page), try Self.render(template)] {
            func meanDarkness(_ r: Rect) -> Double {
                let inner = r.insetBy(r.width * 0.25)
                let points = (0 ..< 25).map { Point(inner.minX + inner.width * Double($0 % 5) / 4, inner.minY + inner.height * Double($0 / 5) / 4) }
                return points.map { view.darkness(at: $0) }.reduce(0, +) / 25
            }
            for mark in template.cornerMarks ?? [] {
                let s = mark.square
                for square in mark.squares { #expect(meanDarkness(square) > 150, "corner mark \(mark.center) page \(page)") }
                for paper in [Rect(x: mark.center.x, y: mark.center.y - s, width: s, height: s),
                              Rect(x: mark.center.x - s, y: mark.center.y, width: s, height: s)] {
                    #expect(meanDarkness(paper) < 60, "corner mark \(mark.center) page \(page)")
                }
            }
            let tag = template.markers[0]
            let cell = tag.size / 8
            for k in 0 ..< 32 {
                let t = Double(k) / 32 * 2 * Double.pi
                let direction = Point(cos(t), sin(t))
                // The point on the square's edge in this direction.
                let edge = tag.center + direction * (tag.size / 2 / max(abs(direction.x), abs(direction.y)))
                let outward = edge - tag.center
                let unit = outward * (1 / outward.distance(to: Point(0, 0)))
                #expect(view.darkness(at: edge - unit * (cell / 2)) > 150, "tag border page \(page)")
                #expect(view.darkness(at: edge + unit * (cell / 2)) < 60, "tag quiet zone page \(page)")
            }
        }
    }

    /// Every side of every box is a printed line within one line width of the template's.
    @Test(arguments: [2, 3]) func boxSidesOnThePrintedLines(page: Int) throws {
        let template = Self.template(page: page)
        let half = template.printing.boxLineWidth / 2
        for view in [try Self.reference(page: page), try Self.render(template)] {
            for field in template.fields {
                for box in field.boxes {
                    // (points along the side's middle 60 %, outward normal) for top, bottom, left, right.
                    let along = (0 ..< 12).map { 0.2 + 0.6 * Double($0) / 11 }
                    let sides: [([Point], Point)] = [
                        (along.map { Point(box.minX + box.width * $0, box.minY - half) }, Point(0, -1)),
                        (along.map { Point(box.minX + box.width * $0, box.maxY + half) }, Point(0, 1)),
                        (along.map { Point(box.minX - half, box.minY + box.height * $0) }, Point(-1, 0)),
                        (along.map { Point(box.maxX + half, box.minY + box.height * $0) }, Point(1, 0)),
                    ]
                    for (points, normal) in sides {
                        let line = view.strongestLine(along: points, normal: normal, reach: 1.0)
                        #expect(abs(line.offset) <= Self.lineWidth && line.darkness > 100,
                                "\(field.name) box \(box) side \(normal) page \(page): off \(line.offset) mm, darkness \(line.darkness)")
                    }
                }
            }
        }
    }

    /// Every bubble is a printed circle within one line width of the template's, in eight
    /// directions (which bounds both its centre and its radius).
    @Test func bubblesOnThePrintedCircles() throws {
        let template = Self.template(page: 2)
        for view in [try Self.reference(page: 2), try Self.render(template)] {
            for field in template.fields {
                for (column, bubbles) in (field.bubbles ?? []).enumerated() {
                    for (digit, centre) in bubbles.centers.enumerated() {
                        for k in 0 ..< 8 {
                            let t = Double(k) / 8 * 2 * Double.pi
                            let direction = Point(cos(t), sin(t))
                            let normal = Point(-direction.y, direction.x)
                            let points = (-2 ... 2).map { centre + direction * bubbles.radius + normal * (0.12 * Double($0)) }
                            // Reach just past the tolerance: the digit printed inside comes within
                            // 0.55 mm of the circle (the foot of a 2).
                            let ring = view.strongestLine(along: points, normal: direction, reach: Self.lineWidth + 0.05)
                            #expect(abs(ring.offset) <= Self.lineWidth && ring.darkness > 60,
                                    "\(field.name) column \(column) bubble \(digit) direction \(k): off \(ring.offset) mm, darkness \(ring.darkness)")
                        }
                    }
                }
            }
        }
    }

    /// Every full-ink rule longer than 5 mm is a printed line within one line width of the
    /// template's, along its whole length.
    @Test(arguments: [2, 3]) func rulesOnThePrintedLines(page: Int) throws {
        let template = Self.template(page: page)
        let reference = try Self.reference(page: page)
        for line in template.printing.lines where line.gray == nil && line.from.distance(to: line.to) > 5 {
            let d = line.to - line.from
            let length = line.from.distance(to: line.to)
            let normal = Point(-d.y / length, d.x / length)
            let points = (0 ..< 20).map { line.from + d * (0.05 + 0.9 * Double($0) / 19) }
            let found = reference.strongestLine(along: points, normal: normal, reach: 1.0)
            // Hairlines (0.15 mm) print light in the reference: 55 of 255 at the faintest.
            #expect(abs(found.offset) <= Self.lineWidth && found.darkness > 40,
                    "rule \(line.from) to \(line.to) page \(page): off \(found.offset) mm, darkness \(found.darkness)")
        }
    }
}
