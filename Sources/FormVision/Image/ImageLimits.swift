/// Upper bounds on what the image layer will read, checked before anything large is allocated.
///
/// A phone photo is 2–50 MP; a form needs far less. The defaults admit every phone camera
/// on the market and refuse a forged header that claims, say, 100000×100000 pixels.
public struct ImageLimits: Sendable, Equatable, Codable {
    /// The most pixels (width × height of the full image, before any reduction) to decode.
    /// Default 50 MP: a 50 MP phone sensor's photo still decodes.
    public var maxPixels: Int
    /// The longest side, in pixels. Default 32768, twice the longest side of any phone photo.
    public var maxSide: Int
    /// The largest file read into memory, in bytes. Default 256 MiB; a 50 MP JPEG is about 25 MB.
    public var maxFileBytes: Int

    public init(maxPixels: Int = 50_000_000, maxSide: Int = 32_768, maxFileBytes: Int = 256 << 20) {
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.maxFileBytes = maxFileBytes
    }

    /// The default limits.
    public static let `default` = ImageLimits()

    /// Throws unless an image of this size is within the limits.
    func check(width: Int, height: Int) throws(ImageError) {
        guard width > 0, height > 0 else { throw .invalidDimensions(width: width, height: height) }
        guard width <= maxSide, height <= maxSide, width.multipliedReportingOverflow(by: height)
            .partialValue <= maxPixels
        else { throw .imageTooLarge(width: width, height: height, limits: self) }
    }
}
