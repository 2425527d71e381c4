/// Finds the values of a station's fields that satisfy the form's arithmetic, and how probable
/// each field's value is given the boxes and the relations together.
///
/// The model: a field f holds v with likelihood L_f(v) (`FieldLikelihood`); fields are
/// independent given their boxes; an assignment of values to every field has weight
/// Π_f L_f(v_f) if it satisfies every relation and 0 otherwise. Then
///
///     P(f = v | boxes, relations) = Σ_{consistent a, a_f = v} w(a) / Σ_{consistent a} w(a).
///
/// **The search.** A depth-first branch and bound over fields. Equalities (`sumEquals`,
/// `equals`) are linear: as soon as all but one of a relation's fields have values, the last is
/// *determined* and takes its value with its own likelihood, however small, so a field misread
/// with confidence still gets its true value back from its neighbours. Otherwise the search
/// branches on the most confidently read unassigned field, over its candidate values in
/// decreasing likelihood. Inequalities prune as soon as both sides are known; upper bounds
/// restrict the domain. A branch is cut when its weight falls below `pruneRatio` × the best
/// consistent assignment found so far (each field's likelihood is scaled so that its best
/// value weighs 1, so a partial weight is an upper bound on every completion). Where a branch
/// is cut because a relation forced a field to a value too unlikely to follow, the branch's
/// weight is counted in `droppedMass`: such a branch satisfies every relation so far and
/// stands for at least one consistent assignment that was not followed. That mass belongs to
/// "something else" and lowers the certainty of every answer. (A branch cut at a free choice
/// is not counted: nearly all of its completions break a relation.)
///
/// - Complexity: on a consistent, confidently read page the search visits a few thousand nodes.
///   It never visits more than its node limit (`Parameters.nodeBudget`, or the limit given to
///   `decode(_:relations:nodeLimit:)`), summing and fallback together, and says when it stopped
///   there (`complete == false`).
public struct JointDecoder: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// A branch is cut when its weight is below this fraction of the best consistent
        /// assignment found so far. Assignments that much less probable change no posterior
        /// by more than this fraction each.
        public var pruneRatio = 1e-6
        /// At most this many candidate values per field to branch over.
        public var maximumCandidates = 48
        /// Candidate values less likely than this fraction of a field's best value are not
        /// branched over (they can still be reached as determined values).
        public var candidateFloor = 1e-9
        /// The search stops after this many nodes; the decoding is then incomplete. This bounds
        /// the time of a decoding whatever the likelihoods: a node costs 0.3–0.4 µs on a
        /// page's 28 fields (release build; README, "Reliability"), so the default bounds a
        /// station's arithmetic near 1.6 s. A `StationDecoder` spends it on the whole station.
        /// A confidently read page needs a few thousand nodes; on `hard` photos, a quarter
        /// of this budget sends four times as many fields to review (`search_limit`).
        public var nodeBudget = 4_000_000
        /// The share of a component's node limit that summing may spend; the rest is kept for
        /// the max-marginal fallback (`Decoding.approximate`), so that a component whose sum
        /// runs out still gets a best assignment within the same limit.
        public var summingShare = 0.5
        /// Nodes held back for every component not yet searched, so that one hard component
        /// cannot use up the limit of the easy ones after it (a confidently read component
        /// needs a few dozen to a few hundred).
        public var componentReserve = 2_000
        /// An inequality between two components bounds the one solved later only when the
        /// other side's value has at least this posterior.
        public var boundConfidence = 0.999
        /// Until a first consistent assignment is found, branches lighter than this are cut
        /// (weights relative to every field at its best reading, so 1 is a page read as it
        /// stands). When a pass finds none, the next, lower floor is tried: the first pass
        /// settles a page that needs at most a couple of unlikely box changes, and every later
        /// pass reaches further at more cost.
        public var startingFloors: [Double] = [1e-4, 1e-9, 1e-16, 1e-26, 1e-40]

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// The outcome of one decoding.
    public struct Decoding: Sendable, Equatable {
        /// The most probable consistent assignment, per field (in the order given); nil when no
        /// consistent assignment was found.
        public var values: [Int]?
        /// Per field, the posterior of every value that some consistent assignment found gives it.
        public var posteriors: [[Int: Double]]
        /// The weight of the cut branches, as a share of all weight found or bounded: the
        /// probability mass of "something else".
        public var droppedMass: Double
        /// Consistent assignments found.
        public var solutions: Int
        /// Search nodes visited, summing and fallback of every component together.
        public var nodes: Int
        /// False when the node budget ran out.
        public var complete: Bool
        /// True when summing ran out of budget and the posteriors are max-marginals instead
        /// (each value's mass taken as its best consistent assignment's weight).
        public var approximate: Bool = false

        /// The posterior of field i holding value v.
        public func posterior(_ i: Int, _ v: Int) -> Double { posteriors[i][v] ?? 0 }

        /// An empty decoding of `count` fields, to absorb the decodings of its parts into.
        static func combining(count: Int) -> Decoding {
            Decoding(values: [Int](repeating: 0, count: count), posteriors: [[Int: Double]](repeating: [:], count: count),
                     droppedMass: 0, solutions: 0, nodes: 0, complete: true)
        }

        /// Takes in the decoding of some of the fields: `part`'s field k is field `fields[k]` here.
        /// Once a part has no consistent assignment, neither has the whole.
        mutating func absorb(_ part: Decoding, fields: [Int]) {
            nodes += part.nodes
            solutions += part.solutions
            complete = complete && part.complete
            approximate = approximate || part.approximate
            droppedMass = max(droppedMass, part.droppedMass)
            for (k, field) in fields.enumerated() {
                posteriors[field] = part.posteriors[k]
                if let v = part.values?[k] { values?[field] = v } else { values = nil }
            }
        }
    }

    /// Decodes fields under relations. Relations that name a field not among `fields` are
    /// skipped (a page read without the other pages of its station).
    ///
    /// Fields joined by equalities form components, and each component is searched on its
    /// own: components that share no equality are independent, and searching them together
    /// would only multiply their alternatives. An inequality between two components is applied
    /// as a bound: the components are solved largest first, and the decided value on one side,
    /// when it is certain (`Parameters.boundConfidence`), bounds the other side's values in a
    /// component solved later.
    public func decode(_ fields: [FieldLikelihood], relations: [Relation]) -> Decoding {
        decode(fields, relations: relations, nodeLimit: parameters.nodeBudget)
    }

    /// Decodes fields under relations, visiting at most `nodeLimit` search nodes over all
    /// components (`Decoding.nodes ≤ nodeLimit`). Components are searched in turn, each with
    /// what the earlier ones left, less `Parameters.componentReserve` for every one after it.
    /// A component that finds no room is incomplete, and so is the decoding.
    public func decode(_ fields: [FieldLikelihood], relations: [Relation], nodeLimit: Int) -> Decoding {
        var index: [String: Int] = [:]
        for (i, field) in fields.enumerated() { index[field.name] = i }
        var likelihoods = fields.map(\.likelihood)
        var equalities: [[(field: Int, coefficient: Int)]] = []
        var inequalities: [(Int, Int)] = []
        for relation in relations {
            guard relation.fieldNames.allSatisfy({ index[$0] != nil }) else { continue }
            switch relation {
            case .sumEquals(let terms, let total):
                var coefficients: [Int: Int] = [:]
                for term in terms { coefficients[index[term]!, default: 0] += 1 }
                coefficients[index[total]!, default: 0] -= 1
                let nonzero = coefficients.filter { $0.value != 0 }.sorted { $0.key < $1.key }
                if !nonzero.isEmpty { equalities.append(nonzero.map { ($0.key, $0.value) }) }
            case .equals(let left, let right):
                let (a, b) = (index[left]!, index[right]!)
                if a != b { equalities.append([(a, 1), (b, -1)]) }
            case .lessOrEqual(let left, let right):
                inequalities.append((index[left]!, index[right]!))
            case .upperBound(let field, let bound):
                let i = index[field]!
                for v in likelihoods[i].indices where v > bound { likelihoods[i][v] = 0 }
            }
        }
        let components = Self.components(count: fields.count, equalities: equalities)
        var result = Decoding.combining(count: fields.count)
        var decided = [Int?](repeating: nil, count: fields.count)
        for (position, component) in components.enumerated() {
            let members = Set(component)
            // Inequalities reaching a solved component become bounds, but only from a value that
            // is itself certain: an uncertain one would impose its own misread as a hard limit.
            for (a, b) in inequalities {
                if members.contains(a), !members.contains(b), let vb = decided[b],
                   result.posterior(b, vb) >= parameters.boundConfidence {
                    for v in likelihoods[a].indices where v > vb { likelihoods[a][v] = 0 }
                }
                if members.contains(b), !members.contains(a), let va = decided[a],
                   result.posterior(a, va) >= parameters.boundConfidence {
                    for v in likelihoods[b].indices where v < va { likelihoods[b][v] = 0 }
                }
            }
            let local = Dictionary(uniqueKeysWithValues: component.enumerated().map { ($1, $0) })
            var problem = Problem(
                likelihoods: component.map { likelihoods[$0] },
                equalities: equalities.filter { members.contains($0[0].field) }
                    .map { $0.map { (local[$0.field]!, $0.coefficient) } },
                inequalities: inequalities.filter { members.contains($0.0) && members.contains($0.1) }
                    .map { (local[$0.0]!, local[$0.1]!) },
                parameters: parameters,
                nodeLimit: componentLimit(remaining: nodeLimit - result.nodes, later: components.count - position - 1))
            problem.run()
            let part = problem.result()
            result.absorb(part, fields: component)
            for (k, field) in component.enumerated() { decided[field] = part.values?[k] }
            if result.values == nil { break }
        }
        if result.values == nil { result.posteriors = [[Int: Double]](repeating: [:], count: fields.count) }
        return result
    }

    /// `fraction` (clamped to 0…1) of `total` nodes, rounded down; with `complement`, `total`
    /// less that. Every split of a node budget goes through this.
    static func share(_ total: Int, _ fraction: Double, complement: Bool = false) -> Int {
        let part = Int((Double(max(0, total)) * min(1, max(0, fraction))).rounded(.down))
        return complement ? max(0, total) - part : part
    }

    /// The node limit of a component: what is left, less the reserve for each later component
    /// (at most half of what is left, so that the reserves never take everything).
    func componentLimit(remaining: Int, later: Int) -> Int {
        let remaining = max(0, remaining)
        let (wanted, overflow) = max(0, later).multipliedReportingOverflow(by: max(0, parameters.componentReserve))
        let reserve = overflow ? remaining / 2 : min(remaining / 2, wanted)
        return remaining - reserve
    }

    /// Groups fields joined by equalities; largest group first, ties by their first field.
    static func components(count: Int, equalities: [[(field: Int, coefficient: Int)]]) -> [[Int]] {
        var parent = Array(0 ..< count)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for equality in equalities {
            for term in equality.dropFirst() { parent[root(term.field)] = root(equality[0].field) }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0 ..< count { groups[root(i), default: []].append(i) }
        return groups.values.sorted { $0.count > $1.count || ($0.count == $1.count && $0[0] < $1[0]) }
    }

    /// The `count` values of greatest weight among those of at least `floor`, heaviest first,
    /// equal weights in value order: the first `count` of all such values sorted that way, found
    /// without sorting a field's thousand values (an insertion into a short list kept in order).
    static func candidates(_ w: [Double], floor: Double, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var top: [Int] = []
        top.reserveCapacity(count + 1)
        for v in w.indices where w[v] >= floor {
            if top.count == count, w[v] <= w[top[count - 1]] { continue }
            // After every value at least as heavy: values come in increasing order, so equal
            // weights keep value order.
            var place = top.count
            while place > 0, w[top[place - 1]] < w[v] { place -= 1 }
            top.insert(v, at: place)
            if top.count > count { top.removeLast() }
        }
        return top
    }

    /// The relations that can be checked when only these fields are known.
    public static func applicable(_ relations: [Relation], fields: Set<String>) -> [Relation] {
        relations.filter { $0.fieldNames.allSatisfy(fields.contains) }
    }
}

/// The search state of one decoding.
private struct Problem {
    /// A linear equality Σ coefficient · value = 0 over field indices.
    struct Equality {
        var terms: [(field: Int, coefficient: Int)]
    }

    let parameters: JointDecoder.Parameters
    let count: Int
    /// Per field, likelihoods scaled so the best value weighs 1 (after upper bounds).
    let weights: [[Double]]
    /// Per field, the values to branch over, most likely first.
    let candidates: [[Int]]
    let equalities: [Equality]
    /// Per field, the equalities it takes part in.
    let equalitiesOf: [[Int]]
    /// a ≤ b, as field index pairs; per field, those it takes part in.
    let inequalities: [(Int, Int)]
    let inequalitiesOf: [[Int]]
    /// Fields in the order to branch on: most confidently read first.
    let branchOrder: [Int]
    /// Each field's place in `branchOrder`.
    let rankOf: [Int]

    var assigned: [Int?]
    var weight = 1.0
    var best = 0.0
    var bestValues: [Int]?
    var totalFound = 0.0
    var dropped = 0.0
    var mass: [[Int: Double]]
    /// The fields that `search` assigned by propagation, with the weight before each, on one
    /// stack for the whole search (each call undoes its own part), so that a node allocates
    /// nothing.
    var trail: [(field: Int, weight: Double)] = []
    /// Nodes visited so far, summing and fallback together; never more than `nodeLimit`.
    var nodes = 0
    /// The most nodes this problem may visit, and the most its summing passes may.
    let nodeLimit: Int
    let summingLimit: Int
    /// The limit of the search under way: `summingLimit`, then `nodeLimit` in the fallback.
    var currentLimit: Int
    var solutions = 0
    var exhausted = false
    /// The posteriors come from max-marginals (`maxMarginals`), already normalised per field.
    var approximate = false

    init(likelihoods: [[Double]], equalities: [[(field: Int, coefficient: Int)]], inequalities: [(Int, Int)],
         parameters: JointDecoder.Parameters, nodeLimit: Int) {
        self.parameters = parameters
        self.nodeLimit = max(0, nodeLimit)
        summingLimit = JointDecoder.share(nodeLimit, parameters.summingShare)
        currentLimit = summingLimit
        count = likelihoods.count
        let weights = likelihoods.map { l in
            let top = l.max() ?? 0
            return top > 0 ? l.map { $0 / top } : l
        }
        let candidates = weights.map {
            JointDecoder.candidates($0, floor: parameters.candidateFloor, count: parameters.maximumCandidates)
        }
        self.weights = weights
        self.candidates = candidates
        self.equalities = equalities.map { Equality(terms: $0) }
        self.inequalities = inequalities
        var ofEquality = [[Int]](repeating: [], count: count)
        for (e, equality) in equalities.enumerated() { for term in equality { ofEquality[term.field].append(e) } }
        equalitiesOf = ofEquality
        var ofInequality = [[Int]](repeating: [], count: count)
        for (k, (a, b)) in inequalities.enumerated() { ofInequality[a].append(k); ofInequality[b].append(k) }
        inequalitiesOf = ofInequality
        // Most peaked first: the smaller the runner-up relative to the best, the better the field
        // serves as a given from which uncertain fields are determined.
        let runnerUp = weights.indices.map { i in candidates[i].count > 1 ? weights[i][candidates[i][1]] : 0 }
        let order = weights.indices.sorted { runnerUp[$0] < runnerUp[$1] || (runnerUp[$0] == runnerUp[$1] && $0 < $1) }
        branchOrder = order
        var rank = [Int](repeating: 0, count: count)
        for (r, field) in order.enumerated() { rank[field] = r }
        rankOf = rank
        assigned = [Int?](repeating: nil, count: count)
        mass = [[Int: Double]](repeating: [:], count: count)
        trail.reserveCapacity(count)
    }

    /// Searching for the single best assignment (branch and bound against it) instead of
    /// summing every assignment near it.
    var maximising = false
    /// Values a field may not take in this search.
    var excluded: [Int: Set<Int>] = [:]

    /// The absolute floor of the current pass.
    var floor = 0.0
    /// The weight of a consistent assignment known from an earlier pass.
    var incumbent = 0.0

    var threshold: Double { maximising ? max(floor, best) : max(floor, max(best, incumbent) * parameters.pruneRatio) }

    /// Passes with lower and lower floors until one finds a consistent assignment, then a last
    /// pass with no floor, cut only relative to that assignment: the floors only serve to find
    /// a first assignment cheaply, and must not cut what is close to the best one. Summing that
    /// runs out of nodes in any pass, the last included, leaves the decision to the max-marginal
    /// fallback with the nodes that are left.
    mutating func run() {
        for floor in parameters.startingFloors {
            pass(floor: floor)
            if exhausted { return maxMarginals() }
            guard solutions > 0 else { continue }
            if floor > best * parameters.pruneRatio {
                incumbent = best
                pass(floor: 0)
                if exhausted { return maxMarginals() }
            }
            return
        }
    }

    /// Posteriors from max-marginals, when summing runs out of budget: the best assignment by
    /// branch and bound, then for each field the best consistent assignment that gives it
    /// another value, up to `alternatives` of them. P(f = v*) ≈ W* / (W* + Σ W_alt): each
    /// value's mass is taken as its best assignment's weight. `approximate` says so; the
    /// fields are only trusted when this still clears the confidence. Every search of the
    /// fallback draws on what the summing left of the problem's node limit.
    mutating func maxMarginals() {
        let alternatives = 3
        maximising = true
        approximate = true
        currentLimit = nodeLimit
        func best(excluding: [Int: Set<Int>]) -> (Double, [Int])? {
            excluded = excluding
            for floor in parameters.startingFloors {
                self.best = 0
                bestValues = nil
                exhausted = false
                self.floor = floor
                search()
                if exhausted { return nil }
                if let values = bestValues { return (self.best, values) }
            }
            return nil
        }
        guard let (top, values) = best(excluding: [:]) else {
            exhausted = true
            return
        }
        var masses = [[Int: Double]](repeating: [:], count: count)
        var total = [Double](repeating: top, count: count)
        var complete = true
        for field in 0 ..< count {
            masses[field][values[field]] = top
            var excluding: Set<Int> = [values[field]]
            for _ in 0 ..< alternatives {
                guard let (weight, other) = best(excluding: [field: excluding]) else {
                    if exhausted { complete = false }
                    break
                }
                if weight < top * parameters.pruneRatio { break }
                masses[field][other[field], default: 0] += weight
                total[field] += weight
                excluding.insert(other[field])
            }
        }
        mass = masses.enumerated().map { f, perValue in perValue.mapValues { $0 / total[f] } }
        self.best = top
        bestValues = values
        solutions = 1
        dropped = 0
        totalFound = 1
        exhausted = !complete
    }

    mutating func pass(floor: Double) {
        self.floor = floor
        best = 0
        bestValues = nil
        totalFound = 0
        dropped = 0
        solutions = 0
        mass = [[Int: Double]](repeating: [:], count: count)
        search()
    }

    /// Assigns `value` to `field` and checks the relations it completes. Returns false (and
    /// leaves the assignment in place for the caller to undo) when a relation fails.
    mutating func assign(_ field: Int, _ value: Int) -> Bool {
        assigned[field] = value
        if let values = excluded[field], values.contains(value) { return false }
        for k in inequalitiesOf[field] {
            let (a, b) = inequalities[k]
            if let va = assigned[a], let vb = assigned[b], va > vb { return false }
        }
        for e in equalitiesOf[field] {
            var sum = 0, open = 0
            for term in equalities[e].terms {
                if let v = assigned[term.field] { sum += term.coefficient * v } else { open += 1 }
            }
            if open == 0, sum != 0 { return false }
        }
        return true
    }

    /// An equality with exactly one unassigned field: that field and the value it must take
    /// (nil when the value is not a whole number the field can hold).
    func determined() -> (field: Int, value: Int?)? {
        for equality in equalities {
            var sum = 0, open: (field: Int, coefficient: Int)?, openCount = 0
            for term in equality.terms {
                if let v = assigned[term.field] { sum += term.coefficient * v } else { open = term; openCount += 1 }
            }
            guard openCount == 1, let open else { continue }
            guard -sum % open.coefficient == 0 else { return (open.field, nil) }
            let value = -sum / open.coefficient
            return (open.field, (0 ..< weights[open.field].count).contains(value) ? value : nil)
        }
        return nil
    }

    mutating func search() {
        guard nodes < currentLimit else {
            exhausted = true
            return
        }
        nodes += 1
        // Propagate determined fields.
        let base = trail.count
        defer {
            while trail.count > base {
                let (field, previous) = trail.removeLast()
                assigned[field] = nil
                weight = previous
            }
        }
        while let (field, value) = determined() {
            guard let value, weights[field][value] > 0 else { return }
            trail.append((field, weight))
            let next = weight * weights[field][value]
            guard assign(field, value) else { return }
            weight = next
            if weight < threshold {
                dropped += weight
                return
            }
        }
        // An equality with two open fields bounds every completion: its two fields must still
        // satisfy it, and the best they can do together may already be too little.
        let bound = pairBound()
        if weight * bound < threshold {
            dropped += weight * bound
            return
        }
        guard let field = nextBranch() else { return record() }
        let before = weight
        for value in candidates[field] {
            let next = before * weights[field][value]
            if next < threshold { break }
            let consistent = assign(field, value)
            weight = next
            if consistent { search() }
            assigned[field] = nil
            weight = before
            if exhausted { return }
        }
    }

    /// The smallest, over equalities with exactly two unassigned fields u and w, of the best
    /// weight w_u(a) · w_w(b) with a and b satisfying the equality; 1 when there is none. The
    /// best pair is sought among each field's candidates (the other side determined), so a
    /// pair with neither value among the candidates is not seen: its weight is below both
    /// fields' candidate cut-offs.
    func pairBound() -> Double {
        var bound = 1.0
        for equality in equalities {
            // The equality's open terms, without an array per equality per node.
            var sum = 0, openCount = 0
            var first = (field: 0, coefficient: 0), second = (field: 0, coefficient: 0)
            for term in equality.terms {
                if let v = assigned[term.field] { sum += term.coefficient * v } else {
                    openCount += 1
                    if openCount == 1 { first = term } else if openCount == 2 { second = term } else { break }
                }
            }
            guard openCount == 2 else { continue }
            var best = 0.0
            for pass in 0 ..< 2 {
                let (a, b) = pass == 0 ? (first, second) : (second, first)
                let weightsA = weights[a.field], weightsB = weights[b.field]
                let size = weightsB.count
                for value in candidates[a.field] {
                    let wa = weightsA[value]
                    if wa <= best { break }
                    let rest = -sum - a.coefficient * value
                    // Nearly every coefficient is ±1: no division for those.
                    let other: Int
                    switch b.coefficient {
                    case 1: other = rest
                    case -1: other = -rest
                    default:
                        guard rest % b.coefficient == 0 else { continue }
                        other = rest / b.coefficient
                    }
                    guard other >= 0, other < size else { continue }
                    best = max(best, wa * weightsB[other])
                }
            }
            bound = min(bound, best)
            if bound == 0 { return 0 }
        }
        return bound
    }

    /// The field to branch on: one of the equality with the fewest unassigned fields (so that
    /// it completes, and fails or determines, as soon as possible), the most confidently read
    /// of those; a field in no open equality only when none is left.
    func nextBranch() -> Int? {
        var bestField: Int?, bestOpen = Int.max, bestRank = Int.max
        for equality in equalities {
            var open = 0
            for term in equality.terms where assigned[term.field] == nil { open += 1 }
            guard open > 0, open <= bestOpen else { continue }
            for term in equality.terms where assigned[term.field] == nil {
                let rank = rankOf[term.field]
                if open < bestOpen || rank < bestRank { (bestField, bestOpen, bestRank) = (term.field, open, rank) }
            }
        }
        return bestField ?? branchOrder.first { assigned[$0] == nil }
    }

    mutating func record() {
        if maximising {
            if weight > best {
                best = weight
                bestValues = assigned.map { $0! }
            }
            return
        }
        solutions += 1
        totalFound += weight
        for (i, value) in assigned.enumerated() { mass[i][value!, default: 0] += weight }
        if weight > best {
            best = weight
            bestValues = assigned.map { $0! }
        }
    }

    func result() -> JointDecoder.Decoding {
        let total = totalFound + dropped
        let posteriors = approximate ? mass : mass.map { perValue in total > 0 ? perValue.mapValues { $0 / total } : [:] }
        return JointDecoder.Decoding(values: bestValues, posteriors: posteriors,
                                     droppedMass: approximate ? 0 : total > 0 ? dropped / total : 1, solutions: solutions,
                                     nodes: nodes, complete: !exhausted, approximate: approximate)
    }
}
