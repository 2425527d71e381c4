// Image operations through OpenCV. Every entry point catches every C++ exception and returns a
// status, and wraps caller-owned buffers in cv::Mat headers without copying them.
#include "shim_cxx.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <vector>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

using fv::guarded;

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

static int cv_interpolation(int32_t interpolation) {
    switch (interpolation) {
    case FV_INTERPOLATION_NEAREST: return cv::INTER_NEAREST;
    case FV_INTERPOLATION_CUBIC: return cv::INTER_CUBIC;
    case FV_INTERPOLATION_AREA: return cv::INTER_AREA;
    default: return cv::INTER_LINEAR;
    }
}

/// Interpolations a warp or remap accepts (area averaging is for resizes only).
static int cv_warp_interpolation(int32_t interpolation) {
    return interpolation == FV_INTERPOLATION_AREA ? cv::INTER_LINEAR : cv_interpolation(interpolation);
}

extern "C" fv_status fv_resize(const uint8_t *src, int32_t src_width, int32_t src_height,
                               size_t src_stride, int32_t channels, int32_t interpolation,
                               uint8_t *dst, int32_t dst_width, int32_t dst_height,
                               size_t dst_stride, fv_error *error) {
    if (!fv_valid_buffer(src, src_width, src_height, src_stride, channels) ||
        !fv_valid_buffer(dst, dst_width, dst_height, dst_stride, channels)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_resize: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, src_width, src_height, src_stride, channels);
        cv::Mat out = wrap(dst, dst_width, dst_height, dst_stride, channels);
        cv::resize(in, out, out.size(), 0, 0, cv_interpolation(interpolation));
        return still_in_place(out, dst, error);
    });
}

extern "C" fv_status fv_warp_affine(const uint8_t *src, int32_t src_width, int32_t src_height,
                                    size_t src_stride, int32_t channels, const double matrix[6],
                                    int32_t interpolation, int32_t border, uint8_t *dst,
                                    int32_t dst_width, int32_t dst_height, size_t dst_stride,
                                    fv_error *error) {
    if (!fv_valid_buffer(src, src_width, src_height, src_stride, channels) ||
        !fv_valid_buffer(dst, dst_width, dst_height, dst_stride, channels) || matrix == NULL) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_warp_affine: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, src_width, src_height, src_stride, channels);
        cv::Mat out = wrap(dst, dst_width, dst_height, dst_stride, channels);
        const cv::Mat m(2, 3, CV_64F, const_cast<double *>(matrix));
        cv::warpAffine(in, out, m, out.size(), cv_warp_interpolation(interpolation), cv::BORDER_CONSTANT,
                       cv::Scalar::all(border));
        return still_in_place(out, dst, error);
    });
}

extern "C" fv_status fv_warp_perspective(const uint8_t *src, int32_t src_width, int32_t src_height,
                                         size_t src_stride, int32_t channels, const double matrix[9],
                                         int32_t interpolation, int32_t border, uint8_t *dst,
                                         int32_t dst_width, int32_t dst_height, size_t dst_stride,
                                         fv_error *error) {
    if (!fv_valid_buffer(src, src_width, src_height, src_stride, channels) ||
        !fv_valid_buffer(dst, dst_width, dst_height, dst_stride, channels) || matrix == NULL) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_warp_perspective: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, src_width, src_height, src_stride, channels);
        cv::Mat out = wrap(dst, dst_width, dst_height, dst_stride, channels);
        const cv::Mat m(3, 3, CV_64F, const_cast<double *>(matrix));
        cv::warpPerspective(in, out, m, out.size(), cv_warp_interpolation(interpolation),
                            cv::BORDER_CONSTANT, cv::Scalar::all(border));
        return still_in_place(out, dst, error);
    });
}

extern "C" fv_status fv_remap(const uint8_t *src, int32_t src_width, int32_t src_height,
                              size_t src_stride, int32_t channels, const float *map_x,
                              const float *map_y, size_t map_stride, int32_t interpolation,
                              int32_t border, uint8_t *dst, int32_t dst_width, int32_t dst_height,
                              size_t dst_stride, fv_error *error) {
    if (!fv_valid_buffer(src, src_width, src_height, src_stride, channels) ||
        !fv_valid_buffer(dst, dst_width, dst_height, dst_stride, channels) || map_x == NULL ||
        map_y == NULL || map_stride < (size_t)dst_width) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_remap: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, src_width, src_height, src_stride, channels);
        cv::Mat out = wrap(dst, dst_width, dst_height, dst_stride, channels);
        const cv::Mat mx(dst_height, dst_width, CV_32F, const_cast<float *>(map_x), map_stride * sizeof(float));
        const cv::Mat my(dst_height, dst_width, CV_32F, const_cast<float *>(map_y), map_stride * sizeof(float));
        cv::remap(in, out, mx, my, cv_warp_interpolation(interpolation), cv::BORDER_CONSTANT,
                  cv::Scalar::all(border));
        return still_in_place(out, dst, error);
    });
}

extern "C" fv_status fv_gaussian_blur(const uint8_t *src, uint8_t *dst, int32_t width, int32_t height,
                                      size_t stride, int32_t channels, double sigma, fv_error *error) {
    if (!fv_valid_buffer(src, width, height, stride, channels) || dst == NULL || !(sigma > 0)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_gaussian_blur: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, width, height, stride, channels);
        cv::Mat out = wrap(dst, width, height, stride, channels);
        cv::GaussianBlur(in, out, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
        return still_in_place(out, dst, error);
    });
}

extern "C" fv_status fv_filter(const uint8_t *src, uint8_t *dst, int32_t width, int32_t height,
                               size_t stride, int32_t channels, const float *kernel,
                               int32_t kernel_width, int32_t kernel_height, fv_error *error) {
    if (!fv_valid_buffer(src, width, height, stride, channels) || dst == NULL || kernel == NULL ||
        kernel_width < 1 || kernel_height < 1) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_filter: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(src, width, height, stride, channels);
        cv::Mat out = wrap(dst, width, height, stride, channels);
        const cv::Mat k(kernel_height, kernel_width, CV_32F, const_cast<float *>(kernel));
        cv::filter2D(in, out, -1, k, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
        return still_in_place(out, dst, error);
    });
}

extern "C" fv_status fv_find_quadrilaterals(const uint8_t *pixels, int32_t width, int32_t height,
                                            size_t stride, double threshold, double epsilon_fraction,
                                            double min_area_fraction, double *quads, int32_t capacity,
                                            int32_t *count, fv_error *error) {
    if (!fv_valid_buffer(pixels, width, height, stride, 1) || count == NULL ||
        (quads == NULL && capacity > 0) || !(epsilon_fraction > 0)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_find_quadrilaterals: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(pixels, width, height, stride, 1);
        cv::Mat binary;
        const int type = threshold < 0 ? cv::THRESH_BINARY | cv::THRESH_OTSU : cv::THRESH_BINARY;
        cv::threshold(in, binary, threshold < 0 ? 0 : threshold, 255, type);
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(binary, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
        std::vector<std::pair<double, std::vector<cv::Point>>> found;
        const double minimum = min_area_fraction * (double)width * (double)height;
        for (const auto &contour : contours) {
            std::vector<cv::Point> polygon;
            cv::approxPolyDP(contour, polygon, epsilon_fraction * cv::arcLength(contour, true), true);
            if (polygon.size() != 4 || !cv::isContourConvex(polygon)) continue;
            const double area = std::fabs(cv::contourArea(polygon));
            if (area >= minimum) found.emplace_back(area, polygon);
        }
        std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        *count = (int32_t)found.size();
        for (int32_t i = 0; i < capacity && i < (int32_t)found.size(); i++) {
            for (int k = 0; k < 4; k++) {
                quads[8 * i + 2 * k] = found[i].second[k].x;
                quads[8 * i + 2 * k + 1] = found[i].second[k].y;
            }
        }
        return FV_OK;
    });
}

extern "C" const char *fv_opencv_version(void) { return CV_VERSION; }

extern "C" fv_status fv_match_template(const uint8_t *image, int32_t image_width,
                                       int32_t image_height, size_t image_stride,
                                       const uint8_t *templ, int32_t template_width,
                                       int32_t template_height, size_t template_stride,
                                       float *result, size_t result_stride, fv_error *error) {
    if (!fv_valid_buffer(image, image_width, image_height, image_stride, 1) ||
        !fv_valid_buffer(templ, template_width, template_height, template_stride, 1) ||
        template_width > image_width || template_height > image_height || result == NULL ||
        result_stride < (size_t)(image_width - template_width + 1)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_match_template: invalid argument");
    }
    return guarded(error, [&] {
        const cv::Mat in = wrap(image, image_width, image_height, image_stride, 1);
        const cv::Mat t = wrap(templ, template_width, template_height, template_stride, 1);
        const int rw = image_width - template_width + 1, rh = image_height - template_height + 1;
        cv::Mat out(rh, rw, CV_32F, result, result_stride * sizeof(float));
        cv::matchTemplate(in, t, out, cv::TM_CCOEFF_NORMED);
        if (out.data != reinterpret_cast<uint8_t *>(result)) {
            return fv_fail(error, FV_ERR_INTERNAL, "OpenCV reallocated the output");
        }
        // A flat window makes the coefficient 0/0; OpenCV may leave NaN or inf there.
        for (int y = 0; y < rh; y++) {
            float *row = out.ptr<float>(y);
            for (int x = 0; x < rw; x++) {
                if (!std::isfinite(row[x])) row[x] = 0;
            }
        }
        return FV_OK;
    });
}
