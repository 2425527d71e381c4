/// The reader's verdict on one field: its value, how far to trust it, and everything a review
/// screen needs to show and explain it.
///
/// Every field has exactly one status:
/// - `confident`: the value's probability given the boxes and the relations is at least the
///   reader's threshold, and it is what the boxes themselves read;
/// - `corrected`: the boxes' own best reading was different, and the relations force the new
///   value with the same certainty (`correction` says what changed and which relations forced it);
/// - `review`: anything else; `value` is then null, `review_reason` says why and
///   `review_boxes` which boxes caused the doubt. `candidates` lists the likeliest values.
public struct FieldReading: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Equatable, Codable {
        case confident, corrected, review
    }

    /// Why a field goes to a person.
    public enum ReviewReason: String, Sendable, Equatable, Codable, CaseIterable {
        /// No value is probable enough, even with the arithmetic.
        case lowConfidence = "low_confidence"
        /// The boxes as read break a relation, and no single value is forced by the others.
        case arithmeticConflict = "arithmetic_conflict"
        /// A mark stands between digits ("7 X 4"), or a box that looks like an X is read as a
        /// digit in a field no equality checks.
        case ambiguousMarks = "ambiguous_marks"
        /// No box holds a digit and no equality confirms that the field is 0.
        case empty
        /// The boxes read a value above a bound of the form (more than 600 voters).
        case outOfRange = "out_of_range"
        /// The photo should be taken again (see the page's `retake_reasons`).
        case retake
        /// The search over consistent values ran out of budget.
        case searchLimit = "search_limit"
        /// The field's boxes were not found on their printed lines: the photo's page model may
        /// put them somewhere else (a bent sheet, lines hidden), so their cells are not read.
        case boxNotFound = "box_not_found"
    }

    /// What the relations changed.
    public struct Correction: Sendable, Equatable, Codable {
        /// The boxes' own best reading.
        public var from: Int
        /// The value the relations force.
        public var to: Int
        /// The relations (as formulas) that the reading broke and the new value satisfies.
        public var relations: [String]
        /// The boxes (0 = most significant) whose symbol changed.
        public var boxes: [Int]
    }

    /// One box: what the classifier saw and where the box is.
    public struct Box: Sendable, Equatable, Codable {
        /// The classifier's most probable class: "0"…"9", "mark" or "blank".
        public var `class`: String
        /// The classifier's probability of every class (calibrated, before the reader's floor).
        public var probabilities: [String: Double]
        /// The symbol this box stands for in the decided value: "0"…"9", or "none" for no digit.
        public var decided: String
        /// The box's inside corners in photo pixels: top-left, top-right, bottom-right, bottom-left.
        public var corners: [[Double]]
    }

    /// A value with its posterior, for review screens.
    public struct Candidate: Sendable, Equatable, Codable {
        public var value: Int
        public var probability: Double
    }

    /// The value to use; null when the field needs review.
    public var value: Int?
    public var status: Status
    /// P(value | boxes, relations) for the decided value (also for a field in review, where it
    /// is the probability of the likeliest candidate).
    public var probability: Double
    /// The equality relations that checked this field (formulas). Empty: the value rests on the
    /// classifier alone (`classifier_only`).
    public var checkedBy: [String]
    /// The inequalities that bound it.
    public var boundedBy: [String]
    public var classifierOnly: Bool
    /// The value the boxes themselves read best, before any arithmetic.
    public var reading: Int
    /// The probability of that reading from the boxes alone.
    public var readingProbability: Double
    /// How the decided value's boxes are laid out (`contiguous`, `mark_between_digits`, `empty`).
    public var pattern: BoxPattern
    public var correction: Correction?
    public var reviewReason: ReviewReason?
    public var reviewBoxes: [Int]?
    /// The likeliest values with their posteriors (at most three), most probable first.
    public var candidates: [Candidate]
    /// Explanations of decisions that are not errors, for example "empty, read as 0: confirmed by …".
    public var notes: [String]
    public var boxes: [Box]
}

/// One relation of the form, evaluated on the values the reader returns.
public struct RelationCheck: Sendable, Equatable, Codable {
    /// The relation as a formula.
    public var relation: String
    /// `sum_equals`, `equals`, `less_or_equal` or `upper_bound`.
    public var kind: String
    public var fields: [String]
    /// The returned values (null for a field in review or missing).
    public var values: [String: Int?]
    /// Whether the relation holds on the returned values; null when a value is missing.
    public var holds: Bool?
    /// Whether it held on the boxes' own readings, before any correction.
    public var holdsAsRead: Bool?
}
