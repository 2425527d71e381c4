/// A page found in a photo: which template it is and where it lies.
public struct LocatedPage: Sendable {
    public var template: FormTemplate
    /// Page millimetres to photo pixels, for the plane that best fits the markers.
    public var pageToPhoto: Homography
    /// The markers of this template that placed it.
    public var markers: [DetectedMarker]
    /// Root-mean-square distance between the detected marker corners and where the homography
    /// puts them, photo pixels.
    public var residual: Double
    /// How the sheet departs from that plane, when its markers say that it does (see
    /// `PageLocator`) or registration found it; nil for a flat sheet.
    public var warp: PageWarp? = nil
    /// True when the markers themselves leave one plane: the sheet is bent.
    public var markersBent = false
    /// The corner marks found, on a page that prints them (`CornerMarkFinder`); empty otherwise.
    public var cornerMarks: [CornerMarkFinder.FoundMark] = []

    /// The page's mapping to the photo: the homography and the warp.
    public var mapping: PageMapping { PageMapping(homography: pageToPhoto, warp: warp) }

    /// The page's corners in photo pixels: top-left, top-right, bottom-right, bottom-left of the
    /// upright page.
    public var pageCorners: [Point] { template.pageRect.corners.map { mapping.photoPoint($0) ?? Point(.nan, .nan) } }
}

/// Stage 2: tells which template the markers belong to and fits the page's homography.
///
/// Every marker of a template identifies it (its id encodes page and variant), so the template
/// with the most markers found wins. Each marker gives four corner correspondences; the
/// homography is their least-squares fit, and markers that disagree with the rest are left out
/// of it and the fit repeated.
///
/// Markers that disagree with one plane are evidence of a bent sheet, not a reason to refuse
/// the photo: when the plane leaves a marker further off than `maximumResidualFraction` of a
/// marker's side, the page gets a `PageWarp` that carries every marker from the plane to where
/// it was found (a thin-plate spline through their corners), and the registration stage refines
/// it from the printed page. A photo is refused only when its markers cannot come from one
/// sheet: a marker further from the plane than `maximumBend` (a false detection, or a marker on
/// another sheet), too few markers left, or a mirrored page.
public struct PageLocator: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Fewest markers to place a page. Two markers far apart fix the page to a fraction of a
        /// millimetre; one 12 mm marker extrapolated over 297 mm does not.
        public var minimumMarkers = 2
        /// A marker whose corners lie farther than this from the fit of the others, in units of
        /// the marker's own side length, is dropped as inconsistent.
        public var outlierFraction = 0.15
        /// A fit whose RMS residual exceeds this fraction of the marker side is not flat: the
        /// page is located with a warp (a marker's corners are found to about 1 % of its side).
        public var maximumResidualFraction = 0.08
        /// The farthest a marker may lie from the plane fitted to the others, page mm, and still
        /// count as the same sheet bent: well beyond what a curled edge or a fold displaces
        /// (about 25 mm for a 20 mm curl seen at 45°), well below the distance between markers.
        public var maximumBend = 45.0
        /// Smoothing of the markers' thin-plate spline, in units of (100 mm)²: small, so that it
        /// passes within a fraction of a millimetre of every corner without ringing between the
        /// four corners of one marker.
        public var warpSmoothing = 0.002
        /// Grid spacing of the warp, mm.
        public var warpSpacing = 4.0

        public init() {}

        /// The warp of a page seen `offsets` (page mm) away from the plane at `points`: their
        /// thin-plate spline, on the warp's grid; nil when the points cannot carry one.
        public func warp(through points: [Point], offsets: [Point], pageSize: FormTemplate.Size) -> PageWarp? {
            guard let spline = ThinPlateSpline(points: points, values: offsets, smoothing: warpSmoothing, unit: 100) else { return nil }
            return PageWarp(pageSize: pageSize, spacing: warpSpacing) { spline($0) }
        }
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
            // A page with one tag and corner marks: the tag places it roughly, the marks
            // finish the job (`CornerMarkFinder`).
            if mine.count == 1, template.cornerMarks != nil, let h = Self.homography(template, mine) {
                return LocatedPage(template: template, pageToPhoto: h, markers: mine, residual: 0)
            }
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

    /// Fits the homography to the markers, leaving inconsistent ones out one at a time; when the
    /// markers do not lie on that plane, adds the warp that carries them to where they were found.
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
            guard Self.keepsOrientation(homography, template) else {
                throw .inconsistentMarkers(template: template.id, error: rms)
            }
            var page = LocatedPage(template: template, pageToPhoto: homography, markers: used, residual: rms)
            let flat = rms <= parameters.maximumResidualFraction * side && used.count == markers.count
            if !flat { try bend(&page, all: markers) }
            return page
        }
    }

    /// Gives a page whose markers leave the plane its warp: each marker's corners are where
    /// the plane sees them, page mm, minus where they are printed, interpolated by a thin-plate
    /// spline. Markers too far from the plane to be the same sheet are dropped.
    func bend(_ page: inout LocatedPage, all markers: [DetectedMarker]) throws(PipelineError) {
        let template = page.template
        guard let photoToPage = page.pageToPhoto.inverse else { throw .inconsistentMarkers(template: template.id, error: .infinity) }
        var points: [Point] = [], values: [Point] = [], kept: [DetectedMarker] = []
        for marker in markers {
            guard let printed = template.markers.first(where: { $0.id == marker.id && $0.family == marker.family }) else { continue }
            let seen = marker.corners.map { photoToPage.apply($0) ?? Point(.infinity, .infinity) }
            let offsets = zip(seen, printed.rect.corners).map { $0 - $1 }
            guard offsets.allSatisfy({ $0.length <= parameters.maximumBend }) else { continue }
            points += printed.rect.corners
            values += offsets
            kept.append(marker)
        }
        guard kept.count >= parameters.minimumMarkers,
              let warp = parameters.warp(through: points, offsets: values, pageSize: template.pageSize)
        else { throw .inconsistentMarkers(template: template.id, error: page.residual) }
        page.markers = kept
        page.markersBent = true
        page.warp = warp
    }

    /// Whether the homography shows the page's front: page and photo both have y pointing down,
    /// so a sheet seen from the front keeps the turning sense of its corners; a mirrored one
    /// (seen through the paper, or a mirrored photo) reverses it.
    static func keepsOrientation(_ h: Homography, _ template: FormTemplate) -> Bool {
        let c = template.pageRect.corners.compactMap(h.apply)
        guard c.count == 4 else { return false }
        var area = 0.0
        for i in 0 ..< 4 { area += c[i].x * c[(i + 1) % 4].y - c[(i + 1) % 4].x * c[i].y }
        return area > 0
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
