/// Why a template or form set could not be loaded or used.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSON could not be parsed or does not have the template's shape.
    case malformed(reason: String)
    /// The template's schema version is not one this code reads.
    case unsupportedSchemaVersion(found: Int, supported: Int)
    /// The template parsed but breaks a rule (a box outside the page, overlapping boxes, a
    /// relation naming an unknown field, …).
    case invalid(template: String, reason: String)
    /// No built-in template or form set has this id.
    case unknownTemplate(id: String, known: [String])
    /// A template file could not be read.
    case unreadableFile(path: String, reason: String)

    /// A stable snake_case name for the case.
    public var kind: String {
        switch self {
        case .malformed: "malformed_template"
        case .unsupportedSchemaVersion: "unsupported_schema_version"
        case .invalid: "invalid_template"
        case .unknownTemplate: "unknown_template"
        case .unreadableFile: "unreadable_template_file"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed template: \(reason)"
        case .unsupportedSchemaVersion(let found, let supported):
            "template schema version \(found) is not supported (this FormVision reads version \(supported))"
        case .invalid(let template, let reason): "invalid template \(template): \(reason)"
        case .unknownTemplate(let id, let known): "unknown template \"\(id)\"; known: \(known.joined(separator: ", "))"
        case .unreadableFile(let path, let reason): "cannot read template \(path): \(reason)"
        }
    }
}
