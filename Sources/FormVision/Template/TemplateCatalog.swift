/// The built-in templates and form sets, looked up by id or by marker.
///
/// The catalogue is an immutable value; nothing is registered at run time.
public struct TemplateCatalog: Sendable {
    /// The form sets, in a stable order.
    public let formSets: [FormSet]

    public init(formSets: [FormSet]) {
        self.formSets = formSets
    }

    /// C.Hasil-KWK with 2 to 6 candidate pairs.
    public static let builtIn = TemplateCatalog(formSets: CHasilKWK.Layout.pairs.map { CHasilKWK.formSet(pairs: $0) })

    /// The 2024 presidential form C.HASIL-PPWP, pages 2 and 3, measured from the printed form.
    /// The geometry pipeline locates its pages (one tag and four corner marks,
    /// `CornerMarkFinder`); it is not in `builtIn`, which the reader uses, until the reader
    /// handles its writing guides and OMR bubbles.
    public static let ppwp2024 = TemplateCatalog(formSets: [CHasilPPWP.formSet])

    /// Every template this build knows: `builtIn` and `ppwp2024`. What `locate`,
    /// `eval-geometry`, `synth` and the `template` commands use.
    public static let all = TemplateCatalog(formSets: builtIn.formSets + ppwp2024.formSets)

    /// Every page template of every form set, each once (sets may share a page).
    public var templates: [FormTemplate] {
        var seen = Set<String>()
        return formSets.flatMap(\.pages).filter { seen.insert($0.id).inserted }
    }

    /// The ids of every form set and page template.
    public var ids: [String] { formSets.map(\.id) + templates.map(\.id) }

    /// The form set with this id.
    public func formSet(id: String) throws(TemplateError) -> FormSet {
        guard let set = formSets.first(where: { $0.id == id }) else { throw .unknownTemplate(id: id, known: formSets.map(\.id)) }
        return set
    }

    /// The page template with this id.
    public func template(id: String) throws(TemplateError) -> FormTemplate {
        guard let page = templates.first(where: { $0.id == id }) else { throw .unknownTemplate(id: id, known: templates.map(\.id)) }
        return page
    }

    /// The page templates that print a marker of this family and id.
    public func templates(withMarker family: String, id: Int) -> [FormTemplate] {
        templates.filter { $0.markers.contains { $0.family == family && $0.id == id } }
    }
}
