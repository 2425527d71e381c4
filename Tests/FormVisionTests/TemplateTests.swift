import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

@Suite struct TemplateTests {
    static let catalog = TemplateCatalog.builtIn

    @Test func builtInFormSetsValidate() throws {
        #expect(Self.catalog.formSets.map(\.id) == (2 ... 6).map { "c-hasil-kwk-\($0)" })
        for set in Self.catalog.formSets { try set.validate() }
    }

    /// Boxes lie inside the page and apart from each other and from the markers (checked here
    /// directly, not only through validate()).
    @Test(arguments: TemplateCatalog.builtIn.templates.map(\.id))
    func boxesInsidePageAndApart(id: String) throws {
        let template = try Self.catalog.template(id: id)
        let boxes = template.fields.flatMap(\.boxes)
        #expect(boxes.count == template.fields.count * 3)
        for (i, box) in boxes.enumerated() {
            #expect(template.pageRect.contains(box))
            for other in boxes[(i + 1)...] { #expect(!box.overlaps(other)) }
            for marker in template.markers { #expect(!box.overlaps(marker.rect)) }
        }
        // Markers encode the page and variant: every id belongs to this template only.
        for marker in template.markers {
            #expect(Self.catalog.templates(withMarker: marker.family, id: marker.id).map(\.id) == [id])
        }
    }

    @Test func pageOneHasTheAdministrationFields() throws {
        let page = try Self.catalog.template(id: "c-hasil-kwk-p1")
        #expect(page.fields.count == 8 * 3 + 4 + 2)
        #expect(page.field(named: "registered_dpt_male") != nil)
        #expect(page.field(named: "ballots_used") != nil)
        #expect(page.field(named: "disabled_voted") != nil)
        #expect(page.relations.contains(.sumEquals(terms: ["ballots_damaged", "ballots_unused", "ballots_used"],
                                                   total: "ballots_received")))
    }

    @Test(arguments: 2 ... 6)
    func pageTwoHasOneRowPerPair(pairs: Int) throws {
        let set = try Self.catalog.formSet(id: "c-hasil-kwk-\(pairs)")
        let votes = set.pages[1]
        #expect(votes.fields.map(\.name) == (1 ... pairs).map { "votes_pair_\($0)" } + ["votes_valid", "votes_invalid", "votes_total"])
        #expect(set.crossPageRelations.contains(.equals(left: "votes_total", right: "voted_all_total")))
    }

    @Test func jsonRoundTrip() throws {
        for set in Self.catalog.formSets {
            let decoded = try TemplateJSON.formSet(from: TemplateJSON.encode(set))
            #expect(decoded == set)
        }
        let page = try Self.catalog.template(id: "c-hasil-kwk-p2-3")
        let json = String(decoding: TemplateJSON.encode(page), as: UTF8.self)
        #expect(json.contains("\"schema_version\" : 1"))
        #expect(json.contains("\"kind\" : \"sum_equals\""))
        #expect(try TemplateJSON.template(from: Array(json.utf8)) == page)
    }

    // MARK: Malformed templates

    /// A valid page as a JSON object, to break in one place per test.
    func validObject() throws -> [String: Any] {
        let page = try Self.catalog.template(id: "c-hasil-kwk-p2-2")
        return try #require(JSONSerialization.jsonObject(with: Data(TemplateJSON.encode(page))) as? [String: Any])
    }

    func load(_ object: [String: Any]) -> TemplateError? {
        do {
            _ = try TemplateJSON.template(from: Array(try JSONSerialization.data(withJSONObject: object)))
            return nil
        } catch let error as TemplateError {
            return error
        } catch {
            return .malformed(reason: "test could not encode: \(error)")
        }
    }

    func fields(_ object: [String: Any]) -> [[String: Any]] { object["fields"] as? [[String: Any]] ?? [] }

    @Test(arguments: ["{\"id\": ", "[1, 2]", "", "{\"schema_version\": \"one\"}"])
    func notATemplate(json: String) {
        do {
            _ = try TemplateJSON.template(from: Array(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            guard case .malformed = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func missingKeyIsNamed() throws {
        var object = try validObject()
        object.removeValue(forKey: "page_size")
        guard case .malformed(let reason)? = load(object) else { Issue.record("accepted"); return }
        #expect(reason.contains("page_size"))
    }

    @Test func wrongSchemaVersion() throws {
        var object = try validObject()
        object["schema_version"] = 99
        #expect(load(object) == .unsupportedSchemaVersion(found: 99, supported: 1))
    }

    @Test func boxOutsideThePage() throws {
        var object = try validObject()
        var all = fields(object)
        all[0]["boxes"] = [["x": 205.0, "y": 100.0, "width": 7.5, "height": 9.0]]
        object["fields"] = all
        guard case .invalid(_, let reason)? = load(object) else { Issue.record("accepted"); return }
        #expect(reason.contains("outside the page"))
    }

    @Test func overlappingBoxes() throws {
        var object = try validObject()
        var all = fields(object)
        all[1]["boxes"] = all[0]["boxes"]
        object["fields"] = all
        guard case .invalid(_, let reason)? = load(object) else { Issue.record("accepted"); return }
        #expect(reason.contains("overlaps"))
    }

    @Test func relationWithUnknownField() throws {
        var object = try validObject()
        object["relations"] = [["kind": "equals", "left": "votes_valid", "right": "votes_of_nobody"]]
        guard case .invalid(_, let reason)? = load(object) else { Issue.record("accepted"); return }
        #expect(reason.contains("votes_of_nobody"))
    }

    @Test func unknownRelationKind() throws {
        var object = try validObject()
        object["relations"] = [["kind": "roughly_equals", "left": "votes_valid", "right": "votes_total"]]
        guard case .malformed? = load(object) else { Issue.record("accepted"); return }
    }

    @Test func duplicateFieldName() throws {
        var object = try validObject()
        var all = fields(object)
        all[1]["name"] = all[0]["name"]
        object["fields"] = all
        guard case .invalid(_, let reason)? = load(object) else { Issue.record("accepted"); return }
        #expect(reason.contains("appears twice"))
    }

    @Test func noMarkers() throws {
        var object = try validObject()
        object["markers"] = [[String: Any]]()
        guard case .invalid(_, let reason)? = load(object) else { Issue.record("accepted"); return }
        #expect(reason.contains("marker"))
    }

    @Test func unknownBuiltInId() {
        #expect(throws: TemplateError.self) { try Self.catalog.template(id: "c-hasil-ppwp-p1") }
    }

    @Test func relationsEvaluate() {
        let values = ["a": 2, "b": 3, "c": 5]
        #expect(Relation.sumEquals(terms: ["a", "b"], total: "c").holds(values) == true)
        #expect(Relation.equals(left: "a", right: "b").holds(values) == false)
        #expect(Relation.lessOrEqual(left: "a", right: "b").holds(values) == true)
        #expect(Relation.upperBound(field: "c", bound: 4).holds(values) == false)
        #expect(Relation.equals(left: "a", right: "z").holds(values) == nil)
    }

    @Test func aprilTagCellsHaveTheirBorders() throws {
        let tag = try _Shim.aprilTagCells(family: "tag36h11", id: 0)
        #expect(tag.side == 10 && tag.border == 8)
        for i in 0 ..< 10 { // the white quiet ring
            #expect(tag.cells[i] == 255 && tag.cells[90 + i] == 255 && tag.cells[i * 10] == 255 && tag.cells[i * 10 + 9] == 255)
        }
        for i in 1 ..< 9 { // the black border
            #expect(tag.cells[10 + i] == 0 && tag.cells[80 + i] == 0 && tag.cells[i * 10 + 1] == 0 && tag.cells[i * 10 + 8] == 0)
        }
        let other = try _Shim.aprilTagCells(family: "tag36h11", id: 1)
        #expect(other.cells != tag.cells)
        #expect(throws: ImageError.self) { try _Shim.aprilTagCells(family: "tag99h1", id: 0) }
    }
}
