import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision
@testable import FormVisionTraining

/// Class probabilities that put `p` on one class and spread the rest evenly.
func box(_ name: String, _ p: Float = 0.999) -> [Float] {
    let top = DigitClass(name: name)!.rawValue
    return (0 ..< 12).map { $0 == top ? p : (1 - p) / 11 }
}

/// A box torn between two classes.
func box(_ first: String, _ p: Float, or second: String) -> [Float] {
    let a = DigitClass(name: first)!.rawValue, b = DigitClass(name: second)!.rawValue
    return (0 ..< 12).map { $0 == a ? p : $0 == b ? 1 - p - 0.0011 : 0.0001 }
}

@Suite struct FieldLikelihoodTests {
    /// The field rules: X, dash and blank are "no digit"; the value is the digits left to right.
    @Test(arguments: [
        (["7", "4", "mark"], 74, BoxPattern.contiguous), (["mark", "7", "4"], 74, .contiguous),
        (["0", "1", "6"], 16, .contiguous), (["mark", "mark", "0"], 0, .contiguous),
        (["blank", "blank", "7"], 7, .contiguous), (["7", "mark", "4"], 74, .markBetweenDigits),
        (["blank", "mark", "blank"], 0, .empty),
    ])
    func readingFollowsTheFieldRules(classes: [String], value: Int, pattern: BoxPattern) {
        let likelihood = FieldLikelihood(name: "f", boxes: classes.map { box($0) }, floor: 0.002)
        #expect(likelihood.reading == value)
        #expect(likelihood.bestPattern[value] == pattern)
        #expect(abs(likelihood.likelihood.reduce(0, +) - 1) < 1e-9)
    }

    /// An X in the ones box never makes 74 into 740 or 748, even when the X looks a little like an 8.
    @Test func anXInTheOnesBoxIsNotADigit() {
        let likelihood = FieldLikelihood(name: "f", boxes: [box("7"), box("4"), box("mark", 0.7, or: "8")], floor: 0.002)
        #expect(likelihood.reading == 74)
        #expect(likelihood.likelihood[74] > 2 * likelihood.likelihood[748])
        #expect(likelihood.likelihood[740] < 0.001)
    }

    /// The odometer over rows of symbols against the definition, summed by plain recursion:
    /// the same likelihood for every value, bit for bit, and the same best row (the first of
    /// equal rows in reading order).
    @Test(arguments: [1, 2, 3, 4])
    func likelihoodMatchesTheDefinition(boxCount: Int) {
        var g = SeededGenerator(seed: UInt64(boxCount) * 31)
        let boxes = (0 ..< boxCount).map { _ in (0 ..< 12).map { _ in Float.random(in: 0 ... 1, using: &g) } }
        let floor = 0.002
        let fast = FieldLikelihood(name: "f", boxes: boxes, floor: floor)
        var likelihood = [Double](repeating: 0, count: fast.likelihood.count)
        var best = [Double](repeating: -1, count: likelihood.count)
        var bestRow = [[Int]](repeating: [], count: likelihood.count)
        func visit(_ box: Int, _ probability: Double, _ row: [Int]) {
            guard box < boxCount else {
                let value = FieldLikelihood.value(of: row).value
                likelihood[value] += probability
                if probability > best[value] { (best[value], bestRow[value]) = (probability, row) }
                return
            }
            for symbol in 0 ... FieldLikelihood.noDigit {
                visit(box + 1, probability * fast.symbolProbabilities[box][symbol], row + [symbol])
            }
        }
        visit(0, 1, [])
        #expect(fast.likelihood == likelihood)
        #expect(fast.bestRow.count == bestRow.count)
        #expect(fast.bestRow.indices.allSatisfy { fast.bestRow[$0] == bestRow[$0] })
    }

    /// The floor keeps every value possible, so the arithmetic can always reach the truth.
    @Test func theFloorKeepsEveryValuePossible() {
        let certain = FieldLikelihood(name: "f", boxes: [box("1", 1), box("2", 1), box("3", 1)], floor: 0)
        let floored = FieldLikelihood(name: "f", boxes: [box("1", 1), box("2", 1), box("3", 1)], floor: 0.01)
        #expect(certain.likelihood[124] == 0)
        #expect(floored.likelihood[124] > 0.0005)
    }
}

@Suite struct JointDecoderTests {
    static let kwk3 = try! TemplateCatalog.builtIn.formSet(id: "c-hasil-kwk-3")

    /// Evidence for page 2 of a three-pair form: each field read as its value, one box per digit.
    static func page2(_ values: [String: Int], override: [String: [[Float]]] = [:]) -> [FieldEvidence] {
        kwk3.pages[1].fields.map { field in
            let value = values[field.name]!
            let digits = String(format: "%03d", value).map(String.init)
            return FieldEvidence(name: field.name, boxes: override[field.name] ?? digits.map { box($0) })
        }
    }

    static let votes = ["votes_pair_1": 120, "votes_pair_2": 95, "votes_pair_3": 41, "votes_valid": 256,
                        "votes_invalid": 4, "votes_total": 260]

    @Test func aConsistentPageIsConfident() {
        let outcome = StationDecoder().decode(Self.page2(Self.votes), relations: Self.kwk3.allRelations)
        for (name, value) in Self.votes {
            #expect(outcome.fields[name]?.status == .confident)
            #expect(outcome.fields[name]?.value == value)
        }
        #expect(outcome.checks.allSatisfy { $0.holds == true })
    }

    /// Valid votes misread (256 → 286, a 5 read as 8): both relations on the page name that
    /// field, so the value is forced back.
    @Test func aMisreadTotalIsCorrected() {
        let evidence = Self.page2(Self.votes, override: ["votes_valid": [box("2"), box("8"), box("6")]])
        let field = StationDecoder().decode(evidence, relations: Self.kwk3.allRelations).fields["votes_valid"]!
        #expect(field.status == .corrected)
        #expect(field.value == 256)
        #expect(field.correction?.from == 286)
        #expect(field.correction?.boxes == [1])
        #expect(field.correction?.relations == ["votes_pair_1 + votes_pair_2 + votes_pair_3 = votes_valid",
                                                 "votes_valid + votes_invalid = votes_total"])
    }

    /// The total misread (260 → 280) on page 2 alone has two explanations (the total, or the
    /// invalid votes 4 → 24): it goes to review. With page 1 read too, the cross-page relation
    /// (votes_total = voted_all_total) settles it.
    @Test func aSumThatCannotNameTheFieldGoesToReview() {
        let misread = ["votes_total": [box("2"), box("8"), box("0")]]
        let alone = StationDecoder().decode(Self.page2(Self.votes, override: misread), relations: Self.kwk3.allRelations)
        #expect(alone.fields["votes_total"]?.status == .review)
        #expect(alone.fields["votes_total"]?.value == nil)
        #expect(alone.fields["votes_total"]?.reviewReason == .arithmeticConflict)
        #expect(alone.fields["votes_total"]?.candidates.map(\.value).contains(260) == true)
        #expect(alone.fields["votes_valid"]?.status == .confident)
        let cross = [FieldEvidence(name: "voted_all_total", boxes: [box("2"), box("6"), box("0")]),
                     FieldEvidence(name: "ballots_used", boxes: [box("2"), box("6"), box("0")])]
        let together = StationDecoder().decode(Self.page2(Self.votes, override: misread) + cross,
                                               relations: Self.kwk3.crossPageRelations + Self.kwk3.pages[1].relations)
        #expect(together.fields["votes_total"]?.status == .corrected)
        #expect(together.fields["votes_total"]?.value == 260)
    }

    /// A misread pair breaks the sum, but the sum cannot say which pair: with two single-box
    /// changes that both satisfy it, the pair goes to review, however confident each box is.
    @Test func aSumThatCannotNameThePairGoesToReview() {
        // Pair 3 read 47 instead of 41; pair 2's ones box 7 → 1 (97 → 91) would fix the sum as well.
        let votes = ["votes_pair_1": 118, "votes_pair_2": 97, "votes_pair_3": 41, "votes_valid": 256,
                     "votes_invalid": 4, "votes_total": 260]
        let evidence = Self.page2(votes, override: ["votes_pair_3": [box("0"), box("4"), box("7")]])
        let outcome = StationDecoder().decode(evidence, relations: Self.kwk3.allRelations)
        #expect(outcome.fields["votes_pair_3"]?.status == .review)
        #expect(outcome.fields["votes_pair_3"]?.value == nil)
        #expect(outcome.fields["votes_pair_3"]?.reviewReason == .arithmeticConflict)
        #expect(outcome.fields["votes_pair_2"]?.status == .review)
        // The totals are not in doubt.
        #expect(outcome.fields["votes_valid"]?.status == .confident)
        // Where only one pair can explain it, the sum does name the pair.
        let unique = Self.page2(Self.votes, override: ["votes_pair_3": [box("0"), box("4"), box("7")]])
        let named = StationDecoder().decode(unique, relations: Self.kwk3.allRelations)
        #expect(named.fields["votes_pair_3"]?.status == .corrected)
        #expect(named.fields["votes_pair_3"]?.value == 41)
    }

    /// The 2024 failure: an X in the ones box read as 8 (74 → 748). The bound and the sum catch it.
    @Test func anXReadAsEightIsCaughtByTheArithmetic() {
        let votes = ["votes_pair_1": 74, "votes_pair_2": 95, "votes_pair_3": 41, "votes_valid": 210,
                     "votes_invalid": 4, "votes_total": 214]
        let evidence = Self.page2(votes, override: ["votes_pair_1": [box("7"), box("4"), box("8", 0.95, or: "mark")]])
        let field = StationDecoder().decode(evidence, relations: Self.kwk3.allRelations).fields["votes_pair_1"]!
        #expect(field.value != 748)
        #expect(field.status != .confident)
        if field.status == .corrected { #expect(field.value == 74) }
    }

    /// A field that no equality checks rests on the classifier alone and says so.
    @Test func anUncheckedFieldIsClassifierOnly() {
        let page1 = Self.kwk3.pages[0]
        let evidence = page1.fields.map { FieldEvidence(name: $0.name, boxes: [box("0"), box("0"), box("5")]) }
        let outcome = StationDecoder().decode(evidence, relations: page1.relations)
        #expect(outcome.fields["disabled_voted"]?.classifierOnly == true)
        #expect(outcome.fields["disabled_voted"]?.checkedBy == [])
        #expect(outcome.fields["registered_dpt_male"]?.classifierOnly == false)
    }

    /// No digit in any box: 0 only when an equality confirms it, and the field says so.
    @Test func anEmptyFieldIsZeroOnlyWhenTheArithmeticSaysSo() {
        let votes = ["votes_pair_1": 120, "votes_pair_2": 95, "votes_pair_3": 45, "votes_valid": 260,
                     "votes_invalid": 0, "votes_total": 260]
        let empty = [box("mark"), box("mark"), box("mark")]
        let outcome = StationDecoder().decode(Self.page2(votes, override: ["votes_invalid": empty]),
                                              relations: Self.kwk3.allRelations)
        let field = outcome.fields["votes_invalid"]!
        #expect(field.value == 0)
        #expect(field.pattern == .empty)
        #expect(field.notes.contains { $0.hasPrefix("no digit in any box") })
        // Alone, with nothing to confirm it, the same boxes go to review.
        let alone = StationDecoder().decode([FieldEvidence(name: "votes_invalid", boxes: empty)], relations: [])
        #expect(alone.fields["votes_invalid"]?.status == .review)
        #expect(alone.fields["votes_invalid"]?.reviewReason == .empty)
    }

    /// In a page-1 grid a single misread is located by its row and its column, and corrected.
    @Test func aGridLocatesAndCorrectsAMisread() throws {
        let set = Self.kwk3
        var g = SeededGenerator(seed: 5)
        let values = try StationGenerator().values(for: set, using: &g)
        let page1 = set.pages[0]
        var evidence = page1.fields.map { field in
            FieldEvidence(name: field.name, boxes: String(format: "%03d", values[field.name]!).map { box(String($0)) })
        }
        // registered_dpt_female's tens digit read confidently wrong: the true digit has 10⁻⁶.
        let index = evidence.firstIndex { $0.name == "registered_dpt_female" }!
        let truth = String(format: "%03d", values["registered_dpt_female"]!).map { String($0) }
        let wrong = String((Int(truth[1])! + 3) % 10)
        evidence[index].boxes[1] = (0 ..< 12).map { $0 == Int(wrong)! ? 0.999 : $0 == Int(truth[1])! ? 1e-6 : 0.000_1 }
        let field = StationDecoder().decode(evidence, relations: page1.relations).fields["registered_dpt_female"]!
        #expect(field.status == .corrected)
        #expect(field.value == values["registered_dpt_female"])
    }

    /// Summing and max-marginals agree on a small problem. With no nodes for summing, the
    /// fallback alone decides, within the same limit.
    @Test func maxMarginalsAgreeWithSummingOnTheDecision() {
        let evidence = Self.page2(Self.votes, override: ["votes_valid": [box("2"), box("8"), box("6")]])
        let likelihoods = evidence.map { FieldLikelihood(name: $0.name, boxes: $0.boxes, floor: 0.002) }
        let summed = JointDecoder().decode(likelihoods, relations: Self.kwk3.allRelations)
        var noSumming = JointDecoder.Parameters()
        noSumming.summingShare = 0
        let fallback = JointDecoder(parameters: noSumming).decode(likelihoods, relations: Self.kwk3.allRelations)
        #expect(summed.complete)
        #expect(!summed.approximate)
        #expect(fallback.complete)
        #expect(fallback.approximate)
        #expect(fallback.nodes <= noSumming.nodeBudget)
        let i = evidence.firstIndex { $0.name == "votes_valid" }!
        #expect(summed.values?[i] == 256)
        #expect(summed.posterior(i, 256) > 0.995)
        #expect(fallback.values?[i] == 256)
        #expect(fallback.posterior(i, 256) > 0.995)
    }
}

/// The decoder's candidate lists against the plain definition (sort everything, keep the top).
@Suite struct CandidateListTests {
    @Test(arguments: [1, 7, 48, 2_000])
    func candidatesAreTheTopOfTheSortedValues(count: Int) {
        var g = SeededGenerator(seed: UInt64(count))
        // Weights with ties and many values under the floor, as a field's likelihoods have.
        let w = (0 ..< 1000).map { _ -> Double in
            let r = Double.random(in: 0 ..< 1, using: &g)
            return r < 0.5 ? 1e-12 : (r * 20).rounded() / 20
        }
        let floor = 1e-9
        let reference = Array(w.indices.filter { w[$0] >= floor }.sorted { w[$0] > w[$1] || (w[$0] == w[$1] && $0 < $1) }
            .prefix(count))
        #expect(JointDecoder.candidates(w, floor: floor, count: count) == reference)
    }
}

/// Point 4 of the reliability issue: one node budget bounds the whole decoding of a station,
/// summing, fallback, every component, every photo and the uniqueness check together.
@Suite struct SearchBudgetTests {
    static let kwk3 = JointDecoderTests.kwk3

    /// A station no arithmetic can settle cheaply: every box of both pages torn between three
    /// classes, so that thousands of assignments are consistent and close in weight.
    static func unsure(_ seed: UInt64) -> [FieldEvidence] {
        var g = SeededGenerator(seed: seed)
        return kwk3.pages.enumerated().flatMap { photo, page in
            page.fields.map { field in
                let boxes = (0 ..< field.boxes.count).map { _ in
                    let classes = (0 ..< 3).map { _ in Int.random(in: 0 ... 9, using: &g) }
                    return (0 ..< 12).map { c -> Float in classes.contains(c) ? 0.3 : 0.1 / 9 }
                }
                return FieldEvidence(name: field.name, boxes: boxes, photo: photo)
            }
        }
    }

    @Test(arguments: [1, 37, 1_000, 20_000, 150_000])
    func aDecodingNeverVisitsMoreThanItsLimit(limit: Int) {
        let evidence = Self.unsure(7)
        let likelihoods = evidence.map { FieldLikelihood(name: $0.name, boxes: $0.boxes, floor: 0.002) }
        let decoding = JointDecoder().decode(likelihoods, relations: Self.kwk3.allRelations, nodeLimit: limit)
        #expect(decoding.nodes <= limit)
        #expect(decoding.nodes > 0)
        if limit < 1_000 { #expect(!decoding.complete) }
    }

    /// Absurd settings cannot lift the limit: a reserve so large that reserving it for every
    /// later component overflows still leaves each component at most what is left.
    @Test(arguments: [Int.max, Int.max / 3, -5])
    func aHugeOrNegativeReserveKeepsTheLimit(reserve: Int) {
        let evidence = Self.unsure(7)
        let likelihoods = evidence.map { FieldLikelihood(name: $0.name, boxes: $0.boxes, floor: 0.002) }
        var parameters = JointDecoder.Parameters()
        parameters.componentReserve = reserve
        let decoding = JointDecoder(parameters: parameters).decode(likelihoods, relations: Self.kwk3.allRelations, nodeLimit: 3_000)
        #expect(decoding.nodes <= 3_000)
        #expect(decoding.nodes > 0)
    }

    /// The station's budget holds for all its decodings together; where it runs out, every
    /// field goes to review with `search_limit`, never to a value decided on half a search.
    @Test(arguments: [1, 500, 5_000, 60_000, 400_000])
    func aStationSpendsOneBudget(budget: Int) {
        var search = JointDecoder.Parameters()
        search.nodeBudget = budget
        let decoder = StationDecoder(decoder: JointDecoder(parameters: search))
        let outcome = decoder.decode(Self.unsure(11), relations: Self.kwk3.allRelations)
        #expect(outcome.searchNodes <= budget)
        #expect(outcome.decoding.nodes <= outcome.searchNodes)
        if !outcome.decoding.complete {
            #expect(outcome.fields.values.allSatisfy { $0.status == .review && $0.reviewReason == .searchLimit })
        }
        if budget <= 500 { #expect(!outcome.decoding.complete) }
    }

    /// Regression: a mutated sample photo `FuzzReader` found (every box uncertain) once took
    /// 27 s of arithmetic, each of its searches spending a budget of its own. Now the station's
    /// one budget bounds it, and its fields go to review.
    @Test func theSlowArithmeticPhotoStaysWithinOneBudget() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/fuzz/reader-slow-arithmetic.jpg").path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try FormReader()
        let located = reader.locate(.init(name: "slow.jpg", bytes: bytes))
        let page = try #require(located.evidence)
        let relations = page.geometry.template.relations
        for budget in [50_000, JointDecoder.Parameters().nodeBudget] {
            var search = JointDecoder.Parameters()
            search.nodeBudget = budget
            let outcome = StationDecoder(decoder: JointDecoder(parameters: search)).decode(page.fields, relations: relations)
            #expect(outcome.searchNodes <= budget)
            #expect(outcome.fields.count == page.fields.count)
            #expect(outcome.fields.values.allSatisfy { $0.status == .review })
        }
    }

    /// A uniqueness check that runs out of nodes is a search limit too: the decision it was
    /// to confirm is not confirmed.
    @Test func anUnfinishedUniquenessCheckIsASearchLimit() throws {
        let evidence = JointDecoderTests.page2(JointDecoderTests.votes,
                                               override: ["votes_total": [box("2"), box("8"), box("0")]])
        let relations = Self.kwk3.allRelations
        // Every node of a search for summing, none held back: a limit of n nodes then repeats
        // any search that needed n or fewer exactly.
        var search = JointDecoder.Parameters()
        search.summingShare = 1
        search.componentReserve = 0
        var parameters = StationDecoder.Parameters()
        parameters.checkShare = 0
        let full = StationDecoder(parameters: parameters, decoder: JointDecoder(parameters: search)).decode(evidence, relations: relations)
        let fine = full.decoding.nodes, check = full.searchNodes - full.decoding.nodes
        try #require(full.decoding.complete && !full.decoding.approximate)
        try #require(full.fields.values.contains { $0.reviewReason != .searchLimit })
        try #require(check > 1)
        // Room for the whole decoding, and for all but the last node of the check.
        search.nodeBudget = fine + check - 1
        let cut = StationDecoder(parameters: parameters, decoder: JointDecoder(parameters: search)).decode(evidence, relations: relations)
        #expect(cut.decoding.complete)
        #expect(cut.decoding.nodes == fine)
        #expect(cut.searchNodes < full.searchNodes)
        #expect(cut.fields.values.allSatisfy { $0.status == .review && $0.reviewReason == .searchLimit })
    }
}

/// Point 7 of the reader issue: few silent wrong numbers even when the classifier fails. Stations
/// with known values, written as officers write them (leading X, dash, blank or zero; X after
/// the digits), read through `BoxNoise`: 1.5 % of boxes confidently wrong (top probability
/// ≥ 0.99 on a wrong class, the true class near 0), 5 % of X marks and dashes read as 8, 4, 1 or
/// 7, and 5 % of boxes unsure.
@Suite struct DecoderNoiseTests {
    static let stations = 250

    @Test func confidentlyWrongBoxesGiveNoSilentErrors() throws {
        let sets = TemplateCatalog.builtIn.formSets
        let noise = BoxNoise()
        let decoder = StationDecoder()
        var fields = 0, silent = 0, silentUnchecked = 0, misread = 0, corrected = 0, reviewed = 0, exact = 0
        var marksInValues = 0
        for s in 0 ..< Self.stations {
            let set = sets[s % sets.count]
            let station = NoisyStations.make(formSet: set, noise: noise, seed: 90_000 + UInt64(s))
            let outcome = decoder.decode(station.evidence, relations: set.allRelations)
            for item in station.evidence {
                let field = outcome.fields[item.name]!, truth = station.truth[item.name]!
                fields += 1
                let wrongReading = field.reading != truth
                if wrongReading { misread += 1 }
                switch field.status {
                case .review:
                    if wrongReading { reviewed += 1 }
                case .confident, .corrected:
                    if field.value == truth { exact += 1 } else if field.classifierOnly { silentUnchecked += 1 } else { silent += 1 }
                    if field.status == .corrected, field.value == truth { corrected += 1 }
                    if field.value != truth,
                       ReadingEvaluation.markIsPartOfValue(truth: station.boxes[item.name]!, decided: field.boxes.map(\.decided)) {
                        marksInValues += 1
                    }
                }
            }
        }
        let report = "\(Self.stations) stations, \(fields) fields: \(misread) misread by the boxes, \(corrected) corrected, "
            + "\(reviewed) of the misread sent to review, silent errors \(silent) checked + \(silentUnchecked) classifier-only, "
            + "exact \(exact), wrong trusted values with an X or dash as a digit \(marksInValues)"
        print("DecoderNoiseTests: " + report)
        // At most 5 silent errors in 10,000 fields, checked or not: 1,500 stations of this
        // model measured 21 in 55,500 (3.8 in 10,000; README, "The decoder under a noise
        // model"). The reader issue's target is 1 in 10,000: not met under this model.
        #expect(Double(silent + silentUnchecked) <= 5 * Double(fields) / 10_000, "\(report)")
        #expect(marksInValues == 0, "\(report)")
        // The decoder must do more than refuse: most misread fields are corrected.
        #expect(corrected * 2 > misread, "\(report)")
    }
}

/// The reader on a field whose boxes were not found.
@Suite struct UnlocatedFieldTests {
    /// Its cells, which show some other place, are no evidence: a confident misreading of them
    /// neither breaks the sums nor moves the other fields, and the field goes to review with the
    /// arithmetic's value among its candidates.
    @Test func anUnlocatedFieldGoesToReviewAndDoesNotMoveTheOthers() {
        var evidence = JointDecoderTests.page2(JointDecoderTests.votes)
        let i = evidence.firstIndex { $0.name == "votes_pair_2" }!
        evidence[i].boxes = [box("5"), box("3"), box("1")]
        evidence[i].located = false
        let outcome = StationDecoder().decode(evidence, relations: JointDecoderTests.kwk3.allRelations)
        let field = outcome.fields["votes_pair_2"]!
        #expect(field.status == .review)
        #expect(field.reviewReason == .boxNotFound)
        #expect(field.value == nil)
        #expect(field.reading == 531)
        #expect(field.candidates.first?.value == 95)
        for (name, value) in JointDecoderTests.votes where name != "votes_pair_2" {
            #expect(outcome.fields[name]?.status == .confident, "\(name)")
            #expect(outcome.fields[name]?.value == value)
        }
    }
}
