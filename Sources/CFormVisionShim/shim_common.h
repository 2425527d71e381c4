// Helpers shared by the shim's C and C++ files. Not part of the public header.
#ifndef FV_SHIM_COMMON_H
#define FV_SHIM_COMMON_H

#include "CFormVisionShim.h"
#include <stdio.h>
#include <string.h>

/// Copies `message` into `error` (when not NULL) and returns `status`, so a failure is one line.
static inline fv_status fv_fail(fv_error *error, fv_status status, const char *message) {
    if (error != NULL) {
        snprintf(error->message, sizeof error->message, "%s", message != NULL ? message : "");
    }
    return status;
}

/// Checks the arguments every pixel buffer comes with.
static inline int fv_valid_buffer(const void *pixels, int32_t width, int32_t height, size_t stride,
                                  int32_t channels) {
    return pixels != NULL && width > 0 && height > 0 && (channels == 1 || channels == 3) &&
           stride >= (size_t)width * (size_t)channels;
}

#endif
