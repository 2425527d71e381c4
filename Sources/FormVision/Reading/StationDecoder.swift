/// What the reader knows about one field before the arithmetic: the classifier's probabilities
/// for each of its boxes, and where the boxes are in the photo.
public struct FieldEvidence: Sendable, Equatable {
    public var name: String
    /// Per box, 12 class probabilities in `DigitClass` order.
    public var boxes: [[Float]]
    /// Per box, its four corners in photo pixels (may be empty in tests).
    public var corners: [[Point]]
    /// True when the field's photo asked for a retake: the field is decoded but goes to review.
    public var retake: Bool
    /// Which photo of the station the field is on (its floor is measured per photo).
    public var photo: Int
    /// False when the geometry did not find the field's boxes on their printed lines
    /// (`BoxVerifier`): the cells may show some other place of the page, so their
    /// probabilities are no evidence of this field's value.
    public var located: Bool

    public init(name: String, boxes: [[Float]], corners: [[Point]] = [], retake: Bool = false, photo: Int = 0,
                located: Bool = true) {
        self.name = name
        self.boxes = boxes
        self.corners = corners
        self.retake = retake
        self.photo = photo
        self.located = located
    }

    /// The box probabilities the decoding may use: the classifier's, or for a field whose boxes
    /// were not found, every class alike (no evidence), so that cells read from the wrong place
    /// cannot move the fields related to it.
    var evidenceBoxes: [[Float]] {
        located ? boxes : boxes.map { [Float](repeating: 1 / Float($0.count), count: $0.count) }
    }
}

/// Turns the evidence of a station's fields into checked values: builds each field's
/// likelihood, decodes all fields together under the relations (`JointDecoder`), and gives
/// every field its status.
///
/// The rules, in order:
/// 1. A field whose photo needs a retake goes to review (`retake`), and a field whose boxes were
///    not found on their printed lines goes to review (`box_not_found`); its cells count as no
///    evidence in the decoding of the others.
/// 2. An incomplete search sends every field to review (`search_limit`). One node budget
///    (`JointDecoder.Parameters.nodeBudget`) covers the whole station: its decodings together,
///    the uniqueness check's included, never visit more nodes than that.
/// 3. A value whose posterior is below `confidence` (`classifierOnlyConfidence` for a field no
///    equality checks) goes to review, with the reason that best
///    explains the doubt: `out_of_range` (the reading breaks a bound), `arithmetic_conflict`
///    (the reading breaks an equality), `empty`, `ambiguous_marks`, or `low_confidence`.
/// 4. Above it, a field no equality checks still goes to review when its value has no digit
///    (`empty`), a mark between digits, or a digit box that the classifier also finds X-like
///    (`markDoubt`): those are the cases where a classifier alone is known to fail.
/// 5. Otherwise the field is `confident` when the value is what its boxes read, and `corrected`
///    when the relations moved it.
public struct StationDecoder: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// ε: every class probability is floored to (1 − ε) p + ε / 12 before decoding, as if any
        /// box could be misread with this chance whatever the classifier says
        /// (`FieldLikelihood`). 0.002 is the committed network's measured rate of held-out
        /// digits read wrong at a probability of 0.99 or more (README, "The digit classifier").
        /// This is the least ε; see `floorPerUncertainty`.
        public var floor = 0.002
        /// A photo's ε grows with how unsure the classifier is on it: ε = max(`floor`, k · u),
        /// where u is the mean over the photo's boxes of 1 − the top class probability. On a
        /// blurred or dark photo the classifier is less sure of every box, and the boxes it is
        /// sure of are also more often wrong. 0 turns this off.
        public var floorPerUncertainty = 0.0
        /// A field is confident or corrected only when P(value | boxes, relations) is at
        /// least this.
        public var confidence = 0.995
        /// The posterior a field that no equality checks needs to be confident. Such a value
        /// rests on the classifier alone, and the classifier's calibrated probabilities say it
        /// is wrong about as often as 1 − posterior: at 0.99, about 1 % of such fields would be
        /// silent errors. Under the floor a three-box field cannot reach 0.999, so by default
        /// these fields always go to a person; lower it (to 0.99, say) to accept the
        /// classifier's own certainty there, and count their errors apart (`eval` does).
        public var classifierOnlyConfidence = 0.999
        /// The uniqueness check: a value must also clear `confidence` when every class
        /// probability below `uniquenessCut` is replaced by `uniquenessWeight`. Then every
        /// unlikely change of one box costs the same, whatever the classifier's runners-up say,
        /// so two different one-box repairs of a sum weigh alike and the field goes to review
        /// (DECODING.md: "a correction that is only the best of several"), while a repair the
        /// relations single out still clears it (two-box alternatives weigh 10⁻⁵ as much each).
        /// A runner-up below the cut says nothing about which box is wrong: a correct box's
        /// runner-up at 0.5 % must not outvote a confidently misread box whose true class got
        /// 10⁻⁶. 0 turns the check off.
        public var uniquenessCut = 0.05
        public var uniquenessWeight = 1e-5

        /// In a field no equality checks, a box read as a digit whose probability of being a
        /// mark is at least this sends the field to review: an X read as a digit is the
        /// classifier's best-known failure (74 → 748).
        public var markDoubt = 0.02

        /// The share of the station's node budget kept for the uniqueness check (which costs
        /// about as much as the decoding it checks); the decoding may spend the rest, and the
        /// check gets whatever the decoding left.
        public var checkShare = 0.5
        /// For a station of several photos: the share of the decoding's nodes that decoding
        /// all photos at once may spend before the photos are decoded one at a time with the
        /// rest.
        public var wholeStationShare = 0.5

        public init() {}
    }

    public var parameters: Parameters
    public var decoder: JointDecoder

    public init(parameters: Parameters = Parameters(), decoder: JointDecoder = JointDecoder()) {
        self.parameters = parameters
        self.decoder = decoder
    }

    /// The decided fields, in the order given, and every applicable relation checked.
    public struct Outcome: Sendable, Equatable {
        public var fields: [String: FieldReading]
        public var checks: [RelationCheck]
        public var decoding: JointDecoder.Decoding
        /// Search nodes the station's decodings visited together, the uniqueness check's
        /// included; never more than `JointDecoder.Parameters.nodeBudget`.
        public var searchNodes: Int
    }

    /// Decodes a station's fields under the relations that apply to them.
    public func decode(_ evidence: [FieldEvidence], relations: [Relation]) -> Outcome {
        let names = Set(evidence.map(\.name))
        let applicable = JointDecoder.applicable(relations, fields: names)
        let floors = photoFloors(evidence)
        let likelihoods = evidence.map {
            FieldLikelihood(name: $0.name, boxes: $0.evidenceBoxes, floor: floors[$0.photo] ?? parameters.floor)
        }
        let budget = max(0, decoder.parameters.nodeBudget)
        let checking = parameters.uniquenessCut > 0
        let decodingLimit = checking ? JointDecoder.share(budget, parameters.checkShare, complement: true) : budget
        let photos = Set(evidence.map(\.photo))
        var decoding: JointDecoder.Decoding
        var used = applicable
        if photos.count > 1 {
            let whole = decoder.decode(likelihoods, relations: applicable,
                                       nodeLimit: JointDecoder.share(decodingLimit, parameters.wholeStationShare))
            decoding = whole
            if !whole.complete {
                // Too much to search at once: each photo on its own, with the relations among its
                // own fields only, on what the whole-station search left.
                (decoding, used) = perPhoto(evidence, likelihoods, relations: applicable, nodeLimit: decodingLimit - whole.nodes)
                decoding.nodes += whole.nodes
            }
        } else {
            decoding = decoder.decode(likelihoods, relations: applicable, nodeLimit: decodingLimit)
        }
        var nodes = decoding.nodes
        // The same decoding with every unlikely class alike: is the decision singled out?
        var unique: JointDecoder.Decoding?
        var checkIncomplete = false
        if checking, decoding.values != nil {
            let coarse = evidence.map { field in
                FieldLikelihood(name: field.name, boxes: field.evidenceBoxes.map(flattened), floor: 0)
            }
            let check = decoder.decode(coarse, relations: used, nodeLimit: budget - nodes)
            nodes += check.nodes
            // Judged on the fine decoding's values; a different best assignment counts as doubt.
            checkIncomplete = !check.complete
            unique = check.complete && check.values != nil ? check : nil
        }
        // What the boxes read, the cells of unlocated fields included (for the output and the
        // relations' `holds_as_read`; the decoding above gave those cells no weight).
        let seen = evidence.indices.map { i in
            evidence[i].located ? likelihoods[i]
                : FieldLikelihood(name: evidence[i].name, boxes: evidence[i].boxes, floor: floors[evidence[i].photo] ?? parameters.floor)
        }
        let readings = Dictionary(uniqueKeysWithValues: seen.map { ($0.name, $0.reading) })
        var fields: [String: FieldReading] = [:]
        for (i, item) in evidence.enumerated() {
            fields[item.name] = judge(item, seen[i], index: i, decoding: decoding, unique: unique,
                                      checkIncomplete: checkIncomplete, relations: used, readings: readings)
        }
        let values = fields.mapValues(\.value)
        let checks = applicable.map { relation in
            RelationCheck(relation: relation.description, kind: relation.kind, fields: relation.fieldNames,
                          values: Dictionary(uniqueKeysWithValues: relation.fieldNames.map { ($0, values[$0] ?? nil) }),
                          holds: relation.holds(values.compactMapValues { $0 }), holdsAsRead: relation.holds(readings))
        }
        return Outcome(fields: fields, checks: checks, decoding: decoding, searchNodes: nodes)
    }

    func judge(_ evidence: FieldEvidence, _ likelihood: FieldLikelihood, index i: Int, decoding: JointDecoder.Decoding,
               unique: JointDecoder.Decoding?, checkIncomplete: Bool = false, relations: [Relation],
               readings: [String: Int]) -> FieldReading {
        let mine = relations.filter { $0.fieldNames.contains(evidence.name) }
        let equalities = mine.filter(\.isEquality)
        let reading = likelihood.reading
        let decided = decoding.values?[i] ?? reading
        // The smaller of the fine and the coarse posterior: both must clear the threshold.
        var probability = decoding.posterior(i, decided)
        if parameters.uniquenessCut > 0 { probability = min(probability, unique?.posterior(i, decided) ?? 0) }
        let row = likelihood.bestRow[decided]
        let pattern = likelihood.bestPattern[decided]
        let candidates = decoding.posteriors[i].sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .prefix(3).map { FieldReading.Candidate(value: $0.key, probability: Self.rounded($0.value)) }
        let readingRow = likelihood.bestRow[reading]
        let changedBoxes = row.indices.filter { row[$0] != readingRow[$0] }
        var notes: [String] = []

        func review(_ reason: FieldReading.ReviewReason, boxes: [Int]? = nil) -> FieldReading {
            make(value: nil, status: .review, reason: reason, reviewBoxes: boxes ?? doubtfulBoxes(likelihood, row: row))
        }
        func make(value: Int?, status: FieldReading.Status, reason: FieldReading.ReviewReason? = nil,
                  reviewBoxes: [Int]? = nil, correction: FieldReading.Correction? = nil) -> FieldReading {
            FieldReading(
                value: value, status: status, probability: Self.rounded(probability), checkedBy: equalities.map(\.description),
                boundedBy: mine.filter { !$0.isEquality }.map(\.description), classifierOnly: equalities.isEmpty,
                reading: reading, readingProbability: Self.rounded(likelihood.likelihood[reading]), pattern: pattern,
                correction: correction, reviewReason: reason, reviewBoxes: reviewBoxes, candidates: candidates, notes: notes,
                boxes: boxes(evidence, row: row))
        }

        if evidence.retake { return review(.retake) }
        if !evidence.located { return review(.boxNotFound, boxes: Array(evidence.boxes.indices)) }
        if !decoding.complete || decoding.values == nil || checkIncomplete { return review(.searchLimit) }
        var asRead = readings
        asRead[evidence.name] = reading
        let brokenAsRead = mine.filter { $0.holds(asRead) == false }
        let checked = !equalities.isEmpty
        if probability < (checked ? parameters.confidence : parameters.classifierOnlyConfidence) {
            if brokenAsRead.contains(where: { if case .upperBound = $0 { true } else { false } }) { return review(.outOfRange) }
            if brokenAsRead.contains(where: \.isEquality) { return review(.arithmeticConflict) }
            if pattern == .empty { return review(.empty) }
            if pattern == .markBetweenDigits { return review(.ambiguousMarks) }
            return review(.lowConfidence)
        }
        switch pattern {
        case .empty:
            guard checked else { return review(.empty) }
            notes.append("no digit in any box; read as 0, confirmed by \(equalities.map(\.description).joined(separator: "; "))")
        case .markBetweenDigits:
            guard checked else { return review(.ambiguousMarks) }
            notes.append("a mark between digits; read as \(decided), confirmed by \(equalities.map(\.description).joined(separator: "; "))")
        case .contiguous:
            break
        }
        if !checked {
            let doubtful = row.indices.filter { b in
                row[b] != FieldLikelihood.noDigit && Double(evidence.boxes[b][DigitClass.mark.rawValue]) >= parameters.markDoubt
            }
            if !doubtful.isEmpty { return review(.ambiguousMarks, boxes: doubtful) }
        }
        if decided == reading { return make(value: decided, status: .confident) }
        var corrected = readings
        corrected[evidence.name] = decided
        let forcing = mine.filter { $0.holds(asRead) == false && $0.holds(corrected) != false }
        let correction = FieldReading.Correction(from: reading, to: decided,
                                                 relations: (forcing.isEmpty ? equalities : forcing).map(\.description),
                                                 boxes: changedBoxes)
        return make(value: decided, status: .corrected, correction: correction)
    }

    /// Decodes each photo's fields apart, with the relations that lie within one photo, and
    /// puts the results together in the order of `evidence`.
    /// Together they visit at most `nodeLimit` nodes: each photo gets an equal share of what
    /// the photos before it left.
    func perPhoto(_ evidence: [FieldEvidence], _ likelihoods: [FieldLikelihood], relations: [Relation], nodeLimit: Int)
        -> (JointDecoder.Decoding, [Relation]) {
        var combined = JointDecoder.Decoding.combining(count: evidence.count)
        var used: [Relation] = []
        let photos = Set(evidence.map(\.photo)).sorted()
        for (k, photo) in photos.enumerated() {
            let members = evidence.indices.filter { evidence[$0].photo == photo }
            let own = JointDecoder.applicable(relations, fields: Set(members.map { evidence[$0].name }))
            used += own
            let left = max(0, nodeLimit - combined.nodes)
            combined.absorb(decoder.decode(members.map { likelihoods[$0] }, relations: own, nodeLimit: left / (photos.count - k)),
                            fields: members)
        }
        return (combined, used)
    }

    /// A box's class probabilities for the uniqueness check: the unlikely ones all alike.
    func flattened(_ box: [Float]) -> [Float] {
        box.map { Double($0) >= parameters.uniquenessCut ? $0 : Float(parameters.uniquenessWeight) }
    }

    /// ε for each photo of the station (`Parameters.floorPerUncertainty`).
    public func photoFloors(_ evidence: [FieldEvidence]) -> [Int: Double] {
        var uncertainty: [Int: (sum: Double, count: Int)] = [:]
        for field in evidence {
            for box in field.boxes {
                let top = Double(box.max() ?? 1)
                uncertainty[field.photo, default: (0, 0)].sum += 1 - top
                uncertainty[field.photo, default: (0, 0)].count += 1
            }
        }
        return uncertainty.mapValues { max(parameters.floor, parameters.floorPerUncertainty * $0.sum / Double(max(1, $0.count))) }
    }

    /// The boxes that cause doubt: those whose decided symbol has less than the confidence.
    func doubtfulBoxes(_ likelihood: FieldLikelihood, row: [Int]) -> [Int] {
        let doubtful = row.indices.filter { likelihood.symbolProbabilities[$0][row[$0]] < parameters.confidence }
        return doubtful.isEmpty ? Array(row.indices) : doubtful
    }

    func boxes(_ evidence: FieldEvidence, row: [Int]) -> [FieldReading.Box] {
        evidence.boxes.enumerated().map { b, probabilities in
            var byName: [String: Double] = [:]
            var top = 0
            for (c, p) in probabilities.enumerated() {
                byName[DigitClass(rawValue: c)!.name] = Self.rounded(Double(p))
                if p > probabilities[top] { top = c }
            }
            let symbol = b < row.count ? row[b] : FieldLikelihood.noDigit
            let corners = b < evidence.corners.count ? evidence.corners[b].map { [Self.rounded($0.x, places: 2), Self.rounded($0.y, places: 2)] } : []
            return FieldReading.Box(class: DigitClass(rawValue: top)!.name, probabilities: byName,
                                    decided: symbol == FieldLikelihood.noDigit ? "none" : String(symbol), corners: corners)
        }
    }

    /// Probabilities in the output keep six decimals: enough to rank, and stable text.
    static func rounded(_ x: Double, places: Int = 6) -> Double {
        var scale = 1.0
        for _ in 0 ..< places { scale *= 10 }
        return (x * scale).rounded() / scale
    }
}

extension Relation {
    /// Whether the relation is an equality (`sum_equals` or `equals`): one that can locate and
    /// correct a misread, not only rule values out.
    public var isEquality: Bool {
        switch self {
        case .sumEquals, .equals: true
        case .lessOrEqual, .upperBound: false
        }
    }

    /// The relation's kind as it is named in JSON.
    public var kind: String {
        switch self {
        case .sumEquals: "sum_equals"
        case .equals: "equals"
        case .lessOrEqual: "less_or_equal"
        case .upperBound: "upper_bound"
        }
    }
}
