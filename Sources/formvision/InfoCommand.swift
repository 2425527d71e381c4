import ArgumentParser
import FormVision
import FormVisionTraining

/// `formvision info IMAGE...`: what each image is, and whether it decodes.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the format, size, orientation and channels of images.",
        discussion: """
            By default every image is decoded in full, so a truncated or damaged file is reported \
            even when its header is fine. Text output is one line per image; --json prints one JSON \
            object per image (JSON Lines) with the keys image, format, width, height, channels, \
            bit_depth, color_model, orientation, orientation_name, upright_width, upright_height; \
            or image and error {kind, message} for an image that could not be read.
            """
    )

    @Argument(help: "JPEG or PNG files.")
    var images: [String]

    @Flag(help: "Print JSON Lines instead of text.")
    var json = false

    @Flag(help: "Read only the headers; do not decode the pixels.")
    var headerOnly = false

    @Option(help: "Refuse images with more pixels than this (a limit read from the header, before decoding).")
    var maxPixels = ImageLimits.default.maxPixels

    /// Reads one image's header and, unless --header-only, decodes it.
    private func describe(_ path: String, decoder: ImageDecoder) -> Result<InfoRecord, ImageError> {
        do throws(ImageError) {
            let bytes = try decoder.readFile(path)
            let info = try decoder.info(bytes)
            if !headerOnly { _ = try decoder.decode(bytes) }
            return .success(InfoRecord(image: path, info: info))
        } catch {
            return .failure(error)
        }
    }

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
    }

    func run() throws {
        let decoder = ImageDecoder(options: DecodeOptions(limits: ImageLimits(maxPixels: maxPixels)))
        var failures = 0
        for path in images {
            switch describe(path, decoder: decoder) {
            case .success(let record):
                if json { try Output.jsonLine(record) } else { print(record.text) }
            case .failure(let error):
                failures += 1
                Output.error(Output.message(for: path, error))
                if json { try Output.jsonLine(FailedRecord(image: path, error: ErrorRecord(error))) }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// One image's line of `info` output.
struct InfoRecord: Encodable {
    var image: String
    var format: String
    var width: Int
    var height: Int
    var channels: Int
    var bitDepth: Int
    var colorModel: String
    var orientation: Int
    var orientationName: String
    var uprightWidth: Int
    var uprightHeight: Int

    init(image: String, info: ImageInfo) {
        self.image = image
        format = info.format.rawValue
        width = info.width
        height = info.height
        channels = info.channels
        bitDepth = info.bitDepth
        colorModel = info.colorModel
        orientation = info.orientation.rawValue
        orientationName = info.orientation.description
        uprightWidth = info.uprightWidth
        uprightHeight = info.uprightHeight
    }

    var text: String {
        "\(image): \(format.uppercased()) \(width)×\(height), \(channels) channel\(channels == 1 ? "" : "s") "
            + "(\(colorModel)), \(bitDepth)-bit, orientation \(orientation) \(orientationName) "
            + "(upright \(uprightWidth)×\(uprightHeight))"
    }
}

/// A line of JSON output for an input that failed.
struct FailedRecord: Encodable {
    var image: String
    var error: ErrorRecord
}
