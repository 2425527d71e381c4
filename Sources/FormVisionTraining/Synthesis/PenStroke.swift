import FormVision

/// A pen's path: points it passes through, drawn as a smooth curve (Catmull–Rom) except at
/// the corners, where the pen turns sharply.
struct PenPath: Sendable, Equatable {
    var points: [Point]
    /// Indices of `points` where the path has a corner rather than a smooth turn.
    var corners: Set<Int> = []

    init(_ points: [Point], corners: Set<Int> = []) {
        self.points = points
        self.corners = corners
    }

    /// The path with every point mapped.
    func map(_ transform: (Point) -> Point) -> PenPath { PenPath(points.map(transform), corners: corners) }

    /// Dense points along the path, about `spacing` apart (in the points' units): each section
    /// between corners is a Catmull–Rom spline through its points.
    func sampled(spacing: Double) -> [Point] {
        guard points.count > 1 else { return points }
        var breaks = [0] + corners.filter { $0 > 0 && $0 < points.count - 1 }.sorted() + [points.count - 1]
        breaks = breaks.reduce(into: [Int]()) { if $0.last != $1 { $0.append($1) } }
        var out: [Point] = [points[0]]
        for (start, end) in zip(breaks, breaks.dropFirst()) {
            let section = Array(points[start ... end])
            for i in 0 ..< section.count - 1 {
                let p1 = section[i], p2 = section[i + 1]
                let p0 = i > 0 ? section[i - 1] : p1 + (p1 - p2) * 0.0
                let p3 = i + 2 < section.count ? section[i + 2] : p2
                let steps = max(1, Int((p1.distance(to: p2) / spacing).rounded(.up)))
                for s in 1 ... steps {
                    out.append(Self.catmullRom(p0, p1, p2, p3, t: Double(s) / Double(steps)))
                }
            }
        }
        return out
    }

    /// The uniform Catmull–Rom spline between p1 and p2.
    static func catmullRom(_ p0: Point, _ p1: Point, _ p2: Point, _ p3: Point, t: Double) -> Point {
        let t2 = t * t, t3 = t2 * t
        let a = p1 * 2, b = p2 - p0, c = p0 * 2 - p1 * 5 + p2 * 4 - p3, d = p1 * 3 - p0 - p2 * 3 + p3
        return (a + b * t + c * t2 + d * t3) * 0.5
    }
}

/// Anti-aliased strokes of varying width into a coverage map (0–1), as a pen lays ink: each
/// step of the path is a capsule whose radius follows the pen's pressure.
struct StrokeRaster {
    let width: Int
    let height: Int
    /// Coverage, row by row, 0 = paper, 1 = full ink.
    var coverage: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        coverage = [Float](repeating: 0, count: width * height)
    }

    /// Draws a dense polyline (pixel coordinates, pixel centres at +0.5) with a radius for each
    /// point, at peak coverage `density`.
    mutating func draw(_ points: [Point], radii: [Double], density: Double = 1) {
        precondition(points.count == radii.count)
        guard let first = points.first else { return }
        if points.count == 1 { capsule(first, first, radii[0], radii[0], density); return }
        for i in 0 ..< points.count - 1 { capsule(points[i], points[i + 1], radii[i], radii[i + 1], density) }
    }

    /// One capsule from a to b, its radius going linearly from ra to rb; coverage is kept at the
    /// maximum of what is already there and what the capsule lays.
    mutating func capsule(_ a: Point, _ b: Point, _ ra: Double, _ rb: Double, _ density: Double) {
        let r = max(ra, rb) + 1
        let x0 = max(0, Int((min(a.x, b.x) - r).rounded(.down))), x1 = min(width - 1, Int((max(a.x, b.x) + r).rounded(.up)))
        let y0 = max(0, Int((min(a.y, b.y) - r).rounded(.down))), y1 = min(height - 1, Int((max(a.y, b.y) + r).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let d = b - a, length2 = max(1e-12, d.dot(d))
        for y in y0 ... y1 {
            for x in x0 ... x1 {
                let p = Point(Double(x) + 0.5, Double(y) + 0.5)
                let t = max(0, min(1, (p - a).dot(d) / length2))
                let distance = p.distance(to: a + d * t)
                let radius = ra + (rb - ra) * t
                let value = Float(max(0, min(1, radius - distance + 0.5)) * density)
                if value > coverage[y * width + x] { coverage[y * width + x] = value }
            }
        }
    }
}
