import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// `formvision classify IMAGE...`: the digit classifier on images of single boxes.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify images of single cells (any size, dark ink on light paper).",
        discussion: """
            Each image is normalised the way the pipeline normalises a box (ink against the paper \
            colour, line leftovers cleared, scaled to 20 px and centred by mass in 28x28). Prints one \
            JSON object per image: image, class ("0"-"9", "mark" for an X or dash, "blank"), \
            probability (of that class), probabilities (every class), ink_fraction.
            """
    )

    @Argument(help: "Cell images (PNG or JPEG).")
    var images: [String]

    @Option(help: "A weights file instead of the bundled network.")
    var weights: String?

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
    }

    struct Record: Encodable {
        var image: String
        var `class`: String
        var probability: Float
        var probabilities: [String: Float]
        var inkFraction: Double
    }

    func run() throws {
        let network: DigitNetwork
        do throws(WeightsError) {
            if let weights { network = try WeightsFile.load(contentsOfFile: weights) } else { network = try DigitNetwork.bundled() }
        } catch {
            throw CLIFailure(error.description)
        }
        let decoder = ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8))
        let extractor = CellExtractor()
        var failures = 0
        for path in images {
            do throws(ImageError) {
                let cell = extractor.cell(fromImage: try decoder.decode(contentsOfFile: path))
                let p = network.classify(cell)
                let top = DigitNetwork.top(p, cell: 0)
                var all: [String: Float] = [:]
                for c in DigitClass.allCases { all[c.name] = p[c.rawValue] }
                try? Output.jsonLine(Record(image: path, class: top.class.name, probability: top.value,
                                            probabilities: all, inkFraction: cell.statistics.inkFraction))
            } catch {
                failures += 1
                Output.error(Output.message(for: path, error))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
