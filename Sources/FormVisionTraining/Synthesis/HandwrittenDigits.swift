import FormVision

/// Real handwritten digits from OpenCV's `digits.png` (MNIST-derived), split once and for all
/// into a training part and a held-out part.
///
/// `digits.png` is 2000×1000 gray: 100 columns × 50 rows of 20×20 cells, white ink on black,
/// five rows per class (rows 0–4 are zeros, 5–9 ones, …). The split is fixed by position:
/// columns 90–99 of every row are held out (500 digits, 50 per class) and columns 0–89 are for
/// training (4,500 digits). Corpora that measure accuracy write only held-out digits, and no
/// model may train on them. `scripts/setup.sh` extracts the file from Debian's opencv-doc.
public struct HandwrittenDigits: Sendable {
    /// One 20×20 digit: `pixels` row-major, 0 = paper, 255 = ink.
    public struct Sample: Sendable, Equatable {
        public var digit: Int
        public var pixels: [UInt8]
        /// Where it came from in digits.png (row 0–49, column 0–99).
        public var row: Int
        public var column: Int
    }

    /// Which part of the fixed split.
    public enum Split: String, Sendable, Codable, CaseIterable {
        case training
        case heldOut = "held_out"
        /// Not digits.png at all: the two handwriting fonts held out of the classifier's
        /// training (`HandwritingFont.Role.heldOut`), for stress corpora (`init(faces:perDigit:seed:)`).
        case heldOutFonts = "held_out_fonts"

        /// The digits.png columns of this part (none for `heldOutFonts`).
        public var columns: Range<Int> {
            switch self {
            case .training: 0 ..< 90
            case .heldOut: 90 ..< 100
            case .heldOutFonts: 0 ..< 0
            }
        }
    }

    public static let cellSize = 20
    public static let columns = 100
    public static let rows = 50
    public static let rowsPerClass = 5

    /// Samples by class: `samples[d]` are the digits d of this part, in row-major order.
    public let samples: [[Sample]]
    public let split: Split

    /// Cuts the samples of one part out of the digits.png image.
    ///
    /// - Throws: `ImageError.invalidImage` unless the image is 2000×1000.
    public init(image: Image, split: Split) throws(ImageError) {
        try self.init(image: image, split: split, columns: split.columns)
    }

    /// Cuts out only some columns of one part: for experiments that keep a validation slice of
    /// the training columns (say 80–89) out of training, so that choices are made without
    /// looking at the held-out columns.
    ///
    /// - Throws: `ImageError.invalidImage` unless the image is 2000×1000 and the columns lie
    ///   inside the part.
    public init(image: Image, split: Split, columns: Range<Int>) throws(ImageError) {
        try self.init(image: image, split: split, columns: [columns])
    }

    /// Cuts out several column ranges of one part, row by row in column order: for validation
    /// folds whose training columns lie on both sides of the measured ones.
    ///
    /// - Throws: `ImageError.invalidImage` unless the image is 2000×1000 and the ranges are
    ///   non-empty, disjoint and inside the part.
    public init(image: Image, split: Split, columns ranges: [Range<Int>]) throws(ImageError) {
        let ranges = ranges.sorted { $0.lowerBound < $1.lowerBound }
        for (n, columns) in ranges.enumerated() {
            guard split.columns.lowerBound <= columns.lowerBound, columns.upperBound <= split.columns.upperBound, !columns.isEmpty else {
                throw .invalidImage(reason: "columns \(columns) are not inside the \(split.rawValue) columns \(split.columns)")
            }
            guard n == 0 || ranges[n - 1].upperBound <= columns.lowerBound else {
                throw .invalidImage(reason: "columns \(ranges[n - 1]) and \(columns) overlap")
            }
        }
        guard !ranges.isEmpty else { throw .invalidImage(reason: "no columns given") }
        let gray = image.format == .gray8 ? image : nil
        guard let gray, gray.width == Self.columns * Self.cellSize, gray.height == Self.rows * Self.cellSize else {
            throw .invalidImage(reason: "digits.png must be a 2000×1000 gray image, not \(image.width)×\(image.height) \(image.format)")
        }
        var byClass = [[Sample]](repeating: [], count: 10)
        for row in 0 ..< Self.rows {
            for column in ranges.joined() {
                var pixels = [UInt8]()
                pixels.reserveCapacity(Self.cellSize * Self.cellSize)
                for y in 0 ..< Self.cellSize {
                    let start = (row * Self.cellSize + y) * gray.rowStride + column * Self.cellSize
                    pixels += gray.storage[start ..< start + Self.cellSize]
                }
                let digit = row / Self.rowsPerClass
                byClass[digit].append(Sample(digit: digit, pixels: pixels, row: row, column: column))
            }
        }
        samples = byClass
        self.split = split
    }

    /// Loads one part of the split from a digits.png file.
    public static func load(contentsOfFile path: String, split: Split, columns: Range<Int>? = nil) throws(ImageError) -> HandwrittenDigits {
        try HandwrittenDigits(image: ImageDecoder().decode(contentsOfFile: path), split: split, columns: columns ?? split.columns)
    }

    /// Loads several column ranges of one part from a digits.png file.
    public static func load(contentsOfFile path: String, split: Split, columns: [Range<Int>]) throws(ImageError) -> HandwrittenDigits {
        try HandwrittenDigits(image: ImageDecoder().decode(contentsOfFile: path), split: split, columns: columns)
    }

    /// Digits drawn from handwriting fonts instead of digits.png, in the same 20 × 20 form:
    /// each sample is one font's glyph filled at a random height (13–17 px of the 20) and
    /// slant, and, when its strokes are thin, thickened by a pixel in some (a heavier pen). The writers then draw them as
    /// they draw digits.png digits.
    ///
    /// - Parameters:
    ///   - faces: The fonts, for example `HandwritingFont.faces(.heldOut)`.
    ///   - perDigit: Samples per digit, shared out over the faces in turn.
    public init(faces: [DigitFace], perDigit: Int, seed: UInt64) {
        precondition(!faces.isEmpty && perDigit > 0, "at least one face and one sample per digit")
        var g = SeededGenerator(seed: seed)
        let side = Self.cellSize
        var byClass = [[Sample]](repeating: [], count: 10)
        for digit in 0 ..< 10 {
            for n in 0 ..< perDigit {
                let face = faces[n % faces.count]
                let height = g.uniform(13 ... 17), slant = g.uniform(-0.15 ... 0.15)
                let centre = Point(Double(side) / 2, Double(side) / 2)
                let contours = face.glyphs[digit].contours.map { contour in
                    contour.map { p in centre + Point((p.x - slant * p.y) * height, p.y * height) }
                }
                var image = Image(width: side, height: side, format: .gray8)
                PolygonFill.fill(contours, into: &image)
                // Only thin glyphs get a heavier pen: a bold one would close its holes.
                if g.chance(0.4), TrainingCells.strokeWidth(image) < 2.5 { TrainingCells.dilate(&image) }
                byClass[digit].append(Sample(digit: digit, pixels: Array(image.storage.prefix(side * side)), row: n, column: -1))
            }
        }
        samples = byClass
        split = .heldOutFonts
    }

    /// The number of samples in this part.
    public var count: Int { samples.reduce(0) { $0 + $1.count } }
}
