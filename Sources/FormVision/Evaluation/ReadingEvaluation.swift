/// What a labelled photo says is written on it: the part of a label (`docs/labels.md`) that
/// measuring the reader needs. The level is kept as the corpus names it, whatever the name.
public struct ReadingLabel: Sendable, Equatable, Decodable {
    public struct Field: Sendable, Equatable, Decodable {
        public struct Box: Sendable, Equatable, Decodable {
            public var truth: BoxTruth
        }

        public var name: String
        public var value: Int
        public var boxes: [Box]
    }

    public var image: String
    public var template: String
    public var page: Int
    public var station: String
    public var level: String
    public var fields: [Field]

    enum CodingKeys: String, CodingKey {
        case image, template, page, station, level, fields
    }
}

/// Accuracy of the reader against labelled stations, per level: boxes, fields, stations,
/// silent errors, corrections, review and retake rates, and a reliability table.
///
/// A field *matches* when its status is not `review` and its value is the labelled one. A
/// *silent error* is a field whose value is wrong while its status is `confident` or
/// `corrected`: the one failure the reader exists to prevent.
public struct ReadingEvaluation: Sendable, Equatable, Codable {
    /// The box classes of the confusion matrix's rows: the truth (0–9, x, dash, blank).
    public static let truthClasses = (0 ... 9).map(String.init) + ["x", "dash", "blank"]
    /// Its columns: what the classifier read (0–9, mark, blank).
    public static let readClasses = DigitClass.allCases.map(\.name)

    /// The figures of one level.
    public struct Level: Sendable, Equatable, Codable {
        public var photos = 0
        /// Photos that failed to read (`error`) or asked for a retake.
        public var photoErrors = 0
        public var photoRetakes = 0
        public var stations = 0
        /// Stations whose every field matches.
        public var stationsExact = 0
        /// Stations with at least one field in review (retakes included).
        public var stationsInReview = 0
        public var boxes = 0
        public var boxesCorrect = 0
        /// confusion[truth][read], rows `truthClasses`, columns `readClasses`.
        public var confusion = [[Int]](repeating: [Int](repeating: 0, count: 12), count: 13)
        /// Labelled fields (of photos that were read, and of photos that failed: those count as review).
        public var fields = 0
        public var fieldsExact = 0
        public var confident = 0
        public var corrected = 0
        public var review = 0
        /// By review reason.
        public var reviewReasons: [String: Int] = [:]
        /// Wrong values with status confident or corrected, in fields an equality checks and in
        /// fields that rest on the classifier alone.
        public var silentErrorsChecked = 0
        public var silentErrorsUnchecked = 0
        /// Fields no equality checks, and how many of them matched.
        public var uncheckedFields = 0
        public var uncheckedExact = 0
        /// Fields whose boxes' own reading was wrong, and what became of them.
        public var misread = 0
        public var misreadCorrected = 0
        public var misreadReviewed = 0
        /// Corrections that made a right reading wrong.
        public var correctionsWrong = 0
        /// Wrong confident or corrected values in which a box that truly holds an X or a dash
        /// was decided as a significant digit: the 74 → 748 failure.
        public var marksInValues = 0
        /// Right confident or corrected values whose decided boxes still put a digit in a box
        /// that holds an X or a dash (the arithmetic fixed the number, and the boxes shown for it
        /// are arranged otherwise than written: "1 X X" shown as "· · 1").
        public var marksInExplanation = 0
        /// Fields whose truth has an X or a dash somewhere.
        public var fieldsWithMarks = 0
        /// Reliability: by the reported probability, how many fields (not in review) and how many wrong.
        public var reliability: [ReliabilityBin] = ReliabilityBin.bins()

        public var silentErrors: Int { silentErrorsChecked + silentErrorsUnchecked }
    }

    /// Fields whose reported probability lies in [lower, upper).
    public struct ReliabilityBin: Sendable, Equatable, Codable {
        public var lower: Double
        public var upper: Double
        public var fields = 0
        public var wrong = 0

        static func bins() -> [ReliabilityBin] {
            let edges = [0, 0.9, 0.99, 0.999, 0.9999, 1.0000001]
            return zip(edges, edges.dropFirst()).map { ReliabilityBin(lower: $0, upper: $1) }
        }
    }

    /// One field worth showing a person: wrong, corrected or in review.
    public struct Case: Sendable, Equatable, Codable {
        public var level: String
        public var station: String
        public var image: String
        public var field: String
        public var truth: Int
        public var truthBoxes: [String]
        public var reading: FieldReading
        /// `silent_error`, `corrected`, `review` or `wrong_correction`.
        public var kind: String
    }

    public var levels: [String: Level] = [:]
    /// The cases, in the order the stations were added.
    public var cases: [Case] = []

    public init() {}

    /// Adds one station's reading: its labels, in the order of the reading's pages.
    public mutating func add(labels: [ReadingLabel], reading: StationReading) {
        guard let levelName = labels.first?.level else { return }
        var level = levels[levelName] ?? Level()
        level.stations += 1
        var stationExact = true, stationReview = false
        for (label, page) in zip(labels, reading.pages) {
            level.photos += 1
            if page.status == .error { level.photoErrors += 1 }
            if page.status == .retake { level.photoRetakes += 1 }
            for field in label.fields {
                level.fields += 1
                let truthBoxes = field.boxes.map { $0.truth.digit.map(String.init) ?? $0.truth.mark.rawValue }
                if field.boxes.contains(where: { $0.truth.mark == .x || $0.truth.mark == .dash }) { level.fieldsWithMarks += 1 }
                guard page.template == label.template, let read = page.fields[field.name] else {
                    // Not read at all (an error, or the wrong page): that field needs a person.
                    level.review += 1
                    level.reviewReasons[page.error?.kind ?? "wrong_template", default: 0] += 1
                    stationExact = false
                    stationReview = true
                    continue
                }
                addBoxes(field, read, to: &level)
                let matched = read.status != .review && read.value == field.value
                if matched { level.fieldsExact += 1 } else { stationExact = false }
                if read.classifierOnly {
                    level.uncheckedFields += 1
                    if matched { level.uncheckedExact += 1 }
                }
                let misread = read.reading != field.value
                if misread { level.misread += 1 }
                var kind: String?
                switch read.status {
                case .confident: level.confident += 1
                case .corrected:
                    level.corrected += 1
                    if misread && read.value == field.value { level.misreadCorrected += 1 }
                    if !misread { level.correctionsWrong += 1 }
                    kind = "corrected"
                case .review:
                    level.review += 1
                    stationReview = true
                    level.reviewReasons[read.reviewReason?.rawValue ?? "review", default: 0] += 1
                    if misread { level.misreadReviewed += 1 }
                    kind = "review"
                }
                if read.status != .review {
                    let wrong = read.value != field.value
                    if wrong {
                        if read.classifierOnly { level.silentErrorsUnchecked += 1 } else { level.silentErrorsChecked += 1 }
                        kind = read.status == .corrected && !misread ? "wrong_correction" : "silent_error"
                    }
                    for bin in level.reliability.indices where level.reliability[bin].lower <= read.probability
                        && read.probability < level.reliability[bin].upper {
                        level.reliability[bin].fields += 1
                        if wrong { level.reliability[bin].wrong += 1 }
                    }
                    if Self.markIsPartOfValue(truth: field.boxes.map(\.truth), decided: read.boxes.map(\.decided)) {
                        if wrong { level.marksInValues += 1 } else { level.marksInExplanation += 1 }
                    }
                }
                if let kind {
                    cases.append(Case(level: levelName, station: label.station, image: page.image, field: field.name,
                                      truth: field.value, truthBoxes: truthBoxes, reading: read, kind: kind))
                }
            }
        }
        if stationExact { level.stationsExact += 1 }
        if stationReview { level.stationsInReview += 1 }
        levels[levelName] = level
    }

    /// Whether a box that truly holds an X or a dash was decided as a digit that counts: any
    /// digit after the first non-zero one, or a non-zero digit. (An X decided as a leading 0,
    /// "X X 7" as "0 0 7", changes nothing.)
    public static func markIsPartOfValue(truth: [BoxTruth], decided: [String]) -> Bool {
        var significant = false
        for (box, symbol) in zip(truth, decided) {
            guard let digit = Int(symbol) else { continue }
            if digit != 0 { significant = true }
            if significant && (box.mark == .x || box.mark == .dash) { return true }
        }
        return false
    }

    func addBoxes(_ field: ReadingLabel.Field, _ read: FieldReading, to level: inout Level) {
        for (truth, box) in zip(field.boxes, read.boxes) {
            let row: Int
            switch truth.truth.mark {
            case .digit: row = truth.truth.digit ?? 0
            case .x: row = 10
            case .dash: row = 11
            case .blank: row = 12
            }
            guard let column = Self.readClasses.firstIndex(of: box.class) else { continue }
            level.boxes += 1
            level.confusion[row][column] += 1
            // X, dash and blank all mean "no digit": reading one as another is no error.
            let correct = row < 10 ? column == row : column >= 10
            if correct { level.boxesCorrect += 1 }
        }
    }
}
