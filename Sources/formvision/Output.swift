import Foundation
import FormVision

/// Writing results and messages: JSON or text on stdout, one-line messages on stderr.
enum Output {
    /// A JSON encoder with stable key order, so output is byte-identical across runs.
    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    /// Prints one value as one line of JSON on stdout.
    static func jsonLine(_ value: some Encodable) throws {
        let data = try jsonEncoder.encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// Prints a one-line message on stderr: `formvision: <message>`.
    static func error(_ message: String) {
        let line = message.replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("formvision: \(line)\n".utf8))
    }

    /// The one-line message for an input that failed; names the input unless the error does.
    static func message(for input: String, _ error: ImageError) -> String {
        switch error {
        case .fileNotFound, .unreadableFile, .fileTooLarge: error.description
        default: "\(input): \(error.description)"
        }
    }
}

/// How a failed input appears in JSON output: the typed error's kind and its message.
struct ErrorRecord: Encodable {
    var kind: String
    var message: String

    init(_ error: ImageError) {
        kind = error.kind
        message = error.description
    }
}
