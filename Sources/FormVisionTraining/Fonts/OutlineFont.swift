/// The outline of one glyph: closed polygons in font units, y up, curves flattened.
///
/// Filled with the non-zero winding rule, as both TrueType and CFF fonts are meant to be.
import FormVision
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

/// A TrueType or OpenType font read far enough to give glyph outlines for characters.
///
/// Reads the table directory, `head`, `maxp`, a Unicode `cmap` subtable (formats 0, 4, 6 and
/// 12), and the outlines from either `glyf`/`loca` (quadratic TrueType contours, simple and
/// composite) or `CFF ` (Type 2 charstrings, cubic). Hinting, kerning and layout tables are
/// ignored: the digit training data needs only each digit's shape.
///
/// The classifier's training uses this to draw digits from Debian's handwriting fonts
/// (`HandwritingFonts`); nothing on the reading path needs it.
public struct OutlineFont: Sendable {
    /// Font design units per em (1000 for most CFF fonts, 1024 or 2048 for TrueType).
    public let unitsPerEm: Int
    /// Number of glyphs in the font.
    public let glyphCount: Int
    let characterMap: [UInt32: Int]
    let outlines: Outlines

    enum Outlines: Sendable {
        case trueType(TrueTypeOutlines)
        case cff(CFFOutlines)
    }

    /// Curve segments per quadratic or cubic Bézier when flattening: at the sizes training draws
    /// (a glyph under 100 px tall), 8 chords keep the error below a tenth of a pixel.
    public static let segmentsPerCurve = 8

    /// Reads a font file.
    /// - Throws: `FontError`.
    public init(contentsOf path: String) throws(FontError) {
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(path, limit: 64 << 20) } catch {
            throw .unreadableFile(path: path, reason: error.description)
        }
        try self.init(bytes: bytes)
    }

    /// Reads a font from its bytes.
    /// - Throws: `FontError`.
    public init(bytes: [UInt8]) throws(FontError) {
        let file = FontBytes(bytes, table: "offset table")
        guard file.count >= 12 else { throw .notAFont }
        let version = try file.u32(0)
        // 0x00010000 TrueType outlines, 'OTTO' CFF outlines, 'true' old Apple TrueType.
        guard version == 0x0001_0000 || version == 0x4F54_544F || version == 0x7472_7565 else { throw .notAFont }
        let tableCount = try file.u16(4)
        var tables: [String: FontBytes] = [:]
        for i in 0 ..< tableCount {
            let record = 12 + 16 * i
            let tag = String(decoding: try file.slice(record, 4, table: "offset table").bytes, as: UTF8.self)
            let offset = try file.u32(record + 8), length = try file.u32(record + 12)
            tables[tag] = try file.slice(offset, length, table: tag)
        }
        func table(_ tag: String) throws(FontError) -> FontBytes {
            guard let t = tables[tag] else { throw .missingTable(tag: tag) }
            return t
        }
        let head = try table("head")
        unitsPerEm = try head.u16(18)
        guard (16 ... 16384).contains(unitsPerEm) else { throw .malformed(table: "head", reason: "unitsPerEm \(unitsPerEm)") }
        glyphCount = try table("maxp").u16(4)
        characterMap = try Self.readCharacterMap(try table("cmap"), glyphCount: glyphCount)
        if let glyf = tables["glyf"] {
            let longOffsets = try head.i16(50) == 1
            outlines = .trueType(try TrueTypeOutlines(glyf: glyf, loca: try table("loca"), longOffsets: longOffsets,
                                                      glyphCount: glyphCount))
        } else if let cff = tables["CFF "] {
            outlines = .cff(try CFFOutlines(cff))
        } else {
            throw .missingTable(tag: "glyf")
        }
    }

    /// The glyph index for a character, or nil if the font has none.
    public func glyphIndex(for character: Character) -> Int? {
        guard let scalar = character.unicodeScalars.first, let index = characterMap[scalar.value], index > 0 else { return nil }
        return index
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
            throw .malformed(table: "maxp", reason: "glyph \(index) of \(glyphCount)")
        }
        switch outlines {
        case .trueType(let t): return GlyphOutline(contours: try t.contours(glyph: index, depth: 0))
        case .cff(let c): return GlyphOutline(contours: try c.contours(glyph: index))
        }
    }

    // MARK: cmap

    /// Character → glyph index from the best Unicode subtable: (3,10) or (0,4+) for the full
    /// range, else (3,1) or (0,*) for the basic plane, else a (3,0) symbol table (whose
    /// characters sit at U+F000 + code) or a (1,0) Macintosh table.
    static func readCharacterMap(_ cmap: FontBytes, glyphCount: Int) throws(FontError) -> [UInt32: Int] {
        let count = try cmap.u16(2)
        var best: (rank: Int, offset: Int, symbol: Bool)?
        for i in 0 ..< count {
            let platform = try cmap.u16(4 + 8 * i), encoding = try cmap.u16(6 + 8 * i), offset = try cmap.u32(8 + 8 * i)
            let rank = switch (platform, encoding) {
            case (3, 10), (0, 4), (0, 6): 5
            case (3, 1), (0, _): 4
            case (3, 0): 2
            case (1, 0): 1
            default: 0
            }
            if rank > 0, rank > (best?.rank ?? 0) { best = (rank, offset, platform == 3 && encoding == 0) }
        }
        guard let best else { throw .unsupported(reason: "no Unicode character map") }
        var map = try readSubtable(cmap, at: best.offset)
        if best.symbol {
            // Symbol fonts map their characters into the private area U+F000–F0FF.
            for (code, glyph) in map where code >= 0xF000 && code <= 0xF0FF { map[code - 0xF000] = map[code - 0xF000] ?? glyph }
        }
        return map.filter { $0.value < glyphCount }
    }

    static func readSubtable(_ cmap: FontBytes, at start: Int) throws(FontError) -> [UInt32: Int] {
        var map: [UInt32: Int] = [:]
        switch try cmap.u16(start) {
        case 0:
            for code in 0 ..< 256 { map[UInt32(code)] = try cmap.u8(start + 6 + code) }
        case 4:
            let segments = try cmap.u16(start + 6) / 2
            let ends = start + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, ranges = deltas + 2 * segments
            for s in 0 ..< segments {
                let end = try cmap.u16(ends + 2 * s), first = try cmap.u16(starts + 2 * s)
                let delta = try cmap.u16(deltas + 2 * s), rangeOffset = try cmap.u16(ranges + 2 * s)
                guard first <= end, first != 0xFFFF else { continue }
                for code in first ... end {
                    var glyph: Int
                    if rangeOffset == 0 {
                        glyph = (code + delta) & 0xFFFF
                    } else {
                        // The offset counts from the idRangeOffset entry itself.
                        glyph = try cmap.u16(ranges + 2 * s + rangeOffset + 2 * (code - first))
                        if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                    }
                    if glyph != 0 { map[UInt32(code)] = glyph }
                }
            }
        case 6:
            let first = try cmap.u16(start + 6), entries = try cmap.u16(start + 8)
            for i in 0 ..< entries { map[UInt32(first + i)] = try cmap.u16(start + 10 + 2 * i) }
        case 12:
            let groups = try cmap.u32(start + 12)
            guard groups <= cmap.count / 12 else { throw .malformed(table: "cmap", reason: "\(groups) groups") }
            for g in 0 ..< groups {
                let record = start + 16 + 12 * g
                let first = try cmap.u32(record), last = try cmap.u32(record + 4), glyph = try cmap.u32(record + 8)
                guard first <= last, last - first < 0x11_0000 else { throw .malformed(table: "cmap", reason: "group \(first)–\(last)") }
                // Only the basic plane matters here.
                guard first <= 0xFFFF else { continue }
                for code in first ... min(last, 0xFFFF) { map[UInt32(code)] = glyph + (code - first) }
            }
        case let format:
            throw .unsupported(reason: "cmap subtable format \(format)")
        }
        return map
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
