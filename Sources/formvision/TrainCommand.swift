import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// `formvision train`: trains the digit network from scratch.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the digit classifier from scratch on generated cells.",
        discussion: """
            Digits come from digits.png's training columns 0-84, from Debian's handwriting fonts \
            (all but the two held-out ones) and from Hershey faces; X marks, dashes and blanks are \
            drawn. Each epoch prints its loss and the accuracy on the held-out columns 90-99 (never \
            trained on). The softmax temperature is then fitted on columns 85-89 (kept out of training) \
            with fresh marks and blanks, and the expected calibration error is reported on the held-out digits. \
            To compare settings without looking at the held-out data, add --validate: training then \
            leaves columns 75-89 out, calibrates on 75-79 and measures every figure on 80-89 instead, \
            and leaves two training fonts out (two of the fonts-bwht writers) to measure in place of \
            the held-out fonts. --fold 1-5 moves the measured columns 15 to the left per fold, with \
            another pair of writers, for a second opinion on other digits.
            """
    )

    @Option(help: "Path of digits.png.")
    var digits = DigitsLocation.defaultPath

    @Option(help: "Directory of the installed fonts.")
    var fonts = HandwritingFont.defaultDirectory

    @Option(help: "Epochs.")
    var epochs = Trainer.Parameters().epochs

    @Option(help: "Samples generated per epoch.")
    var samplesPerEpoch = Trainer.Parameters().samplesPerEpoch

    @Option(help: "Training seed.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads for generating samples and computing gradients.")
    var workers = 2

    /// Which recipe's cells to train on.
    enum Recipe: String, ExpressibleByArgument, CaseIterable {
        case firstRound = "first-round", secondRound = "second-round"
        var parameters: TrainingCells.Parameters { self == .firstRound ? TrainingCells.Parameters() : .secondRound }
    }

    @Option(help: "The training cells' recipe: first-round (digits.png, fonts, Hershey faces, drawn X and dash; the committed network's) or second-round (adds the stroke generator's writers, every kind of mark, neighbours' strokes, sloppy photographed crops and low resolution). --font-share and the other share options override it.")
    var recipe = Recipe.firstRound

    @Option(help: "Share of training digits drawn from the training handwriting fonts (default: the recipe's).")
    var fontShare: Double?

    @Option(help: "Share of training digits set in Hershey faces with writers' variants (crossed 7, flagged 1) (default: the recipe's).")
    var hersheyShare: Double?

    @Option(help: "Chance of a gap broken into one stroke of a training digit (default: the recipe's).")
    var gapRate: Double?

    @Option(help: "Largest elastic displacement, as a fraction of the box (default: the recipe's).")
    var elasticAmplitude: Double?

    @Option(help: "Decay of the moving average of the weights that training returns (0 = the last step's weights).")
    var averageDecay = Trainer.Parameters().averageDecay

    @Option(help: "How the learning rate falls: step (halved every --decay-every epochs) or cosine (to zero at the end).")
    var schedule = Trainer.Parameters().schedule

    @Option(help: "With --schedule step: halve the learning rate every this many epochs.")
    var decayEvery = Trainer.Parameters().decayEvery

    @Option(help: "Dropout rate on the pooled features entering the first dense layer (0 = none).")
    var dropout = Trainer.Parameters().dropout

    @Flag(name: .customLong("validate"),
          help: "Train on digits.png columns 0-74 without two validation fonts, calibrate on 75-79 and measure on 80-89 and those fonts, never touching the held-out data.")
    var validationRun = false

    @Option(help: "With --validate: the validation fold, 0-5. Fold k measures columns 80-89 moved 15k to the left, calibrates on the five before them, trains on the rest of 0-89, and measures its own pair of fonts-bwht writers (three pairs).")
    var fold = 0

    @Option(help: "Marks and blanks drawn for the report (two thirds marks); the held-out fonts get one digit per 60.")
    var reportSamples = 3000

    @Option(name: .shortAndLong, help: "Where to write the weights file.")
    var output: String?

    @Option(help: "Do not train: report the held-out figures of this weights file ('bundled' for the shipped network).")
    var evaluate: String?

    @Option(help: "Do not train: write a PNG sheet of training cells (rows of 24, as the network sees them) to this path.")
    var sheet: String?

    /// What a --sheet shows.
    enum SheetContent: String, ExpressibleByArgument, CaseIterable {
        case training, heldOutFonts = "held-out-fonts", heldOutStyles = "held-out-styles", heldOutMarks = "held-out-marks"
    }

    @Option(help: "With --sheet: what to draw: training (cells as training draws them), held-out-fonts, held-out-styles (the stroke generator's held-out variants) or held-out-marks (marks and blanks from the held-out settings).")
    var sheetOf = SheetContent.training

    @Option(help: "After training or --evaluate: write the misread digits.png digits to this PNG, as the network sees them (rows of 24, in the order the report lists them).")
    var misreadSheet: String?

    func validate() throws {
        guard [output, evaluate, sheet].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give -o FILE to train, --evaluate FILE, or --sheet FILE")
        }
        guard (0 ..< DigitColumns.validationFolds).contains(fold), fold == 0 || validationRun else {
            throw ValidationError("--fold goes with --validate and is 0 to \(DigitColumns.validationFolds - 1)")
        }
        guard misreadSheet == nil || sheet == nil else { throw ValidationError("--misread-sheet goes with training or --evaluate, not --sheet") }
        guard (0 ..< 1).contains(averageDecay) else { throw ValidationError("--average-decay must be 0 to below 1") }
        guard (0 ..< 0.9).contains(dropout) else { throw ValidationError("--dropout must be 0 to below 0.9") }
        guard decayEvery > 0 else { throw ValidationError("--decay-every must be positive") }
        guard reportSamples >= 60 else { throw ValidationError("--report-samples must be at least 60") }
        guard epochs > 0, samplesPerEpoch >= 64, workers > 0 else { throw ValidationError("epochs, samples and workers must be positive") }
        let p = cellParameters
        guard (0 ... 1).contains(p.fontShare), (0 ... 1).contains(p.hersheyShare), (0 ... 1).contains(p.gapRate), (0 ... 0.3).contains(p.elasticAmplitude),
              p.fontShare + p.hersheyShare + p.strokeShare <= 1 else {
            throw ValidationError("--font-share, --hershey-share and --gap-rate must be 0 to 1, adding the shares up to at most 1; --elastic-amplitude 0 to 0.3")
        }
    }

    /// The recipe's cell parameters with the share options applied.
    var cellParameters: TrainingCells.Parameters {
        var p = recipe.parameters
        if let fontShare { p.fontShare = fontShare }
        if let hersheyShare { p.hersheyShare = hersheyShare }
        if let gapRate { p.gapRate = gapRate }
        if let elasticAmplitude { p.elasticAmplitude = elasticAmplitude }
        return p
    }

    func run() throws {
        let columns = validationRun ? DigitColumns.validation(fold: fold) : DigitColumns.final
        let training: HandwrittenDigits, calibrationDigits: HandwrittenDigits, measured: HandwrittenDigits
        do throws(ImageError) {
            training = try HandwrittenDigits.load(contentsOfFile: digits, split: .training, columns: columns.training)
            calibrationDigits = try HandwrittenDigits.load(contentsOfFile: digits, split: .training, columns: columns.calibration)
            measured = try HandwrittenDigits.load(contentsOfFile: digits, split: columns.measuredSplit, columns: columns.measured)
        } catch {
            throw CLIFailure("cannot load digits.png (\(error.description)); run scripts/setup.sh or pass --digits")
        }
        var trainingFaces: [DigitFace], heldOutFaces: [DigitFace]
        do throws(FontError) {
            trainingFaces = try HandwritingFont.faces(.training, directory: fonts)
            heldOutFaces = try HandwritingFont.faces(.heldOut, directory: fonts)
        } catch {
            throw CLIFailure(error.description)
        }
        // The style test: the held-out fonts, or with --validate two training fonts left out.
        var styleFaces = heldOutFaces
        if validationRun {
            let names = HandwritingFont.validationNames(fold: fold)
            styleFaces = trainingFaces.filter { names.contains($0.name) }
            trainingFaces.removeAll { names.contains($0.name) }
        }
        let cells = TrainingCells(digits: training, faces: trainingFaces, parameters: cellParameters)
        if let sheet {
            try writeSheet(cells, content: sheetOf, heldOutFaces: heldOutFaces, to: sheet)
            return
        }
        let heldOut = cells.plainSamples(measured)
        let what = validationRun ? "validation (columns \(columns.measured.lowerBound)-\(columns.measured.upperBound - 1))" : "held-out"
        if let evaluate {
            let network: DigitNetwork
            do throws(WeightsError) {
                network = evaluate == "bundled" ? try DigitNetwork.bundled() : try WeightsFile.load(contentsOfFile: evaluate)
            } catch {
                throw CLIFailure(error.description)
            }
            try report(network, cells: cells, measured: measured, heldOut: heldOut, styleFaces: styleFaces, what: what, uncalibratedECE: nil)
            return
        }
        var parameters = Trainer.Parameters()
        parameters.epochs = epochs
        parameters.samplesPerEpoch = samplesPerEpoch
        parameters.seed = seed
        parameters.workers = workers
        parameters.schedule = schedule
        parameters.decayEvery = decayEvery
        parameters.dropout = dropout
        parameters.averageDecay = averageDecay
        let started = Date()
        var network: DigitNetwork
        do throws(ImageError) {
            network = try Trainer(parameters: parameters).train(cells: cells, heldOut: heldOut) { report in
                FileHandle.standardError.write(Data(String(
                    format: "train: epoch %d/%d  loss %.4f  %@ accuracy %.2f %%  %.0f s\n", report.epoch, epochs,
                    report.loss, what, report.heldOutAccuracy * 100, report.seconds).utf8))
            }
        } catch {
            throw CLIFailure(error.description)
        }
        // Calibrate on the calibration columns (never trained on), plus fresh marks and blanks so
        // that the non-digit classes are calibrated too.
        var validation = cells.plainSamples(calibrationDigits)
        var g = SeededGenerator(seed: seed).derived("calibration")
        do throws(ImageError) {
            for _ in 0 ..< validation.count / 4 { validation.append((try cells.mark(using: &g), .mark)) }
            for _ in 0 ..< validation.count / 8 { validation.append((try cells.blank(using: &g), .blank)) }
        } catch {
            throw CLIFailure(error.description)
        }
        let before = Calibration.expectedCalibrationError(network, heldOut)
        network.temperature = Calibration.fitTemperature(network, validation)
        try report(network, cells: cells, measured: measured, heldOut: heldOut, styleFaces: styleFaces, what: what, uncalibratedECE: before.ece)
        try Output.write(WeightsFile.encode(network), to: output ?? "")
        FileHandle.standardError.write(Data("train: \(String(format: "%.0f", Date().timeIntervalSince(started))) s; wrote \(output ?? "")\n".utf8))
    }

    /// A sheet of 240 cells, 24 to a row, white on black as the network sees them.
    func writeSheet(_ cells: TrainingCells, content: SheetContent, heldOutFaces: [DigitFace], to path: String) throws {
        let (columns, rows) = (24, 10)
        var g = SeededGenerator(seed: seed).derived("sheet")
        var sheetCells: [[Float]] = []
        do throws(ImageError) {
            switch content {
            case .training:
                for _ in 0 ..< columns * rows { sheetCells.append(try cells.sample(using: &g).cell) }
            case .heldOutFonts:
                sheetCells = try cells.typesetSamples(heldOutFaces.map { .outline($0) }, perDigit: columns, seed: 7777).map(\.cell)
            case .heldOutStyles:
                sheetCells = try cells.strokeSamples(split: .heldOut, perDigit: columns, seed: 7777).map(\.cell)
            case .heldOutMarks:
                sheetCells = try cells.markSamples(settings: .heldOut, marks: columns * rows * 2 / 3, blanks: columns * rows / 3, seed: 7777).map(\.cell)
            }
        } catch { throw CLIFailure(error.description) }
        try Self.writeGrid(Array(sheetCells.prefix(columns * rows)), columns: columns, to: path)
        FileHandle.standardError.write(Data("train: wrote a sheet of \(min(sheetCells.count, columns * rows)) \(content.rawValue) cells to \(path)\n".utf8))
    }

    /// Writes network-input cells (28 × 28, ink 0–1) as a white-on-black PNG grid, `columns` to a
    /// row, each cell framed by a 1 px gutter. An empty list writes one empty cell.
    static func writeGrid(_ cells: [[Float]], columns: Int, to path: String) throws {
        let side = DigitNetwork.Layout.side
        let rows = max(1, (cells.count + columns - 1) / columns)
        var image = Image(width: min(columns, max(1, cells.count)) * (side + 2), height: rows * (side + 2), format: .gray8)
        for (n, cell) in cells.enumerated() {
            let (x0, y0) = (n % columns * (side + 2) + 1, n / columns * (side + 2) + 1)
            for y in 0 ..< side { for x in 0 ..< side { image[x0 + x, y0 + y] = UInt8(max(0, min(1, cell[y * side + x])) * 255) } }
        }
        let png: [UInt8]
        do throws(ImageError) { png = try ImageEncoder.png(image) } catch { throw CLIFailure(error.description) }
        try Output.write(png, to: path)
    }

    /// "98.60 % of 500 (95 % interval 97.14–99.32 %)".
    static func format(_ proportion: Proportion) -> String {
        let interval = proportion.wilsonInterval()
        return String(format: "%.2f %% of %d (95 %% interval %.2f–%.2f %%)", proportion.rate * 100, proportion.trials,
                      interval.lowerBound * 100, interval.upperBound * 100)
    }

    /// The measured digits.png digits the network misreads, in the order of `heldOut` (by class,
    /// then row by row): where each sits in digits.png, what it was read as and how confidently.
    static func misread(_ network: DigitNetwork, measured: HandwrittenDigits,
                        heldOut: [(cell: [Float], label: DigitClass)]) -> [(sample: HandwrittenDigits.Sample, read: DigitClass, probability: Float, cell: [Float])] {
        let p = network.probabilities(heldOut.flatMap(\.cell), count: heldOut.count)
        return zip(measured.samples.joined(), heldOut).enumerated().compactMap { n, pair in
            let top = DigitNetwork.top(p, cell: n)
            return top.class == pair.1.label ? nil : (pair.0, top.class, top.value, pair.1.cell)
        }
    }

    /// Prints the held-out figures the acceptance asks for.
    /// How many samples the network reads wrong with a top probability of at least 0.99.
    static func confidentlyWrong(_ network: DigitNetwork, _ samples: [(cell: [Float], label: DigitClass)]) -> Int {
        let p = network.probabilities(samples.flatMap(\.cell), count: samples.count)
        return samples.indices.filter { n in
            let top = DigitNetwork.top(p, cell: n)
            return top.class != samples[n].label && top.value >= 0.99
        }.count
    }

    /// The three most frequent confusions, as "7→1 ×12, …".
    static func confusions(_ network: DigitNetwork, _ samples: [(cell: [Float], label: DigitClass)],
                           counting: (DigitClass, DigitClass) -> Bool = { _, _ in true }) -> String {
        let p = network.probabilities(samples.flatMap(\.cell), count: samples.count)
        var counts: [String: Int] = [:]
        for (n, sample) in samples.enumerated() {
            let top = DigitNetwork.top(p, cell: n).class
            if top != sample.label, counting(sample.label, top) { counts["\(sample.label)→\(top)", default: 0] += 1 }
        }
        let worst = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
        return worst.isEmpty ? "none wrong" : worst.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    /// `styleFaces` are the held-out fonts, or the validation fonts with --validate (which then
    /// reports nothing held out: not the held-out fonts, nor the Hershey script faces).
    func report(_ network: DigitNetwork, cells: TrainingCells, measured: HandwrittenDigits, heldOut: [(cell: [Float], label: DigitClass)],
                styleFaces: [DigitFace], what: String, uncalibratedECE: Double?) throws {
        let calibration = Calibration.expectedCalibrationError(network, heldOut)
        let separation: MarkSeparation
        let nonDigits: [(cell: [Float], label: DigitClass)]
        var fontSamples: [(name: String, samples: [(cell: [Float], label: DigitClass)])] = []
        var script: [(cell: [Float], label: DigitClass)] = []
        let heldOutMarks: [(cell: [Float], label: DigitClass)], heldOutStyles: [(cell: [Float], label: DigitClass)]
        do throws(ImageError) {
            let (marks, blanks) = (reportSamples * 2 / 3, reportSamples - reportSamples * 2 / 3)
            nonDigits = try MarkSeparation.samples(cells: cells, marks: marks, blanks: blanks, seed: 7777)
            separation = MarkSeparation.measure(network, nonDigits: nonDigits, digits: heldOut)
            heldOutMarks = try cells.markSamples(settings: .heldOut, marks: marks, blanks: blanks, seed: 7777)
            heldOutStyles = try cells.strokeSamples(split: .heldOut, perDigit: reportSamples / 20, seed: 7777)
            for face in styleFaces {
                fontSamples.append((face.name, try cells.typesetSamples([.outline(face)], perDigit: reportSamples / 60, seed: 7777)))
            }
            if !validationRun {
                script = try cells.typesetSamples(DigitStyle.heldOut.map { .hershey($0) }, perDigit: reportSamples / 60, seed: 7777)
            }
        } catch {
            throw CLIFailure(error.description)
        }
        let allFonts = fontSamples.flatMap(\.samples)
        let heldOutSeparation = MarkSeparation.measure(network, nonDigits: heldOutMarks, digits: heldOut + heldOutStyles + allFonts)
        let misread = Self.misread(network, measured: measured, heldOut: heldOut)
        let accuracy = Proportion(successes: heldOut.count - misread.count, trials: heldOut.count)
        // Each misread digit is listed, so that a reader can find it in digits.png (20 px cells).
        let listed = 20
        var lines = [
            String(format: "%@ digits.png accuracy %@", what, Self.format(accuracy)),
            String(format: "expected calibration error %.4f at temperature %.3f", calibration.ece, network.temperature),
            String(format: "%@ log loss %.4f (mean -ln p of the true digit)", what, Calibration.logLoss(network, heldOut)),
            String(format: "%@ digits misread: %d", what, misread.count),
        ] + misread.prefix(listed).map {
            String(format: "  row %d column %d: %d read as %@ (p %.3f)", $0.sample.row, $0.sample.column, $0.sample.digit, $0.read.name, $0.probability)
        } + (misread.count > listed ? ["  and \(misread.count - listed) more"] : []) + [
            String(format: "confidently wrong (top probability >= 0.99) %.2f %%", calibration.confidentlyWrong * 100),
            String(format: "marks and blanks from the training generator's settings read as non-digits %.2f %% (%d); as digits: %@",
                   separation.nonDigitRate * 100, nonDigits.count, Self.confusions(network, nonDigits) { _, top in top.digit != nil }),
            String(format: "held-out marks and blanks (other generator settings) read as non-digits %.2f %% (%d); as digits: %@",
                   heldOutSeparation.nonDigitRate * 100, heldOutMarks.count, Self.confusions(network, heldOutMarks) { _, top in top.digit != nil }),
            String(format: "%@ digits read as mark or blank %.2f %%", what, separation.digitLostRate * 100),
            String(format: "all held-out digits (digits.png, styles, fonts) read as mark or blank %.2f %% (%d)", heldOutSeparation.digitLostRate * 100,
                   heldOut.count + heldOutStyles.count + allFonts.count),
            String(format: "digits in the stroke generator's held-out styles %.2f %% (%d), most often %@", Trainer.accuracy(network, heldOutStyles) * 100,
                   heldOutStyles.count, Self.confusions(network, heldOutStyles)),
            String(format: "  log loss %.4f; wrong at p >= 0.99: %d", Calibration.logLoss(network, heldOutStyles),
                   Self.confidentlyWrong(network, heldOutStyles)),
            String(format: "digits in the %@ handwriting fonts %.2f %% (%d)", validationRun ? "validation" : "held-out",
                   Trainer.accuracy(network, allFonts) * 100, allFonts.count),
        ]
        for (name, samples) in fontSamples {
            lines.append(String(format: "  %@ %.2f %%, most often %@", name, Trainer.accuracy(network, samples) * 100,
                                Self.confusions(network, samples)))
        }
        if !validationRun {
            lines.append(String(format: "digits in the held-out Hershey script faces %.2f %% (%d)", Trainer.accuracy(network, script) * 100, script.count))
        }
        if let uncalibratedECE { lines.insert(String(format: "expected calibration error before calibration %.4f", uncalibratedECE), at: 1) }
        for line in lines { FileHandle.standardError.write(Data("train: \(line)\n".utf8)) }
        if let misreadSheet {
            try Self.writeGrid(misread.map(\.cell), columns: 24, to: misreadSheet)
            FileHandle.standardError.write(Data("train: wrote the \(misread.count) misread digits to \(misreadSheet)\n".utf8))
        }
    }
}

extension Trainer.Parameters.Schedule: ExpressibleByArgument {}
