/// How the stored pixels of a photo relate to the upright picture: the EXIF Orientation tag.
///
/// Phones store pixels as the sensor saw them and record the camera's rotation in this tag.
/// The names say what must be done to the stored pixels to show the picture upright.
public enum Orientation: Int, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Stored upright (EXIF 1).
    case normal = 1
    /// Mirrored left to right (EXIF 2).
    case mirrorHorizontal = 2
    /// Upside down: rotate 180° (EXIF 3).
    case rotate180 = 3
    /// Mirrored top to bottom (EXIF 4).
    case mirrorVertical = 4
    /// Rows and columns swapped (EXIF 5).
    case transpose = 5
    /// Rotate 90° clockwise to show upright (EXIF 6; a phone held upright).
    case rotate90 = 6
    /// Transposed and rotated 180° (EXIF 7).
    case transverse = 7
    /// Rotate 90° counter-clockwise to show upright (EXIF 8).
    case rotate270 = 8

    /// Whether showing the picture upright swaps its width and height.
    public var swapsDimensions: Bool { rawValue >= 5 }

    public var description: String {
        switch self {
        case .normal: "normal"
        case .mirrorHorizontal: "mirror-horizontal"
        case .rotate180: "rotate-180"
        case .mirrorVertical: "mirror-vertical"
        case .transpose: "transpose"
        case .rotate90: "rotate-90"
        case .transverse: "transverse"
        case .rotate270: "rotate-270"
        }
    }

    /// Where the stored pixel at (x, y) lands in the upright picture.
    ///
    /// This is the reference mapping, in pure Swift, that tests hold the shim's fast path to.
    /// - Parameters:
    ///   - x: Column in the stored image.
    ///   - y: Row in the stored image.
    ///   - width: Width of the stored image.
    ///   - height: Height of the stored image.
    public func uprightPosition(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .normal: (x, y)
        case .mirrorHorizontal: (width - 1 - x, y)
        case .rotate180: (width - 1 - x, height - 1 - y)
        case .mirrorVertical: (x, height - 1 - y)
        case .transpose: (y, x)
        case .rotate90: (height - 1 - y, x)
        case .transverse: (height - 1 - y, width - 1 - x)
        case .rotate270: (y, width - 1 - x)
        }
    }
}
