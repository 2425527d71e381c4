import FormVision

/// Generates the true numbers of one polling station (TPS): realistic and consistent with
/// every relation of the form set.
///
/// The ranges follow DOMAIN.md and the Pilkada 2024 rules: at most 600 voters on a roll,
/// turnout between about half and nine tenths, a ballot reserve of 2.5 % of the DPT, a few
/// damaged ballots, a few invalid votes, a handful of voters with disabilities.
public struct StationGenerator: Sendable {
    /// The distributions, with their reasons.
    public struct Parameters: Sendable, Equatable {
        /// Registered voters on the permanent roll (DPT), both sexes. Pilkada 2024 caps a TPS at 600.
        public var dptRange: ClosedRange<Int> = 50 ... 560
        /// Share of women among registered voters.
        public var femaleShareRange: ClosedRange<Double> = 0.46 ... 0.54
        /// Transferred-in voters (DPTb), per sex.
        public var dptbRange: ClosedRange<Int> = 0 ... 8
        /// Additional voters (DPK), per sex.
        public var dpkRange: ClosedRange<Int> = 0 ... 12
        /// Share of DPT voters who voted.
        public var turnoutRange: ClosedRange<Double> = 0.5 ... 0.92
        /// Share of DPTb voters who voted.
        public var transferredTurnoutRange: ClosedRange<Double> = 0.6 ... 1.0
        /// Ballot reserve as a share of the DPT (2.5 % by regulation).
        public var ballotReserve = 0.025
        /// Ballots returned as damaged or wrongly marked.
        public var damagedRange: ClosedRange<Int> = 0 ... 4
        /// Invalid votes as a share of all votes.
        public var invalidShareRange: ClosedRange<Double> = 0 ... 0.04
        /// Voters with disabilities as a share of the roll.
        public var disabledShareRange: ClosedRange<Double> = 0 ... 0.03

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Why a station could not be generated.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The generator knows the numbers of the C.Hasil-KWK and C.HASIL-PPWP families only.
        case unsupportedFamily(String)

        public var description: String {
            switch self {
            case .unsupportedFamily(let family): "no station generator for form family \"\(family)\""
            }
        }
    }

    /// The true value of every field of the form set.
    public func values(for formSet: FormSet, using generator: inout SeededGenerator) throws(Failure) -> [String: Int] {
        let family = formSet.pages.first?.family ?? ""
        let pairs = formSet.allFields.filter { $0.name.hasPrefix("votes_pair_") }.count
        switch family {
        case CHasilKWK.family: return kwk(pairs: pairs, using: &generator)
        case CHasilPPWP.family: return ppwp(pairs: pairs, using: &generator)
        default: throw .unsupportedFamily(family)
        }
    }

    /// The presidential election of 14 February 2024: at most 300 voters on a TPS roll
    /// (DOMAIN.md), the same turnout and invalid share as above; the date the count was signed.
    private func ppwp(pairs: Int, using g: inout SeededGenerator) -> [String: Int] {
        let p = parameters
        let roll = Int.random(in: 40 ... 300, using: &g)
        let voted = Int((Double(roll) * g.uniform(p.turnoutRange)).rounded())
        let invalid = min(voted, Int((Double(voted) * g.uniform(p.invalidShareRange)).rounded()))
        var v = votes(valid: voted - invalid, pairs: pairs, using: &g)
        v["votes_invalid"] = invalid
        v["votes_total"] = voted
        v["date_day"] = Int.random(in: 14 ... 15, using: &g)
        v["date_month"] = 2
        v["date_year"] = 2024
        return v
    }

    /// The valid votes shared among the pairs by random weights.
    private func votes(valid: Int, pairs: Int, using g: inout SeededGenerator) -> [String: Int] {
        let weights = (0 ..< pairs).map { _ in pow(g.uniform(0.05 ... 1), 1.5) }
        let total = weights.reduce(0, +)
        var shares = weights.map { Int((Double(valid) * $0 / total).rounded(.down)) }
        var remainder = valid - shares.reduce(0, +)
        var index = 0
        while remainder > 0 {
            shares[index % pairs] += 1
            remainder -= 1
            index += 1
        }
        var v = ["votes_valid": valid]
        for (pair, share) in shares.enumerated() { v["votes_pair_\(pair + 1)"] = share }
        return v
    }

    private func kwk(pairs: Int, using g: inout SeededGenerator) -> [String: Int] {
        let p = parameters
        var v = [String: Int]()
        let maximum = CHasilKWK.Layout.maximumVoters
        // Registered voters, by category and sex, keeping the whole roll within the maximum.
        let dpt = Int.random(in: p.dptRange, using: &g)
        let female = Int((Double(dpt) * g.uniform(p.femaleShareRange)).rounded())
        let registered: [(String, Int, Int)] = [
            ("dpt", dpt - female, female),
            ("dptb", Int.random(in: p.dptbRange, using: &g), Int.random(in: p.dptbRange, using: &g)),
            ("dpk", Int.random(in: p.dpkRange, using: &g), Int.random(in: p.dpkRange, using: &g)),
        ].map { name, male, female in
            let room = max(0, maximum - dpt)
            return name == "dpt" ? (name, male, female) : (name, min(male, room / 4), min(female, room / 4))
        }
        // Who voted: a share of the DPT and DPTb; every DPK voter is on that list because they voted.
        let turnout = g.uniform(p.turnoutRange)
        let transferredTurnout = g.uniform(p.transferredTurnoutRange)
        for (category, male, female) in registered {
            let share = category == "dpt" ? turnout : category == "dptb" ? transferredTurnout : 1
            let votedMale = min(male, Int((Double(male) * share * g.uniform(0.95 ... 1.05)).rounded()))
            let votedFemale = min(female, Int((Double(female) * share * g.uniform(0.95 ... 1.05)).rounded()))
            v["registered_\(category)_male"] = male
            v["registered_\(category)_female"] = female
            v["registered_\(category)_total"] = male + female
            v["voted_\(category)_male"] = votedMale
            v["voted_\(category)_female"] = votedFemale
            v["voted_\(category)_total"] = votedMale + votedFemale
        }
        for group in ["registered", "voted"] {
            for sex in ["male", "female", "total"] {
                v["\(group)_all_\(sex)"] = ["dpt", "dptb", "dpk"].reduce(0) { $0 + v["\(group)_\($1)_\(sex)", default: 0] }
            }
        }
        let voted = v["voted_all_total", default: 0]

        // Ballots: the DPT plus the reserve arrive; every voter used one.
        let damaged = Int.random(in: p.damagedRange, using: &g)
        let reserve = Int((Double(dpt) * p.ballotReserve).rounded(.up))
        let received = max(dpt + reserve, voted + damaged)
        v["ballots_received"] = received
        v["ballots_damaged"] = damaged
        v["ballots_used"] = voted
        v["ballots_unused"] = received - damaged - voted

        // Voters with disabilities.
        let disabled = min(Int((Double(v["registered_all_total", default: 0]) * g.uniform(p.disabledShareRange)).rounded()), 60)
        v["disabled_registered"] = disabled
        v["disabled_voted"] = min(disabled, voted, Int((Double(disabled) * turnout).rounded()))

        // Votes: invalid first, the valid ones shared among the pairs.
        let invalid = min(voted, Int((Double(voted) * g.uniform(p.invalidShareRange)).rounded()))
        v.merge(votes(valid: voted - invalid, pairs: pairs, using: &g)) { $1 }
        v["votes_invalid"] = invalid
        v["votes_total"] = voted
        return v
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
