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
    /// The corner marks printed at the corners of the printed area (the 2024 KPU forms), if
    /// any; absent from the JSON when there are none.
    public var cornerMarks: [CornerMark]?

    public init(id: String, title: String, family: String, page: Int, pageSize: Size, markers: [Marker],
                fields: [Field], relations: [Relation], printing: Printing = Printing(), cornerMarks: [CornerMark]? = nil) {
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
        self.cornerMarks = cornerMarks
    }

    /// A corner mark: two filled black squares that touch at one corner, the upper-left one and
    /// the lower-right one (the same way round at every corner of the page), as KPU prints them
    /// at the corners of the 2024 forms.
    public struct CornerMark: Sendable, Equatable, Codable {
        /// Where the two squares touch, mm.
        public var center: Point
        /// The side of each square, mm.
        public var square: Double

        public init(center: Point, square: Double) {
            self.center = center
            self.square = square
        }

        /// The upper-left and the lower-right square, mm.
        public var squares: [Rect] {
            [Rect(x: center.x - square, y: center.y - square, width: square, height: square),
             Rect(x: center.x, y: center.y, width: square, height: square)]
        }

        /// The rectangle around both squares, mm.
        public var rect: Rect { Rect(x: center.x - square, y: center.y - square, width: 2 * square, height: 2 * square) }
    }

    /// A column of OMR bubbles under a digit box: one circle per digit, 0 to 9 from the top,
    /// which the officer blackens to repeat the digit written in the box.
    public struct BubbleColumn: Sendable, Equatable, Codable {
        /// The circles' centres, digit 0 first, mm.
        public var centers: [Point]
        /// The radius of each circle's printed outline (to the middle of its line), mm.
        public var radius: Double

        public init(centers: [Point], radius: Double) {
            self.centers = centers
            self.radius = radius
        }
    }

    /// A writing guide printed faintly inside a box: where the officer should put the digit.
    public struct Guide: Sendable, Equatable, Codable {
        /// The guide's drawing.
        public enum Kind: String, Sendable, Equatable, Codable {
            /// The segments of a seven-segment digit 8 (two stacked rectangles), dotted.
            case sevenSegmentDotted = "seven_segment_dotted"
        }

        public var kind: Kind
        /// How far the guide's outline lies inside the box, horizontally and vertically, mm.
        public var inset: Point

        public init(kind: Kind, inset: Point) {
            self.kind = kind
            self.inset = inset
        }

        /// The guide's dotted lines in a box: the outline and middle bar of an 8. The box may be
        /// in any unit; `scale` is that unit's size in mm (pixels per mm for a box in pixels).
        public func segments(in box: Rect, scale: Double = 1) -> [(Point, Point)] {
            let r = Rect(x: box.minX + inset.x * scale, y: box.minY + inset.y * scale,
                         width: box.width - 2 * inset.x * scale, height: box.height - 2 * inset.y * scale)
            let middle = r.minY + r.height / 2
            return [
                (Point(r.minX, r.minY), Point(r.maxX, r.minY)), (Point(r.minX, middle), Point(r.maxX, middle)),
                (Point(r.minX, r.maxY), Point(r.maxX, r.maxY)), (Point(r.minX, r.minY), Point(r.minX, r.maxY)),
                (Point(r.maxX, r.minY), Point(r.maxX, r.maxY)),
            ]
        }
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
        /// One column of OMR bubbles per box, in the boxes' order, when the form prints them.
        public var bubbles: [BubbleColumn]?
        /// The writing guide printed inside every box, if any.
        public var guide: Guide?

        public init(name: String, label: String, kind: Kind = .digitBoxes, boxes: [Rect], bubbles: [BubbleColumn]? = nil,
                    guide: Guide? = nil) {
            self.name = name
            self.label = label
            self.kind = kind
            self.boxes = boxes
            self.bubbles = bubbles
            self.guide = guide
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
            /// The gray level of a rule printed lighter than the ink (a tally grid, a frame),
            /// 0 to 255; absent for full ink.
            public var gray: UInt8?

            public init(from: Point, to: Point, width: Double, gray: UInt8? = nil) {
                self.from = from
                self.to = to
                self.width = width
                self.gray = gray
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
