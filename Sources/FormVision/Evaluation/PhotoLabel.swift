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

        public init(
            width: Int,
            height: Int,
            orientation: Int,
            jpegQuality: Int
        ) {
            self.width = width
            self.height = height
            self.orientation = orientation
            self.jpegQuality = jpegQuality
        }
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
        /// The greatest height of the sheet above the table, mm, when it lifts off it (curled,
        /// folded, on bumps); absent for a sheet lying flat or bent only within its plane.
        public var liftMillimetres: Double?

        public init(
            background: String,
            folds: Int,
            curl: Bool,
            shadow: Bool,
            yellowLight: Bool,
            blurSigma: Double,
            motionBlur: Double,
            noiseSigma: Double,
            pixelsPerMillimetre: Double,
            liftMillimetres: Double? = nil
        ) {
            self.background = background
            self.folds = folds
            self.curl = curl
            self.shadow = shadow
            self.yellowLight = yellowLight
            self.blurSigma = blurSigma
            self.motionBlur = motionBlur
            self.noiseSigma = noiseSigma
            self.pixelsPerMillimetre = pixelsPerMillimetre
            self.liftMillimetres = liftMillimetres
        }
    }

    public struct Box: Sendable, Equatable, Codable {
        public var truth: BoxTruth
        public var corners: [Point]

        public init(
            truth: BoxTruth,
            corners: [Point]
        ) {
            self.truth = truth
            self.corners = corners
        }
    }

    public struct Field: Sendable, Equatable, Codable {
        public var name: String
        public var value: Int
        public var boxes: [Box]

        public init(
            name: String,
            value: Int,
            boxes: [Box]
        ) {
            self.name = name
            self.value = value
            self.boxes = boxes
        }
    }

    public struct Marker: Sendable, Equatable, Codable {
        public var family: String
        public var id: Int
        public var corners: [Point]

        public init(
            family: String,
            id: Int,
            corners: [Point]
        ) {
            self.family = family
            self.id = id
            self.corners = corners
        }
    }

    public var schemaVersion: Int
    public var image: String
    public var formSet: String
    public var template: String
    public var page: Int
    public var station: String
    /// The corpus's own name for its photo conditions (`synth` writes `scan`, `phone`, `hard`;
    /// another corpus may use any name, which evaluation reports as given).
    public var level: String
    public var seed: UInt64
    /// Which handwriting the generator drew from (`training`, `held_out`, `held_out_fonts`).
    public var digitsSplit: String
    public var photo: Photo
    public var conditions: Conditions
    public var writer: WriterStyle
    /// Every field of the station, on every page, so cross-page relations can be checked.
    public var stationValues: [String: Int]
    /// The fields of this page.
    public var fields: [Field]
    public var pageCorners: [Point]
    public var markers: [Marker]

    public init(
        schemaVersion: Int,
        image: String,
        formSet: String,
        template: String,
        page: Int,
        station: String,
        level: String,
        seed: UInt64,
        digitsSplit: String,
        photo: Photo,
        conditions: Conditions,
        writer: WriterStyle,
        stationValues: [String: Int],
        fields: [Field],
        pageCorners: [Point],
        markers: [Marker]
    ) {
        self.schemaVersion = schemaVersion
        self.image = image
        self.formSet = formSet
        self.template = template
        self.page = page
        self.station = station
        self.level = level
        self.seed = seed
        self.digitsSplit = digitsSplit
        self.photo = photo
        self.conditions = conditions
        self.writer = writer
        self.stationValues = stationValues
        self.fields = fields
        self.pageCorners = pageCorners
        self.markers = markers
    }
}
