import Foundation

/// Reads photos of forms into checked numbers: the product.
///
/// One reader value serves any number of threads: it holds only its stages and the network, no
/// state between photos, and it writes no file. Each photo goes through the geometry pipeline
/// (markers → page → rectification → box alignment → quality → cells), all its cells through
/// the digit network in one batch, and then every field of the photo (or of all the photos of a
/// station) through the `StationDecoder`, which decides the values together with the form's
/// arithmetic.
///
/// ```swift
/// let reader = try FormReader()
/// let station = reader.readStation([.init(name: "p1.jpg", bytes: p1), .init(name: "p2.jpg", bytes: p2)])
/// for page in station.pages { for (name, field) in page.fields { print(name, field.value as Any, field.status) } }
/// ```
public struct FormReader: Sendable {
    /// A photo to read: its bytes (JPEG or PNG) and the name the results carry.
    public struct Photo: Sendable {
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    public var catalog: TemplateCatalog
    public var pipeline: GeometryPipeline
    public var network: DigitNetwork
    public var decoder: StationDecoder
    public var decodeOptions: DecodeOptions

    /// A reader with the built-in templates and the bundled network.
    ///
    /// - Throws: `WeightsError` when the bundled weights cannot be loaded.
    public init(catalog: TemplateCatalog = .builtIn, network: DigitNetwork? = nil,
                decoder: StationDecoder = StationDecoder()) throws(WeightsError) {
        self.catalog = catalog
        pipeline = GeometryPipeline(catalog: catalog)
        if let network { self.network = network } else { self.network = try DigitNetwork.bundled() }
        self.decoder = decoder
        decodeOptions = DecodeOptions(pixelFormat: .rgb8)
    }

    /// Reads one photo on its own: only the relations of its own page are used.
    public func read(_ photo: Photo) -> PageReading {
        readStation([photo], station: nil).pages[0]
    }

    /// Reads the photos of one polling station together, in any order: the pages are told apart
    /// by their markers, and the relations between pages take part in the decoding.
    ///
    /// A photo that cannot be read gets its own `error` result and the others are still read.
    /// Two photos of the same page, or pages of different form sets, make the station an
    /// `error` (`duplicate_page`, `mismatched_pages`) and nothing is decided.
    public func readStation(_ photos: [Photo], station: String? = nil) -> StationReading {
        readStation(located: photos.map { locate($0) }, station: station)
    }

    /// Decides the values of a station's photos, each already located by `locate(_:)`: the
    /// second half of `readStation(_:station:)`. The results keep the order of `located`.
    public func readStation(located: [LocatedPhoto], station: String? = nil) -> StationReading {
        var located = located
        let identified = located.compactMap(\.evidence)
        if let problem = groupProblem(identified.map(\.geometry.template)) {
            for i in located.indices where located[i].evidence != nil {
                located[i].evidence = nil
                located[i].problem = problem
            }
            return StationReading(schemaVersion: PageReading.schemaVersion, station: station, formSet: nil, status: .error,
                                  pages: located.map { $0.failure(station: station) }, checks: [], error: problem)
        }
        let templates = identified.map(\.geometry.template)
        // The form set is known when exactly one set holds every page (a lone page 1 serves them all).
        let sets = catalog.formSets.filter { set in templates.allSatisfy { set.pages.contains($0) } }
        let formSet = sets.count == 1 ? sets[0] : nil
        var relations = templates.flatMap(\.relations)
        let crossPage = formSet?.crossPageRelations ?? []
        relations += crossPage
        let evidence = identified.enumerated().flatMap { photo, page in
            page.fields.map { field in
                var field = field
                field.photo = photo
                return field
            }
        }
        let clock = ContinuousClock()
        var outcome: StationDecoder.Outcome?
        let solveTime = clock.measure { outcome = decoder.decode(evidence, relations: relations) }
        let solved = outcome!
        var pages: [PageReading] = []
        for item in located {
            guard let page = item.evidence else {
                pages.append(item.failure(station: station))
                continue
            }
            var timings = item.timings
            timings["arithmetic"] = Self.milliseconds(solveTime)
            timings["total", default: 0] += Self.milliseconds(solveTime)
            pages.append(pageReading(page, image: item.name, outcome: solved, formSet: formSet?.id, station: station,
                                     timings: timings))
        }
        let crossChecks = solved.checks.filter { check in crossPage.contains { $0.description == check.relation } }
        let status: PageReading.Status
        if pages.allSatisfy({ $0.status == .error }) {
            status = .error
        } else if pages.contains(where: { $0.status == .retake }) {
            status = .retake
        } else if pages.allSatisfy({ $0.status == .ok }) {
            status = .ok
        } else {
            status = .review
        }
        return StationReading(schemaVersion: PageReading.schemaVersion, station: station, formSet: formSet?.id, status: status,
                              pages: pages, checks: crossChecks, error: status == .error ? pages.first?.error : nil)
    }

    // MARK: Stages

    /// One photo located and classified: all the reader knows of it before the arithmetic.
    ///
    /// `locate(_:)` makes one and `readStation(located:station:)` decides a station's values
    /// from them. A service that receives a station's pages one at a time can locate each as it
    /// arrives and decide the station when the last one is in.
    public struct LocatedPhoto: Sendable {
        struct Evidence: Sendable {
            var geometry: PageGeometry
            var fields: [FieldEvidence]
        }

        /// The photo's name, as the results carry it.
        public internal(set) var name: String
        var evidence: Evidence?
        /// Why the photo cannot be read, when it cannot.
        public internal(set) var problem: PageReading.Problem?
        var timings: [String: Double]

        /// The template the photo was found to show; nil when it could not be read.
        public var templateID: String? { evidence?.geometry.template.id }

        /// A photo that could not even be loaded (a missing file, say): it takes its place in
        /// the station with an `error` result and the reason.
        public static func unreadable(name: String, _ problem: PageReading.Problem) -> LocatedPhoto {
            LocatedPhoto(name: name, evidence: nil, problem: problem, timings: [:])
        }

        func failure(station: String?) -> PageReading {
            .failure(image: name, station: station, problem!, timings: timings)
        }
    }

    /// Decodes a photo, runs the geometry pipeline and classifies every cell: the first half
    /// of a reading. Never throws: a photo that cannot be read carries its `problem`.
    public func locate(_ photo: Photo) -> LocatedPhoto {
        let clock = ContinuousClock()
        var timings: [String: Double] = [:]
        var image = Image()
        var geometry: PageGeometry?
        var failure: PageReading.Problem?
        let decoder = ImageDecoder(options: decodeOptions)
        timings["decode"] = Self.milliseconds(clock.measure {
            do throws(ImageError) {
                image = try decoder.decode(photo.bytes)
            } catch {
                failure = .init(kind: error.kind, message: error.description)
            }
        })
        if failure == nil {
            timings["geometry"] = Self.milliseconds(clock.measure {
                var trace = PipelineTrace()
                do throws(PipelineError) {
                    geometry = try pipeline.run(image, trace: &trace)
                } catch {
                    failure = .init(kind: error.kind, message: error.description)
                }
            })
        }
        guard let geometry, failure == nil else {
            timings["total"] = timings.values.reduce(0, +)
            return LocatedPhoto(name: photo.name, evidence: nil, problem: failure!, timings: timings)
        }
        var fields: [FieldEvidence] = []
        timings["classify"] = Self.milliseconds(clock.measure { fields = classify(geometry) })
        timings["total"] = timings.values.reduce(0, +)
        return LocatedPhoto(name: photo.name, evidence: .init(geometry: geometry, fields: fields), problem: nil, timings: timings)
    }

    /// Every cell of a located page through the network in one batch: the evidence of its
    /// fields, for `StationDecoder`. `locate(_:)` runs it after the geometry pipeline; a service
    /// that runs the pipeline itself (or a benchmark of the stages) calls it directly.
    public func classify(_ geometry: PageGeometry) -> [FieldEvidence] {
        let side = CellImage.side * CellImage.side
        let cells = geometry.cells.flatMap { $0 }
        var input = [Float](repeating: 0, count: cells.count * side)
        for (n, cell) in cells.enumerated() {
            for (k, pixel) in cell.pixels.enumerated() { input[n * side + k] = Float(pixel) / 255 }
        }
        let probabilities = network.probabilities(input, count: cells.count)
        let classes = DigitNetwork.Layout.classes
        var next = 0
        let retake = geometry.quality.needsRetake
        return zip(geometry.fields, geometry.cells).map { field, fieldCells in
            let boxes = fieldCells.map { _ -> [Float] in
                defer { next += 1 }
                return Array(probabilities[next * classes ..< (next + 1) * classes])
            }
            return FieldEvidence(name: field.name, boxes: boxes, corners: field.boxes.map { geometry.photoCorners(of: $0) },
                                 retake: retake, located: field.located)
        }
    }

    func pageReading(_ page: LocatedPhoto.Evidence, image: String, outcome: StationDecoder.Outcome, formSet: String?, station: String?,
                     timings: [String: Double]) -> PageReading {
        let geometry = page.geometry
        let names = Set(geometry.template.fields.map(\.name))
        var fields: [String: FieldReading] = [:]
        for name in names { fields[name] = outcome.fields[name] }
        let own = Set(geometry.template.relations.map(\.description))
        let checks = outcome.checks.filter { own.contains($0.relation) }
        let q = geometry.quality
        let status: PageReading.Status = q.needsRetake ? .retake
            : fields.values.allSatisfy { $0.status != .review } ? .ok : .review
        return PageReading(
            schemaVersion: PageReading.schemaVersion, image: image, station: station,
            template: geometry.template.id, formSet: formSet, page: geometry.template.page, status: status, fields: fields,
            checks: checks,
            quality: .init(boxHeight: StationDecoder.rounded(q.boxHeight, places: 2), paperLevel: StationDecoder.rounded(q.paperLevel, places: 2),
                           contrast: StationDecoder.rounded(q.contrast, places: 2), sharpness: StationDecoder.rounded(q.sharpness, places: 4),
                           glare: StationDecoder.rounded(q.glare, places: 4)),
            retakeReasons: q.reasons.map { .init(kind: $0.kind, message: $0.description) }, error: nil,
            pageCorners: geometry.pageCorners.map { [StationDecoder.rounded($0.x, places: 2), StationDecoder.rounded($0.y, places: 2)] },
            markers: geometry.markers.map(\.id), timingsMs: timings)
    }

    // MARK: Grouping

    /// Why a group of pages cannot be one station, if it cannot.
    func groupProblem(_ templates: [FormTemplate]) -> PageReading.Problem? {
        var seen: [Int: String] = [:]
        for template in templates {
            if let other = seen[template.page] {
                return .init(kind: "duplicate_page",
                             message: "two photos of page \(template.page) (\(other) and \(template.id)) in one station; give one photo of each page")
            }
            seen[template.page] = template.id
        }
        if templates.count > 1, !catalog.formSets.contains(where: { set in templates.allSatisfy { set.pages.contains($0) } }) {
            return .init(kind: "mismatched_pages",
                         message: "pages \(templates.map(\.id).joined(separator: ", ")) do not belong to one form set")
        }
        return nil
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return StationDecoder.rounded(Double(seconds) * 1000 + Double(attoseconds) / 1e15, places: 3)
    }
}
