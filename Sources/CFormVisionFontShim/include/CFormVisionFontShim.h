// CFormVisionFontShim: glyph outlines from font files, through FreeType, for the training target.
//
// It follows the conventions of CFormVisionShim.h (plain C, `fv_status` results, a short reason
// in `fv_error`, no tuning decisions) and shares its status and error types. It is a target of
// its own so that the reading library never links FreeType.
//
// Outlines come out as FreeType holds them, in font units (y up), unhinted and unscaled: points,
// one tag per point (on the curve, quadratic control, cubic control) and the index of the last
// point of each contour. Flattening the curves into polygons is the caller's business.
#ifndef CFORMVISIONFONTSHIM_H
#define CFORMVISIONFONTSHIM_H

#include "CFormVisionShim.h"

#ifdef __cplusplus
extern "C" {
#endif

/// An open font: its own FreeType library instance, the face, and a copy of the file's bytes.
/// Not safe to use from two threads at once; distinct fonts are independent.
typedef struct fv_outline_font fv_outline_font;

/// What a font says about itself.
typedef struct fv_outline_font_info {
    /// Design units per em.
    int32_t units_per_em;
    /// Number of glyphs.
    int32_t glyph_count;
} fv_outline_font_info;

/// Opens a font from the bytes of a TrueType, OpenType (CFF or glyf) or other file FreeType
/// reads. The bytes are copied. Fails with FV_ERR_CORRUPT when FreeType does not recognise the
/// data as a font, FV_ERR_UNSUPPORTED for a font without scalable outlines (a bitmap font).
fv_status fv_outline_font_open(const uint8_t *data, size_t size, fv_outline_font **font, fv_outline_font_info *info, fv_error *error);

/// Closes a font opened by `fv_outline_font_open`. NULL is allowed.
void fv_outline_font_close(fv_outline_font *font);

/// The glyph for a Unicode code point, through the font's Unicode character map (or, for a
/// symbol font, its symbol map, where characters sit at U+F000 + code). 0 when there is none.
int32_t fv_outline_font_glyph_index(fv_outline_font *font, uint32_t code_point);

/// Tag of an outline point.
typedef enum fv_outline_tag {
    /// A quadratic (conic) control point. Two in a row imply an on-curve point between them.
    FV_OUTLINE_CONIC = 0,
    /// A point on the curve.
    FV_OUTLINE_ON = 1,
    /// A cubic control point; they come in pairs.
    FV_OUTLINE_CUBIC = 2,
} fv_outline_tag;

/// One outline point in font units.
typedef struct fv_outline_point {
    double x;
    double y;
    int32_t tag;
} fv_outline_point;

/// Loads glyph `glyph` unscaled and unhinted and copies its outline.
///
/// Always writes the glyph's point and contour counts to `*point_count` and `*contour_count`;
/// copies the points and contour ends only when they fit `point_capacity` and
/// `contour_capacity`, and otherwise fails with FV_ERR_ARGUMENT, so a call with zero capacities
/// asks for the sizes. Fails with FV_ERR_CORRUPT when FreeType cannot load the glyph.
fv_status fv_outline_font_glyph(fv_outline_font *font, int32_t glyph, fv_outline_point *points, int32_t point_capacity,
                                int32_t *point_count, int32_t *contour_ends, int32_t contour_capacity,
                                int32_t *contour_count, fv_error *error);

#ifdef __cplusplus
}
#endif

#endif
