// JPEG decoding and encoding through libjpeg-turbo's libjpeg API.
//
// Written in C, not C++, because libjpeg reports fatal errors by calling a function that must not
// return; we leave with longjmp, which is only safe where no C++ destructors are skipped.
#include "shim_common.h"

#include <setjmp.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <jerror.h>

_Static_assert(JMSG_LENGTH_MAX <= FV_ERROR_MESSAGE_CAPACITY,
               "libjpeg's messages must fit fv_error.message");

/// libjpeg's error manager, extended with a way out and with what the warnings said.
typedef struct fv_jpeg_errors {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    /// libjpeg warned that the data ended early and filled the rest of the image in.
    int saw_end_of_data;
    /// libjpeg warned about damaged entropy-coded data and carried on.
    int saw_corrupt_data;
    char message[JMSG_LENGTH_MAX];
} fv_jpeg_errors;

/// Why this exists: libjpeg's default error_exit prints and calls exit(). We keep the message and
/// jump back to the function that called into libjpeg.
static void fv_jpeg_error_exit(j_common_ptr cinfo) {
    fv_jpeg_errors *errors = (fv_jpeg_errors *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, errors->message);
    longjmp(errors->escape, 1);
}

/// Why this exists: libjpeg only warns about a file that ends early or has damaged data, and then
/// returns an image with gray or smeared parts. FormVision must never take such an image for a
/// good one, so the warnings that mean "the pixels are not what was written" are remembered.
static void fv_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return; // trace messages
    fv_jpeg_errors *errors = (fv_jpeg_errors *)cinfo->err;
    int code = cinfo->err->msg_code;
    int remember = 0;
    if (code == JWRN_JPEG_EOF) {
        errors->saw_end_of_data = 1;
        remember = 1;
    } else if (code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE || code == JWRN_MUST_RESYNC ||
               code == JWRN_NOT_SEQUENTIAL || code == JWRN_BOGUS_PROGRESSION ||
               code == JWRN_ARITH_BAD_CODE || code == JWRN_BOGUS_ICC) {
        errors->saw_corrupt_data = 1;
        remember = 1;
    }
    // Other warnings (extraneous bytes between markers, unknown APPn data) leave the pixels intact.
    if (remember && errors->message[0] == '\0') {
        (*cinfo->err->format_message)(cinfo, errors->message);
    }
}

static void fv_jpeg_errors_init(fv_jpeg_errors *errors, struct jpeg_error_mgr **slot) {
    memset(errors, 0, sizeof *errors);
    *slot = jpeg_std_error(&errors->base);
    errors->base.error_exit = fv_jpeg_error_exit;
    errors->base.emit_message = fv_jpeg_emit_message;
}

/// Maps what libjpeg said to a status once a call has failed or finished.
static fv_status fv_jpeg_status(const fv_jpeg_errors *errors, int failed, fv_error *error) {
    if (errors->saw_end_of_data) return fv_fail(error, FV_ERR_TRUNCATED, errors->message);
    if (errors->saw_corrupt_data) return fv_fail(error, FV_ERR_CORRUPT, errors->message);
    if (!failed) return FV_OK;
    switch (errors->base.msg_code) {
    case JERR_OUT_OF_MEMORY:
        return fv_fail(error, FV_ERR_NO_MEMORY, errors->message);
    case JERR_BAD_PRECISION:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_NOT_COMPILED:
    case JERR_NOTIMPL:
        return fv_fail(error, FV_ERR_UNSUPPORTED, errors->message);
    default:
        return fv_fail(error, FV_ERR_CORRUPT, errors->message);
    }
}

static int fv_valid_reduction(int32_t reduction) {
    return reduction == 1 || reduction == 2 || reduction == 4 || reduction == 8;
}

/// Reads the header and sets the output parameters; shared by the header and decode calls.
/// Must be called after setjmp, since libjpeg may jump out of it.
static void fv_jpeg_prepare(struct jpeg_decompress_struct *cinfo, const uint8_t *data, size_t size,
                            int32_t reduction, J_COLOR_SPACE out_space) {
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned int)reduction;
    cinfo->out_color_space = out_space;
    jpeg_calc_output_dimensions(cinfo);
}

fv_status fv_jpeg_read_header(const uint8_t *data, size_t size, int32_t reduction,
                              fv_jpeg_info *info, fv_error *error) {
    if (data == NULL || size == 0 || info == NULL || !fv_valid_reduction(reduction)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_jpeg_read_header: invalid argument");
    }
    struct jpeg_decompress_struct cinfo;
    fv_jpeg_errors errors;
    fv_jpeg_errors_init(&errors, &cinfo.err);
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&cinfo);
        return fv_jpeg_status(&errors, 1, error);
    }
    jpeg_create_decompress(&cinfo);
    fv_jpeg_prepare(&cinfo, data, size, reduction, JCS_GRAYSCALE);
    fv_jpeg_info result;
    result.width = (int32_t)cinfo.image_width;
    result.height = (int32_t)cinfo.image_height;
    result.components = cinfo.num_components;
    result.scaled_width = (int32_t)cinfo.output_width;
    result.scaled_height = (int32_t)cinfo.output_height;
    result.progressive = cinfo.progressive_mode ? 1 : 0;
    jpeg_destroy_decompress(&cinfo);
    fv_status status = fv_jpeg_status(&errors, 0, error);
    if (status == FV_OK) *info = result;
    return status;
}

fv_status fv_jpeg_decode(const uint8_t *data, size_t size, int32_t reduction, int32_t channels,
                         uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                         fv_error *error) {
    if (data == NULL || size == 0 || !fv_valid_reduction(reduction) ||
        !fv_valid_buffer(pixels, width, height, stride, channels)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_jpeg_decode: invalid argument");
    }
    struct jpeg_decompress_struct cinfo;
    fv_jpeg_errors errors;
    fv_jpeg_errors_init(&errors, &cinfo.err);
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&cinfo);
        return fv_jpeg_status(&errors, 1, error);
    }
    jpeg_create_decompress(&cinfo);
    fv_jpeg_prepare(&cinfo, data, size, reduction, channels == 1 ? JCS_GRAYSCALE : JCS_RGB);
    if (cinfo.num_components == 4) {
        jpeg_destroy_decompress(&cinfo);
        return fv_fail(error, FV_ERR_UNSUPPORTED, "CMYK/YCCK JPEG is not supported");
    }
    if ((int32_t)cinfo.output_width != width || (int32_t)cinfo.output_height != height) {
        jpeg_destroy_decompress(&cinfo);
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_jpeg_decode: size differs from the header's");
    }
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_components != channels) {
        jpeg_destroy_decompress(&cinfo);
        return fv_fail(error, FV_ERR_INTERNAL, "libjpeg produced an unexpected channel count");
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        // libjpeg writes up to rec_outbuf_height rows per call; hand it that many row pointers.
        JSAMPROW rows[4];
        JDIMENSION first = cinfo.output_scanline;
        JDIMENSION count = cinfo.output_height - first;
        if (count > 4) count = 4;
        for (JDIMENSION r = 0; r < count; r++) rows[r] = pixels + (size_t)(first + r) * stride;
        jpeg_read_scanlines(&cinfo, rows, count);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return fv_jpeg_status(&errors, 0, error);
}

/// A growable memory destination whose buffer we can always find again, even after libjpeg has
/// jumped out mid-way. (libjpeg's own jpeg_mem_dest hides the grown buffer until it finishes, so
/// a failed encode would leak it.)
typedef struct fv_jpeg_destination {
    struct jpeg_destination_mgr base;
    unsigned char *buffer;
    size_t capacity;
} fv_jpeg_destination;

/// First buffer size of an encode; it doubles as needed.
static const size_t fv_jpeg_initial_capacity = 64 * 1024;

static void fv_jpeg_destination_init(j_compress_ptr cinfo) {
    fv_jpeg_destination *dest = (fv_jpeg_destination *)cinfo->dest;
    dest->buffer = malloc(fv_jpeg_initial_capacity);
    if (dest->buffer == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    dest->capacity = fv_jpeg_initial_capacity;
    dest->base.next_output_byte = dest->buffer;
    dest->base.free_in_buffer = dest->capacity;
}

static boolean fv_jpeg_destination_grow(j_compress_ptr cinfo) {
    fv_jpeg_destination *dest = (fv_jpeg_destination *)cinfo->dest;
    size_t used = dest->capacity; // libjpeg calls this only when the buffer is full
    unsigned char *grown = realloc(dest->buffer, dest->capacity * 2);
    if (grown == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 1);
    dest->buffer = grown;
    dest->capacity *= 2;
    dest->base.next_output_byte = grown + used;
    dest->base.free_in_buffer = dest->capacity - used;
    return TRUE;
}

static void fv_jpeg_destination_term(j_compress_ptr cinfo) { (void)cinfo; }

fv_status fv_jpeg_encode(const uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                         int32_t channels, int32_t quality,
                         const uint8_t *app1, size_t app1_size,
                         uint8_t **output, size_t *output_size, fv_error *error) {
    if (!fv_valid_buffer(pixels, width, height, stride, channels) || quality < 1 ||
        quality > 100 || output == NULL || output_size == NULL || app1_size > 65533 ||
        (app1 == NULL && app1_size > 0) || width > JPEG_MAX_DIMENSION ||
        height > JPEG_MAX_DIMENSION) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_jpeg_encode: invalid argument");
    }
    struct jpeg_compress_struct cinfo;
    fv_jpeg_errors errors;
    fv_jpeg_destination dest;
    memset(&dest, 0, sizeof dest);
    dest.base.init_destination = fv_jpeg_destination_init;
    dest.base.empty_output_buffer = fv_jpeg_destination_grow;
    dest.base.term_destination = fv_jpeg_destination_term;
    fv_jpeg_errors_init(&errors, &cinfo.err);
    if (setjmp(errors.escape)) {
        jpeg_destroy_compress(&cinfo);
        free(dest.buffer);
        return fv_jpeg_status(&errors, 1, error);
    }
    jpeg_create_compress(&cinfo);
    cinfo.dest = &dest.base;
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (app1_size > 0) cinfo.write_JFIF_header = FALSE;
    jpeg_start_compress(&cinfo, TRUE);
    if (app1_size > 0) jpeg_write_marker(&cinfo, JPEG_APP0 + 1, app1, (unsigned int)app1_size);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * stride);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    size_t written = dest.capacity - dest.base.free_in_buffer;
    jpeg_destroy_compress(&cinfo);
    *output = dest.buffer;
    *output_size = written;
    return FV_OK;
}

void fv_buffer_free(void *buffer) { free(buffer); }
