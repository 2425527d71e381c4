/// `withUnsafeBytes` and `withUnsafeMutableBytes` for byte arrays, keeping a typed error.
///
/// The standard library's versions are `rethrows`, which erases `ImageError` to `any Error`.

/// Runs `body` over a byte array's memory.
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ImageError) -> R) throws(ImageError) -> R {
    let result: Result<R, ImageError> = bytes.withUnsafeBytes { raw in
        do throws(ImageError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Runs `body` over a byte array's memory, which it may change.
func withMutableBytes<R>(_ bytes: inout [UInt8],
                         _ body: (UnsafeMutableRawBufferPointer) throws(ImageError) -> R) throws(ImageError) -> R {
    let result: Result<R, ImageError> = bytes.withUnsafeMutableBytes { raw in
        do throws(ImageError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}
