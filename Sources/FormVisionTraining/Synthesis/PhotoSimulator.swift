import FormVision

/// Turns a rendered, filled page into a realistic phone photo of it.
///
/// Two steps: `plan` draws the conditions from a level's ranges (camera pose, paper bending,
/// light, blur, noise, file), and `render` makes the pixels. The plan's `project(_:)` gives
/// the exact photo position of any page point, for the labels.
public struct PhotoSimulator: Sendable {
    public init() {}

    // MARK: Planning

    /// Draws the conditions of one photo.
    ///
    /// - Parameters:
    ///   - megapixels: Overrides the level's frame size (tests use small frames).
    ///   - maxMegapixels: Scales the level's size range down so that it ends here.
    public func plan(level: PhotoLevel, pageSize: FormTemplate.Size, megapixels: Double? = nil,
                     maxMegapixels: Double? = nil, using g: inout SeededGenerator) -> PhotoPlan {
        let p = level.parameters
        let drawn = g.uniform(p.megapixels)
        let capped = maxMegapixels.map { cap in
            drawn * min(1, cap / p.megapixels.upperBound)
        } ?? drawn
        let mp = megapixels ?? capped
        let landscape = level == .hard && g.chance(0.25)
        let long = (mp * 1e6 * 4 / 3).squareRoot()
        let (width, height) = landscape ? (Int(long), Int(long * 3 / 4)) : (Int(long * 3 / 4), Int(long))
        var rotation = g.uniform(p.rotation)
        if g.chance(p.quarterTurnRate) { rotation += Double.pi / 2 * Double(Int.random(in: 1 ... 3, using: &g)) }
        let tilt = g.uniform(p.tilt)
        let tiltDirection = g.uniform(0 ... 2 * Double.pi)
        let focal = g.uniform(p.focalLength) * Double(max(width, height))
        let fill = g.uniform(p.fill)
        let homography = pose(pageSize: pageSize, frame: (width, height), rotation: rotation, tilt: tilt,
                              tiltDirection: tiltDirection, focal: focal, fill: fill, using: &g)

        var folds: [PhotoPlan.Fold] = []
        if g.chance(p.foldRate) {
            for _ in 0 ..< max(1, Int.random(in: 1 ... max(1, p.maxFolds), using: &g)) {
                // Letter folds run across the page at about a third or a half of its height.
                let across = g.chance(0.75)
                let at = [1.0 / 3, 0.5, 2.0 / 3][Int.random(in: 0 ..< 3, using: &g)] + g.uniform(-0.03 ... 0.03)
                let point = across ? Point(pageSize.width / 2, pageSize.height * at) : Point(pageSize.width * at, pageSize.height / 2)
                var normal = across ? Point(0, 1) : Point(1, 0)
                normal = normal.rotated(by: g.uniform(-0.03 ... 0.03))
                if g.chance(0.5) { normal = normal * -1 }
                folds.append(.init(point: point, normal: normal, strength: g.uniform(p.foldStrength)))
            }
        }
        let curl: PhotoPlan.Curl? = g.chance(p.curlRate)
            ? .init(edge: Int.random(in: 0 ... 3, using: &g), reach: g.uniform(25 ... 60), amount: g.uniform(p.curlAmount))
            : nil
        let background = PhotoPlan.Background.allCases[Int.random(in: 0 ..< 3, using: &g)]
        let backgroundColor: [Double] = switch background {
        case .table: [g.uniform(90 ... 170), g.uniform(60 ... 110), g.uniform(30 ... 70)]
        case .wall:
            // Painted walls: light neutrals with a slight tint.
            { (level: Double, g: inout SeededGenerator) in [level + g.uniform(-8 ... 12), level + g.uniform(-6 ... 6), level + g.uniform(-18 ... 8)] }(g.uniform(165 ... 225), &g)
        case .cloth: [g.uniform(20 ... 160), g.uniform(20 ... 120), g.uniform(30 ... 160)]
        }
        let yellow = g.chance(p.yellowRate) ? g.uniform(p.yellowStrength) : 0
        let lightColor = [1.0, 1 - 0.35 * yellow, 1 - yellow]
        var shadow: [Point] = []
        var shadowStrength = 0.0
        if g.chance(p.shadowRate) {
            shadow = shadowPolygon(width: width, height: height, using: &g)
            shadowStrength = g.uniform(p.shadowStrength)
        }
        let scale12 = (Double(width * height) / 12e6).squareRoot()
        let motion = g.chance(p.motionBlurRate) ? g.uniform(p.motionLength) * scale12 : 0
        let orientation: Orientation = g.chance(p.exifRotationRate)
            ? [.rotate90, .rotate270, .rotate180][Int.random(in: 0 ..< 3, using: &g)] : .normal
        return PhotoPlan(
            width: width, height: height, pageToPhoto: homography, pageSize: pageSize, folds: folds, curl: curl,
            background: background, backgroundColor: backgroundColor,
            lightDirection: Point(1, 0).rotated(by: g.uniform(0 ... 2 * Double.pi)), lightGradient: g.uniform(p.lightGradient),
            lightColor: lightColor, shadow: shadow, shadowStrength: shadowStrength,
            blurSigma: g.uniform(p.blurSigma) * scale12, motionLength: motion, motionAngle: g.uniform(0 ... Double.pi),
            noiseSigma: g.uniform(p.noiseSigma), jpegQuality: Int.random(in: p.jpegQuality, using: &g),
            orientation: orientation, textureSeed: g.next())
    }

    /// A pinhole camera looking at the page: rotate the page about its centre (in-plane
    /// rotation, then tilt about an axis in the page plane), place it at the distance that
    /// makes its projection fill the requested fraction of the frame, shift it at random within
    /// the frame, and fit the homography of its four corners.
    func pose(pageSize: FormTemplate.Size, frame: (Int, Int), rotation: Double, tilt: Double, tiltDirection: Double,
              focal: Double, fill: Double, using g: inout SeededGenerator) -> Homography {
        let (w, h) = (Double(frame.0), Double(frame.1))
        let corners = [Point(0, 0), Point(pageSize.width, 0), Point(pageSize.width, pageSize.height), Point(0, pageSize.height)]
        // Rotation matrix: in-plane rotation Rz, then tilt about the axis (cos d, sin d, 0).
        let (cz, sz) = (cos(rotation), sin(rotation))
        let axis = (x: cos(tiltDirection), y: sin(tiltDirection))
        let (ct, st) = (cos(tilt), sin(tilt))
        func camera(_ q: Point) -> (Double, Double, Double) {
            let x0 = q.x - pageSize.width / 2, y0 = q.y - pageSize.height / 2
            let x1 = cz * x0 - sz * y0, y1 = sz * x0 + cz * y0
            // Rodrigues' rotation of (x1, y1, 0) about the in-plane axis by the tilt.
            let along = x1 * axis.x + y1 * axis.y
            let px = axis.x * along, py = axis.y * along
            let (rx, ry) = (x1 - px, y1 - py)
            // cross(axis, r) = (0, 0, axis.x*ry - axis.y*rx)
            let cz3 = axis.x * ry - axis.y * rx
            return (px + rx * ct, py + ry * ct, cz3 * st)
        }
        func project(_ q: Point, distance: Double, shift: Point) -> Point {
            let (x, y, z) = camera(q)
            let depth = distance + z
            return Point(focal * x / depth + w / 2 + shift.x, focal * y / depth + h / 2 + shift.y)
        }
        // Distance: scale until the projected extent matches the fill of the frame.
        var distance = focal * max(pageSize.width, pageSize.height) / (fill * max(w, h))
        for _ in 0 ..< 4 {
            let points = corners.map { project($0, distance: distance, shift: .zero) }
            let extentX = (points.map(\.x).max()! - points.map(\.x).min()!) / w
            let extentY = (points.map(\.y).max()! - points.map(\.y).min()!) / h
            distance *= max(extentX, extentY) / fill
        }
        // Shift the page at random within the room left in the frame (2 % margin).
        let centred = corners.map { project($0, distance: distance, shift: .zero) }
        let margin = 0.02
        let roomLeft = centred.map(\.x).min()! - margin * w, roomRight = w * (1 - margin) - centred.map(\.x).max()!
        let roomTop = centred.map(\.y).min()! - margin * h, roomBottom = h * (1 - margin) - centred.map(\.y).max()!
        let shift = Point(roomRight > -roomLeft ? g.uniform(-max(0, roomLeft) ... max(0, roomRight)) : 0,
                          roomBottom > -roomTop ? g.uniform(-max(0, roomTop) ... max(0, roomBottom)) : 0)
        let projected = corners.map { project($0, distance: distance, shift: shift) }
        return Homography.fitting(from: corners, to: projected) ?? .identity
    }

    /// A soft shadow entering from one side of the frame: a hand, a phone, a head.
    func shadowPolygon(width: Int, height: Int, using g: inout SeededGenerator) -> [Point] {
        let (w, h) = (Double(width), Double(height))
        let centre = Point(g.uniform(0.1 ... 0.9) * w, g.uniform(0.1 ... 0.9) * h)
        let radius = g.uniform(0.15 ... 0.45) * max(w, h)
        let points = (0 ..< 9).map { i -> Point in
            let angle = Double(i) / 9 * 2 * Double.pi
            let r = radius * g.uniform(0.6 ... 1.3)
            return centre + Point(cos(angle) * r * 1.6, sin(angle) * r)
        }
        let rotation = g.uniform(0 ... Double.pi)
        return points.map { centre + ($0 - centre).rotated(by: rotation) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
