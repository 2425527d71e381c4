/// A smooth correction of a page's homography for paper that is not flat.
///
/// A flat sheet maps to the photo by one homography H. A curled or folded sheet does not, but
/// its deviation from a plane is smooth, so page point q (mm) is seen where H puts q + D(q),
/// with D a smooth displacement field in page millimetres. `PageWarp` stores D at the nodes of
/// a regular grid over the page and interpolates it bilinearly between them.
///
/// Coordinates: page millimetres, origin at the page's top-left corner. Node (i, j) lies at
/// (i · spacing, j · spacing); beyond the last node the field is held constant.
public struct PageWarp: Sendable, Equatable {
    /// Distance between grid nodes, mm.
    public let spacing: Double
    public let columns: Int
    public let rows: Int
    /// The displacement at every node, row-major (`rows` × `columns`), mm.
    public private(set) var dx: [Double]
    public private(set) var dy: [Double]

    /// A zero field covering a page of the given size.
    public init(pageSize: FormTemplate.Size, spacing: Double) {
        precondition(spacing > 0, "the grid spacing must be positive")
        self.spacing = spacing
        columns = Int((pageSize.width / spacing).rounded(.up)) + 1
        rows = Int((pageSize.height / spacing).rounded(.up)) + 1
        dx = [Double](repeating: 0, count: columns * rows)
        dy = dx
    }

    /// The field's nodes set from a function of page position.
    public init(pageSize: FormTemplate.Size, spacing: Double, _ field: (Point) -> Point) {
        self.init(pageSize: pageSize, spacing: spacing)
        for j in 0 ..< rows {
            for i in 0 ..< columns {
                let d = field(Point(Double(i) * spacing, Double(j) * spacing))
                dx[j * columns + i] = d.x
                dy[j * columns + i] = d.y
            }
        }
    }

    /// The displacement at page point q, mm: bilinear between the four nearest nodes.
    public func displacement(at q: Point) -> Point {
        let fx = min(max(q.x / spacing, 0), Double(columns - 1))
        let fy = min(max(q.y / spacing, 0), Double(rows - 1))
        let i = min(Int(fx), columns - 2), j = min(Int(fy), rows - 2)
        let (tx, ty) = (fx - Double(i), fy - Double(j))
        let k = j * columns + i
        let top = Point(dx[k] + (dx[k + 1] - dx[k]) * tx, dy[k] + (dy[k + 1] - dy[k]) * tx)
        let bottom = Point(dx[k + columns] + (dx[k + columns + 1] - dx[k + columns]) * tx,
                           dy[k + columns] + (dy[k + columns + 1] - dy[k + columns]) * tx)
        return top + (bottom - top) * ty
    }

    /// The field of the page seen through this warp after a further correction: when the
    /// corrected page point q lies where this warp puts q + e(q), the combined field is
    /// D'(q) = e(q) + D(q + e(q)).
    public func composed(after increment: (Point) -> Point) -> PageWarp {
        var result = self
        for j in 0 ..< rows {
            for i in 0 ..< columns {
                let q = Point(Double(i) * spacing, Double(j) * spacing)
                let e = increment(q)
                let d = e + displacement(at: q + e)
                result.dx[j * columns + i] = d.x
                result.dy[j * columns + i] = d.y
            }
        }
        return result
    }

    /// The largest displacement of any node, mm.
    public var largestDisplacement: Double {
        zip(dx, dy).reduce(0) { max($0, ($1.0 * $1.0 + $1.1 * $1.1).squareRoot()) }
    }
}

/// A page's mapping to the photo: its homography, corrected by a warp where the paper bends.
public struct PageMapping: Sendable, Equatable {
    /// Page millimetres to photo pixels for the plane that best fits the page.
    public var homography: Homography
    /// The bend, or nil for a flat page.
    public var warp: PageWarp?

    public init(homography: Homography, warp: PageWarp? = nil) {
        self.homography = homography
        self.warp = warp
    }

    /// Where page point q (mm) lies in the photo (pixels), or nil where the homography sends it
    /// to infinity.
    public func photoPoint(_ q: Point) -> Point? {
        homography.apply(warp.map { q + $0.displacement(at: q) } ?? q)
    }
}

/// A thin-plate spline: the smoothest function of the plane (least bending energy) that passes
/// near given values at given points, here a two-component displacement.
///
/// f(x) = a₀ + a₁ x + a₂ y + Σᵢ wᵢ U(|x − cᵢ|), with U(r) = r² log r. The weights solve
/// (K + λ W⁻¹) w + P a = v, Pᵀ w = 0, where K holds U between the centres, P their affine
/// terms, and the regularisation λ / weightᵢ lets the spline pass further from an uncertain
/// point (λ = 0 interpolates exactly). Coordinates are scaled by `unit` before U is taken, so
/// that λ means the same at any page size.
struct ThinPlateSpline {
    let centres: [Point]
    let unit: Double
    /// Per component: the n kernel weights, then a₀, a₁, a₂.
    let x: [Double]
    let y: [Double]

    /// Fits the spline, or returns nil for fewer than three points or points on one line.
    ///
    /// - Parameters:
    ///   - points: Where the values are known.
    ///   - values: The displacement at each point.
    ///   - weights: How much each point counts (default 1 each); must be positive.
    ///   - smoothing: λ, in units of `unit`².
    ///   - unit: The length (same unit as the points) that coordinates are divided by.
    /// - Complexity: O(n³) for n points.
    init?(points: [Point], values: [Point], weights: [Double]? = nil, smoothing: Double, unit: Double) {
        let n = points.count
        guard n >= 3, values.count == n, unit > 0 else { return nil }
        let size = n + 3
        let scaled = points.map { $0 / unit }
        var a = [Double](repeating: 0, count: size * size)
        for i in 0 ..< n {
            for j in 0 ..< n where j != i { a[i * size + j] = Self.kernel(scaled[i].distance(to: scaled[j])) }
            a[i * size + i] = smoothing / max(1e-9, weights?[i] ?? 1)
            let affine = [1, scaled[i].x, scaled[i].y]
            for k in 0 ..< 3 {
                a[i * size + n + k] = affine[k]
                a[(n + k) * size + i] = affine[k]
            }
        }
        let zeros = [0.0, 0, 0]
        guard let x = LinearSystem.solve(a, values.map(\.x) + zeros, size: size),
              let y = LinearSystem.solve(a, values.map(\.y) + zeros, size: size) else { return nil }
        centres = scaled
        self.unit = unit
        self.x = x
        self.y = y
    }

    static func kernel(_ r: Double) -> Double { r > 1e-12 ? r * r * log(r) : 0 }

    /// The spline's value at a point.
    func callAsFunction(_ p: Point) -> Point {
        let q = p / unit
        let n = centres.count
        var vx = x[n] + x[n + 1] * q.x + x[n + 2] * q.y
        var vy = y[n] + y[n + 1] * q.x + y[n + 2] * q.y
        for i in 0 ..< n {
            let u = Self.kernel(q.distance(to: centres[i]))
            vx += x[i] * u
            vy += y[i] * u
        }
        return Point(vx, vy)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
