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

    @Option(name: .shortAndLong, help: "Where to write the weights file.")
    var output: String

    func validate() throws {
        guard epochs > 0, samplesPerEpoch >= 64, workers > 0 else { throw ValidationError("epochs, samples and workers must be positive") }
    }

    func run() throws {
        let training: HandwrittenDigits, heldOutDigits: HandwrittenDigits
        do throws(ImageError) {
            training = try HandwrittenDigits.load(contentsOfFile: digits, split: .training)
            heldOutDigits = try HandwrittenDigits.load(contentsOfFile: digits, split: .heldOut)
        } catch {
            throw CLIFailure("cannot load digits.png (\(error.description)); run scripts/setup.sh or pass --digits")
        }
        let cells = TrainingCells(digits: training)
        let heldOut = heldOutDigits.samples.joined().map { (cells.plain($0), DigitClass(rawValue: $0.digit)!) }
        var parameters = Trainer.Parameters()
        parameters.epochs = epochs
        parameters.samplesPerEpoch = samplesPerEpoch
        parameters.seed = seed
        parameters.workers = workers
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
        let after = Calibration.expectedCalibrationError(network, heldOut)
        try Output.write(WeightsFile.encode(network), to: output)
        FileHandle.standardError.write(Data(String(
            format: "train: held-out accuracy %.2f %%, ECE %.4f before and %.4f after temperature %.3f, confidently wrong %.2f %%; %.0f s; wrote %@\n",
            Trainer.accuracy(network, heldOut) * 100, before.ece, after.ece, network.temperature, after.confidentlyWrong * 100,
            Date().timeIntervalSince(started), output).utf8))
    }
}
