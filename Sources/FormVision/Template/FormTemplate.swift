/// One printed page of a KPU form, as data: its size, its fiducial markers, the fields where
/// numbers are written, the arithmetic those numbers obey, and (optionally) what is printed.
///
/// All geometry is in millimetres on the page, origin at the top-left corner of the upright
/// page, x to the right, y down. A template is a value: load it from JSON
/// (`FormTemplate.load(json:)`), check it (`validate()`), or take a built-in one
/// (`TemplateCatalog.builtIn`).
///
/// JSON uses snake_case keys; `docs/template-format.md` documents every key.
public struct FormTemplate: Sendable, Equatable, Codable {
    /// The template format this code reads and writes.
    public static let currentSchemaVersion = 1

    /// The format version of this template; must equal `currentSchemaVersion`.
    public var schemaVersion: Int
    /// A stable identifier, for example "c-hasil-kwk-p2-3" (lowercase letters, digits, dashes).
    public var id: String
    /// A human-readable title.
    public var title: String
    /// The form family this page belongs to, for example "c-hasil-kwk". Form sets (`FormSet`)
    /// combine pages of one family; one page may serve several sets.
    public var family: String
    /// The page number within its form set, from 1.
    public var page: Int
    /// Width and height of the page, in mm.
    public var pageSize: Size
    /// The fiducial markers printed on the page. Their ids identify the template and the page.
    public var markers: [Marker]
    /// The fields where numbers are written.
    public var fields: [Field]
    /// Arithmetic that the fields of this page obey on their own.
    public var relations: [Relation]
    /// What is printed besides markers and boxes: text and rules. Used only to render the blank form.
    public var printing: Printing

    public init(id: String, title: String, family: String, page: Int, pageSize: Size, markers: [Marker],
                fields: [Field], relations: [Relation], printing: Printing = Printing()) {
        self.schemaVersion = FormTemplate.currentSchemaVersion
        self.id = id
        self.title = title
        self.family = family
        self.page = page
        self.pageSize = pageSize
        self.markers = markers
        self.fields = fields
        self.relations = relations
        self.printing = printing
    }

    /// A width and a height, in mm.
    public struct Size: Sendable, Equatable, Codable {
        public var width: Double
        public var height: Double

        public init(width: Double, height: Double) {
            self.width = width
            self.height = height
        }

        /// ISO A4 portrait.
        public static let a4 = Size(width: 210, height: 297)
    }

    /// A square fiducial marker (an AprilTag).
    public struct Marker: Sendable, Equatable, Codable {
        /// The tag family, for example "tag36h11".
        public var family: String
        /// The tag's id within its family.
        public var id: Int
        /// The centre of the tag, in mm.
        public var center: Point
        /// The side of the tag's outer black square, in mm (the white quiet zone around it is extra).
        public var size: Double

        public init(family: String, id: Int, center: Point, size: Double) {
            self.family = family
            self.id = id
            self.center = center
            self.size = size
        }

        /// The black square, in mm.
        public var rect: Rect { Rect(x: center.x - size / 2, y: center.y - size / 2, width: size, height: size) }
    }

    /// A place on the form where one number is written.
    public struct Field: Sendable, Equatable, Codable {
        /// What is written in a field.
        public enum Kind: String, Sendable, Equatable, Codable {
            /// One handwritten digit per box, most significant first.
            case digitBoxes = "digit_boxes"
        }

        /// A stable name, unique within the form set, for example "votes_pair_1".
        public var name: String
        /// The field's label as printed on the form (Indonesian).
        public var label: String
        /// What is written there.
        public var kind: Kind
        /// The boxes, most significant digit first; each rectangle is the inside edge of the
        /// printed box line, in mm.
        public var boxes: [Rect]

        public init(name: String, label: String, kind: Kind = .digitBoxes, boxes: [Rect]) {
            self.name = name
            self.label = label
            self.kind = kind
            self.boxes = boxes
        }

        /// The largest value the boxes can hold (999 for three boxes).
        public var capacity: Int {
            var value = 1
            for _ in boxes { value *= 10 }
            return value - 1
        }
    }

    /// Printed text and rules, for rendering the blank form.
    public struct Printing: Sendable, Equatable, Codable {
        /// A line of printed text.
        public struct Text: Sendable, Equatable, Codable {
            /// Where the text's anchor is.
            public enum Alignment: String, Sendable, Equatable, Codable {
                case left, center, right
            }

            public var text: String
            /// The anchor on the baseline, in mm.
            public var position: Point
            /// Cap height, in mm.
            public var size: Double
            /// Whether the text is bold.
            public var bold: Bool
            public var alignment: Alignment

            public init(_ text: String, at position: Point, size: Double, bold: Bool = false,
                        alignment: Alignment = .left) {
                self.text = text
                self.position = position
                self.size = size
                self.bold = bold
                self.alignment = alignment
            }
        }

        /// A straight printed rule.
        public struct Line: Sendable, Equatable, Codable {
            public var from: Point
            public var to: Point
            /// Stroke width, in mm.
            public var width: Double

            public init(from: Point, to: Point, width: Double) {
                self.from = from
                self.to = to
                self.width = width
            }
        }

        public var texts: [Text]
        public var lines: [Line]
        /// Stroke width of the printed box outlines, in mm; drawn outside each box rectangle.
        public var boxLineWidth: Double

        public init(texts: [Text] = [], lines: [Line] = [], boxLineWidth: Double = 0.35) {
            self.texts = texts
            self.lines = lines
            self.boxLineWidth = boxLineWidth
        }
    }

    /// The field with a name, if any.
    public func field(named name: String) -> Field? { fields.first { $0.name == name } }

    /// The page rectangle, in mm.
    public var pageRect: Rect { Rect(x: 0, y: 0, width: pageSize.width, height: pageSize.height) }
}
