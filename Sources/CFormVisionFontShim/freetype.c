// Glyph outlines through FreeType. See CFormVisionFontShim.h.
#include "CFormVisionFontShim.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fv_outline_font {
    FT_Library library;
    FT_Face face;
    /// FreeType reads the face from this memory for as long as it is open.
    uint8_t *bytes;
};

/// Writes a reason with FreeType's error code and returns `status`.
static fv_status font_fail(fv_error *error, fv_status status, const char *what, FT_Error code) {
    if (error != NULL) snprintf(error->message, sizeof error->message, "%s (FreeType error 0x%02x)", what, (unsigned)code);
    return status;
}

fv_status fv_outline_font_open(const uint8_t *data, size_t size, fv_outline_font **font, fv_outline_font_info *info, fv_error *error) {
    if (font == NULL || info == NULL || (data == NULL && size > 0)) return font_fail(error, FV_ERR_ARGUMENT, "fv_outline_font_open: invalid argument", 0);
    *font = NULL;
    // FreeType's sizes are FT_Long; a font over 2 GiB is not one we read.
    if (size == 0 || size > (size_t)0x7fffffff) return font_fail(error, FV_ERR_CORRUPT, "not a font", 0);
    fv_outline_font *f = calloc(1, sizeof *f);
    if (f == NULL) return font_fail(error, FV_ERR_NO_MEMORY, "out of memory", 0);
    f->bytes = malloc(size);
    if (f->bytes == NULL) {
        free(f);
        return font_fail(error, FV_ERR_NO_MEMORY, "out of memory", 0);
    }
    memcpy(f->bytes, data, size);
    FT_Error code = FT_Init_FreeType(&f->library);
    if (code != 0) {
        fv_outline_font_close(f);
        return font_fail(error, FV_ERR_INTERNAL, "FT_Init_FreeType failed", code);
    }
    code = FT_New_Memory_Face(f->library, f->bytes, (FT_Long)size, 0, &f->face);
    if (code != 0) {
        fv_outline_font_close(f);
        return font_fail(error, FV_ERR_CORRUPT,
                         code == FT_Err_Unknown_File_Format ? "not a font" : "a font FreeType cannot open", code);
    }
    if (!FT_IS_SCALABLE(f->face)) {
        fv_outline_font_close(f);
        return font_fail(error, FV_ERR_UNSUPPORTED, "the font has no scalable outlines", 0);
    }
    // FreeType selects a Unicode map when the font has one; a symbol font has only its own.
    if (f->face->charmap == NULL) {
        if (FT_Select_Charmap(f->face, FT_ENCODING_MS_SYMBOL) != 0 && f->face->num_charmaps > 0) {
            FT_Set_Charmap(f->face, f->face->charmaps[0]);
        }
    }
    info->units_per_em = f->face->units_per_EM;
    info->glyph_count = (int32_t)f->face->num_glyphs;
    *font = f;
    return FV_OK;
}

void fv_outline_font_close(fv_outline_font *font) {
    if (font == NULL) return;
    if (font->face != NULL) FT_Done_Face(font->face);
    if (font->library != NULL) FT_Done_FreeType(font->library);
    free(font->bytes);
    free(font);
}

int32_t fv_outline_font_glyph_index(fv_outline_font *font, uint32_t code_point) {
    if (font == NULL || font->face->charmap == NULL) return 0;
    FT_UInt index = FT_Get_Char_Index(font->face, code_point);
    if (index == 0 && font->face->charmap->encoding == FT_ENCODING_MS_SYMBOL && code_point <= 0xff) {
        index = FT_Get_Char_Index(font->face, 0xf000 + code_point);
    }
    return (int32_t)index;
}

fv_status fv_outline_font_glyph(fv_outline_font *font, int32_t glyph, fv_outline_point *points, int32_t point_capacity,
                                int32_t *point_count, int32_t *contour_ends, int32_t contour_capacity,
                                int32_t *contour_count, fv_error *error) {
    if (font == NULL || point_count == NULL || contour_count == NULL || point_capacity < 0 || contour_capacity < 0 ||
        (points == NULL && point_capacity > 0) || (contour_ends == NULL && contour_capacity > 0)) {
        return font_fail(error, FV_ERR_ARGUMENT, "fv_outline_font_glyph: invalid argument", 0);
    }
    if (glyph < 0 || glyph >= font->face->num_glyphs) return font_fail(error, FV_ERR_ARGUMENT, "glyph index out of range", 0);
    FT_Error code = FT_Load_Glyph(font->face, (FT_UInt)glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
    if (code != 0) return font_fail(error, FV_ERR_CORRUPT, "FreeType could not load the glyph", code);
    FT_GlyphSlot slot = font->face->glyph;
    if (slot->format != FT_GLYPH_FORMAT_OUTLINE) return font_fail(error, FV_ERR_UNSUPPORTED, "the glyph is not an outline", 0);
    const FT_Outline *outline = &slot->outline;
    *point_count = outline->n_points;
    *contour_count = outline->n_contours;
    if (outline->n_points > point_capacity || outline->n_contours > contour_capacity) {
        return font_fail(error, FV_ERR_ARGUMENT, "outline larger than the buffers given", 0);
    }
    for (int32_t i = 0; i < outline->n_points; i++) {
        points[i].x = (double)outline->points[i].x;
        points[i].y = (double)outline->points[i].y;
        switch (FT_CURVE_TAG(outline->tags[i])) {
        case FT_CURVE_TAG_ON: points[i].tag = FV_OUTLINE_ON; break;
        case FT_CURVE_TAG_CUBIC: points[i].tag = FV_OUTLINE_CUBIC; break;
        default: points[i].tag = FV_OUTLINE_CONIC; break;
        }
    }
    for (int32_t i = 0; i < outline->n_contours; i++) contour_ends[i] = outline->contours[i];
    return FV_OK;
}
