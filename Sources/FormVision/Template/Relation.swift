/// An arithmetic fact that the numbers of one polling station obey.
///
/// Relations name fields; a relation may join fields of different pages of the same form set.
/// They are data so that a solver can read them: the reader uses them to detect misreads and
/// to correct them.
///
/// JSON: an object with a `kind` key and the case's own keys:
/// `{"kind": "sum_equals", "terms": ["a", "b"], "total": "c"}`,
/// `{"kind": "equals", "left": "a", "right": "b"}`,
/// `{"kind": "less_or_equal", "left": "a", "right": "b"}`,
/// `{"kind": "upper_bound", "field": "a", "bound": 600}`.
public enum Relation: Sendable, Equatable, Hashable {
    /// The sum of the terms equals the total.
    case sumEquals(terms: [String], total: String)
    /// Two fields hold the same value.
    case equals(left: String, right: String)
    /// The left field is at most the right one.
    case lessOrEqual(left: String, right: String)
    /// The field is at most a constant.
    case upperBound(field: String, bound: Int)

    /// The names of the fields the relation reads.
    public var fieldNames: [String] {
        switch self {
        case .sumEquals(let terms, let total): terms + [total]
        case .equals(let left, let right), .lessOrEqual(let left, let right): [left, right]
        case .upperBound(let field, _): [field]
        }
    }

    /// Whether the relation holds for these values; nil when a value it needs is missing.
    public func holds(_ values: [String: Int]) -> Bool? {
        switch self {
        case .sumEquals(let terms, let total):
            guard let total = values[total] else { return nil }
            var sum = 0
            for term in terms {
                guard let value = values[term] else { return nil }
                sum += value
            }
            return sum == total
        case .equals(let left, let right):
            guard let a = values[left], let b = values[right] else { return nil }
            return a == b
        case .lessOrEqual(let left, let right):
            guard let a = values[left], let b = values[right] else { return nil }
            return a <= b
        case .upperBound(let field, let bound):
            guard let a = values[field] else { return nil }
            return a <= bound
        }
    }
}

extension Relation: CustomStringConvertible {
    /// The relation as a formula, for example "registered_dpt_male + registered_dpt_female = registered_dpt_total".
    public var description: String {
        switch self {
        case .sumEquals(let terms, let total): "\(terms.joined(separator: " + ")) = \(total)"
        case .equals(let left, let right): "\(left) = \(right)"
        case .lessOrEqual(let left, let right): "\(left) ≤ \(right)"
        case .upperBound(let field, let bound): "\(field) ≤ \(bound)"
        }
    }
}

extension Relation: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, terms, total, left, right, field, bound
    }

    private enum Kind: String, Codable {
        case sumEquals = "sum_equals"
        case equals
        case lessOrEqual = "less_or_equal"
        case upperBound = "upper_bound"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .sumEquals:
            self = .sumEquals(terms: try container.decode([String].self, forKey: .terms),
                              total: try container.decode(String.self, forKey: .total))
        case .equals:
            self = .equals(left: try container.decode(String.self, forKey: .left),
                           right: try container.decode(String.self, forKey: .right))
        case .lessOrEqual:
            self = .lessOrEqual(left: try container.decode(String.self, forKey: .left),
                                right: try container.decode(String.self, forKey: .right))
        case .upperBound:
            self = .upperBound(field: try container.decode(String.self, forKey: .field),
                               bound: try container.decode(Int.self, forKey: .bound))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .sumEquals(let terms, let total):
            try container.encode(Kind.sumEquals, forKey: .kind)
            try container.encode(terms, forKey: .terms)
            try container.encode(total, forKey: .total)
        case .equals(let left, let right):
            try container.encode(Kind.equals, forKey: .kind)
            try container.encode(left, forKey: .left)
            try container.encode(right, forKey: .right)
        case .lessOrEqual(let left, let right):
            try container.encode(Kind.lessOrEqual, forKey: .kind)
            try container.encode(left, forKey: .left)
            try container.encode(right, forKey: .right)
        case .upperBound(let field, let bound):
            try container.encode(Kind.upperBound, forKey: .kind)
            try container.encode(field, forKey: .field)
            try container.encode(bound, forKey: .bound)
        }
    }
}
