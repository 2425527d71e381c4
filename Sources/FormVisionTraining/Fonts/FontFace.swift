import CFormVisionFontShim
import CFormVisionShim
import FormVision

/// The one Swift wrapper over the font shim's C calls (`CFormVisionFontShim.h`): an open
/// FreeType face that closes itself. Not thread-safe; `OutlineFont` serialises its use.
final class FontFace {
    private let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { fv_outline_font_close(handle) }

    /// The error's message, as the shim wrote it.
    private static func message(_ error: fv_error) -> String {
        withUnsafeBytes(of: error.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The corresponding C function is `fv_outline_font_open`.
    static func open(_ bytes: [UInt8]) throws(FontError) -> (FontFace, (unitsPerEm: Int, glyphCount: Int)) {
        var font: OpaquePointer?
        var info = fv_outline_font_info()
        var error = fv_error()
        let status = bytes.withUnsafeBufferPointer { fv_outline_font_open($0.baseAddress, $0.count, &font, &info, &error) }
        switch status {
        case FV_OK:
            guard let font else { throw .malformed(reason: "the font shim returned no font") }
            return (FontFace(handle: font), (Int(info.units_per_em), Int(info.glyph_count)))
        case FV_ERR_CORRUPT: throw .notAFont
        case FV_ERR_UNSUPPORTED: throw .unsupported(reason: message(error))
        default: throw .malformed(reason: message(error))
        }
    }

    /// The corresponding C function is `fv_outline_font_glyph_index`. 0 when the font has no glyph.
    func glyphIndex(_ codePoint: UInt32) -> Int { Int(fv_outline_font_glyph_index(handle, codePoint)) }

    /// The corresponding C function is `fv_outline_font_glyph`: asks for the sizes, then copies.
    func outline(glyph: Int) throws(FontError) -> (points: [(point: Point, tag: fv_outline_tag)], contourEnds: [Int]) {
        var pointCount: Int32 = 0, contourCount: Int32 = 0
        var error = fv_error()
        let sized = fv_outline_font_glyph(handle, Int32(glyph), nil, 0, &pointCount, nil, 0, &contourCount, &error)
        guard sized == FV_OK || sized == FV_ERR_ARGUMENT, pointCount >= 0, contourCount >= 0 else {
            throw .malformed(reason: Self.message(error))
        }
        var points = [fv_outline_point](repeating: fv_outline_point(), count: Int(pointCount))
        var ends = [Int32](repeating: 0, count: Int(contourCount))
        let status = points.withUnsafeMutableBufferPointer { p in
            ends.withUnsafeMutableBufferPointer { e in
                fv_outline_font_glyph(handle, Int32(glyph), p.baseAddress, pointCount, &pointCount, e.baseAddress, contourCount,
                                      &contourCount, &error)
            }
        }
        guard status == FV_OK else { throw .malformed(reason: Self.message(error)) }
        return (points.map { (Point($0.x, $0.y), fv_outline_tag(rawValue: UInt32($0.tag))) }, ends.map(Int.init))
    }
}
