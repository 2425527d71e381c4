/// Stage 2b: follows a bent sheet between its markers by matching the printed page.
///
/// The markers fix a bent page only where they are. Between them a curl, a fold or a bump
/// moves the boxes by millimetres, and a box grid is regular enough that a field moved by a row
/// fits a row of lines as well as its own. Registration therefore matches the whole printed
/// page, coarse to fine: the page is rectified through its current mapping, and patches of the
/// template's own drawing (rules, boxes, markers; not its text, whose type varies from print to
/// print) are found in it by normalised cross-correlation within a search radius. At the coarse
/// level a patch spans several rows and the table's edges, so it has one clear match; the fine
/// level then sharpens it. The displacements found, with the markers held where they are, are
/// smoothed by a thin-plate spline and compose into the page's warp.
///
/// Runs only on pages that need it (a warp from the markers, or boxes not found on a flat one):
/// a flat page keeps its homography and pays nothing.
public struct PageRegistration: Sendable {
    /// One level of the coarse-to-fine search.
    public struct Level: Sendable, Equatable {
        /// Resolution of the rectified page and the template at this level, px/mm.
        public var pixelsPerMM: Double
        /// Side of a template patch, mm.
        public var patch: Double
        /// Distance between patch centres, mm.
        public var step: Double
        /// How far a patch is searched from where the current mapping puts it, mm.
        public var radius: Double

        public init(pixelsPerMM: Double, patch: Double, step: Double, radius: Double) {
            self.pixelsPerMM = pixelsPerMM
            self.patch = patch
            self.step = step
            self.radius = radius
        }
    }

    public struct Parameters: Sendable, Equatable {
        /// Coarse: patches of 40 mm (three or four rows of a table and its edge) within 12 mm,
        /// more than the largest bend the markers leave unexplained in a curl of 20 mm, at 2 px/mm
        /// (the renderer's least resolution); fine:
        /// 20 mm patches within 3 mm, at a resolution where a 0.35 mm rule is one pixel.
        public var levels = [
            Level(pixelsPerMM: 2, patch: 40, step: 16, radius: 12),
            Level(pixelsPerMM: 3, patch: 20, step: 10, radius: 3),
        ]
        /// The least correlation coefficient of a match that is used; a patch of the page that
        /// is hidden, in shadow or off the paper correlates less.
        public var minimumScore = 0.4
        /// A template patch whose gray levels vary less than this (standard deviation, levels)
        /// is blank paper and is not matched.
        public var minimumStructure = 12.0
        /// Up to this many peaks of each patch's correlation are kept, at least
        /// `peakSeparation` mm apart: a regular grid has one a period (a row, a box) away.
        public var candidates = 4
        public var peakSeparation = 3.0
        /// How far a patch's displacement may differ from the one predicted by its decided
        /// neighbours: this fraction of the distance to the nearest of them (paper bent so that
        /// its foreshortening changes by 30 % over that distance is a sharp fold), and at least
        /// `tolerance` mm (the matches' own noise).
        public var slope = 0.3
        public var tolerance = 1.5
        /// Never more than this, mm: under half the smallest period of a form's box grid (a box
        /// and its gap, 8.7 mm on C.Hasil-KWK), so that a peak one period away is never taken
        /// for the paper's bend.
        public var largestJump = 3.5
        /// A displacement differing from the median of its neighbours (within 1.6 steps) by
        /// more than this, mm (or a third of the search radius, if larger), is an outlier.
        public var outlierDistance = 1.5
        /// Smoothing of the spline through the displacements, in (100 mm)², relative to one
        /// match; markers weigh `markerWeight` matches.
        public var smoothing = 0.02
        public var markerWeight = 20.0

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// A displacement found for one patch: the template point and where, in page mm of the
    /// current rectification, it was seen.
    struct Match {
        var centre: Point
        var displacement: Point
        var score: Double
    }

    /// The page with its warp refined by the printed page in the photo.
    ///
    /// - Parameter gray: The photo, gray.
    /// - Throws: `ImageError` from rendering or warping (out of memory, a failing shim call).
    public func register(_ page: LocatedPage, in gray: Image) throws(ImageError) -> LocatedPage {
        var page = page
        var warp = page.warp ?? PageWarp(pageSize: page.template.pageSize, spacing: PageLocator.Parameters().warpSpacing)
        var renderer = PageRenderer()
        renderer.parameters.drawsText = false
        for level in parameters.levels {
            let template = try renderer.render(page.template, dpi: level.pixelsPerMM * 25.4).grayscale()
            let mapping = PageMapping(homography: page.pageToPhoto, warp: warp)
            let seen = try Rectifier.warp(gray, mapping: mapping, pageSize: page.template.pageSize, pixelsPerMM: level.pixelsPerMM)
            let matches = try self.matches(template: template, seen: seen, level: level, page: page)
            let kept = Self.consistent(matches, level: level, outlier: parameters.outlierDistance)
            guard kept.count >= 3 else { continue }
            var points = kept.map(\.centre), values = kept.map(\.displacement), weights = kept.map { _ in 1.0 }
            // The markers and corner marks stay where they were found.
            for anchor in Self.anchors(page) {
                points.append(anchor)
                values.append(.zero)
                weights.append(parameters.markerWeight)
            }
            guard let spline = ThinPlateSpline(points: points, values: values, weights: weights,
                                               smoothing: parameters.smoothing, unit: 100) else { continue }
            warp = warp.composed(after: { spline($0) })
        }
        page.warp = warp
        return page
    }

    /// Every patch of the template with structure, searched in the rectified page, with the
    /// page's markers as anchors; one displacement each, chosen for smoothness.
    func matches(template: Image, seen: Image, level: Level, page: LocatedPage) throws(ImageError) -> [Match] {
        var patches: [(centre: Point, peaks: [(Point, Double)])] = Self.anchors(page).map { ($0, [(.zero, 1)]) }
        let candidates = try self.candidates(template: template, seen: seen, level: level, page: page.template)
        patches += candidates
        return Self.grown(patches, anchors: patches.count - candidates.count, reach: 2.5 * level.step,
                          slope: parameters.slope, tolerance: parameters.tolerance, largestJump: parameters.largestJump)
    }

    /// The page points whose place the photo fixed: the markers and corner marks found, page mm.
    static func anchors(_ page: LocatedPage) -> [Point] {
        page.template.markers.filter { marker in page.markers.contains { $0.id == marker.id } }.map(\.center)
            + page.cornerMarks.map(\.mark.center)
    }

    /// Every patch of the template with structure, searched in the rectified page: its peaks.
    func candidates(template: Image, seen: Image, level: Level, page: FormTemplate) throws(ImageError) -> [(centre: Point, peaks: [(Point, Double)])] {
        let s = level.pixelsPerMM
        let side = Int((level.patch * s).rounded())
        let reach = Int((level.radius * s).rounded())
        var patches: [(centre: Point, peaks: [(Point, Double)])] = []
        var y = level.patch / 2
        while y <= page.pageSize.height - level.patch / 2 {
            var x = level.patch / 2
            while x <= page.pageSize.width - level.patch / 2 {
                let x0 = Int((x * s).rounded()) - side / 2, y0 = Int((y * s).rounded()) - side / 2
                let patch = Self.crop(template, x: x0, y: y0, width: side, height: side)
                if Self.deviation(patch) >= parameters.minimumStructure {
                    let area = Self.crop(seen, x: x0 - reach, y: y0 - reach, width: side + 2 * reach, height: side + 2 * reach)
                    let result = try _Shim.matchTemplate(area, patch)
                    let found = peaks(result.scores, width: result.width, height: result.height, reach: reach, s: s)
                    if !found.isEmpty { patches.append((Point(x, y), found)) }
                }
                x += level.step
            }
            y += level.step
        }
        return patches
    }

    /// The peaks of a correlation map: local maxima at least `minimumScore` high and
    /// `peakSeparation` apart, best first, at most `candidates` of them, each as an offset in mm
    /// from the patch's own place (refined to sub-pixel by a parabola on each axis) and its score.
    func peaks(_ scores: [Float], width: Int, height: Int, reach: Int, s: Double) -> [(Point, Double)] {
        Self.peaks(scores, width: width, height: height, reach: reach, s: s, minimumScore: parameters.minimumScore,
                   candidates: parameters.candidates, separation: parameters.peakSeparation)
    }

    /// The peaks of a correlation map whose (0, 0) is `reach` pixels up and left of a patch's
    /// own place, at `s` px/mm: at least `minimumScore`, `separation` mm apart, at most
    /// `candidates`, best first.
    static func peaks(_ scores: [Float], width: Int, height: Int, reach: Int, s: Double, minimumScore: Double,
                      candidates: Int, separation: Double) -> [(Point, Double)] {
        let order = scores.indices.filter { Double(scores[$0]) >= minimumScore }.sorted { scores[$0] > scores[$1] }
        let separation = separation * s
        var chosen: [Int] = []
        for index in order where chosen.count < candidates {
            let (x, y) = (index % width, index / width)
            let isolated = chosen.allSatisfy { c in
                let (cx, cy) = (c % width, c / width)
                return Double((x - cx) * (x - cx) + (y - cy) * (y - cy)) > separation * separation
            }
            if isolated { chosen.append(index) }
        }
        func refine(_ a: Float, _ b: Float, _ c: Float) -> Double {
            let curvature = Double(a) - 2 * Double(b) + Double(c)
            return curvature < 0 ? max(-0.5, min(0.5, 0.5 * Double(a - c) / curvature)) : 0
        }
        return chosen.map { top in
            let (bx, by) = (top % width, top / width)
            let dx = bx > 0 && bx < width - 1 ? refine(scores[top - 1], scores[top], scores[top + 1]) : 0
            let dy = by > 0 && by < height - 1 ? refine(scores[top - width], scores[top], scores[top + width]) : 0
            return (Point(Double(bx - reach) + dx, Double(by - reach) + dy) / s, Double(scores[top]))
        }
    }

    /// One displacement per patch, grown outwards from the anchors (the markers, whose place is
    /// known): the undecided patch nearest to decided ones is predicted from them (their mean,
    /// weighted by inverse distance, over `reach`), and takes its peak nearest the prediction if
    /// that is the only peak within `slope` × the distance to its nearest decided neighbour
    /// (at least `tolerance`, at most `largestJump` mm); otherwise it is left out. A regular
    /// grid gives a patch peaks a row or a box apart; the paper's smoothness, carried in from
    /// where the page is known, picks the right one, where the best score alone may not. Ties
    /// go to the lower index, so the result does not depend on hashing.
    static func grown(_ patches: [(centre: Point, peaks: [(Point, Double)])], anchors: Int, reach: Double,
                      slope: Double, tolerance: Double, largestJump: Double) -> [Match] {
        var decided: [(index: Int, displacement: Point)] = (0 ..< anchors).map { ($0, patches[$0].peaks[0].0) }
        var open = Array(anchors ..< patches.count)
        var result: [Match] = []
        while true {
            // The open patch closest to a decided one.
            var next: (position: Int, gap: Double)?
            for (position, i) in open.enumerated() {
                let gap = decided.map { patches[$0.index].centre.distance(to: patches[i].centre) }.min() ?? .infinity
                if gap <= reach, gap < (next?.gap ?? .infinity) { next = (position, gap) }
            }
            guard let (position, gap) = next else { break }
            let i = open.remove(at: position)
            var sum = Point.zero, weights = 0.0
            for (j, d) in decided {
                let distance = patches[j].centre.distance(to: patches[i].centre)
                guard distance <= reach else { continue }
                sum = sum + d / distance
                weights += 1 / distance
            }
            let prediction = sum / weights
            let allowed = min(largestJump, max(tolerance, slope * gap))
            let within = patches[i].peaks.filter { $0.0.distance(to: prediction) <= allowed }
            guard within.count == 1, let only = within.first else { continue }
            decided.append((i, only.0))
            result.append(Match(centre: patches[i].centre, displacement: only.0, score: only.1))
        }
        return result
    }

    /// The matches that agree with their neighbours: within `outlier` mm (or a third of the
    /// search radius) of the median displacement of the matches within 1.6 steps.
    static func consistent(_ matches: [Match], level: Level, outlier: Double) -> [Match] {
        let limit = max(outlier, level.radius / 3)
        return matches.filter { m in
            let near = matches.filter { $0.centre.distance(to: m.centre) <= 1.6 * level.step }
            guard near.count >= 3 else { return false }
            let median = Point(BoxAligner.median(near.map(\.displacement.x)), BoxAligner.median(near.map(\.displacement.y)))
            return m.displacement.distance(to: median) <= limit
        }
    }

    /// A rectangle of a gray image; pixels outside it are white (paper).
    static func crop(_ image: Image, x: Int, y: Int, width: Int, height: Int) -> Image {
        var out = Image(width: width, height: height, format: .gray8, fill: 255)
        for row in 0 ..< height where y + row >= 0 && y + row < image.height {
            for column in 0 ..< width where x + column >= 0 && x + column < image.width {
                out[column, row] = image[x + column, y + row]
            }
        }
        return out
    }

    /// Standard deviation of a gray image's levels.
    static func deviation(_ image: Image) -> Double {
        var sum = 0.0, squares = 0.0
        for y in 0 ..< image.height {
            for x in 0 ..< image.width {
                let v = Double(image[x, y])
                sum += v
                squares += v * v
            }
        }
        let n = Double(max(1, image.width * image.height))
        return max(0, squares / n - (sum / n) * (sum / n)).squareRoot()
    }
}
