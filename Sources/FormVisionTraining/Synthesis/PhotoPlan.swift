import FormVision

/// The conditions of one simulated photo, drawn from a level's ranges: where the page lies in
/// the frame, how the paper is bent, the light, the blur, the noise and the file.
///
/// The plan is also the ground truth of the geometry: `project(_:)` maps a point of the page
/// (mm) to the upright photo (pixels, centres at +0.5), through the camera's homography and
/// the paper's folds and curl, exactly as the pixels were rendered.
public struct PhotoPlan: Sendable, Equatable, Codable {
    /// A crease: a straight line across the page beyond which the paper is tilted.
    public struct Fold: Sendable, Equatable, Codable {
        /// A point on the crease and the unit normal pointing to the tilted side, page mm.
        public var point: Point
        public var normal: Point
        /// mm of displacement per 100 mm beyond the crease; also scales its shading.
        public var strength: Double
    }

    /// An edge of the paper lifting off the table.
    public struct Curl: Sendable, Equatable, Codable {
        /// 0 top, 1 right, 2 bottom, 3 left.
        public var edge: Int
        /// How far into the page the curl reaches, mm.
        public var reach: Double
        /// Displacement at the edge, mm.
        public var amount: Double
    }

    /// What lies behind the page.
    public enum Background: String, Sendable, Equatable, Codable, CaseIterable {
        case table, wall, cloth
    }

    /// Width and height of the upright photo, pixels.
    public var width: Int
    public var height: Int
    /// Page millimetres to photo pixels, for the flat paper.
    public var pageToPhoto: Homography
    public var pageSize: FormTemplate.Size
    public var folds: [Fold]
    public var curl: Curl?
    public var background: Background
    /// Base colour of the background, RGB 0–255.
    public var backgroundColor: [Double]
    /// Brightness gradient: direction (unit, photo) and amount.
    public var lightDirection: Point
    public var lightGradient: Double
    /// Multipliers of R, G, B for the light's colour.
    public var lightColor: [Double]
    /// A soft shadow: polygon in photo pixels and the fraction of light it removes.
    public var shadow: [Point]
    public var shadowStrength: Double
    public var blurSigma: Double
    /// Motion blur: length in pixels (0 for none) and angle in radians.
    public var motionLength: Double
    public var motionAngle: Double
    public var noiseSigma: Double
    public var jpegQuality: Int
    /// The EXIF orientation the file is stored with (the pixels are stored turned accordingly).
    public var orientation: Orientation
    /// Seed of the textures and noise.
    public var textureSeed: UInt64
    /// Where the paper rises off the table (`PhotoPlan+Lift.swift`); empty for a sheet lying on it.
    public var lifts: [Lift] = []
    /// The photo's homogeneous coordinates gained per mm that the paper rises towards the camera,
    /// in the scale of `pageToPhoto`'s matrix (the camera's view of the page normal).
    public var liftVector: [Double] = [0, 0, 0]

    /// Most fixed-point steps of `unproject`, and the step size (mm) that ends it early.
    static let unprojectSteps = 20
    static let unprojectTolerance = 1e-5

    /// Width of the crease's smooth kink, mm.
    static let foldSoftness = 2.0

    /// How the bent paper moves a flat page point within the page plane, mm.
    public func displacement(_ q: Point) -> Point {
        var d = Point.zero
        for fold in folds {
            let s = (q - fold.point).dot(fold.normal)
            d = d - fold.normal * (fold.strength / 100 * Self.softplus(s))
        }
        if let curl {
            let t = distanceFromEdge(q, edge: curl.edge)
            if t < curl.reach {
                let f = (curl.reach - t) / curl.reach
                d = d + inward(curl.edge) * (curl.amount * f * f)
            }
        }
        for lift in lifts { d = d + lift.contraction(q) }
        return d
    }

    /// The light the bent paper reflects at a flat page point, relative to flat paper (≤ 1 in shade).
    public func shading(_ q: Point) -> Double {
        var light = 1.0
        for fold in folds {
            let s = (q - fold.point).dot(fold.normal)
            let side = 1 / (1 + exp(-s / 1.5))
            light *= 1 - 0.035 * fold.strength * side
            light *= 1 - 0.12 * min(1, fold.strength) * exp(-s * s / (2 * 0.5 * 0.5))
        }
        if let curl {
            let t = distanceFromEdge(q, edge: curl.edge)
            if t < curl.reach {
                let f = (curl.reach - t) / curl.reach
                light *= 1 - 0.05 * curl.amount * f * f
            }
        }
        if !lifts.isEmpty { light *= liftShading(q) }
        return max(0.3, light)
    }

    /// Where a page point (mm) appears in the upright photo (pixels).
    public func project(_ q: Point) -> Point {
        guard !lifts.isEmpty else { return pageToPhoto.apply(q + displacement(q)) ?? Point(.nan, .nan) }
        return projectLifted(q + displacement(q), height: liftHeight(q)) ?? Point(.nan, .nan)
    }

    /// The flat page point seen at a photo pixel position: inverts `project` by fixed-point
    /// iteration on the displacement (which is smooth and small).
    func unproject(_ p: Point, inverse: Homography) -> Point? {
        if !lifts.isEmpty { return unprojectLifted(p, inverse: inverse) }
        guard let bent = inverse.apply(p) else { return nil }
        if folds.isEmpty && curl == nil { return bent }
        // Converges at the rate of the displacement's slope (under 0.4 for the strongest curl);
        // most pixels, where the displacement is flat, stop after two steps.
        var q = bent
        for _ in 0 ..< Self.unprojectSteps {
            let next = bent - displacement(q)
            let change = next.distance(to: q)
            q = next
            if change < Self.unprojectTolerance { break }
        }
        return q
    }

    func distanceFromEdge(_ q: Point, edge: Int) -> Double {
        switch edge {
        case 0: q.y
        case 1: pageSize.width - q.x
        case 2: pageSize.height - q.y
        default: q.x
        }
    }

    func inward(_ edge: Int) -> Point {
        switch edge {
        case 0: Point(0, 1)
        case 1: Point(-1, 0)
        case 2: Point(0, -1)
        default: Point(1, 0)
        }
    }

    /// Page pixels per mm that the page should be rendered at so that the photo is not blurred
    /// by upsampling: the largest local scale of the projection, with a margin.
    public var suggestedDPI: Double {
        let corners = [Point(0, 0), Point(pageSize.width, 0), Point(pageSize.width, pageSize.height), Point(0, pageSize.height)]
        var largest = 0.0
        for (a, b) in zip(corners, corners.dropFirst() + [corners[0]]) {
            let mmLength = a.distance(to: b)
            largest = max(largest, project(a).distance(to: project(b)) / mmLength)
        }
        return min(300, max(100, largest * 25.4 * 1.3))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
