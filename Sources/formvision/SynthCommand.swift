import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// `formvision synth`: a labelled corpus of synthetic phone photos of filled-in forms.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate labelled photos of filled-in forms.",
        discussion: """
            Writes <name>.jpg and <name>.json (its label) for each photo, and manifest.json, into \
            --out. The same --seed gives the same labels and the same pixels. Handwriting comes \
            from digits.png (scripts/setup.sh extracts it from Debian's opencv-doc); by default only \
            its held-out columns 90-99 are used, so the corpus can measure accuracy. Progress goes \
            to stderr.
            """
    )

    @Option(help: "A form family (c-hasil-kwk), form set (c-hasil-kwk-3) or page template (c-hasil-kwk-p1) id.")
    var template = "c-hasil-kwk"

    @Option(help: "How many photos.")
    var count = 10

    @Option(help: "The corpus seed.")
    var seed: UInt64 = 1

    @Option(help: "Photo conditions: scan, phone, hard, bent (sheets lifting off the table), bent-heldout (the bent level's held-out settings), or a comma-separated list taken station by station.")
    var level = "phone"

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Option(help: "Path of digits.png.")
    var digits = DigitsLocation.defaultPath

    @Option(help: ArgumentHelp("Which digits to write with: held-out (for corpora that measure accuracy), training, or held-out-fonts.",
                               discussion: "held-out-fonts writes with the two handwriting fonts kept out of the classifier's training (fonts-sjfonts: Delphine, Steve Hand) instead of digits.png: a stress corpus of hands the network reads worst."))
    var digitsSplit = "held-out"

    @Option(help: "Photo size in megapixels instead of the level's range (small values make quick test corpora).")
    var megapixels: Double?

    @Option(help: "Cap the level's photo sizes at this many megapixels (to keep a committed corpus small).")
    var maxMegapixels: Double?

    @Option(help: "Index of the first photo (to extend a corpus or regenerate one item).")
    var start = 0

    @Flag(help: "Also write <name>.overlay.png: the photo with its labelled page, markers and boxes drawn on it.")
    var overlay = false

    func validate() throws {
        guard count > 0, count <= 100_000 else { throw ValidationError("--count must be 1 to 100000") }
        guard start >= 0 else { throw ValidationError("--start must not be negative") }
        guard (try? levels()) != nil else { throw ValidationError("--level takes \(PhotoLevel.allCases.map(\.rawValue).joined(separator: ", ")) or a comma-separated list") }
        guard ["held-out", "training", "held-out-fonts"].contains(digitsSplit) else {
            throw ValidationError("--digits-split is held-out, training or held-out-fonts")
        }
        if let megapixels, !(0.05 ... 50).contains(megapixels) { throw ValidationError("--megapixels must be 0.05 to 50") }
        if let maxMegapixels, !(0.05 ... 50).contains(maxMegapixels) { throw ValidationError("--max-megapixels must be 0.05 to 50") }
        if megapixels != nil, maxMegapixels != nil { throw ValidationError("give --megapixels or --max-megapixels, not both") }
    }

    func levels() throws -> [PhotoLevel] {
        try level.split(separator: ",").map {
            guard let level = PhotoLevel(rawValue: String($0)) else { throw ValidationError("unknown level \($0)") }
            return level
        }
    }

    func run() throws {
        let split: HandwrittenDigits.Split = digitsSplit == "training" ? .training : digitsSplit == "held-out-fonts" ? .heldOutFonts : .heldOut
        let handwriting: HandwrittenDigits
        if split == .heldOutFonts {
            do throws(FontError) {
                handwriting = HandwrittenDigits(faces: try HandwritingFont.faces(.heldOut), perDigit: 50, seed: seed)
            } catch {
                throw CLIFailure("cannot load the held-out handwriting fonts (\(error.description)); run scripts/setup.sh")
            }
        } else {
            do throws(ImageError) {
                handwriting = try HandwrittenDigits.load(contentsOfFile: digits, split: split)
            } catch {
                throw CLIFailure("cannot load digits.png (\(error.description)); run scripts/setup.sh or pass --digits")
            }
        }
        let plan: CorpusPlan
        let levels = try levels()
        do throws(TemplateError) { plan = try CorpusPlan(id: template, catalog: .all, seed: seed, levels: levels) } catch {
            throw CLIFailure(error.description)
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let synthesizer = Synthesizer(digits: handwriting)
        var manifest = Manifest(seed: seed, template: template, digitsSplit: split, items: [])
        let started = Date()
        for index in start ..< start + count {
            let entry = plan.entry(index)
            let item: Synthesizer.Item
            do throws(Synthesizer.Failure) {
                item = try synthesizer.make(formSet: entry.formSet, page: entry.page, level: entry.level,
                                            stationSeed: entry.stationSeed, photoSeed: entry.photoSeed,
                                            name: entry.name + ".jpg", megapixels: megapixels,
                                            maxMegapixels: maxMegapixels)
            } catch {
                throw CLIFailure("photo \(index): \(error.description)")
            }
            try Output.write(item.jpeg, to: "\(out)/\(entry.name).jpg")
            try Output.write(Array(try Output.prettyEncoder.encode(item.label)), to: "\(out)/\(entry.name).json")
            if overlay {
                let png: [UInt8]
                do throws(ImageError) {
                    let photo = try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(item.jpeg)
                    png = try ImageEncoder.png(try LabelOverlay.draw(item.label, on: photo))
                } catch {
                    throw CLIFailure("photo \(index): overlay: \(error.description)")
                }
                try Output.write(png, to: "\(out)/\(entry.name).overlay.png")
            }
            manifest.items.append(.init(image: entry.name + ".jpg", label: entry.name + ".json", formSet: entry.formSet.id,
                                        template: item.label.template, page: entry.page, level: entry.level,
                                        station: item.label.station))
            let done = index - start + 1
            let rate = Double(done) / max(1e-9, Date().timeIntervalSince(started))
            Output.progress("synth: \(done)/\(count) photos, \(String(format: "%.2f", rate)) photos/s")
        }
        Output.progressDone()
        try Output.write(Array(try Output.prettyEncoder.encode(manifest)), to: "\(out)/manifest.json")
    }

    struct Manifest: Encodable {
        struct Item: Encodable {
            var image: String
            var label: String
            var formSet: String
            var template: String
            var page: Int
            var level: PhotoLevel
            var station: String
        }

        var schemaVersion = 1
        var seed: UInt64
        var template: String
        var digitsSplit: HandwrittenDigits.Split
        var items: [Item]
    }
}

/// Where digits.png is found when no path is given.
enum DigitsLocation {
    /// `.formvision-data/digits.png` in the current directory (where scripts/setup.sh puts
    /// it), else the copy Debian's opencv-doc package installs.
    static var defaultPath: String {
        let local = ".formvision-data/digits.png"
        let system = "/usr/share/doc/opencv-doc/examples/data/digits.png"
        return FileManager.default.fileExists(atPath: local) || !FileManager.default.fileExists(atPath: system) ? local : system
    }
}
