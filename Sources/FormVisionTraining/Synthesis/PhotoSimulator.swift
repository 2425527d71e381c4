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
        let (homography, liftVector) = pose(pageSize: pageSize, frame: (width, height), rotation: rotation, tilt: tilt,
                                            tiltDirection: tiltDirection, focal: focal, fill: fill, using: &g)
        var lifts: [PhotoPlan.Lift] = []
        if let bending = p.bending {
            var liftGenerator = g.derived("lifts")
            lifts = self.lifts(bending, pageSize: pageSize, using: &liftGenerator)
        }

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
        var plan = PhotoPlan(
            width: width, height: height, pageToPhoto: homography, pageSize: pageSize, folds: folds, curl: curl,
            background: background, backgroundColor: backgroundColor,
            lightDirection: Point(1, 0).rotated(by: g.uniform(0 ... 2 * Double.pi)), lightGradient: g.uniform(p.lightGradient),
            lightColor: lightColor, shadow: shadow, shadowStrength: shadowStrength,
            blurSigma: g.uniform(p.blurSigma) * scale12, motionLength: motion, motionAngle: g.uniform(0 ... Double.pi),
            noiseSigma: g.uniform(p.noiseSigma), jpegQuality: Int.random(in: p.jpegQuality, using: &g),
            orientation: orientation, textureSeed: g.next(), lifts: lifts, liftVector: liftVector)
        if !lifts.isEmpty { keepInFrame(&plan) }
        return plan
    }

    /// The lifts of one bent sheet: a curl at an edge or a corner, a fold into panels whose
    /// outer panels rise from their creases, bumps under it.
    func lifts(_ b: Bending, pageSize: FormTemplate.Size, using g: inout SeededGenerator) -> [PhotoPlan.Lift] {
        let (w, h) = (pageSize.width, pageSize.height)
        var lifts: [PhotoPlan.Lift] = []
        if g.chance(b.curlRate) {
            let reach = g.uniform(b.curlReach), height = g.uniform(b.curlHeight)
            if g.chance(b.cornerCurlShare) {
                let corner = Int.random(in: 0 ..< 4, using: &g)
                let at = [Point(0, 0), Point(w, 0), Point(w, h), Point(0, h)][corner]
                let inward = (Point(w / 2, h / 2) - at).dot(Point(1, 0)) > 0 ? 1.0 : -1.0
                let down = (Point(w / 2, h / 2) - at).dot(Point(0, 1)) > 0 ? 1.0 : -1.0
                let diagonal = Point(inward, down) / 2.0.squareRoot()
                lifts.append(.curl(origin: at + diagonal * reach, normal: diagonal * -1, reach: reach, height: height))
            } else {
                let edge = Int.random(in: 0 ..< 4, using: &g)
                // The outward normal of each edge, and a point `reach` in from it.
                let (origin, normal): (Point, Point) = switch edge {
                case 0: (Point(w / 2, reach), Point(0, -1))
                case 1: (Point(w - reach, h / 2), Point(1, 0))
                case 2: (Point(w / 2, h - reach), Point(0, 1))
                default: (Point(reach, h / 2), Point(-1, 0))
                }
                lifts.append(.curl(origin: origin, normal: normal.rotated(by: g.uniform(-0.08 ... 0.08)), reach: reach,
                                   height: height))
            }
        }
        if g.chance(b.foldRate), let panels = b.foldPanels.randomElement(using: &g), panels >= 2 {
            // Creases across the sheet (a letter fold), or now and then along it.
            let across = g.chance(0.8)
            let length = across ? h : w
            let creases = (1 ..< panels).map { length * Double($0) / Double(panels) + g.uniform(-4 ... 4) }
            let axis = across ? Point(0, 1) : Point(1, 0)
            let centre = Point(w / 2, h / 2)
            func line(_ at: Double) -> Point { across ? Point(centre.x, at) : Point(at, centre.y) }
            // The first panel rises beyond the first crease towards its edge, the last beyond the
            // last crease; a sheet folded in half rises on both sides of its one crease (a V).
            lifts.append(.crease(origin: line(creases[0]), normal: (axis * -1).rotated(by: g.uniform(-0.04 ... 0.04)),
                                 slope: tan(g.uniform(b.foldAngle))))
            lifts.append(.crease(origin: line(creases[creases.count - 1]), normal: axis.rotated(by: g.uniform(-0.04 ... 0.04)),
                                 slope: tan(g.uniform(b.foldAngle))))
        }
        if g.chance(b.bumpRate) {
            for _ in 0 ..< Int.random(in: b.bumps, using: &g) {
                lifts.append(.bump(center: Point(g.uniform(0 ... w), g.uniform(0 ... h)), radius: g.uniform(b.bumpRadius),
                                   height: g.uniform(b.bumpHeight)))
            }
        }
        return lifts
    }

    /// Shrinks a lifted page's photo about the frame's centre until its outline, which the lifts
    /// enlarge, lies inside the frame with a 1 % margin.
    func keepInFrame(_ plan: inout PhotoPlan) {
        let (w, h) = (Double(plan.width), Double(plan.height))
        let size = plan.pageSize
        let steps = 20
        let outline = (0 ..< steps).flatMap { i -> [Point] in
            let t = Double(i) / Double(steps)
            return [Point(t * size.width, 0), Point(size.width, t * size.height), Point((1 - t) * size.width, size.height),
                    Point(0, (1 - t) * size.height)]
        }
        for _ in 0 ..< 4 {
            let points = outline.map(plan.project)
            let margin = 0.01
            let overflow = points.reduce(1.0) { worst, p in
                let fx = abs(p.x - w / 2) / (w / 2 * (1 - 2 * margin)), fy = abs(p.y - h / 2) / (h / 2 * (1 - 2 * margin))
                return max(worst, fx.isFinite ? fx : 2, fy.isFinite ? fy : 2)
            }
            guard overflow > 1 else { return }
            let shrink = Homography.translation(w / 2, h / 2).concatenating(.scale(1 / overflow, 1 / overflow))
                .concatenating(.translation(-w / 2, -h / 2))
            let s = shrink.matrix, v = plan.liftVector
            plan.pageToPhoto = shrink.concatenating(plan.pageToPhoto)
            plan.liftVector = (0 ..< 3).map { r in s[r * 3] * v[0] + s[r * 3 + 1] * v[1] + s[r * 3 + 2] * v[2] }
        }
    }

    /// A pinhole camera looking at the page: rotate the page about its centre (in-plane
    /// rotation, then tilt about an axis in the page plane), place it at the distance that
    /// makes its projection fill the requested fraction of the frame, shift it at random within
    /// the frame, and fit the homography of its four corners.
    func pose(pageSize: FormTemplate.Size, frame: (Int, Int), rotation: Double, tilt: Double, tiltDirection: Double,
              focal: Double, fill: Double, using g: inout SeededGenerator) -> (Homography, liftVector: [Double]) {
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
        let homography = Homography.fitting(from: corners, to: projected) ?? .identity
        // The page normal towards the camera (which looks along +z), turned by the tilt as
        // `camera` turns the page (Rodrigues about the in-plane axis), and what a lift of 1 mm
        // along it adds in homogeneous photo coordinates. `fitting` scales the matrix so that
        // page point (0, 0) has w = 1; the camera's own w there is its depth.
        let normal = (x: -axis.y * st, y: axis.x * st, z: -ct)
        let (cx, cy) = (w / 2 + shift.x, h / 2 + shift.y)
        let depth = distance + camera(Point(0, 0)).2
        let lift = [focal * normal.x + cx * normal.z, focal * normal.y + cy * normal.z, normal.z].map { $0 / depth }
        return (homography, lift)
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
