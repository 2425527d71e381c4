// AprilTag rendering (and, later, detection) through libapriltag.
#include "shim_common.h"

#include <apriltag/apriltag.h>
#include <apriltag/tag36h10.h>
#include <apriltag/tag36h11.h>
#include <apriltag/tagStandard41h12.h>
#include <apriltag/common/zarray.h>

/// A libapriltag family by name, with its destructor; both NULL for an unknown name.
typedef struct fv_tag_family {
    apriltag_family_t *family;
    void (*destroy)(apriltag_family_t *);
} fv_tag_family;

static fv_tag_family fv_tag_family_create(const char *name) {
    fv_tag_family result = {NULL, NULL};
    if (strcmp(name, "tag36h11") == 0) {
        result.family = tag36h11_create();
        result.destroy = tag36h11_destroy;
    } else if (strcmp(name, "tag36h10") == 0) {
        // The family of the 2024 KPU forms (C.HASIL-PPWP pages carry ids 101-103).
        result.family = tag36h10_create();
        result.destroy = tag36h10_destroy;
    } else if (strcmp(name, "tagStandard41h12") == 0) {
        result.family = tagStandard41h12_create();
        result.destroy = tagStandard41h12_destroy;
    }
    return result;
}

fv_status fv_apriltag_render(const char *family, int32_t id, uint8_t *cells, int32_t capacity,
                             int32_t *total_width, int32_t *border_width, fv_error *error) {
    if (family == NULL || cells == NULL || total_width == NULL || border_width == NULL || id < 0) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_apriltag_render: invalid argument");
    }
    fv_tag_family tags = fv_tag_family_create(family);
    if (tags.family == NULL) return fv_fail(error, FV_ERR_UNSUPPORTED, "unknown AprilTag family");
    // Drawn from the family's public description (code bits and their cell positions), not
    // with apriltag_to_image: Debian's libapriltag does not export the function that frees
    // that image. Cells start black; then the white ring and the set data bits are painted.
    fv_status status = FV_OK;
    const apriltag_family_t *f = tags.family;
    const int32_t side = (int32_t)f->total_width;
    if ((uint32_t)id >= f->ncodes) {
        status = fv_fail(error, FV_ERR_ARGUMENT, "tag id beyond the family's codes");
    } else if (side * side > capacity) {
        status = fv_fail(error, FV_ERR_ARGUMENT, "cell buffer too small for the tag");
    } else {
        memset(cells, 0, (size_t)(side * side));
        const int32_t ring = (int32_t)f->width_at_border + (f->reversed_border ? 0 : 2);
        const int32_t ring_start = (side - ring) / 2;
        for (int32_t i = 0; i < ring; i++) {
            const int32_t near = ring_start, far = ring_start + ring - 1, at = ring_start + i;
            cells[near * side + at] = 255;
            cells[far * side + at] = 255;
            cells[at * side + near] = 255;
            cells[at * side + far] = 255;
        }
        const int32_t border_start = (side - (int32_t)f->width_at_border) / 2;
        const uint64_t code = f->codes[id];
        for (uint32_t i = 0; i < f->nbits; i++) {
            if (code & ((uint64_t)1 << (f->nbits - i - 1))) {
                const int32_t x = (int32_t)f->bit_x[i] + border_start;
                const int32_t y = (int32_t)f->bit_y[i] + border_start;
                if (x >= 0 && x < side && y >= 0 && y < side) cells[y * side + x] = 255;
            }
        }
        *total_width = side;
        *border_width = (int32_t)f->width_at_border;
    }
    tags.destroy(tags.family);
    return status;
}

fv_status fv_apriltag_detect(const uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                             const char *families, const fv_apriltag_settings *settings,
                             fv_apriltag_detection *detections, int32_t capacity, int32_t *count,
                             fv_error *error) {
    if (!fv_valid_buffer(pixels, width, height, stride, 1) || families == NULL || settings == NULL ||
        count == NULL || (detections == NULL && capacity > 0) || settings->max_hamming < 0 ||
        settings->max_hamming > 2 || !(settings->decimate >= 1)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_apriltag_detect: invalid argument");
    }
    // libapriltag thresholds in 4-pixel tiles and indexes its tile arrays out of bounds when
    // the image is narrower or shorter than one tile (after decimation, too).
    if (width / settings->decimate < FV_APRILTAG_MIN_SIDE || height / settings->decimate < FV_APRILTAG_MIN_SIDE) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_apriltag_detect: image smaller than libapriltag's 4-pixel tile");
    }
    // The names, split at commas.
    fv_tag_family tags[FV_APRILTAG_MAX_FAMILIES];
    int32_t family_count = 0;
    fv_status status = FV_OK;
    for (const char *name = families; status == FV_OK && *name != '\0';) {
        const char *end = strchr(name, ',');
        const size_t length = end != NULL ? (size_t)(end - name) : strlen(name);
        char buffer[32];
        if (length == 0 || length >= sizeof buffer || family_count == FV_APRILTAG_MAX_FAMILIES) {
            status = fv_fail(error, FV_ERR_ARGUMENT, "fv_apriltag_detect: bad family list");
            break;
        }
        memcpy(buffer, name, length);
        buffer[length] = '\0';
        tags[family_count] = fv_tag_family_create(buffer);
        if (tags[family_count].family == NULL) {
            status = fv_fail(error, FV_ERR_UNSUPPORTED, "unknown AprilTag family");
            break;
        }
        family_count++;
        name = end != NULL ? end + 1 : name + length;
    }
    if (status == FV_OK && family_count == 0) status = fv_fail(error, FV_ERR_ARGUMENT, "fv_apriltag_detect: no family");
    apriltag_detector_t *detector = status == FV_OK ? apriltag_detector_create() : NULL;
    if (status == FV_OK && detector == NULL) status = fv_fail(error, FV_ERR_NO_MEMORY, "apriltag_detector_create failed");
    if (status != FV_OK) {
        for (int32_t k = 0; k < family_count; k++) tags[k].destroy(tags[k].family);
        return status;
    }
    for (int32_t k = 0; k < family_count; k++) apriltag_detector_add_family_bits(detector, tags[k].family, settings->max_hamming);
    detector->quad_decimate = settings->decimate;
    detector->quad_sigma = settings->sigma;
    detector->refine_edges = settings->refine_edges != 0;
    detector->decode_sharpening = settings->sharpening;
    detector->nthreads = 1;
    // libapriltag reads the image but its struct is not const; it does not write to it.
    image_u8_t image = {.width = width, .height = height, .stride = (int32_t)stride, .buf = (uint8_t *)pixels};
    zarray_t *found = apriltag_detector_detect(detector, &image);
    const int32_t total = found != NULL ? zarray_size(found) : 0;
    for (int32_t i = 0; i < total && i < capacity; i++) {
        apriltag_detection_t *detection;
        zarray_get(found, i, &detection);
        fv_apriltag_detection *out = &detections[i];
        out->family_index = 0;
        for (int32_t k = 0; k < family_count; k++) {
            if (detection->family == tags[k].family) out->family_index = k;
        }
        out->id = detection->id;
        out->hamming = detection->hamming;
        out->decision_margin = detection->decision_margin;
        out->center[0] = detection->c[0];
        out->center[1] = detection->c[1];
        for (int k = 0; k < 4; k++) {
            out->corners[2 * k] = detection->p[k][0];
            out->corners[2 * k + 1] = detection->p[k][1];
        }
    }
    *count = total;
    if (found != NULL) apriltag_detections_destroy(found);
    apriltag_detector_destroy(detector);
    for (int32_t k = 0; k < family_count; k++) tags[k].destroy(tags[k].family);
    return FV_OK;
}
