#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormVision

/// Paper that leaves the table: the third dimension of a bent sheet.
///
/// The `folds` and `curl` of a plan move page points within the page's plane, which is what a
/// mild bend looks like from above. A sheet that really lifts (an edge curling up by 15 mm, a
/// letter folded in thirds that will not lie flat, a bumpy table) also comes *towards the
/// camera*, and a tilted camera sees that as parallax: the lifted paper slides across the photo
/// by about its height times the tangent of the viewing angle. These lifts model that.
///
/// Each lift is a height field h(q) over the flat page (mm towards the camera). The paper keeps
/// its length, so where it rises its footprint on the table shrinks: a point at arc length s
/// beyond the line where the paper leaves the table lies at ∫₀ˢ cos θ, not s, from it. The
/// photo of page point q is then the camera's projection of the lifted point, which for a
/// pinhole camera is `pageToPhoto` applied to the shrunk footprint plus h(q) times
/// `liftVector` in homogeneous coordinates (`project`).
extension PhotoPlan {
    /// One way the paper rises off the table.
    public enum Lift: Sendable, Equatable, Codable {
        /// Beyond a line, the paper rises as a parabola: `height` mm at `reach` mm past the line,
        /// and on (an edge or a corner curling up). `normal` is the unit vector from the line
        /// towards the lifted part; `origin` is a point on the line (page mm).
        case curl(origin: Point, normal: Point, reach: Double, height: Double)
        /// Beyond a crease, the paper rises at a constant slope (rise per mm), with a soft kink
        /// of `PhotoPlan.foldSoftness`: one panel of a fold that does not lie flat.
        case crease(origin: Point, normal: Point, slope: Double)
        /// A round bump under the sheet: a Gaussian of the given radius (σ, mm) and height.
        case bump(center: Point, radius: Double, height: Double)

        /// The height of the paper at flat page point q, mm towards the camera.
        func height(_ q: Point) -> Double {
            switch self {
            case let .curl(origin, normal, reach, height):
                let s = (q - origin).dot(normal)
                return s > 0 ? height * (s / reach) * (s / reach) : 0
            case let .crease(origin, normal, slope):
                return slope * PhotoPlan.softplus((q - origin).dot(normal))
            case let .bump(center, radius, height):
                let d2 = (q - center).dot(q - center)
                return height * exp(-d2 / (2 * radius * radius))
            }
        }

        /// How far the footprint of page point q moves within the page plane because the paper
        /// rose (always back towards where it left the table), mm.
        func contraction(_ q: Point) -> Point {
            switch self {
            case let .curl(origin, normal, reach, height):
                let s = (q - origin).dot(normal)
                guard s > 0, height > 0 else { return .zero }
                // h = H (s/R)², h' = k s with k = 2H/R²; ∫₀ˢ (√(1 + (kσ)²) − 1) dσ in closed form.
                let k = 2 * height / (reach * reach)
                let g = k * s
                let arc = (g * (1 + g * g).squareRoot() + asinh(g)) / 2
                return normal * (-(arc - g) / k)
            case let .crease(origin, normal, slope):
                let s = PhotoPlan.softplus((q - origin).dot(normal))
                return normal * (-((1 + slope * slope).squareRoot() - 1) * s)
            case .bump:
                return .zero // a few mm of height over tens of mm: the shrinkage is negligible
            }
        }
    }

    /// The paper's height above the table at flat page point q, mm.
    public func liftHeight(_ q: Point) -> Double { lifts.reduce(0) { $0 + $1.height(q) } }

    /// The sheet's greatest height above the table, mm (sampled every 2 mm), or nil when it
    /// does not lift.
    public var greatestLift: Double? {
        guard !lifts.isEmpty else { return nil }
        var greatest = 0.0
        for y in stride(from: 0.0, through: pageSize.height, by: 2) {
            for x in stride(from: 0.0, through: pageSize.width, by: 2) { greatest = max(greatest, liftHeight(Point(x, y))) }
        }
        return greatest
    }

    /// A soft max(0, s) over `foldSoftness` mm.
    static func softplus(_ s: Double) -> Double {
        let w = foldSoftness
        return s / w > 30 ? s : w * log1p(exp(s / w))
    }

    /// The projection of a lifted page: the footprint through the flat homography, plus the
    /// height along `liftVector`, in homogeneous coordinates.
    func projectLifted(_ footprint: Point, height: Double) -> Point? {
        let m = pageToPhoto.matrix, v = liftVector
        let x = m[0] * footprint.x + m[1] * footprint.y + m[2] + height * v[0]
        let y = m[3] * footprint.x + m[4] * footprint.y + m[5] + height * v[1]
        let w = m[6] * footprint.x + m[7] * footprint.y + m[8] + height * v[2]
        guard w > 1e-9 else { return nil }
        return Point(x / w, y / w)
    }

    /// How much darker (≤ 1) lifted paper is than flat paper: a surface sloping away from the
    /// light is darker than one sloping towards it, and steeper slopes more so.
    func liftShading(_ q: Point) -> Double {
        let e = 0.25
        let gx = (liftHeight(q + Point(e, 0)) - liftHeight(q - Point(e, 0))) / (2 * e)
        let gy = (liftHeight(q + Point(0, e)) - liftHeight(q - Point(0, e))) / (2 * e)
        let towards = max(-1, min(1, gx * lightDirection.x + gy * lightDirection.y))
        let steepness = min(1, (gx * gx + gy * gy).squareRoot())
        return (1 - 0.11 * (1 - towards)) * (1 - 0.12 * steepness)
    }

    /// Inverts `project` for a lifted page: starting from the flat homography's answer, each step
    /// moves the estimate by the difference between where the photo point and where the
    /// estimate's projection appear on the flat page. It converges while the parallax changes
    /// more slowly than the page (slopes times the viewing angle's tangent below 1).
    func unprojectLifted(_ p: Point, inverse: Homography) -> Point? {
        guard let target = inverse.apply(p) else { return nil }
        var q = target
        for _ in 0 ..< Self.liftedUnprojectSteps {
            guard let seen = inverse.apply(project(q)) else { return nil }
            let step = target - seen
            q = q + step
            if step.length < Self.unprojectTolerance { return q }
        }
        return q
    }

    /// Most steps of `unprojectLifted`: steep parallax converges slowly.
    static let liftedUnprojectSteps = 60
}
