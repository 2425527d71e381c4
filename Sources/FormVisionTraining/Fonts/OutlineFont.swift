import FormVision
import CFormVisionFontShim
import Foundation

/// The outline of one glyph: closed polygons in font units, y up, curves flattened.
///
/// Filled with the non-zero winding rule, as both TrueType and CFF fonts are meant to be.
public struct GlyphOutline: Sendable, Equatable {
    /// Closed contours; the last point joins back to the first.
    public var contours: [[Point]]

    public init(contours: [[Point]]) {
        self.contours = contours.filter { $0.count >= 3 }
    }

    /// The bounding box of every point, or nil for an empty glyph (a space).
    public var bounds: Rect? {
        let points = contours.joined()
        guard let first = points.first else { return nil }
        var (minX, minY, maxX, maxY) = (first.x, first.y, first.x, first.y)
        for p in points {
            minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
        }
        return Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }
}

/// A font file opened through FreeType, far enough to give glyph outlines for characters.
///
/// FreeType reads every outline format (TrueType `glyf`, OpenType CFF, Type 1, …), with
/// composite glyphs and every character-map format; this type asks it for a glyph's unhinted
/// outline in font units and flattens the curves into polygons (`OutlineContour`).
///
/// The classifier's training uses this to draw digits from Debian's handwriting fonts
/// (`HandwritingFonts`); nothing on the reading path needs it, and the reading library does not
/// link FreeType.
public final class OutlineFont: @unchecked Sendable { // the face is only used under `lock`
    /// Font design units per em (1000 for most CFF fonts, 1024 or 2048 for TrueType).
    public let unitsPerEm: Int
    /// Number of glyphs in the font.
    public let glyphCount: Int
    private let face: FontFace
    private let lock = NSLock()

    /// Curve segments per quadratic or cubic Bézier when flattening: at the sizes training draws
    /// (a glyph under 100 px tall), 8 chords keep the error below a tenth of a pixel.
    public static let segmentsPerCurve = 8

    /// The most font bytes read: the largest of Debian's handwriting fonts is 5 MB.
    public static let maxFileBytes = 64 << 20

    /// Reads a font file.
    /// - Throws: `FontError`.
    public convenience init(contentsOf path: String) throws(FontError) {
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(path, limit: Self.maxFileBytes) } catch {
            throw .unreadableFile(path: path, reason: error.description)
        }
        try self.init(bytes: bytes)
    }

    /// Reads a font from its bytes.
    /// - Throws: `FontError`.
    public init(bytes: [UInt8]) throws(FontError) {
        let (face, info) = try FontFace.open(bytes)
        self.face = face
        unitsPerEm = info.unitsPerEm
        glyphCount = info.glyphCount
    }

    /// The glyph index for a character, or nil if the font has none.
    public func glyphIndex(for character: Character) -> Int? {
        guard let scalar = character.unicodeScalars.first else { return nil }
        let index = lock.withLock { face.glyphIndex(scalar.value) }
        return index > 0 ? index : nil
    }

    /// The outline of a character in font units (y up), or nil if the font has no glyph for it.
    /// - Throws: `FontError.malformed` if the glyph's data is broken.
    public func outline(for character: Character) throws(FontError) -> GlyphOutline? {
        guard let index = glyphIndex(for: character) else { return nil }
        return try outline(glyph: index)
    }

    /// The outline of a glyph by index.
    /// - Throws: `FontError.malformed` if the glyph's data is broken.
    public func outline(glyph index: Int) throws(FontError) -> GlyphOutline {
        guard index >= 0, index < glyphCount else {
            throw .malformed(reason: "glyph \(index) of \(glyphCount)")
        }
        lock.lock()
        defer { lock.unlock() }
        let raw = try face.outline(glyph: index)
        var contours: [[Point]] = []
        var start = 0
        for end in raw.contourEnds {
            guard end >= start, end < raw.points.count else { throw .malformed(reason: "contour end \(end) out of order") }
            contours.append(try OutlineContour.flatten(Array(raw.points[start ... end])))
            start = end + 1
        }
        return GlyphOutline(contours: contours)
    }
}

/// One contour as FreeType gives it, flattened into a polygon.
enum OutlineContour {
    typealias Tag = fv_outline_tag

    /// The polygon of a closed contour of on-curve points, quadratic (conic) and cubic control
    /// points, as in FreeType's outlines: two conic points in a row imply an on-curve point
    /// midway, cubic controls come in pairs between on-curve points, and the contour closes
    /// back to its first point. The polygon's last point joins back to its first.
    ///
    /// - Throws: `FontError.malformed` for a cubic control that is not one of a pair.
    static func flatten(_ contour: [(point: Point, tag: Tag)]) throws(FontError) -> [Point] {
        guard !contour.isEmpty else { return [] }
        // Insert the implied on-curve points, so that every conic sits between two on-curve points.
        var expanded: [(point: Point, tag: Tag)] = []
        for (i, p) in contour.enumerated() {
            expanded.append(p)
            let next = contour[(i + 1) % contour.count]
            if p.tag == FV_OUTLINE_CONIC, next.tag == FV_OUTLINE_CONIC { expanded.append(((p.point + next.point) * 0.5, FV_OUTLINE_ON)) }
        }
        // Start at an on-curve point (there is one now, unless every point is a cubic control).
        guard let first = expanded.firstIndex(where: { $0.tag == FV_OUTLINE_ON }) else {
            throw .malformed(reason: "a contour with no point on the curve")
        }
        let n = expanded.count
        func at(_ i: Int) -> (point: Point, tag: Tag) { expanded[(first + i) % n] }
        var polygon = [at(0).point]
        var current = at(0).point
        var i = 1
        while i <= n {
            let p = at(i)
            switch p.tag {
            case FV_OUTLINE_CONIC:
                let end = at(i + 1).point
                flattenQuadratic(current, p.point, end, into: &polygon)
                current = end
                i += 2
            case FV_OUTLINE_CUBIC:
                guard at(i + 1).tag == FV_OUTLINE_CUBIC, at(i + 2).tag == FV_OUTLINE_ON || i + 2 == n else {
                    throw .malformed(reason: "a cubic control point without its pair")
                }
                let end = at(i + 2).point
                flattenCubic(current, p.point, at(i + 1).point, end, into: &polygon)
                current = end
                i += 3
            default:
                polygon.append(p.point)
                current = p.point
                i += 1
            }
        }
        // The walk ends back on the first point; the polygon closes by itself.
        if polygon.count > 1, polygon.last == polygon.first { polygon.removeLast() }
        return polygon
    }
}

/// Appends the chords of a quadratic Bézier from `p0` through control `c` to `p1` (excluding `p0`).
func flattenQuadratic(_ p0: Point, _ c: Point, _ p1: Point, into points: inout [Point]) {
    let n = OutlineFont.segmentsPerCurve
    for i in 1 ... n {
        let t = Double(i) / Double(n), u = 1 - t
        points.append(p0 * (u * u) + c * (2 * u * t) + p1 * (t * t))
    }
}

/// Appends the chords of a cubic Bézier (excluding `p0`).
func flattenCubic(_ p0: Point, _ c0: Point, _ c1: Point, _ p1: Point, into points: inout [Point]) {
    let n = OutlineFont.segmentsPerCurve
    for i in 1 ... n {
        let t = Double(i) / Double(n), u = 1 - t
        points.append(p0 * (u * u * u) + c0 * (3 * u * u * t) + c1 * (3 * u * t * t) + p1 * (t * t * t))
    }
}
