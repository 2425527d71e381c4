import FormVision

/// Which photo is item i of a synthetic corpus: form set, page, station and seeds.
///
/// Items come in stations: consecutive items are the pages of one station (same numbers), then
/// the next station. With a family id ("c-hasil-kwk") each station draws its number of
/// candidate pairs; with a form set id all stations use that set; with a page template id only
/// that page is made.
public struct CorpusPlan: Sendable {
    public struct Entry: Sendable, Equatable {
        public var index: Int
        public var formSet: FormSet
        public var page: Int
        public var station: Int
        public var stationSeed: UInt64
        public var photoSeed: UInt64
        public var level: PhotoLevel

        /// A file name stem: "<form set>-p<page>-<level>-<index>".
        public var name: String {
            let number = String(index)
            return "\(formSet.id)-p\(page)-\(level.rawValue)-" + String(repeating: "0", count: max(0, 4 - number.count)) + number
        }
    }

    public let candidates: [FormSet]
    public let pages: [Int]
    public let seed: UInt64
    public let levels: [PhotoLevel]

    /// - Parameters:
    ///   - id: A family, form set or page template id of the catalogue.
    ///   - levels: Levels are taken in turn, station by station.
    public init(id: String, catalog: TemplateCatalog = .builtIn, seed: UInt64, levels: [PhotoLevel]) throws(TemplateError) {
        precondition(!levels.isEmpty, "at least one level")
        self.seed = seed
        self.levels = levels
        if let set = catalog.formSets.first(where: { $0.id == id }) {
            candidates = [set]
            pages = set.pages.map(\.page)
        } else if let page = catalog.templates.first(where: { $0.id == id }) {
            candidates = catalog.formSets.filter { $0.pages.contains(page) }
            pages = [page.page]
        } else {
            candidates = catalog.formSets.filter { $0.pages.first?.family == id }
            pages = candidates.first?.pages.map(\.page) ?? []
            if candidates.isEmpty { throw .unknownTemplate(id: id, known: catalog.ids + Array(Set(catalog.templates.map(\.family)))) }
        }
    }

    /// Item i.
    public func entry(_ index: Int) -> Entry {
        let station = index / pages.count
        let stationSeed = Synthesizer.stationSeed(corpusSeed: seed, station: station)
        var pick = SeededGenerator(seed: stationSeed).derived("form-set")
        let set = candidates[Int.random(in: 0 ..< candidates.count, using: &pick)]
        let photoSeed = SeededGenerator(seed: seed).derivedSeed("photo-\(index)")
        return Entry(index: index, formSet: set, page: pages[index % pages.count], station: station,
                     stationSeed: stationSeed, photoSeed: photoSeed, level: levels[station % levels.count])
    }
}
