// CFormVisionShim: a small C ABI over libjpeg-turbo, libpng and OpenCV 4 for FormVision.
//
// Conventions (every function below follows them):
// - Plain C only. No C++ type and no C++ exception crosses this header; the C++ files catch
//   everything and return a status.
// - Images are 8-bit, interleaved, row-major, origin at the top-left, rows top to bottom.
//   `channels` is 1 (gray) or 3 (R, G, B in that order). `stride` is the distance in bytes from
//   the start of one row to the start of the next, at least width * channels. No padding is read
//   or written past width * channels in a row.
// - The caller allocates every pixel buffer and passes its width, height and stride. The shim
//   never keeps a pointer after it returns.
// - Every function returns an `fv_status`. On failure `error` (when not NULL) receives a short
//   reason in English. Pixel outputs may be partly written on failure; the caller must discard them.
// - Encoders return a buffer allocated by the shim; free it with `fv_buffer_free` and nothing else.
// - No tuning decisions live here: thresholds, sizes and policies come in as arguments.
//
// Every exported symbol is prefixed `fv_`.
#ifndef CFORMVISIONSHIM_H
#define CFORMVISIONSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result of every shim call.
typedef enum fv_status {
    FV_OK = 0,
    /// The data ended before the image did.
    FV_ERR_TRUNCATED = 1,
    /// The data is damaged or not valid for its format.
    FV_ERR_CORRUPT = 2,
    /// Valid data using a feature the shim does not decode (for example a CMYK JPEG).
    FV_ERR_UNSUPPORTED = 3,
    /// A caller error: a NULL pointer, a stride too small, a size that does not match.
    FV_ERR_ARGUMENT = 4,
    /// An allocation inside a library failed.
    FV_ERR_NO_MEMORY = 5,
    /// Anything else a library reported (an OpenCV exception, for example).
    FV_ERR_INTERNAL = 6,
} fv_status;

/// Capacity of `fv_error.message`, including the terminating NUL.
#define FV_ERROR_MESSAGE_CAPACITY 200

/// Why a call failed, in words; filled only when the call does not return FV_OK.
typedef struct fv_error {
    char message[FV_ERROR_MESSAGE_CAPACITY];
} fv_error;

/// Frees a buffer returned by an `fv_*_encode` function. NULL is allowed.
void fv_buffer_free(void *buffer);

// MARK: - JPEG (libjpeg-turbo, through the libjpeg API)

/// What a JPEG header says, and the size a decode at a given reduction produces.
typedef struct fv_jpeg_info {
    /// Size of the full image, in pixels.
    int32_t width, height;
    /// Components in the file: 1 (gray), 3 (YCbCr or RGB) or 4 (CMYK/YCCK, unsupported).
    int32_t components;
    /// Output size at the requested reduction: ceil(width / reduction), as libjpeg computes it.
    int32_t scaled_width, scaled_height;
    /// Non-zero when the file is progressive.
    int32_t progressive;
} fv_jpeg_info;

/// Reads a JPEG header from memory.
///
/// `reduction` is 1, 2, 4 or 8: the DCT-domain reduction a later decode will use; the scaled size
/// in `info` is for it. Reads no pixel data and allocates only libjpeg's own small state.
fv_status fv_jpeg_read_header(const uint8_t *data, size_t size, int32_t reduction,
                              fv_jpeg_info *info, fv_error *error);

/// Decodes a JPEG from memory straight into `pixels`.
///
/// `reduction` is 1, 2, 4 or 8 (scaling inside the inverse DCT, so a reduced decode is faster
/// than a full one). `channels` is 1 (libjpeg's luma, no colour conversion) or 3 (RGB).
/// `width` and `height` must equal the scaled size `fv_jpeg_read_header` reported.
/// A file that ends early is FV_ERR_TRUNCATED and one with damaged entropy-coded data is
/// FV_ERR_CORRUPT, even where libjpeg itself would only warn and fill in gray.
fv_status fv_jpeg_decode(const uint8_t *data, size_t size, int32_t reduction, int32_t channels,
                         uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                         fv_error *error);

/// Encodes 8-bit gray or RGB pixels as a baseline JPEG with 4:2:0 chroma (for RGB).
///
/// `quality` is libjpeg's 1–100 scale. `app1` (NULL when `app1_size` is 0) is the payload of an
/// APP1 segment written right after SOI, for example EXIF data starting with "Exif\0\0"; when it
/// is given, no JFIF APP0 segment is written (as cameras do). At most 65533 bytes.
/// On success `*output` is a buffer to free with `fv_buffer_free` and `*output_size` its length.
fv_status fv_jpeg_encode(const uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                         int32_t channels, int32_t quality,
                         const uint8_t *app1, size_t app1_size,
                         uint8_t **output, size_t *output_size, fv_error *error);

// MARK: - PNG (libpng)

/// PNG colour types, as in the PNG specification's IHDR chunk.
typedef enum fv_png_color_type {
    FV_PNG_GRAY = 0,
    FV_PNG_RGB = 2,
    FV_PNG_PALETTE = 3,
    FV_PNG_GRAY_ALPHA = 4,
    FV_PNG_RGBA = 6,
} fv_png_color_type;

/// What a PNG header says.
typedef struct fv_png_info {
    int32_t width, height;
    /// Bits per sample: 1, 2, 4, 8 or 16.
    int32_t bit_depth;
    /// One of `fv_png_color_type`.
    int32_t color_type;
    /// Non-zero when a tRNS chunk gives transparency.
    int32_t has_transparency;
    /// Non-zero for Adam7 interlacing.
    int32_t interlaced;
} fv_png_info;

/// Reads the IHDR (and the chunks before the image data) of a PNG in memory.
fv_status fv_png_read_header(const uint8_t *data, size_t size, fv_png_info *info, fv_error *error);

/// Decodes any PNG (gray, RGB, palette, with or without alpha, 1–16 bits, interlaced or not)
/// straight into 8-bit `pixels` with `channels` 1 or 3.
///
/// 16-bit samples are scaled to 8 bits with rounding. Transparency is composited onto
/// `background` (0–255, the same value in every channel; paper is 255). Colour becomes gray with
/// libpng's default Rec. 709 weights. `width` and `height` must equal the header's.
/// The whole file is checked, IEND included: a file cut anywhere is FV_ERR_TRUNCATED, and a bad
/// CRC or zlib stream is FV_ERR_CORRUPT.
fv_status fv_png_decode(const uint8_t *data, size_t size, int32_t channels, int32_t background,
                        uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                        fv_error *error);

/// Encodes a PNG.
///
/// `color_type` is a `fv_png_color_type`; `bit_depth` is 8 or 16 (8 only for palettes).
/// Samples are interleaved per pixel: 16-bit samples are two bytes, big-endian as in PNG itself.
/// For FV_PNG_PALETTE, `pixels` holds one index per pixel and `palette` holds `palette_entries`
/// RGB triples (1–256). `compression` is zlib's level 0–9. Non-zero `interlaced` writes Adam7.
fv_status fv_png_encode(const uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                        int32_t color_type, int32_t bit_depth,
                        const uint8_t *palette, int32_t palette_entries, int32_t compression,
                        int32_t interlaced, uint8_t **output, size_t *output_size, fv_error *error);

// MARK: - Image operations (OpenCV)

/// Applies an EXIF orientation (1–8), writing the upright image to `dst`.
///
/// For orientations 5–8 the width and height swap: `dst_width` must be `src_height` and
/// `dst_height` must be `src_width`. `src` and `dst` must not overlap.
fv_status fv_orient(const uint8_t *src, int32_t src_width, int32_t src_height, size_t src_stride,
                    int32_t channels, int32_t orientation,
                    uint8_t *dst, int32_t dst_width, int32_t dst_height, size_t dst_stride,
                    fv_error *error);

/// Interpolation for resizes and warps.
typedef enum fv_interpolation {
    /// Nearest neighbour.
    FV_INTERPOLATION_NEAREST = 0,
    /// Bilinear.
    FV_INTERPOLATION_LINEAR = 1,
    /// Bicubic.
    FV_INTERPOLATION_CUBIC = 2,
    /// Area averaging: the right filter for shrinking (resize only; warps treat it as linear).
    FV_INTERPOLATION_AREA = 3,
} fv_interpolation;

/// Resizes `src` to the size of `dst`.
fv_status fv_resize(const uint8_t *src, int32_t src_width, int32_t src_height, size_t src_stride,
                    int32_t channels, int32_t interpolation,
                    uint8_t *dst, int32_t dst_width, int32_t dst_height, size_t dst_stride,
                    fv_error *error);

/// Warps with an affine map: dst(x, y) = src(M⁻¹ (x, y)), where `matrix` holds M (2×3,
/// row-major) mapping source pixel coordinates to destination ones. Pixels that fall outside
/// the source take `border` (one value for every channel).
fv_status fv_warp_affine(const uint8_t *src, int32_t src_width, int32_t src_height, size_t src_stride,
                         int32_t channels, const double matrix[6], int32_t interpolation, int32_t border,
                         uint8_t *dst, int32_t dst_width, int32_t dst_height, size_t dst_stride,
                         fv_error *error);

/// Warps with a homography: dst(x, y) = src(H⁻¹ (x, y)), where `matrix` holds H (3×3,
/// row-major) mapping source pixel coordinates to destination ones.
fv_status fv_warp_perspective(const uint8_t *src, int32_t src_width, int32_t src_height,
                              size_t src_stride, int32_t channels, const double matrix[9],
                              int32_t interpolation, int32_t border,
                              uint8_t *dst, int32_t dst_width, int32_t dst_height, size_t dst_stride,
                              fv_error *error);

/// Samples `src` at arbitrary positions: dst(x, y) = src(map_x(x, y), map_y(x, y)).
///
/// `map_x` and `map_y` are float images of the destination's size, `map_stride` floats apart
/// row to row, holding source pixel coordinates (pixel centres at integers). Positions outside
/// the source take `border`.
fv_status fv_remap(const uint8_t *src, int32_t src_width, int32_t src_height, size_t src_stride,
                   int32_t channels, const float *map_x, const float *map_y, size_t map_stride,
                   int32_t interpolation, int32_t border,
                   uint8_t *dst, int32_t dst_width, int32_t dst_height, size_t dst_stride,
                   fv_error *error);

/// Gaussian blur with standard deviation `sigma` pixels (kernel size chosen by OpenCV,
/// about 6σ). `src` and `dst` may be the same buffer.
fv_status fv_gaussian_blur(const uint8_t *src, uint8_t *dst, int32_t width, int32_t height,
                           size_t stride, int32_t channels, double sigma, fv_error *error);

/// Convolves with a `kernel_width` × `kernel_height` float kernel (row-major), anchored at its
/// centre, replicating edge pixels. `src` and `dst` may be the same buffer.
fv_status fv_filter(const uint8_t *src, uint8_t *dst, int32_t width, int32_t height, size_t stride,
                    int32_t channels, const float *kernel, int32_t kernel_width,
                    int32_t kernel_height, fv_error *error);

/// Normalised cross-correlation of a gray template at every position inside a gray image:
/// `result[y * result_stride + x]` is the correlation coefficient (−1 to 1, means removed) of
/// the template with the image's window whose top-left pixel is (x, y). The result has
/// (image_width − template_width + 1) × (image_height − template_height + 1) floats, allocated
/// by the caller. A flat window or template gives 0, not a division by zero.
///
/// Exists so that the page registration can find where a patch of the printed page appears
/// in a rectified photo (OpenCV's matchTemplate with TM_CCOEFF_NORMED, FFT-based where that
/// is faster).
fv_status fv_match_template(const uint8_t *image, int32_t image_width, int32_t image_height,
                            size_t image_stride, const uint8_t *templ, int32_t template_width,
                            int32_t template_height, size_t template_stride, float *result,
                            size_t result_stride, fv_error *error);

/// Finds convex quadrilaterals among the outlines of bright regions of a gray image: the
/// candidates for a sheet of paper.
///
/// The image is thresholded at `threshold` (0–255; pass a negative value for Otsu's
/// threshold), outer contours are traced, each is simplified with a tolerance of
/// `epsilon_fraction` of its perimeter, and the convex four-sided ones with an area of at least
/// `min_area_fraction` of the image are kept, largest first. Writes up to `capacity` quads
/// (8 doubles each: x0, y0, … x3, y3 in OpenCV's pixel-centre coordinates, in contour order)
/// and the number kept to `*count`.
fv_status fv_find_quadrilaterals(const uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                                 double threshold, double epsilon_fraction, double min_area_fraction,
                                 double *quads, int32_t capacity, int32_t *count, fv_error *error);

// MARK: - Drawing (OpenCV, anti-aliased)

/// Draws a straight line of `thickness` pixels (rounded to a whole number, at least 1) in
/// `color` (`channels` bytes). Coordinates are pixel positions with sub-pixel precision.
fv_status fv_draw_line(uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                       int32_t channels, double x0, double y0, double x1, double y1,
                       double thickness, const uint8_t *color, fv_error *error);

/// Fills a polygon of `count` vertices (`xy` holds x0, y0, x1, y1, …) in `color`.
fv_status fv_fill_polygon(uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                          int32_t channels, const double *xy, int32_t count, const uint8_t *color,
                          fv_error *error);

/// The printable fonts: OpenCV's Hershey vector fonts.
typedef enum fv_font {
    /// A plain sans-serif (Hershey simplex).
    FV_FONT_SANS = 0,
    /// A heavier sans-serif (Hershey duplex).
    FV_FONT_SANS_BOLD = 1,
    /// Hershey's other faces, used as digit styles for the classifier.
    FV_FONT_PLAIN = 2,
    FV_FONT_SERIF = 3,
    FV_FONT_SERIF_BOLD = 4,
    FV_FONT_SCRIPT = 5,
    FV_FONT_SCRIPT_BOLD = 6,
    /// Added to any face: its italic form.
    FV_FONT_ITALIC = 16,
} fv_font;

/// Measures text: its advance width and cap height in pixels at `scale` (OpenCV font scale).
fv_status fv_text_extent(const char *text, int32_t font, double scale, int32_t thickness,
                         double *width, double *cap_height, fv_error *error);

/// Draws ASCII text with its baseline starting at (x, y).
fv_status fv_draw_text(uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                       int32_t channels, const char *text, double x, double y, int32_t font,
                       double scale, int32_t thickness, const uint8_t *color, fv_error *error);

// MARK: - AprilTag (libapriltag)

/// Renders an AprilTag's cells, one byte per cell (0 black, 255 white), row-major.
///
/// `family` is a libapriltag family name ("tag36h11"). The image includes the white quiet
/// border: `*total_width` cells a side (10 for tag36h11), of which the black square is
/// `*border_width` (8 for tag36h11). `cells` must hold `capacity` bytes; 256 is enough for
/// every supported family.
fv_status fv_apriltag_render(const char *family, int32_t id, uint8_t *cells, int32_t capacity,
                             int32_t *total_width, int32_t *border_width, fv_error *error);

/// Settings of libapriltag's detector (see apriltag.h for each). The caller decides them.
typedef struct fv_apriltag_settings {
    /// Quad detection runs on an image decimated by this factor (1 = full resolution).
    float decimate;
    /// Gaussian blur before quad detection, pixels (0 = none).
    float sigma;
    /// Non-zero: refine the quad edges on the full-resolution image.
    int32_t refine_edges;
    /// Sharpening of the decoded bit image (libapriltag's default is 0.25).
    double sharpening;
    /// Bit errors corrected, 0 to 2 (more finds damaged tags, and more false ones).
    int32_t max_hamming;
} fv_apriltag_settings;

/// One detected tag.
typedef struct fv_apriltag_detection {
    /// The family's position in the list given to `fv_apriltag_detect`, from 0.
    int32_t family_index;
    int32_t id;
    int32_t hamming;
    float decision_margin;
    /// Centre and the four corners of the black square, in libapriltag's pixel coordinates and
    /// order (x0, y0, x1, y1, ...).
    double center[2];
    double corners[8];
} fv_apriltag_detection;

/// The smallest width and height, after decimation, that `fv_apriltag_detect` accepts: libapriltag
/// thresholds the image in tiles of this many pixels and reads out of bounds on a smaller image.
#define FV_APRILTAG_MIN_SIDE 4

/// The most families `fv_apriltag_detect` takes in one call.
#define FV_APRILTAG_MAX_FAMILIES 4

/// Detects AprilTags of the families listed in `families`, comma-separated ("tag36h11,tag36h10"),
/// in an 8-bit gray image. Quads are found once for all families; each is then decoded against
/// every family.
///
/// Fails with FV_ERR_ARGUMENT on an image smaller than FV_APRILTAG_MIN_SIDE on either side.
///
/// Writes up to `capacity` detections to `detections` and the number found (which may exceed
/// `capacity`; the rest are dropped) to `*count`. Creates and frees its detector on every call,
/// so calls share no state and may run on any threads.
fv_status fv_apriltag_detect(const uint8_t *pixels, int32_t width, int32_t height, size_t stride,
                             const char *families, const fv_apriltag_settings *settings,
                             fv_apriltag_detection *detections, int32_t capacity, int32_t *count,
                             fv_error *error);

/// The version of OpenCV the shim was built against, as "major.minor.patch".
const char *fv_opencv_version(void);

#ifdef __cplusplus
}
#endif

#endif // CFORMVISIONSHIM_H
