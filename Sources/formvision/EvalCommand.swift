import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// `formvision eval DIR`: the reader's accuracy on a labelled corpus.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure the reader on a labelled corpus: boxes, fields, stations, silent errors, reviews.",
        discussion: """
            Reads every photo whose label (NAME.json beside NAME.jpg, docs/labels.md) is in DIR, \
            grouping the pages of one station (the label's station key) so that the relations \
            between pages are used, and compares the values with the labels, per level (the \
            label's level, whatever its name). A field matches when it is not in review and its \
            value is right; a silent error is a wrong value marked confident or corrected. \
            Progress goes to stderr when it is a terminal.
            """
    )

    @Argument(help: "A directory of photos with their labels (SampleForms/photos, or synth output).")
    var directory: String

    @Flag(help: "Print the figures as one JSON document instead of tables.")
    var json = false

    @Option(help: "Write a browsable report (index.html and box crops) into this directory.")
    var html: String?

    @OptionGroup(title: "Decoding")
    var decoding: DecoderOptions

    @Option(help: "Stations read at once (default: one per core).")
    var jobs: Int?

    @Option(help: "At most this many cases (wrong, corrected or reviewed fields) in the HTML report.")
    var maxCases = 400

    func validate() throws {
        if let jobs, !(1 ... 256).contains(jobs) { throw ValidationError("--jobs must be 1 to 256") }
        guard maxCases >= 0 else { throw ValidationError("--max-cases must not be negative") }
    }

    func run() throws {
        let stations = try LabelledCorpus.load(directory)
        let reader: FormReader
        do throws(WeightsError) { reader = try FormReader(decoder: decoding.decoder) } catch { throw CLIFailure(error.description) }
        var evaluation = ReadingEvaluation()
        let progress = Progress(total: stations.count, label: "eval")
        let base = directory
        try ParallelMap.run(stations, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount) { labels in
            // As `read` reads a station: an unreadable file keeps its place with its own error.
            let item = ReadItem.station(id: labels[0].station,
                                        photos: labels.map { (base as NSString).appendingPathComponent($0.image) })
            guard case .station(let reading) = item.read(with: reader) else { preconditionFailure("a station reads as a station") }
            return (labels, reading)
        } consume: { (labels: [ReadingLabel], reading: StationReading) in
            evaluation.add(labels: labels, reading: reading)
            progress.advance()
        }
        progress.finish()
        if json {
            var figures = evaluation
            figures.cases = []
            try Output.jsonLine(EvalJSON(directory: directory, stations: stations.count, evaluation: figures), pretty: true)
        } else {
            print(EvalReport.text(evaluation), terminator: "")
        }
        if let html { try EvalReport.writeHTML(evaluation, into: html, maxCases: maxCases) }
    }

    struct EvalJSON: Encodable {
        var schemaVersion = 1
        var directory: String
        var stations: Int
        var evaluation: ReadingEvaluation
    }
}

/// A labelled corpus on disk: every NAME.json label in a directory, grouped by station.
enum LabelledCorpus {
    /// The stations, in the order of their first photo's name; each station's labels in page order.
    static func load(_ directory: String) throws -> [[ReadingLabel]] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw CLIFailure("cannot read directory \(directory)")
        }
        var byStation: [String: [ReadingLabel]] = [:]
        var order: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") && name != "manifest.json" {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path),
                  let label = try? JSONDecoder.snakeCase.decode(ReadingLabel.self, from: data) else { continue }
            if byStation[label.station] == nil { order.append(label.station) }
            byStation[label.station, default: []].append(label)
        }
        guard !order.isEmpty else { throw CLIFailure("\(directory): no labels (NAME.json beside NAME.jpg) found") }
        return order.map { byStation[$0]!.sorted { ($0.page, $0.image) < ($1.page, $1.image) } }
    }
}

extension JSONDecoder {
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

/// The text tables and the HTML report of `eval`.
enum EvalReport {
    static func percent(_ part: Int, _ whole: Int, digits: Int = 2) -> String {
        whole == 0 ? "-" : String(format: "%.\(digits)f %%", 100 * Double(part) / Double(whole))
    }

    static func levelOrder(_ names: some Collection<String>) -> [String] {
        let known = ["scan", "phone", "hard"]
        return names.sorted { (known.firstIndex(of: $0) ?? 99, $0) < (known.firstIndex(of: $1) ?? 99, $1) }
    }

    static func text(_ evaluation: ReadingEvaluation) -> String {
        var out = ""
        let levels = levelOrder(evaluation.levels.keys)
        func row(_ title: String, _ value: (ReadingEvaluation.Level) -> String) {
            out += title.padding(toLength: 44, withPad: " ", startingAt: 0)
            for name in levels { out += value(evaluation.levels[name]!).padding(toLength: 20, withPad: " ", startingAt: 0) }
            out += "\n"
        }
        out = "level".padding(toLength: 44, withPad: " ", startingAt: 0)
            + levels.map { $0.padding(toLength: 20, withPad: " ", startingAt: 0) }.joined() + "\n"
        row("stations / photos") { "\($0.stations) / \($0.photos)" }
        row("photos failed / retake") { "\($0.photoErrors) / \($0.photoRetakes)" }
        row("box accuracy") { percent($0.boxesCorrect, $0.boxes) + " of \($0.boxes)" }
        row("fields") { "\($0.fields)" }
        row("field exact match (review = miss)") { percent($0.fieldsExact, $0.fields) }
        row("station exact match") { percent($0.stationsExact, $0.stations) }
        row("SILENT ERRORS, checked fields") { "\($0.silentErrorsChecked)" }
        row("SILENT ERRORS, classifier-only fields") { "\($0.silentErrorsUnchecked) of \($0.uncheckedFields)" }
        row("classifier-only fields exact") { percent($0.uncheckedExact, $0.uncheckedFields) }
        row("X or dash part of a wrong trusted value") { "\($0.marksInValues) of \($0.fieldsWithMarks)" }
        row("  right value, X box shown as a digit") { "\($0.marksInExplanation)" }
        row("fields misread by the boxes") { "\($0.misread)" }
        row("  of them corrected right") { "\($0.misreadCorrected)" }
        row("  of them sent to review") { "\($0.misreadReviewed)" }
        row("corrections of a right reading") { "\($0.correctionsWrong)" }
        row("confident / corrected / review") { "\($0.confident) / \($0.corrected) / \($0.review)" }
        row("review rate, fields") { percent($0.review, $0.fields) }
        row("review rate, stations") { percent($0.stationsInReview, $0.stations) }
        row("retake rate, photos") { percent($0.photoRetakes, $0.photos) }
        let reasons = Set(evaluation.levels.values.flatMap(\.reviewReasons.keys)).sorted()
        for reason in reasons { row("  review: \(reason)") { "\($0.reviewReasons[reason] ?? 0)" } }
        out += "\nreliability (fields not in review, by reported probability): fields, wrong\n"
        if let bins = evaluation.levels.values.first?.reliability {
            for (b, bin) in bins.enumerated() {
                row(String(format: "  p in [%.4f, %.4f)", bin.lower, min(1, bin.upper))) { level in
                    let bin = level.reliability[b]
                    return "\(bin.fields), \(bin.wrong)"
                }
            }
        }
        out += "\nbox confusion (rows: truth; columns: read)\n"
        for name in levels {
            let level = evaluation.levels[name]!
            out += name + "\n        " + ReadingEvaluation.readClasses.map { $0.padding(toLength: 6, withPad: " ", startingAt: 0) }.joined() + "\n"
            for (r, truth) in ReadingEvaluation.truthClasses.enumerated() {
                out += "  " + truth.padding(toLength: 6, withPad: " ", startingAt: 0)
                    + level.confusion[r].map { String($0).padding(toLength: 6, withPad: " ", startingAt: 0) }.joined() + "\n"
            }
        }
        return out
    }

    // MARK: HTML

    static func writeHTML(_ evaluation: ReadingEvaluation, into directory: String, maxCases: Int) throws {
        let crops = (directory as NSString).appendingPathComponent("crops")
        try FileManager.default.createDirectory(atPath: crops, withIntermediateDirectories: true)
        var html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>FormVision eval</title><style>
            body{font-family:sans-serif;margin:24px;color:#222} table{border-collapse:collapse;margin:12px 0}
            td,th{border:1px solid #ccc;padding:4px 8px;text-align:right} th{background:#f0f0f0}
            td.l{text-align:left} .silent_error,.wrong_correction{background:#fdd} .corrected{background:#dfd}
            .review{background:#ffd} img{border:1px solid #999;height:96px}
            code{font-size:12px}</style></head><body><h1>FormVision reader evaluation</h1>
            <pre>\(escape(text(evaluation)))</pre>
            """
        let shown = evaluation.cases.sorted { rank($0.kind) < rank($1.kind) }.prefix(maxCases)
        html += "<h2>Cases: \(shown.count) of \(evaluation.cases.count) (silent errors first, then reviews, then corrections)</h2>"
        html += "<table><tr><th>kind</th><th>level</th><th>field</th><th>boxes</th><th>truth</th><th>read</th><th>decision</th><th>box probabilities</th></tr>"
        var decoded: [String: Image] = [:]
        for (n, item) in shown.enumerated() {
            let image = try decodedPhoto(item.image, cache: &decoded)
            var cell = ""
            if let image, let crop = crop(image, boxes: item.reading.boxes.map(\.corners)) {
                let file = "crops/case-\(n).png"
                let png: [UInt8]
                do throws(ImageError) { png = try ImageEncoder.png(crop) } catch { throw CLIFailure(error.description) }
                try Output.write(png, to: (directory as NSString).appendingPathComponent(file))
                cell = "<img src=\"\(file)\">"
            }
            let r = item.reading
            var decision = r.status.rawValue
            if let v = r.value { decision += " \(v)" }
            if let reason = r.reviewReason { decision += " (\(reason.rawValue))" }
            if let c = r.correction { decision += "<br>from \(c.from) by " + c.relations.map(escape).joined(separator: "; ") }
            decision += String(format: "<br>p = %.6f", r.probability)
            if !r.candidates.isEmpty { decision += "<br>candidates: " + r.candidates.map { "\($0.value) (\(String(format: "%.4f", $0.probability)))" }.joined(separator: ", ") }
            let probabilities = r.boxes.map { box in
                box.probabilities.sorted { $0.value > $1.value }.prefix(3).map { "\($0.key): \(String(format: "%.3f", $0.value))" }.joined(separator: ", ")
            }.joined(separator: "<br>")
            html += "<tr class=\"\(item.kind)\"><td class=l>\(item.kind)</td><td class=l>\(escape(item.level))</td>"
                + "<td class=l>\(escape(item.field))<br><code>\(escape((item.image as NSString).lastPathComponent))</code></td><td>\(cell)</td>"
                + "<td>\(item.truth)<br><code>\(item.truthBoxes.joined(separator: " "))</code></td>"
                + "<td>\(r.reading)<br><code>\(r.boxes.map(\.class).joined(separator: " "))</code></td>"
                + "<td class=l>\(decision)</td><td class=l><code>\(probabilities)</code></td></tr>\n"
        }
        html += "</table></body></html>\n"
        try Output.write(Array(html.utf8), to: (directory as NSString).appendingPathComponent("index.html"))
    }

    static func rank(_ kind: String) -> Int { ["silent_error": 0, "wrong_correction": 1, "review": 2, "corrected": 3][kind] ?? 4 }

    static func decodedPhoto(_ path: String, cache: inout [String: Image]) throws -> Image? {
        if let image = cache[path] { return image }
        if cache.count > 8 { cache.removeAll() }
        let image = try? ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(contentsOfFile: path)
        cache[path] = image
        return image
    }

    /// The field's boxes cut out of the photo with a margin of half a box, as an upright-ish
    /// axis-aligned crop.
    static func crop(_ image: Image, boxes: [[[Double]]]) -> Image? {
        let points = boxes.flatMap { $0 }.filter { $0.count == 2 }
        guard let minX = points.map({ $0[0] }).min(), let maxX = points.map({ $0[0] }).max(),
              let minY = points.map({ $0[1] }).min(), let maxY = points.map({ $0[1] }).max() else { return nil }
        let margin = (maxY - minY) * 0.5
        let x0 = max(0, Int(minX - margin)), x1 = min(image.width, Int(maxX + margin))
        let y0 = max(0, Int(minY - margin)), y1 = min(image.height, Int(maxY + margin))
        guard x1 > x0, y1 > y0 else { return nil }
        var out = Image(width: x1 - x0, height: y1 - y0, format: .rgb8)
        for y in y0 ..< y1 {
            for x in x0 ..< x1 {
                for c in 0 ..< 3 { out[x - x0, y - y0, c] = image[x, y, c] }
            }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
