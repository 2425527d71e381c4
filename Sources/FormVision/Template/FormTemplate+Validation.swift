extension FormTemplate {
    /// The smallest box side that can hold a handwritten digit, in mm.
    static let minimumBoxSide = 3.0

    /// Checks that the template is usable: supported version, sane geometry, unique names,
    /// boxes and markers inside the page and apart, relations naming known fields.
    ///
    /// Relations may name fields of other pages of the form set only through
    /// `FormSet.crossPageRelations`; a page's own relations name its own fields.
    /// - Throws: `TemplateError` for the first problem found.
    public func validate() throws(TemplateError) {
        guard schemaVersion == FormTemplate.currentSchemaVersion else {
            throw .unsupportedSchemaVersion(found: schemaVersion, supported: FormTemplate.currentSchemaVersion)
        }
        func fail(_ reason: String) -> TemplateError { .invalid(template: id, reason: reason) }
        guard !id.isEmpty, id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw fail("the id must be lowercase letters, digits and dashes")
        }
        guard page >= 1 else { throw fail("page numbers start at 1") }
        guard pageSize.width > 0, pageSize.height > 0, pageSize.width <= 2000, pageSize.height <= 2000 else {
            throw fail("page size \(pageSize.width)×\(pageSize.height) mm is not a sheet of paper")
        }
        guard !markers.isEmpty else { throw fail("a template needs at least one marker to be recognised") }
        var markerIDs = Set<Int>()
        for marker in markers {
            guard marker.size > 0, pageRect.contains(marker.rect) else {
                throw fail("marker \(marker.id) lies outside the page or has no size")
            }
            guard markerIDs.insert(marker.id).inserted else { throw fail("marker id \(marker.id) appears twice") }
        }
        for (index, mark) in (cornerMarks ?? []).enumerated() {
            guard mark.square > 0, pageRect.contains(mark.rect) else {
                throw fail("corner mark \(index) lies outside the page or has no size")
            }
        }
        guard !fields.isEmpty else { throw fail("a template needs at least one field") }
        var names = Set<String>()
        var placed: [(String, Rect)] = markers.map { ("marker \($0.id)", $0.rect) }
        for field in fields {
            guard !field.name.isEmpty else { throw fail("a field has an empty name") }
            guard names.insert(field.name).inserted else { throw fail("field \"\(field.name)\" appears twice") }
            guard !field.boxes.isEmpty, field.boxes.count <= 6 else {
                throw fail("field \"\(field.name)\" needs 1 to 6 boxes")
            }
            for (index, box) in field.boxes.enumerated() {
                let label = "box \(index) of \"\(field.name)\""
                guard box.width >= Self.minimumBoxSide, box.height >= Self.minimumBoxSide else {
                    throw fail("\(label) is smaller than \(Self.minimumBoxSide) mm")
                }
                guard pageRect.contains(box) else { throw fail("\(label) lies outside the page") }
                if let other = placed.first(where: { $0.1.overlaps(box) }) {
                    throw fail("\(label) overlaps \(other.0)")
                }
                placed.append((label, box))
            }
            if let guide = field.guide {
                guard guide.inset.x >= 0, guide.inset.y >= 0,
                      field.boxes.allSatisfy({ 2 * guide.inset.x < $0.width && 2 * guide.inset.y < $0.height }) else {
                    throw fail("the writing guide of \"\(field.name)\" does not fit inside its boxes")
                }
            }
            if let columns = field.bubbles {
                guard columns.count == field.boxes.count else {
                    throw fail("field \"\(field.name)\" has \(columns.count) bubble columns for \(field.boxes.count) boxes")
                }
                for (index, column) in columns.enumerated() {
                    let label = "bubble column \(index) of \"\(field.name)\""
                    guard column.centers.count == 10, column.radius > 0 else {
                        throw fail("\(label) needs ten bubbles (0 to 9) of positive radius")
                    }
                    for (digit, centre) in column.centers.enumerated() {
                        let circle = Rect(x: centre.x - column.radius, y: centre.y - column.radius,
                                          width: 2 * column.radius, height: 2 * column.radius)
                        guard pageRect.contains(circle) else { throw fail("bubble \(digit) of \(label) lies outside the page") }
                        if let other = placed.first(where: { $0.1.overlaps(circle) }) {
                            throw fail("bubble \(digit) of \(label) overlaps \(other.0)")
                        }
                    }
                }
            }
        }
        for relation in relations {
            for name in relation.fieldNames where !names.contains(name) {
                throw fail("relation \(relation) names unknown field \"\(name)\"")
            }
            if case .sumEquals(let terms, _) = relation, terms.isEmpty { throw fail("relation \(relation) has no terms") }
            if case .upperBound(_, let bound) = relation, bound < 0 { throw fail("relation \(relation) has a negative bound") }
        }
    }
}
