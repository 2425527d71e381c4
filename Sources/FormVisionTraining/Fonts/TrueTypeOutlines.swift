/// Glyph outlines from a TrueType `glyf` table, located through `loca`.
///
/// A simple glyph is a list of contours of points, each on or off the curve; two off-curve
/// points in a row imply an on-curve point halfway between them, and each off-curve point is
/// the control point of a quadratic Bézier. A composite glyph places other glyphs with an
/// offset and an optional 2×2 transform.
import FormVision
struct TrueTypeOutlines: Sendable {
    let glyf: FontBytes
    /// Start of each glyph in `glyf`, `glyphCount + 1` entries.
    let offsets: [Int]

    /// Composite glyphs nest; deeper than this is taken as a loop in a broken font.
    static let maximumDepth = 8

    init(glyf: FontBytes, loca: FontBytes, longOffsets: Bool, glyphCount: Int) throws(FontError) {
        self.glyf = glyf
        var offsets: [Int] = []
        offsets.reserveCapacity(glyphCount + 1)
        for i in 0 ... glyphCount {
            offsets.append(longOffsets ? try loca.u32(4 * i) : 2 * (try loca.u16(2 * i)))
        }
        self.offsets = offsets
    }

    // Simple-glyph flag bits.
    private static let onCurve = 0x01, xShort = 0x02, yShort = 0x04, repeatFlag = 0x08, xSameOrPositive = 0x10, ySameOrPositive = 0x20
    // Composite-glyph flag bits.
    private static let argsAreWords = 0x0001, argsAreOffsets = 0x0002, haveScale = 0x0008, moreComponents = 0x0020,
                       haveXYScale = 0x0040, haveTwoByTwo = 0x0080

    func contours(glyph: Int, depth: Int) throws(FontError) -> [[Point]] {
        guard depth <= Self.maximumDepth else { throw .malformed(table: "glyf", reason: "composite glyphs nested too deeply") }
        let start = offsets[glyph], end = offsets[glyph + 1]
        guard end > start else { return [] } // no outline (a space)
        guard end <= glyf.count, start >= 0 else { throw .malformed(table: "loca", reason: "glyph \(glyph) at \(start)–\(end)") }
        let contourCount = try glyf.i16(start)
        return contourCount >= 0 ? try simple(at: start, contours: contourCount) : try composite(at: start, depth: depth)
    }

    private func simple(at start: Int, contours contourCount: Int) throws(FontError) -> [[Point]] {
        var ends: [Int] = []
        for c in 0 ..< contourCount { ends.append(try glyf.u16(start + 10 + 2 * c)) }
        guard let last = ends.last else { return [] }
        let pointCount = last + 1
        let instructionLength = try glyf.u16(start + 10 + 2 * contourCount)
        var cursor = start + 12 + 2 * contourCount + instructionLength
        var flags: [Int] = []
        flags.reserveCapacity(pointCount)
        while flags.count < pointCount {
            let flag = try glyf.u8(cursor)
            cursor += 1
            flags.append(flag)
            if flag & Self.repeatFlag != 0 {
                let repeats = try glyf.u8(cursor)
                cursor += 1
                for _ in 0 ..< repeats where flags.count < pointCount { flags.append(flag) }
            }
        }
        func coordinates(short: Int, sameOrPositive: Int) throws(FontError) -> [Int] {
            var values: [Int] = [], value = 0
            values.reserveCapacity(pointCount)
            for flag in flags {
                if flag & short != 0 {
                    let delta = try glyf.u8(cursor)
                    cursor += 1
                    value += flag & sameOrPositive != 0 ? delta : -delta
                } else if flag & sameOrPositive == 0 {
                    value += try glyf.i16(cursor)
                    cursor += 2
                }
                values.append(value)
            }
            return values
        }
        let xs = try coordinates(short: Self.xShort, sameOrPositive: Self.xSameOrPositive)
        let ys = try coordinates(short: Self.yShort, sameOrPositive: Self.ySameOrPositive)
        var result: [[Point]] = []
        var first = 0
        for end in ends {
            guard end >= first, end < pointCount else { throw .malformed(table: "glyf", reason: "contour end \(end)") }
            let points = (first ... end).map { (Point(Double(xs[$0]), Double(ys[$0])), flags[$0] & Self.onCurve != 0) }
            result.append(Self.flatten(points))
            first = end + 1
        }
        return result
    }

    /// Turns one contour of on- and off-curve points into a polygon.
    static func flatten(_ points: [(point: Point, on: Bool)]) -> [Point] {
        guard points.count > 1 else { return points.map(\.point) }
        let n = points.count
        // Start at an on-curve point, or at the implied one between two off-curve points.
        let startIndex = points.firstIndex { $0.on }
        let start = startIndex.map { points[$0].point } ?? (points[0].point + points[1].point) * 0.5
        let first = startIndex ?? 0
        var polygon = [start]
        var control: Point?
        var current = start
        for step in 1 ... n {
            let (p, on) = points[(first + step) % n]
            if on {
                if let c = control { flattenQuadratic(current, c, p, into: &polygon) } else { polygon.append(p) }
                current = p
                control = nil
            } else if let c = control {
                let middle = (c + p) * 0.5
                flattenQuadratic(current, c, middle, into: &polygon)
                current = middle
                control = p
            } else {
                control = p
            }
        }
        // Only when every point is off the curve: the last control point leads back to the start.
        if let c = control { flattenQuadratic(current, c, start, into: &polygon) }
        if polygon.count > 1, polygon.last == polygon.first { polygon.removeLast() }
        return polygon
    }

    private func composite(at start: Int, depth: Int) throws(FontError) -> [[Point]] {
        var cursor = start + 10
        var result: [[Point]] = []
        while true {
            let flags = try glyf.u16(cursor), component = try glyf.u16(cursor + 2)
            cursor += 4
            var dx = 0.0, dy = 0.0
            if flags & Self.argsAreWords != 0 {
                dx = Double(try glyf.i16(cursor)); dy = Double(try glyf.i16(cursor + 2))
                cursor += 4
            } else {
                dx = Double(Int8(truncatingIfNeeded: try glyf.u8(cursor))); dy = Double(Int8(truncatingIfNeeded: try glyf.u8(cursor + 1)))
                cursor += 2
            }
            // Components placed by matching points (not offsets) are rare in Latin fonts: place them unmoved.
            if flags & Self.argsAreOffsets == 0 { dx = 0; dy = 0 }
            var (a, b, c, d) = (1.0, 0.0, 0.0, 1.0)
            func f2dot14(_ offset: Int) throws(FontError) -> Double { Double(try glyf.i16(offset)) / 16384 }
            if flags & Self.haveScale != 0 {
                a = try f2dot14(cursor); d = a
                cursor += 2
            } else if flags & Self.haveXYScale != 0 {
                a = try f2dot14(cursor); d = try f2dot14(cursor + 2)
                cursor += 4
            } else if flags & Self.haveTwoByTwo != 0 {
                a = try f2dot14(cursor); b = try f2dot14(cursor + 2); c = try f2dot14(cursor + 4); d = try f2dot14(cursor + 6)
                cursor += 8
            }
            guard component < offsets.count - 1 else { throw .malformed(table: "glyf", reason: "component glyph \(component)") }
            for contour in try contours(glyph: component, depth: depth + 1) {
                result.append(contour.map { Point(a * $0.x + c * $0.y + dx, b * $0.x + d * $0.y + dy) })
            }
            if flags & Self.moreComponents == 0 { break }
        }
        return result
    }
}
