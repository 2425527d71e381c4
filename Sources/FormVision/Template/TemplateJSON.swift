import Foundation

/// Reading and writing templates and form sets as JSON (snake_case keys).
public enum TemplateJSON {
    /// Parses and validates a page template.
    ///
    /// - Throws: `.malformed` when the JSON does not parse or lacks keys, `.unsupportedSchemaVersion`,
    ///   or `.invalid` from `FormTemplate.validate()`.
    public static func template(from json: [UInt8]) throws(TemplateError) -> FormTemplate {
        let template: FormTemplate = try decode(json)
        try template.validate()
        return template
    }

    /// Parses and validates a form set (its pages included).
    public static func formSet(from json: [UInt8]) throws(TemplateError) -> FormSet {
        let set: FormSet = try decode(json)
        try set.validate()
        return set
    }

    /// Reads a page template or a whole form set from a file: a file with a "pages" key is a
    /// form set, anything else a single page (returned as a one-page set with the page's id).
    public static func load(contentsOfFile path: String) throws(TemplateError) -> FormSet {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path, limit: 16 << 20)
        } catch {
            throw .unreadableFile(path: path, reason: error.description)
        }
        let isSet = (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])?["pages"] != nil
        if isSet { return try formSet(from: bytes) }
        let page = try template(from: bytes)
        return FormSet(id: page.id, title: page.title, pages: [page], crossPageRelations: [])
    }

    /// Encodes as pretty-printed JSON with sorted keys (stable output).
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding these plain value types cannot fail.
        return Array((try? encoder.encode(value)) ?? Data())
    }

    private static func decode<T: Decodable>(_ json: [UInt8]) throws(TemplateError) -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(json))
        } catch let DecodingError.keyNotFound(key, context) {
            throw .malformed(reason: "missing key \"\(snake(key.stringValue))\" at \(path(context))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .malformed(reason: "wrong type at \(path(context)): \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .malformed(reason: "missing value at \(path(context))")
        } catch let DecodingError.dataCorrupted(context) {
            throw .malformed(reason: "\(context.debugDescription) at \(path(context))")
        } catch {
            throw .malformed(reason: "\(error)")
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\(snake($0.stringValue))" }
        return parts.isEmpty ? "the top level" : parts.joined()
    }

    private static func snake(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
        return result
    }
}
