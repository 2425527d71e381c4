/// The label of one synthetic photo: what form, page and station it shows, every field's true
/// value, every box's true mark, and where the page, the markers and every box are in the photo.
///
/// Written as JSON beside each photo (snake_case keys; `docs/labels.md` documents them).
/// Photo coordinates are pixels of the upright photo, after the EXIF orientation is applied,
/// with the top-left corner of the top-left pixel at (0, 0). Corners are listed top-left,
/// top-right, bottom-right, bottom-left of the upright page.
public struct PhotoLabel: Sendable, Equatable, Codable {
    public static let currentSchemaVersion = 1

    public struct Photo: Sendable, Equatable, Codable {
        public var width: Int
        public var height: Int
        /// EXIF orientation stored in the file (1–8).
        public var orientation: Int
        public var jpegQuality: Int
    }

    /// The simulated conditions, for slicing accuracy by cause.
    public struct Conditions: Sendable, Equatable, Codable {
        public var background: String
        public var folds: Int
        public var curl: Bool
        public var shadow: Bool
        public var yellowLight: Bool
        public var blurSigma: Double
        public var motionBlur: Double
        public var noiseSigma: Double
        /// Page pixels per mm at the page centre: how large the boxes are.
        public var pixelsPerMillimetre: Double
    }

    public struct Box: Sendable, Equatable, Codable {
        public var truth: BoxTruth
        public var corners: [Point]
    }

    public struct Field: Sendable, Equatable, Codable {
        public var name: String
        public var value: Int
        public var boxes: [Box]
    }

    public struct Marker: Sendable, Equatable, Codable {
        public var family: String
        public var id: Int
        public var corners: [Point]
    }

    public var schemaVersion: Int
    public var image: String
    public var formSet: String
    public var template: String
    public var page: Int
    public var station: String
    public var level: PhotoLevel
    public var seed: UInt64
    /// Which part of the digits.png split the handwriting came from.
    public var digitsSplit: HandwrittenDigits.Split
    public var photo: Photo
    public var conditions: Conditions
    public var writer: WriterStyle
    /// Every field of the station, on every page, so cross-page relations can be checked.
    public var stationValues: [String: Int]
    /// The fields of this page.
    public var fields: [Field]
    public var pageCorners: [Point]
    public var markers: [Marker]
}
