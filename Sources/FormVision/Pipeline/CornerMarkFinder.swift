/// Stage 2a, for pages with one tag and printed corner marks (the 2024 KPU forms): finds the
/// corner marks near where the tag predicts them, and fits the page to tag and marks together.
///
/// One 12 mm tag names the page and its orientation, but extrapolated over a 330 mm page it
/// places the far corners only to within centimetres. So the marks are found one at a time,
/// nearest first, each in a window of the page rectified through the current fit, by normalised
/// cross-correlation with the mark's own drawing (two squares touching at a corner, which
/// nothing else on the page resembles). Each mark found refits the page, so the next window can
/// be smaller. The search follows an affine fit until three marks are known (a few points
/// bunched on one side of a page cannot tell its perspective), a homography after; the page is
/// placed by the homography through the tag's corners and every mark found. With all four marks, a page whose
/// marks leave that plane gets the warp that carries them to where they were found, as bent
/// sheets do (`PageLocator`).
///
/// A mark that is hidden (a thumb, a cut edge, a shadow) or ambiguous is left out, never
/// guessed; with fewer than `minimumMarks`, the photo is refused with `cornerMarksNotFound`.
/// A page missing marks is placed from the others and then registered on its printed rules
/// (`GeometryPipeline`), and every box still has to be found on its lines (`BoxVerifier`).
public struct CornerMarkFinder: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Resolution of the windows searched, px/mm: a mark's 2.65 mm square is 8 pixels.
        public var pixelsPerMM = 3.0
        /// White paper drawn around the mark in the pattern matched, mm (the mark stands free of
        /// the page's print by more than this).
        public var margin = 1.5
        /// A window reaches this fraction of the distance from the nearest known point (the tag
        /// or a mark found) to the predicted mark: a page tilted 30° in a phone's field of view
        /// is a third larger at its near edge than at its far one, which a fit from points
        /// bunched on one side cannot know (up to 60 mm over the page's height)...
        public var reachFraction = 0.5
        /// ... but less than this fraction of the distance between two marks, so that a window
        /// never holds another corner's mark.
        public var reachOfMarkSpacing = 0.45
        /// The mark is matched at these scales of its printed size: the same perspective makes
        /// it up to a third larger or smaller than the fit predicts, far from what is known.
        public var scales = [0.8, 1.0, 1.25]
        /// ... and at least this far, mm (the tag's own corners are noisy to a few tenths of a
        /// mm, which over the 30 mm to the nearest mark is a few mm).
        public var minimumReach = 8.0
        /// The least correlation of a candidate in the wide search. Far from what is known the
        /// fit is off in scale, rotation and shear as well as place, which costs a true mark
        /// much of its score (0.68 for one whose correlation is 0.97 under the true mapping).
        public var candidateScore = 0.45
        /// A candidate is then matched again where the fit that includes it puts it (within
        /// `verifyReach` mm, at `verifyScales`), and kept only if it scores at least
        /// `minimumScore`: the fit is now right around it, so a true mark scores 0.88 to 0.97
        /// (simulated `phone` and `hard` photos, any rotation, tilts to 34°) while an impostor (the
        /// corner of a thumb or of a patch hiding a mark) stays below 0.6.
        public var minimumScore = 0.75
        public var verifyReach = 2.0
        public var verifyScales = [0.9, 1.0, 1.1]
        /// A mark is ambiguous, and left out, when a second peak 3 mm or more away scores
        /// within this of the best.
        public var ambiguity = 0.15
        /// Fewest marks to place the page with the tag: two give a baseline across or down the
        /// page; with fewer the far side is extrapolated and the photo must be retaken.
        public var minimumMarks = 2

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// A corner mark found: the template's and where it lies in the photo (photo pixels).
    public struct FoundMark: Sendable, Equatable {
        public var mark: FormTemplate.CornerMark
        public var photoCenter: Point
        /// Its correlation with the mark's drawing.
        public var score: Double
    }

    /// The page, placed from its tag and its corner marks.
    ///
    /// - Parameters:
    ///   - page: The page as its one tag places it (`PageLocator`).
    ///   - gray: The photo, gray.
    ///   - locator: The locator's settings, for when the marks leave the plane (as for markers).
    /// - Throws: `PipelineError.cornerMarksNotFound` with fewer than `minimumMarks` marks,
    ///   `inconsistentMarkers` when tag and marks do not make one page (a mirrored sheet).
    public func place(_ page: LocatedPage, in gray: Image,
                      locator: PageLocator.Parameters = PageLocator.Parameters()) throws(PipelineError) -> LocatedPage {
        let template = page.template
        let marks = template.cornerMarks ?? []
        guard !marks.isEmpty else { return page }
        let tagCorners = page.markers.compactMap { found in
            template.markers.first { $0.id == found.id && $0.family == found.family }.map { ($0.rect.corners, found.corners) }
        }
        var source = tagCorners.flatMap(\.0), target = tagCorners.flatMap(\.1)
        var known = tagCorners.map { $0.0.reduce(.zero, +) / 4 }
        var fit = page.pageToPhoto
        var found: [FoundMark] = []
        let patterns = parameters.scales.map {
            Self.pattern(square: marks[0].square * $0, margin: parameters.margin, pixelsPerMM: parameters.pixelsPerMM)
        }
        let verifyPatterns = parameters.verifyScales.map {
            Self.pattern(square: marks[0].square * $0, margin: parameters.margin, pixelsPerMM: parameters.pixelsPerMM)
        }
        func fitting(_ source: [Point], _ target: [Point], marks: Int) -> Homography? {
            marks >= 3 ? Homography.fitting(from: source, to: target) : Homography.affineFitting(from: source, to: target)
        }
        let spacing = marks.indices.flatMap { i in marks.indices.filter { $0 != i }.map { marks[i].center.distance(to: marks[$0].center) } }.min() ?? .infinity
        // Nearest to what is known first.
        var open = marks
        while !open.isEmpty {
            let nearest = open.indices.min { a, b in
                Self.distance(open[a].center, to: known) < Self.distance(open[b].center, to: known)
            }!
            let mark = open.remove(at: nearest)
            let reach = max(parameters.minimumReach, min(parameters.reachOfMarkSpacing * spacing,
                                                         parameters.reachFraction * Self.distance(mark.center, to: known)))
            do {
                guard let candidate = try find(mark, near: fit, reach: reach, patterns: patterns, minimumScore: parameters.candidateScore,
                                               in: gray),
                      let tentative = fitting(source + [mark.center], target + [candidate.point], marks: found.count + 1),
                      let verified = try find(mark, near: tentative, reach: parameters.verifyReach, patterns: verifyPatterns,
                                              minimumScore: parameters.minimumScore, in: gray)
                else { continue }
                found.append(FoundMark(mark: mark, photoCenter: verified.point, score: verified.score))
            } catch {
                throw .image(error)
            }
            source.append(mark.center)
            target.append(found.last!.photoCenter)
            known.append(mark.center)
            if let refit = fitting(source, target, marks: found.count) { fit = refit }
        }
        guard found.count >= parameters.minimumMarks else {
            throw .cornerMarksNotFound(template: template.id, found: found.count, needed: parameters.minimumMarks)
        }
        // The page itself is a plane seen in perspective: once two marks and the tag are known,
        // fit that (the affine fit only guided the search). Where the marks leave it unsure,
        // registration on the printed rules and the boxes' own check decide.
        if let h = Homography.fitting(from: source, to: target) { fit = h }
        guard PageLocator.keepsOrientation(fit, template) else { throw .inconsistentMarkers(template: template.id, error: .infinity) }
        var placed = page
        placed.pageToPhoto = fit
        placed.cornerMarks = found
        placed.residual = Self.rms(source, target, fit)
        if found.count == marks.count { bendIfNeeded(&placed, source: source, target: target, locator: locator) }
        return placed
    }

    /// Gives the page the warp through tag and mark points when the plane leaves one of them
    /// further off than `PageLocator`'s `maximumResidualFraction` of the tag's side.
    func bendIfNeeded(_ page: inout LocatedPage, source: [Point], target: [Point], locator: PageLocator.Parameters) {
        guard let photoToPage = page.pageToPhoto.inverse, let tag = page.template.markers.first else { return }
        let offsets = zip(source, target).map { (photoToPage.apply($1) ?? Point(.infinity, .infinity)) - $0 }
        let worst = offsets.map(\.length).max() ?? 0
        guard worst > locator.maximumResidualFraction * tag.size, worst <= locator.maximumBend,
              let warp = locator.warp(through: source, offsets: offsets, pageSize: page.template.pageSize)
        else { return }
        page.markersBent = true
        page.warp = warp
    }

    /// Searches one mark within `reach` mm of where `fit` puts it, at each of `patterns`'
    /// scales: the photo position of the point where its squares touch, and its score; nil
    /// when not found or ambiguous (a second peak 3 mm away or more, at any scale, nearly as good).
    func find(_ mark: FormTemplate.CornerMark, near fit: Homography, reach: Double, patterns: [Image],
              minimumScore: Double, in gray: Image) throws(ImageError) -> (point: Point, score: Double)? {
        let s = parameters.pixelsPerMM
        // The window: the largest pattern's extent and `reach` on every side, centred on the
        // prediction, in whole pixels (patterns are odd-sized, so each one's centre on score
        // ((W − n) / 2, (W − n) / 2) is the prediction).
        let largest = patterns.map(\.width).max() ?? 1
        let width = largest + 2 * Int((reach * s).rounded(.up))
        let side = Double(width) / s
        let origin = mark.center - Point(side / 2, side / 2)
        let window = try Rectifier.warp(gray, mapping: PageMapping(homography: fit.concatenating(.translation(origin.x, origin.y)), warp: nil),
                                        pageSize: FormTemplate.Size(width: side, height: side), pixelsPerMM: s)
        var peaks: [(Point, Double)] = []
        for pattern in patterns {
            let result = try _Shim.matchTemplate(window, pattern)
            peaks += PageRegistration.peaks(result.scores, width: result.width, height: result.height,
                                            reach: (window.width - pattern.width) / 2, s: s,
                                            minimumScore: minimumScore, candidates: 2, separation: 3)
        }
        guard let best = peaks.max(by: { $0.1 < $1.1 }) else { return nil }
        if peaks.contains(where: { $0.0.distance(to: best.0) >= 3 && $0.1 > best.1 - parameters.ambiguity }) { return nil }
        // The pattern's centre is the touch point; `best.0` is its offset from the prediction, mm.
        return fit.apply(mark.center + best.0).map { ($0, best.1) }
    }

    /// The drawing of a mark at `pixelsPerMM`: paper, the upper-left and lower-right squares
    /// in ink, each pixel the fraction of it the squares cover (4 × 4 samples), an odd number
    /// of pixels across so that the touch point is a pixel's centre.
    static func pattern(square: Double, margin: Double, pixelsPerMM s: Double) -> Image {
        let half = square + margin
        let n = 2 * Int((half * s).rounded(.up)) + 1
        var image = Image(width: n, height: n, format: .gray8, fill: 255)
        let centre = Double(n) / 2
        for y in 0 ..< n {
            for x in 0 ..< n {
                var inside = 0
                for sy in 0 ..< 4 {
                    for sx in 0 ..< 4 {
                        let u = (Double(x) + (Double(sx) + 0.5) / 4 - centre) / s
                        let v = (Double(y) + (Double(sy) + 0.5) / 4 - centre) / s
                        let upperLeft = u < 0 && v < 0 && u >= -square && v >= -square
                        let lowerRight = u >= 0 && v >= 0 && u < square && v < square
                        if upperLeft || lowerRight { inside += 1 }
                    }
                }
                image[x, y] = UInt8(255 - 255 * inside / 16)
            }
        }
        return image
    }

    static func distance(_ p: Point, to points: [Point]) -> Double { points.map { $0.distance(to: p) }.min() ?? .infinity }

    static func rms(_ source: [Point], _ target: [Point], _ h: Homography) -> Double {
        let squares = zip(source, target).map { s, t in
            let p = h.apply(s) ?? Point(.infinity, .infinity)
            return p.distance(to: t) * p.distance(to: t)
        }
        return (squares.reduce(0, +) / Double(max(1, squares.count))).squareRoot()
    }
}
