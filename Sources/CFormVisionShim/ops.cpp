// Image operations through OpenCV. Every entry point catches every C++ exception and returns a
// status, and wraps caller-owned buffers in cv::Mat headers without copying them.
#include "shim_common.h"

#include <new>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

/// Runs `body`, turning any exception into a status and a message.
template <typename Body> fv_status guarded(fv_error *error, Body body) noexcept {
    try {
        return body();
    } catch (const cv::Exception &exception) {
        return fv_fail(error, FV_ERR_INTERNAL, exception.what());
    } catch (const std::bad_alloc &) {
        return fv_fail(error, FV_ERR_NO_MEMORY, "out of memory");
    } catch (...) {
        return fv_fail(error, FV_ERR_INTERNAL, "unknown C++ exception");
    }
}

/// A cv::Mat header over a caller's buffer; OpenCV neither copies nor frees it.
cv::Mat wrap(const uint8_t *pixels, int32_t width, int32_t height, size_t stride, int32_t channels) {
    return cv::Mat(height, width, CV_8UC(channels), const_cast<uint8_t *>(pixels), stride);
}

/// OpenCV reallocates an output whose size or type does not fit; that would write to memory the
/// caller never sees. This checks that the result is still the caller's buffer.
fv_status still_in_place(const cv::Mat &dst, const uint8_t *pixels, fv_error *error) {
    if (dst.data != pixels) return fv_fail(error, FV_ERR_INTERNAL, "OpenCV reallocated the output");
    return FV_OK;
}

} // namespace

extern "C" fv_status fv_orient(const uint8_t *src, int32_t src_width, int32_t src_height,
                               size_t src_stride, int32_t channels, int32_t orientation,
                               uint8_t *dst, int32_t dst_width, int32_t dst_height,
                               size_t dst_stride, fv_error *error) {
    const bool swaps = orientation >= 5;
    if (!fv_valid_buffer(src, src_width, src_height, src_stride, channels) ||
        !fv_valid_buffer(dst, dst_width, dst_height, dst_stride, channels) || orientation < 1 ||
        orientation > 8 || dst_width != (swaps ? src_height : src_width) ||
        dst_height != (swaps ? src_width : src_height)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_orient: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, src_width, src_height, src_stride, channels);
        cv::Mat out = wrap(dst, dst_width, dst_height, dst_stride, channels);
        switch (orientation) {
        case 1: in.copyTo(out); break;
        case 2: cv::flip(in, out, 1); break;                            // mirror left-right
        case 3: cv::flip(in, out, -1); break;                           // rotate 180°
        case 4: cv::flip(in, out, 0); break;                            // mirror top-bottom
        case 5: cv::transpose(in, out); break;                          // transpose
        case 6: cv::rotate(in, out, cv::ROTATE_90_CLOCKWISE); break;
        case 7: cv::transpose(in, out); cv::flip(out, out, -1); break;  // transverse
        case 8: cv::rotate(in, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        }
        return still_in_place(out, dst, error);
    });
}

extern "C" fv_status fv_resize_area(const uint8_t *src, int32_t src_width, int32_t src_height,
                                    size_t src_stride, int32_t channels, uint8_t *dst,
                                    int32_t dst_width, int32_t dst_height, size_t dst_stride,
                                    fv_error *error) {
    if (!fv_valid_buffer(src, src_width, src_height, src_stride, channels) ||
        !fv_valid_buffer(dst, dst_width, dst_height, dst_stride, channels)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_resize_area: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, src_width, src_height, src_stride, channels);
        cv::Mat out = wrap(dst, dst_width, dst_height, dst_stride, channels);
        cv::resize(in, out, out.size(), 0, 0, cv::INTER_AREA);
        return still_in_place(out, dst, error);
    });
}

extern "C" const char *fv_opencv_version(void) { return CV_VERSION; }
