import Foundation

/// Checks JSON documents against a JSON Schema, for the keywords FormVision's schemas use:
/// `type` (one name or a list), `enum`, `const`, `required`, `properties`,
/// `additionalProperties` (a boolean or a schema), `patternProperties`, `items`, `minItems`,
/// `maxItems`, `minimum`, `maximum`, `oneOf` and `$ref` to `#/$defs/NAME`. A keyword it does
/// not know makes it fail loudly rather than pass silently.
public struct SchemaValidator: @unchecked Sendable { // holds only the parsed schema, never changed
    let root: [String: Any]
    static let known: Set<String> = ["$schema", "$id", "title", "description", "type", "enum", "const", "required", "properties",
                                     "additionalProperties", "patternProperties", "items", "minItems", "maxItems",
                                     "minimum", "maximum", "oneOf", "$ref", "$defs"]

    public init(schema: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: schema) as? [String: Any] else {
            throw SchemaError(path: "$", message: "the schema is not an object")
        }
        self.root = root
    }

    public struct SchemaError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// The problems found in a document (empty when it is valid).
    public func problems(in document: Data) throws -> [SchemaError] {
        let value = try JSONSerialization.jsonObject(with: document, options: [.fragmentsAllowed])
        var found: [SchemaError] = []
        check(value, against: root, path: "$", into: &found)
        return found
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/$defs/"),
              let defs = root["$defs"] as? [String: Any], let target = defs[String(ref.dropFirst(8))] as? [String: Any] else {
            return schema
        }
        return target
    }

    static func typeName(_ value: Any) -> [String] {
        switch value {
        case is NSNull: return ["null"]
        case let n as NSNumber:
            // JSONSerialization gives booleans a class of their own (objCType "c").
            if String(describing: type(of: n)).contains("Boolean") { return ["boolean"] }
            return n.doubleValue == n.doubleValue.rounded() ? ["integer", "number"] : ["number"]
        case is String: return ["string"]
        case is [Any]: return ["array"]
        case is [String: Any]: return ["object"]
        default: return []
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = a as? NSNumber, let b = b as? NSNumber { return a == b }
        return false
    }

    func check(_ value: Any, against schemaIn: [String: Any], path: String, into found: inout [SchemaError]) {
        let schema = resolve(schemaIn)
        for key in schema.keys where !Self.known.contains(key) {
            found.append(.init(path: path, message: "schema keyword \(key) is not supported by the validator"))
        }
        if let alternatives = schema["oneOf"] as? [[String: Any]] {
            let matching = alternatives.filter { alternative in
                var inner: [SchemaError] = []
                check(value, against: alternative, path: path, into: &inner)
                return inner.isEmpty
            }
            if matching.count != 1 { found.append(.init(path: path, message: "matches \(matching.count) of the oneOf alternatives")) }
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
            if Set(allowed).isDisjoint(with: Self.typeName(value)) {
                found.append(.init(path: path, message: "is \(Self.typeName(value).first ?? "?"), not \(allowed.joined(separator: " or "))"))
                return
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            found.append(.init(path: path, message: "\(value) is not one of \(options)"))
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            found.append(.init(path: path, message: "\(value) is not \(constant)"))
        }
        if let number = value as? NSNumber, Self.typeName(value) != ["boolean"] {
            if let minimum = schema["minimum"] as? NSNumber, number.doubleValue < minimum.doubleValue {
                found.append(.init(path: path, message: "\(number) is below \(minimum)"))
            }
            if let maximum = schema["maximum"] as? NSNumber, number.doubleValue > maximum.doubleValue {
                found.append(.init(path: path, message: "\(number) is above \(maximum)"))
            }
        }
        if let array = value as? [Any] {
            if let minimum = schema["minItems"] as? Int, array.count < minimum {
                found.append(.init(path: path, message: "has \(array.count) items, fewer than \(minimum)"))
            }
            if let maximum = schema["maxItems"] as? Int, array.count > maximum {
                found.append(.init(path: path, message: "has \(array.count) items, more than \(maximum)"))
            }
            if let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { check(item, against: items, path: "\(path)[\(i)]", into: &found) }
            }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                found.append(.init(path: path, message: "lacks the required key \(key)"))
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            let patterns = (schema["patternProperties"] as? [String: Any]) ?? [:]
            for (key, item) in object {
                var covered = false
                if let property = properties[key] as? [String: Any] {
                    check(item, against: property, path: "\(path).\(key)", into: &found)
                    covered = true
                }
                for (pattern, sub) in patterns where key.range(of: pattern, options: .regularExpression) != nil {
                    if let sub = sub as? [String: Any] { check(item, against: sub, path: "\(path).\(key)", into: &found) }
                    covered = true
                }
                guard !covered else { continue }
                if let additional = schema["additionalProperties"] as? [String: Any] {
                    check(item, against: additional, path: "\(path).\(key)", into: &found)
                } else if let allowed = schema["additionalProperties"] as? Bool, !allowed {
                    found.append(.init(path: path, message: "has the key \(key), which the schema does not allow"))
                }
            }
        }
    }
}
