// Drawing through OpenCV's imgproc: lines, polygons and Hershey text, all anti-aliased.
// Coordinates arrive as doubles and are passed to OpenCV in fixed point with `kShift`
// fractional bits, so sub-pixel positions are kept.
#include "shim_cxx.h"

#include <cmath>
#include <new>
#include <vector>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

/// Fractional bits of the fixed-point coordinates handed to OpenCV's drawing functions.
constexpr int kShift = 4;
constexpr double kOne = 1 << kShift;

using fv::guarded;

cv::Point fixed(double x, double y) {
    return cv::Point((int)std::lround(x * kOne), (int)std::lround(y * kOne));
}

cv::Scalar scalar(const uint8_t *color, int32_t channels) {
    return channels == 1 ? cv::Scalar(color[0]) : cv::Scalar(color[0], color[1], color[2]);
}

int hershey(int32_t font) {
    int face = cv::FONT_HERSHEY_SIMPLEX;
    switch (font & ~FV_FONT_ITALIC) {
    case FV_FONT_SANS_BOLD: face = cv::FONT_HERSHEY_DUPLEX; break;
    case FV_FONT_PLAIN: face = cv::FONT_HERSHEY_PLAIN; break;
    case FV_FONT_SERIF: face = cv::FONT_HERSHEY_COMPLEX; break;
    case FV_FONT_SERIF_BOLD: face = cv::FONT_HERSHEY_TRIPLEX; break;
    case FV_FONT_SCRIPT: face = cv::FONT_HERSHEY_SCRIPT_SIMPLEX; break;
    case FV_FONT_SCRIPT_BOLD: face = cv::FONT_HERSHEY_SCRIPT_COMPLEX; break;
    default: break;
    }
    return (font & FV_FONT_ITALIC) ? face | cv::FONT_ITALIC : face;
}

} // namespace

extern "C" fv_status fv_draw_line(uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                                  int32_t channels, double x0, double y0, double x1, double y1,
                                  double thickness, const uint8_t *color, fv_error *error) {
    if (!fv_valid_buffer(pixels, width, height, stride, channels) || color == NULL ||
        !std::isfinite(x0 + y0 + x1 + y1 + thickness)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_draw_line: invalid argument");
    }
    return guarded(error, [&] {
        cv::Mat image(height, width, CV_8UC(channels), pixels, stride);
        const int whole = std::max(1, (int)std::lround(thickness));
        cv::line(image, fixed(x0, y0), fixed(x1, y1), scalar(color, channels), whole, cv::LINE_AA, kShift);
        return FV_OK;
    });
}

extern "C" fv_status fv_fill_polygon(uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                                     int32_t channels, const double *xy, int32_t count,
                                     const uint8_t *color, fv_error *error) {
    if (!fv_valid_buffer(pixels, width, height, stride, channels) || xy == NULL || count < 3 ||
        color == NULL) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_fill_polygon: invalid argument");
    }
    return guarded(error, [&] {
        cv::Mat image(height, width, CV_8UC(channels), pixels, stride);
        std::vector<cv::Point> points;
        points.reserve((size_t)count);
        for (int32_t i = 0; i < count; i++) points.push_back(fixed(xy[2 * i], xy[2 * i + 1]));
        const cv::Point *polygon = points.data();
        cv::fillPoly(image, &polygon, &count, 1, scalar(color, channels), cv::LINE_AA, kShift);
        return FV_OK;
    });
}

extern "C" fv_status fv_text_extent(const char *text, int32_t font, double scale, int32_t thickness,
                                    double *width, double *cap_height, fv_error *error) {
    if (text == NULL || width == NULL || cap_height == NULL || !(scale > 0) || thickness < 1) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_text_extent: invalid argument");
    }
    return guarded(error, [&] {
        int baseline = 0;
        const cv::Size size = cv::getTextSize(text, hershey(font), scale, thickness, &baseline);
        *width = size.width;
        *cap_height = size.height;
        return FV_OK;
    });
}

extern "C" fv_status fv_draw_text(uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                                  int32_t channels, const char *text, double x, double y,
                                  int32_t font, double scale, int32_t thickness,
                                  const uint8_t *color, fv_error *error) {
    if (!fv_valid_buffer(pixels, width, height, stride, channels) || text == NULL ||
        color == NULL || !(scale > 0) || thickness < 1 || !std::isfinite(x + y)) {
        return fv_fail(error, FV_ERR_ARGUMENT, "fv_draw_text: invalid argument");
    }
    return guarded(error, [&] {
        cv::Mat image(height, width, CV_8UC(channels), pixels, stride);
        cv::putText(image, text, cv::Point((int)std::lround(x), (int)std::lround(y)), hershey(font), scale,
                    scalar(color, channels), thickness, cv::LINE_AA);
        return FV_OK;
    });
}
