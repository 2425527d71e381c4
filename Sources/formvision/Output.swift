import Foundation
import FormVision
import FormVisionTraining

/// Writing results and messages: JSON or text on stdout, one-line messages on stderr.
enum Output {
    /// A JSON encoder with stable key order, so output is byte-identical across runs.
    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    /// Prints one value as one line of JSON on stdout (or indented, for a single document).
    static func jsonLine(_ value: some Encodable, pretty: Bool = false) throws {
        let encoder = pretty ? prettyEncoder : jsonEncoder
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// Prints bytes that already hold one JSON document, and a newline.
    static func raw(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes) + Data("\n".utf8))
    }

    static let prettyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    /// Writes a file, with a CLI failure naming the path when it cannot be written.
    static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIFailure("cannot write \(path): \((error as NSError).localizedDescription)")
        }
    }

    /// Rewrites the progress line on stderr (a terminal shows one updating line).
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
    }

    /// Ends the progress line.
    static func progressDone() {
        FileHandle.standardError.write(Data("\n".utf8))
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

    static func message(for input: String, _ error: PipelineError) -> String {
        if case .image(let image) = error { return message(for: input, image) }
        return "\(input): \(error.description)"
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

/// A failure the CLI reports as one line on stderr, exiting with status 1.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
