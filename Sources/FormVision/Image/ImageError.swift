/// An encoded image format FormVision reads.
public enum ImageFormat: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case jpeg
    case png

    public var description: String { rawValue.uppercased() }
}

/// Why an image could not be read or written.
///
/// Every failure of the image layer is one of these cases; nothing is printed and no partly
/// decoded image is ever returned. The CLI turns each case into a one-line message.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at the path.
    case fileNotFound(path: String)
    /// The file exists but cannot be read (permissions, a directory, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file is larger than `ImageLimits.maxFileBytes`; it was not read.
    case fileTooLarge(path: String, bytes: Int, limit: Int)
    /// The data has no bytes at all.
    case emptyData
    /// The data starts like no format FormVision reads (JPEG or PNG).
    case unknownFormat
    /// The data ends before the image does.
    case truncatedData(format: ImageFormat, detail: String)
    /// The data is damaged: a bad marker, a CRC mismatch, corrupt compressed data.
    case corruptData(format: ImageFormat, detail: String)
    /// A valid file using a feature FormVision does not decode, such as a CMYK JPEG.
    case unsupported(format: ImageFormat, detail: String)
    /// The header claims more pixels, or a longer side, than `ImageLimits` allows. Nothing was
    /// allocated for it.
    case imageTooLarge(width: Int, height: Int, limits: ImageLimits)
    /// The header claims a width or height of zero.
    case invalidDimensions(width: Int, height: Int)
    /// An image passed in to be written or processed does not fit the operation.
    case invalidImage(reason: String)
    /// Memory ran out inside a codec.
    case outOfMemory(detail: String)
    /// A library failed in a way that points to a bug in FormVision.
    case internalFailure(detail: String)

    /// A stable snake_case name for the case, for JSON output and logs.
    public var kind: String {
        switch self {
        case .fileNotFound: "file_not_found"
        case .unreadableFile: "unreadable_file"
        case .fileTooLarge: "file_too_large"
        case .emptyData: "empty_data"
        case .unknownFormat: "unknown_format"
        case .truncatedData: "truncated_data"
        case .corruptData: "corrupt_data"
        case .unsupported: "unsupported"
        case .imageTooLarge: "image_too_large"
        case .invalidDimensions: "invalid_dimensions"
        case .invalidImage: "invalid_image"
        case .outOfMemory: "out_of_memory"
        case .internalFailure: "internal_failure"
        }
    }

    public var description: String {
        switch self {
        case .fileNotFound(let path): "no such file: \(path)"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .fileTooLarge(let path, let bytes, let limit):
            "file too large: \(path) has \(bytes) bytes, the limit is \(limit)"
        case .emptyData: "the image data is empty"
        case .unknownFormat: "not a JPEG or PNG image"
        case .truncatedData(let format, let detail): "truncated \(format) data (\(detail))"
        case .corruptData(let format, let detail): "corrupt \(format) data (\(detail))"
        case .unsupported(let format, let detail): "unsupported \(format) image (\(detail))"
        case .imageTooLarge(let width, let height, let limits):
            "image too large: \(width)×\(height) exceeds the limit of \(limits.maxPixels) pixels "
                + "or \(limits.maxSide) pixels a side"
        case .invalidDimensions(let width, let height): "invalid image size \(width)×\(height)"
        case .invalidImage(let reason): "invalid image: \(reason)"
        case .outOfMemory(let detail): "out of memory (\(detail))"
        case .internalFailure(let detail): "internal error (\(detail))"
        }
    }
}
