// PNG decoding and encoding through libpng's classic API.
//
// Written in C, not C++: libpng leaves a failed call with longjmp, which must not skip C++
// destructors. Everything that must be freed after a jump is allocated before setjmp.
#include "shim_common.h"

#include <setjmp.h>
#include <stdlib.h>
#include <png.h>

/// Reads from a buffer in memory and remembers whether the data ran out.
typedef struct fv_png_source {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int ran_out;
    char message[FV_ERROR_MESSAGE_CAPACITY];
} fv_png_source;

/// Why this exists: libpng reads through a callback; ours serves bytes from memory and tells a
/// truncated file apart from a corrupt one.
static void fv_png_read_bytes(png_structp png, png_bytep out, size_t count) {
    fv_png_source *source = (fv_png_source *)png_get_io_ptr(png);
    if (count > source->size - source->offset) {
        source->ran_out = 1;
        png_error(png, "the PNG data ends early");
    }
    memcpy(out, source->data + source->offset, count);
    source->offset += count;
}

/// Why this exists: libpng's default error handler prints to stderr; ours keeps the message.
static void fv_png_error(png_structp png, png_const_charp message) {
    fv_png_source *source = (fv_png_source *)png_get_error_ptr(png);
    if (source != NULL && source->message[0] == '\0') {
        snprintf(source->message, sizeof source->message, "%s", message);
    }
    png_longjmp(png, 1);
}

/// Warnings (an odd ICC profile, an unknown chunk) never change the pixels; they are dropped.
static void fv_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static fv_status fv_png_failure(const fv_png_source *source, fv_error *error) {
    const char *message = source->message[0] ? source->message : "invalid PNG data";
    if (source->ran_out) return fv_fail(error, FV_ERR_TRUNCATED, message);
    if (strstr(message, "memory") != NULL) return fv_fail(error, FV_ERR_NO_MEMORY, message);
    return fv_fail(error, FV_ERR_CORRUPT, message);
}

static void fv_png_source_init(fv_png_source *source, const uint8_t *data, size_t size) {
    memset(source, 0, sizeof *source);
    source->data = data;
    source->size = size;
}

fv_status fv_png_read_header(const uint8_t *data, size_t size, fv_png_info *info, fv_error *error) {
    if (data == NULL || size == 0 || info == NULL) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_png_read_header: invalid argument");
    }
    fv_png_source source;
    fv_png_source_init(&source, data, size);
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, fv_png_error,
                                             fv_png_warning);
    if (png == NULL) return fv_fail(error, FV_ERR_NO_MEMORY, "png_create_read_struct failed");
    png_infop png_info = png_create_info_struct(png);
    if (png_info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return fv_fail(error, FV_ERR_NO_MEMORY, "png_create_info_struct failed");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &png_info, NULL);
        return fv_png_failure(&source, error);
    }
    png_set_read_fn(png, &source, fv_png_read_bytes);
    png_read_info(png, png_info);
    fv_png_info result;
    result.width = (int32_t)png_get_image_width(png, png_info);
    result.height = (int32_t)png_get_image_height(png, png_info);
    result.bit_depth = png_get_bit_depth(png, png_info);
    result.color_type = png_get_color_type(png, png_info);
    result.has_transparency = png_get_valid(png, png_info, PNG_INFO_tRNS) ? 1 : 0;
    result.interlaced = png_get_interlace_type(png, png_info) != PNG_INTERLACE_NONE;
    png_destroy_read_struct(&png, &png_info, NULL);
    *info = result;
    return FV_OK;
}

/// Blends an 8-bit sample with its alpha over a uniform background, rounding to nearest.
static inline uint8_t fv_composite(unsigned value, unsigned alpha, unsigned background) {
    return (uint8_t)((value * alpha + background * (255u - alpha) + 127u) / 255u);
}

fv_status fv_png_decode(const uint8_t *data, size_t size, int32_t channels, int32_t background,
                        uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                        fv_error *error) {
    if (data == NULL || size == 0 || background < 0 || background > 255 ||
        !fv_valid_buffer(pixels, width, height, stride, channels)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_png_decode: invalid argument");
    }
    fv_png_info header;
    fv_status status = fv_png_read_header(data, size, &header, error);
    if (status != FV_OK) return status;
    if (header.width != width || header.height != height) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_png_decode: size differs from the header's");
    }
    const int has_alpha = (header.color_type & PNG_COLOR_MASK_ALPHA) || header.has_transparency;
    const int32_t decoded_channels = channels + (has_alpha ? 1 : 0);

    // Allocated before setjmp so that a jump can free them. With alpha, rows are decoded into a
    // scratch image and composited into `pixels` afterwards.
    png_bytep *rows = malloc((size_t)height * sizeof(png_bytep));
    uint8_t *scratch = has_alpha ? malloc((size_t)width * (size_t)height * (size_t)decoded_channels)
                                 : NULL;
    if (rows == NULL || (has_alpha && scratch == NULL)) {
        free(rows);
        free(scratch);
        return fv_fail(error, FV_ERR_NO_MEMORY, "out of memory for PNG rows");
    }
    const size_t scratch_stride = (size_t)width * (size_t)decoded_channels;
    for (int32_t y = 0; y < height; y++) {
        rows[y] = has_alpha ? scratch + (size_t)y * scratch_stride : pixels + (size_t)y * stride;
    }

    fv_png_source source;
    fv_png_source_init(&source, data, size);
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, fv_png_error,
                                             fv_png_warning);
    png_infop png_info = png != NULL ? png_create_info_struct(png) : NULL;
    if (png_info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        free(rows);
        free(scratch);
        return fv_fail(error, FV_ERR_NO_MEMORY, "libpng could not allocate its state");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &png_info, NULL);
        free(rows);
        free(scratch);
        return fv_png_failure(&source, error);
    }
    png_set_read_fn(png, &source, fv_png_read_bytes);
    png_read_info(png, png_info);
    const int color_type = png_get_color_type(png, png_info);
    const int bit_depth = png_get_bit_depth(png, png_info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, png_info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (bit_depth == 16) png_set_scale_16(png);
    const int is_color = (color_type & PNG_COLOR_MASK_COLOR) != 0;
    if (channels == 1 && is_color) {
        png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, -1, -1);
    } else if (channels == 3 && !is_color) {
        png_set_gray_to_rgb(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, png_info);
    if (png_get_channels(png, png_info) != decoded_channels ||
        png_get_bit_depth(png, png_info) != 8) {
        png_error(png, "libpng produced an unexpected pixel layout");
    }
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &png_info, NULL);

    if (has_alpha) {
        for (int32_t y = 0; y < height; y++) {
            const uint8_t *in = scratch + (size_t)y * scratch_stride;
            uint8_t *out = pixels + (size_t)y * stride;
            for (int32_t x = 0; x < width; x++, in += decoded_channels, out += channels) {
                const unsigned alpha = in[channels];
                for (int32_t c = 0; c < channels; c++) {
                    out[c] = fv_composite(in[c], alpha, (unsigned)background);
                }
            }
        }
    }
    free(rows);
    free(scratch);
    return FV_OK;
}

/// A growable output buffer for png_set_write_fn.
typedef struct fv_png_sink {
    uint8_t *buffer;
    size_t size;
    size_t capacity;
    char message[FV_ERROR_MESSAGE_CAPACITY];
} fv_png_sink;

/// Why this exists: libpng writes through a callback; ours appends to a buffer in memory.
static void fv_png_write_bytes(png_structp png, png_bytep bytes, size_t count) {
    fv_png_sink *sink = (fv_png_sink *)png_get_io_ptr(png);
    if (count > sink->capacity - sink->size) {
        size_t capacity = sink->capacity ? sink->capacity : 4096;
        while (capacity - sink->size < count) capacity *= 2;
        uint8_t *grown = realloc(sink->buffer, capacity);
        if (grown == NULL) png_error(png, "out of memory for the PNG output");
        sink->buffer = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->buffer + sink->size, bytes, count);
    sink->size += count;
}

static void fv_png_flush(png_structp png) { (void)png; }

static void fv_png_write_error(png_structp png, png_const_charp message) {
    fv_png_sink *sink = (fv_png_sink *)png_get_error_ptr(png);
    if (sink->message[0] == '\0') snprintf(sink->message, sizeof sink->message, "%s", message);
    png_longjmp(png, 1);
}

/// Samples per pixel of a PNG colour type.
static int fv_png_samples(int32_t color_type) {
    switch (color_type) {
    case FV_PNG_GRAY: return 1;
    case FV_PNG_RGB: return 3;
    case FV_PNG_PALETTE: return 1;
    case FV_PNG_GRAY_ALPHA: return 2;
    case FV_PNG_RGBA: return 4;
    default: return 0;
    }
}

fv_status fv_png_encode(const uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                        int32_t color_type, int32_t bit_depth,
                        const uint8_t *palette, int32_t palette_entries, int32_t compression,
                        int32_t interlaced, uint8_t **output, size_t *output_size, fv_error *error) {
    const int samples = fv_png_samples(color_type);
    const int is_palette = color_type == FV_PNG_PALETTE;
    if (pixels == NULL || width <= 0 || height <= 0 || samples == 0 ||
        (bit_depth != 8 && bit_depth != 16) || (is_palette && bit_depth != 8) ||
        (is_palette && (palette == NULL || palette_entries < 1 || palette_entries > 256)) ||
        stride < (size_t)width * (size_t)samples * (size_t)(bit_depth / 8) ||
        compression < 0 || compression > 9 || output == NULL || output_size == NULL) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_png_encode: invalid argument");
    }
    png_color colors[256];
    if (is_palette) {
        for (int i = 0; i < palette_entries; i++) {
            colors[i].red = palette[3 * i];
            colors[i].green = palette[3 * i + 1];
            colors[i].blue = palette[3 * i + 2];
        }
    }
    fv_png_sink sink;
    memset(&sink, 0, sizeof sink);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, fv_png_write_error,
                                              fv_png_warning);
    png_infop png_info = png != NULL ? png_create_info_struct(png) : NULL;
    if (png_info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return fv_fail(error, FV_ERR_NO_MEMORY, "libpng could not allocate its state");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &png_info);
        free(sink.buffer);
        return fv_fail(error, FV_ERR_INTERNAL, sink.message);
    }
    png_set_write_fn(png, &sink, fv_png_write_bytes, fv_png_flush);
    png_set_IHDR(png, png_info, (png_uint_32)width, (png_uint_32)height, bit_depth, color_type,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (is_palette) png_set_PLTE(png, png_info, colors, palette_entries);
    png_set_compression_level(png, compression);
    png_write_info(png, png_info);
    // With Adam7, libpng takes every row once per pass and picks the pixels of that pass.
    const int passes = interlaced ? png_set_interlace_handling(png) : 1;
    for (int pass = 0; pass < passes; pass++) {
        for (int32_t y = 0; y < height; y++) {
            png_write_row(png, (png_const_bytep)(pixels + (size_t)y * stride));
        }
    }
    png_write_end(png, png_info);
    png_destroy_write_struct(&png, &png_info);
    *output = sink.buffer;
    *output_size = sink.size;
    return FV_OK;
}
