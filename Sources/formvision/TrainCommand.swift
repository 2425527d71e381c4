import ArgumentParser
import Foundation
import FormVision

/// `formvision train`: trains the digit network from scratch.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the digit classifier from scratch on generated cells.",
        discussion: """
            Digits come from digits.png's training columns 0-89 only; X marks, dashes and blanks are \
            drawn. Each epoch prints its loss and the accuracy on the held-out columns 90-99 (never \
            trained on). The softmax temperature is then fitted on a fresh validation set drawn from \
            the training digits, and the expected calibration error is reported on the held-out digits.
            """
    )

    @Option(help: "Path of digits.png.")
    var digits = DigitsLocation.defaultPath

    @Option(help: "Epochs.")
    var epochs = Trainer.Parameters().epochs

    @Option(help: "Samples generated per epoch.")
    var samplesPerEpoch = Trainer.Parameters().samplesPerEpoch

    @Option(help: "Training seed.")
    var seed: UInt64 = 1

    @Option(help: "Gradient worker threads.")
    var workers = 2

    @Option(help: "Share of training digits set in typefaces with writers' variants (crossed 7, flagged 1); 0 = digits.png only.")
    var fontShare = TrainingCells.Parameters().fontShare

    @Option(help: "Halve the learning rate every this many epochs.")
    var decayEvery = Trainer.Parameters().decayEvery

    @Option(name: .shortAndLong, help: "Where to write the weights file.")
    var output: String?

    @Option(help: "Do not train: report the held-out figures of this weights file ('bundled' for the shipped network).")
    var evaluate: String?

    func validate() throws {
        guard (output == nil) != (evaluate == nil) else { throw ValidationError("give -o FILE to train, or --evaluate FILE") }
        guard epochs > 0, samplesPerEpoch >= 64, workers > 0 else { throw ValidationError("epochs, samples and workers must be positive") }
        guard (0 ... 1).contains(fontShare) else { throw ValidationError("--font-share must be 0 to 1") }
    }

    func run() throws {
        let training: HandwrittenDigits, heldOutDigits: HandwrittenDigits
        do throws(ImageError) {
            training = try HandwrittenDigits.load(contentsOfFile: digits, split: .training)
            heldOutDigits = try HandwrittenDigits.load(contentsOfFile: digits, split: .heldOut)
        } catch {
            throw CLIFailure("cannot load digits.png (\(error.description)); run scripts/setup.sh or pass --digits")
        }
        var cellParameters = TrainingCells.Parameters()
        cellParameters.fontShare = fontShare
        let cells = TrainingCells(digits: training, parameters: cellParameters)
        let heldOut = heldOutDigits.samples.joined().map { (cells.plain($0), DigitClass(rawValue: $0.digit)!) }
        if let evaluate {
            let network: DigitNetwork
            do throws(WeightsError) {
                network = evaluate == "bundled" ? try DigitNetwork.bundled() : try WeightsFile.load(contentsOfFile: evaluate)
            } catch {
                throw CLIFailure(error.description)
            }
            try report(network, cells: cells, heldOut: heldOut, uncalibratedECE: nil)
            return
        }
        var parameters = Trainer.Parameters()
        parameters.epochs = epochs
        parameters.samplesPerEpoch = samplesPerEpoch
        parameters.seed = seed
        parameters.workers = workers
        parameters.decayEvery = decayEvery
        let started = Date()
        var network: DigitNetwork
        do throws(ImageError) {
            network = try Trainer(parameters: parameters).train(cells: cells, heldOut: heldOut) { report in
                FileHandle.standardError.write(Data(String(
                    format: "train: epoch %d/%d  loss %.4f  held-out accuracy %.2f %%  %.0f s\n", report.epoch, epochs,
                    report.loss, report.heldOutAccuracy * 100, report.seconds).utf8))
            }
        } catch {
            throw CLIFailure(error.description)
        }
        // Calibrate on fresh training-digit samples (never the held-out columns).
        var validation: [(cell: [Float], label: DigitClass)] = []
        var g = SeededGenerator(seed: seed).derived("validation")
        for _ in 0 ..< 3000 {
            do throws(ImageError) { let s = try cells.sample(using: &g); validation.append((s.cell, s.label)) } catch {
                throw CLIFailure(error.description)
            }
        }
        let before = Calibration.expectedCalibrationError(network, heldOut)
        network.temperature = Calibration.fitTemperature(network, validation)
        try report(network, cells: cells, heldOut: heldOut, uncalibratedECE: before.ece)
        try Output.write(WeightsFile.encode(network), to: output ?? "")
        FileHandle.standardError.write(Data("train: \(String(format: "%.0f", Date().timeIntervalSince(started))) s; wrote \(output ?? "")\n".utf8))
    }

    /// Prints the held-out figures the acceptance asks for.
    func report(_ network: DigitNetwork, cells: TrainingCells, heldOut: [(cell: [Float], label: DigitClass)],
                uncalibratedECE: Double?) throws {
        let calibration = Calibration.expectedCalibrationError(network, heldOut)
        let separation: MarkSeparation
        let typeset: [(cell: [Float], label: DigitClass)]
        do throws(ImageError) {
            separation = try MarkSeparation.measure(network, cells: cells, digits: heldOut, marks: 2000, blanks: 1000, seed: 7777)
            typeset = try cells.heldOutTypeset(perDigit: 50, seed: 7777)
        } catch {
            throw CLIFailure(error.description)
        }
        var lines = [
            String(format: "held-out digits.png accuracy %.2f %% (%d digits)", Trainer.accuracy(network, heldOut) * 100, heldOut.count),
            String(format: "expected calibration error %.4f at temperature %.3f", calibration.ece, network.temperature),
            String(format: "confidently wrong (top probability >= 0.99) %.2f %%", calibration.confidentlyWrong * 100),
            String(format: "held-out marks and blanks read as non-digits %.2f %% (3000)", separation.nonDigitRate * 100),
            String(format: "held-out digits read as mark or blank %.2f %%", separation.digitLostRate * 100),
            String(format: "digits in the held-out script faces %.2f %% (%d)", Trainer.accuracy(network, typeset) * 100, typeset.count),
        ]
        if let uncalibratedECE { lines.insert(String(format: "expected calibration error before calibration %.4f", uncalibratedECE), at: 1) }
        for line in lines { FileHandle.standardError.write(Data("train: \(line)\n".utf8)) }
    }
}
