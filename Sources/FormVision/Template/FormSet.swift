/// The pages of one polling station's form, and the arithmetic that joins them.
///
/// C.Hasil-KWK has two pages: administration (voters, ballots, disabilities) and votes. The
/// votes page comes in variants for 2 to 6 candidate pairs; each variant is its own form set.
public struct FormSet: Sendable, Equatable, Codable {
    /// A stable identifier, for example "c-hasil-kwk-3".
    public var id: String
    /// A human-readable title.
    public var title: String
    /// The page templates, in page order.
    public var pages: [FormTemplate]
    /// Relations between fields of different pages (each page's own relations live in the page).
    public var crossPageRelations: [Relation]

    public init(id: String, title: String, pages: [FormTemplate], crossPageRelations: [Relation]) {
        self.id = id
        self.title = title
        self.pages = pages
        self.crossPageRelations = crossPageRelations
    }

    /// Every relation of the set: each page's, then the cross-page ones.
    public var allRelations: [Relation] { pages.flatMap(\.relations) + crossPageRelations }

    /// Every field of every page.
    public var allFields: [FormTemplate.Field] { pages.flatMap(\.fields) }

    /// Checks every page and the cross-page relations.
    ///
    /// - Throws: `TemplateError` for the first problem found.
    public func validate() throws(TemplateError) {
        guard !pages.isEmpty else { throw .invalid(template: id, reason: "a form set needs at least one page") }
        var names = Set<String>()
        for page in pages {
            try page.validate()
            guard page.family == pages[0].family else {
                throw .invalid(template: page.id, reason: "is of family \"\(page.family)\", not \"\(pages[0].family)\"")
            }
            for field in page.fields where !names.insert(field.name).inserted {
                throw .invalid(template: page.id, reason: "field \"\(field.name)\" also appears on another page")
            }
        }
        // A set holds the pages that carry numbers, in order; it may leave a page out (C.HASIL-PPWP's
        // page 1 holds no count we read).
        for (previous, page) in zip(pages, pages.dropFirst()) where page.page <= previous.page {
            throw .invalid(template: page.id, reason: "page number \(page.page) after page \(previous.page) in \(id)")
        }
        for relation in crossPageRelations {
            for name in relation.fieldNames where !names.contains(name) {
                throw .invalid(template: id, reason: "relation \(relation) names unknown field \"\(name)\"")
            }
        }
    }
}
