// Helpers shared by the shim's C++ files. Not part of the public header.
#ifndef FV_SHIM_CXX_H
#define FV_SHIM_CXX_H

#include "shim_common.h"

#include <new>
#include <opencv2/core.hpp>

namespace fv {

/// Runs `body`, turning any exception into a status and a message: no C++ exception ever
/// leaves the shim.
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

} // namespace fv

#endif
