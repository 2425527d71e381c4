import FormVision

/// Anti-aliased filling of polygons by the non-zero winding rule, the rule font outlines use.
///
/// Each pixel row is sampled on `subRows` horizontal lines; along each line the spans where the
/// winding number is not zero are added to the row with exact horizontal coverage (a span
/// covering 30 % of a pixel adds 0.3 of that line's share). Overlapping strokes of one glyph
/// (common in fonts traced from handwriting) therefore fill once, and holes (the inside of a 0)
/// stay empty.
///
/// Coordinates are pixels with the origin at the image's top-left corner, y down; pixel (x, y)
/// covers [x, x + 1) × [y, y + 1).
enum PolygonFill {
    /// Vertical samples per pixel row: 5 gives 6 coverage levels per row, plenty once the
    /// horizontal coverage is exact.
    static let subRows = 5

    /// Fills closed polygons into a gray image, keeping the larger of the old value and the
    /// coverage × `value` in each pixel.
    /// - Complexity: O(rows × subRows × edges × log edges).
    static func fill(_ contours: [[Point]], into image: inout Image, value: UInt8 = 255) {
        precondition(image.format == .gray8, "PolygonFill draws into gray images")
        let (w, h) = (image.width, image.height)
        var edges: [(top: Point, bottom: Point, winding: Int)] = []
        var minY = Double.infinity, maxY = -Double.infinity
        for contour in contours where contour.count >= 3 {
            for i in contour.indices {
                let a = contour[i], b = contour[(i + 1) % contour.count]
                guard a.y != b.y, a.y.isFinite, b.y.isFinite, a.x.isFinite, b.x.isFinite else { continue }
                edges.append(a.y < b.y ? (a, b, 1) : (b, a, -1))
                minY = min(minY, a.y, b.y); maxY = max(maxY, a.y, b.y)
            }
        }
        guard !edges.isEmpty else { return }
        let firstRow = max(0, Int(minY.rounded(.down))), lastRow = min(h - 1, Int(maxY.rounded(.up)))
        guard firstRow <= lastRow else { return }
        var coverage = [Double](repeating: 0, count: w)
        var crossings: [(x: Double, winding: Int)] = []
        let share = 1 / Double(subRows)
        for y in firstRow ... lastRow {
            for x in 0 ..< w { coverage[x] = 0 }
            for s in 0 ..< subRows {
                let line = Double(y) + (Double(s) + 0.5) * share
                crossings.removeAll(keepingCapacity: true)
                for e in edges where e.top.y <= line && line < e.bottom.y {
                    let t = (line - e.top.y) / (e.bottom.y - e.top.y)
                    crossings.append((e.top.x + t * (e.bottom.x - e.top.x), e.winding))
                }
                crossings.sort { $0.x < $1.x }
                var winding = 0
                for k in crossings.indices.dropLast() {
                    winding += crossings[k].winding
                    if winding != 0 { addSpan(crossings[k].x, crossings[k + 1].x, weight: share, to: &coverage) }
                }
            }
            let row = y * image.rowStride
            for x in 0 ..< w where coverage[x] > 0 {
                let v = UInt8(min(1, coverage[x]) * Double(value) + 0.5)
                image.storage[row + x] = max(image.storage[row + x], v)
            }
        }
    }

    /// Adds `weight` × the covered fraction of each pixel in [from, to) along one line.
    static func addSpan(_ from: Double, _ to: Double, weight: Double, to coverage: inout [Double]) {
        let a = max(0, from), b = min(Double(coverage.count), to)
        guard b > a else { return }
        let first = Int(a), last = min(coverage.count - 1, Int(b.rounded(.up)) - 1)
        if first == last {
            coverage[first] += (b - a) * weight
            return
        }
        coverage[first] += (Double(first + 1) - a) * weight
        if last > first + 1 { for x in first + 1 ..< last { coverage[x] += weight } }
        coverage[last] += (b - Double(last)) * weight
    }
}
