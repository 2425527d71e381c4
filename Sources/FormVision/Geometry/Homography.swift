/// A plane projective transform: a 3×3 matrix acting on homogeneous coordinates.
///
/// A point (x, y) maps to ((h0·x + h1·y + h2) / w, (h3·x + h4·y + h5) / w) with
/// w = h6·x + h7·y + h8. Homographies model a flat page seen by a pinhole camera: they map the
/// page's millimetres to the photo's pixels and back.
public struct Homography: Sendable, Hashable, Codable {
    /// The matrix in row-major order.
    public var matrix: [Double]

    public init(_ matrix: [Double]) {
        precondition(matrix.count == 9, "a homography has 9 entries")
        self.matrix = matrix
    }

    public static let identity = Homography([1, 0, 0, 0, 1, 0, 0, 0, 1])

    /// Scaling about the origin.
    public static func scale(_ sx: Double, _ sy: Double) -> Homography { Homography([sx, 0, 0, 0, sy, 0, 0, 0, 1]) }

    /// Translation.
    public static func translation(_ dx: Double, _ dy: Double) -> Homography { Homography([1, 0, dx, 0, 1, dy, 0, 0, 1]) }

    /// Maps a point. Returns nil for a point on the line at infinity (w ≈ 0).
    public func apply(_ p: Point) -> Point? {
        let m = matrix
        let w = m[6] * p.x + m[7] * p.y + m[8]
        guard abs(w) > 1e-12 else { return nil }
        return Point((m[0] * p.x + m[1] * p.y + m[2]) / w, (m[3] * p.x + m[4] * p.y + m[5]) / w)
    }

    /// `self` after `other`: (self ∘ other)(p) = self(other(p)).
    public func concatenating(_ other: Homography) -> Homography {
        let a = matrix, b = other.matrix
        var c = [Double](repeating: 0, count: 9)
        for i in 0 ..< 3 {
            for j in 0 ..< 3 {
                c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j]
            }
        }
        return Homography(c)
    }

    /// The inverse transform, or nil when the matrix is singular.
    public var inverse: Homography? {
        let m = matrix
        let c0 = m[4] * m[8] - m[5] * m[7]
        let c1 = m[5] * m[6] - m[3] * m[8]
        let c2 = m[3] * m[7] - m[4] * m[6]
        let det = m[0] * c0 + m[1] * c1 + m[2] * c2
        guard abs(det) > 1e-15 else { return nil }
        let inv = [
            c0, m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            c1, m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            c2, m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        ]
        return Homography(inv.map { $0 / det })
    }

    /// The homography that maps each `source` point to the matching `target` point, by the
    /// direct linear transform with h8 = 1, solved in least squares when more than four pairs
    /// are given. Points are normalised first (Hartley), which keeps the system well conditioned.
    ///
    /// - Returns: nil when fewer than 4 pairs are given or they are degenerate (three collinear).
    /// - Complexity: O(n) for n pairs.
    public static func fitting(from source: [Point], to target: [Point]) -> Homography? {
        guard source.count == target.count, source.count >= 4 else { return nil }
        guard let (sn, sT) = normalise(source), let (tn, tT) = normalise(target) else { return nil }
        // Normal equations AᵀA h = Aᵀb of the 2n × 8 system.
        var ata = [Double](repeating: 0, count: 64)
        var atb = [Double](repeating: 0, count: 8)
        for (s, t) in zip(sn, tn) {
            let rows: [([Double], Double)] = [
                ([s.x, s.y, 1, 0, 0, 0, -s.x * t.x, -s.y * t.x], t.x),
                ([0, 0, 0, s.x, s.y, 1, -s.x * t.y, -s.y * t.y], t.y),
            ]
            for (row, rhs) in rows {
                for i in 0 ..< 8 {
                    atb[i] += row[i] * rhs
                    for j in 0 ..< 8 { ata[i * 8 + j] += row[i] * row[j] }
                }
            }
        }
        guard let h = LinearSystem.solve(ata, atb, size: 8) else { return nil }
        let normalised = Homography(h + [1])
        guard let tInverse = tT.inverse else { return nil }
        let result = tInverse.concatenating(normalised).concatenating(sT)
        let scale = result.matrix[8]
        guard abs(scale) > 1e-15 else { return nil }
        return Homography(result.matrix.map { $0 / scale })
    }

    /// The least-squares affine map (a homography whose last row is 0 0 1) carrying `source` to
    /// `target`: what few correspondences bunched on one side of a page can say without
    /// inventing its perspective.
    ///
    /// - Returns: nil when fewer than 3 pairs are given or they are collinear.
    public static func affineFitting(from source: [Point], to target: [Point]) -> Homography? {
        guard source.count == target.count, source.count >= 3 else { return nil }
        guard let (sn, sT) = normalise(source), let (tn, tT) = normalise(target) else { return nil }
        var ata = [Double](repeating: 0, count: 9)
        var atx = [Double](repeating: 0, count: 3), aty = [Double](repeating: 0, count: 3)
        for (s, t) in zip(sn, tn) {
            let row = [s.x, s.y, 1]
            for i in 0 ..< 3 {
                atx[i] += row[i] * t.x
                aty[i] += row[i] * t.y
                for j in 0 ..< 3 { ata[i * 3 + j] += row[i] * row[j] }
            }
        }
        guard let x = LinearSystem.solve(ata, atx, size: 3), let y = LinearSystem.solve(ata, aty, size: 3),
              let tInverse = tT.inverse else { return nil }
        return tInverse.concatenating(Homography(x + y + [0, 0, 1])).concatenating(sT)
    }

    /// Moves points to their centroid and scales them to a mean distance of √2 from it.
    private static func normalise(_ points: [Point]) -> ([Point], Homography)? {
        let n = Double(points.count)
        let centroid = points.reduce(Point.zero, +) / n
        let meanDistance = points.reduce(0) { $0 + $1.distance(to: centroid) } / n
        guard meanDistance > 1e-12 else { return nil }
        let s = 2.0.squareRoot() / meanDistance
        let transform = Homography([s, 0, -s * centroid.x, 0, s, -s * centroid.y, 0, 0, 1])
        return (points.map { ($0 - centroid) * s }, transform)
    }
}

/// Small dense linear systems.
enum LinearSystem {
    /// Solves A x = b for a square `size` × `size` matrix A (row-major) by Gaussian elimination
    /// with partial pivoting. Returns nil when A is singular to working precision.
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var a = a, b = b
        for column in 0 ..< n {
            var pivot = column
            for row in column + 1 ..< n where abs(a[row * n + column]) > abs(a[pivot * n + column]) { pivot = row }
            guard abs(a[pivot * n + column]) > 1e-12 else { return nil }
            if pivot != column {
                for k in 0 ..< n { a.swapAt(pivot * n + k, column * n + k) }
                b.swapAt(pivot, column)
            }
            for row in column + 1 ..< n {
                let factor = a[row * n + column] / a[column * n + column]
                if factor == 0 { continue }
                for k in column ..< n { a[row * n + k] -= factor * a[column * n + k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in row + 1 ..< n { sum -= a[row * n + k] * x[k] }
            x[row] = sum / a[row * n + row]
        }
        return x
    }
}
