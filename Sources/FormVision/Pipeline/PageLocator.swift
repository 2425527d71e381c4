/// A page found in a photo: which template it is and where it lies.
public struct LocatedPage: Sendable {
    public var template: FormTemplate
    /// Page millimetres to photo pixels.
    public var pageToPhoto: Homography
    /// The markers of this template that placed it.
    public var markers: [DetectedMarker]
    /// Root-mean-square distance between the detected marker corners and where the homography
    /// puts them, photo pixels.
    public var residual: Double

    /// The page's corners in photo pixels: top-left, top-right, bottom-right, bottom-left of the
    /// upright page.
    public var pageCorners: [Point] { template.pageRect.corners.map { pageToPhoto.apply($0) ?? Point(.nan, .nan) } }
}

/// Stage 2: tells which template the markers belong to and fits the page's homography.
///
/// Every marker of a template identifies it (its id encodes page and variant), so the template
/// with the most markers found wins. Each marker gives four corner correspondences; the
/// homography is their least-squares fit, and markers that disagree with the rest (a false
/// detection, a marker on another sheet in the photo) are dropped and the fit repeated.
public struct PageLocator: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Fewest markers to place a page. Two markers far apart fix the page to a fraction of a
        /// millimetre; one 12 mm marker extrapolated over 297 mm does not.
        public var minimumMarkers = 2
        /// A marker whose corners lie farther than this from the fit of the others, in units of
        /// the marker's own side length, is dropped as inconsistent.
        public var outlierFraction = 0.15
        /// A fit whose RMS residual exceeds this fraction of the marker side is refused.
        public var maximumResidualFraction = 0.08

        public init() {}
    }

    public var catalog: TemplateCatalog
    public var parameters: Parameters

    public init(catalog: TemplateCatalog = .builtIn, parameters: Parameters = Parameters()) {
        self.catalog = catalog
        self.parameters = parameters
    }

    /// Identifies the page and places it.
    ///
    /// - Parameter pageBorders: Candidate outlines of the sheet (photo pixels, see
    ///   `PageBorderFinder`), used only when a single marker of the page was found: the marker
    ///   fixes which corner of the outline is which, the outline fixes the rest.
    public func locate(_ markers: [DetectedMarker], pageBorders: [[Point]] = []) throws(PipelineError) -> LocatedPage {
        // Vote: each marker for the templates that print it.
        var votes: [String: Int] = [:]
        for marker in markers {
            for template in catalog.templates(withMarker: marker.family, id: marker.id) { votes[template.id, default: 0] += 1 }
        }
        guard let best = votes.values.max() else { throw .markersNotFound(found: markers.count) }
        let winners = votes.filter { $0.value == best }.map(\.key).sorted()
        guard winners.count == 1, let template = try? catalog.template(id: winners[0]) else {
            throw .ambiguousPage(candidates: winners)
        }
        var mine = markers.filter { marker in template.markers.contains { $0.family == marker.family && $0.id == marker.id } }
        // The same tag twice (a reflection, a second copy of the form): keep the clearest.
        var byID: [Int: DetectedMarker] = [:]
        for marker in mine where (byID[marker.id]?.decisionMargin ?? -1) < marker.decisionMargin { byID[marker.id] = marker }
        mine = byID.values.sorted { $0.id < $1.id }
        if mine.count < parameters.minimumMarkers {
            if mine.count == 1, let page = fitWithBorder(template, mine[0], pageBorders) { return page }
            throw .tooFewMarkers(template: template.id, found: mine.count, needed: parameters.minimumMarkers)
        }
        return try fit(template, mine)
    }

    /// Places the page from one marker and the sheet's outline: tries each way of matching the
    /// outline's corners to the page's (four turns, both directions) and keeps the one that
    /// also puts the marker where it was found.
    func fitWithBorder(_ template: FormTemplate, _ marker: DetectedMarker, _ borders: [[Point]]) -> LocatedPage? {
        guard let printed = template.markers.first(where: { $0.id == marker.id && $0.family == marker.family }) else { return nil }
        let side = Self.side(marker)
        var best: LocatedPage?
        for quad in borders where Self.contains(quad, marker.center) {
            for reversed in [false, true] {
                let ordered = reversed ? Array(quad.reversed()) : quad
                for turn in 0 ..< 4 {
                    let corners = (0 ..< 4).map { ordered[($0 + turn) % 4] }
                    let source = template.pageRect.corners + printed.rect.corners
                    guard let h = Homography.fitting(from: source, to: corners + marker.corners) else { continue }
                    let error = Self.markerError(template, marker, h)
                    if error < (best?.residual ?? .infinity) {
                        best = LocatedPage(template: template, pageToPhoto: h, markers: [marker], residual: error)
                    }
                }
            }
        }
        guard let best, best.residual <= 2 * parameters.maximumResidualFraction * side else { return nil }
        return best
    }

    /// Whether a point lies inside a convex quadrilateral (either winding).
    static func contains(_ quad: [Point], _ p: Point) -> Bool {
        var sign = 0.0
        for i in 0 ..< 4 {
            let a = quad[i], b = quad[(i + 1) % 4]
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
            if cross != 0 {
                if sign == 0 { sign = cross } else if (cross > 0) != (sign > 0) { return false }
            }
        }
        return true
    }

    /// Fits the homography to the markers, dropping inconsistent ones one at a time.
    func fit(_ template: FormTemplate, _ markers: [DetectedMarker]) throws(PipelineError) -> LocatedPage {
        var used = markers
        while true {
            guard let homography = Self.homography(template, used) else {
                throw .inconsistentMarkers(template: template.id, error: .infinity)
            }
            let errors = used.map { Self.markerError(template, $0, homography) }
            let side = used.map(Self.side).reduce(0, +) / Double(used.count)
            let rms = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
            let worst = errors.indices.max { errors[$0] < errors[$1] }!
            if errors[worst] > parameters.outlierFraction * Self.side(used[worst]), used.count > parameters.minimumMarkers {
                used.remove(at: worst)
                continue
            }
            guard rms <= parameters.maximumResidualFraction * side else {
                throw .inconsistentMarkers(template: template.id, error: rms)
            }
            return LocatedPage(template: template, pageToPhoto: homography, markers: used, residual: rms)
        }
    }

    static func homography(_ template: FormTemplate, _ markers: [DetectedMarker]) -> Homography? {
        var source: [Point] = [], target: [Point] = []
        for marker in markers {
            guard let printed = template.markers.first(where: { $0.id == marker.id && $0.family == marker.family }) else { continue }
            source += printed.rect.corners
            target += marker.corners
        }
        return Homography.fitting(from: source, to: target)
    }

    /// RMS distance of a marker's corners from where the homography puts them, photo pixels.
    static func markerError(_ template: FormTemplate, _ marker: DetectedMarker, _ h: Homography) -> Double {
        guard let printed = template.markers.first(where: { $0.id == marker.id }) else { return .infinity }
        let squares = zip(printed.rect.corners, marker.corners).map { mm, px in
            let p = h.apply(mm) ?? Point(.infinity, .infinity)
            return p.distance(to: px) * p.distance(to: px)
        }
        return (squares.reduce(0, +) / 4).squareRoot()
    }

    /// Mean side length of a detected marker, photo pixels.
    static func side(_ marker: DetectedMarker) -> Double {
        let c = marker.corners
        return (0 ..< 4).map { c[$0].distance(to: c[($0 + 1) % 4]) }.reduce(0, +) / 4
    }
}
