import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// `formvision eval-geometry DIR`: the geometry pipeline against a labelled corpus.
struct EvalGeometryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-geometry",
        abstract: "Measure page identification and box position error on a labelled corpus (synth output).",
        discussion: """
            Reads DIR/manifest.json and each photo's label; runs the geometry pipeline; prints, per \
            level, how many pages were identified, wrongly identified, failed (with the error kinds) \
            or asked for a retake (photos, and the reasons), how many were located `ok` (no retake), \
            how many of those have a box off by more than a quarter of its height in a field that \
            the pipeline found on its lines (`ok+off`: a box read from the wrong place with no flag; \
            the goal is 0), how many fields the pipeline flagged as not found on their lines, and \
            the box corner error in canonical pixels (median, p90, p99, max). --json prints the \
            same as one JSON object.
            """
    )

    @Argument(help: "A corpus directory with manifest.json.")
    var corpus: String

    @Option(help: "Evaluate at most this many photos.")
    var limit: Int?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct LevelResult: Encodable {
        var photos = 0
        var identified = 0
        var wrongPage = 0
        var failed: [String: Int] = [:]
        var retakePhotos = 0
        var retake: [String: Int] = [:]
        /// Identified with no retake reason.
        var ok = 0
        /// `ok` photos with a box off by more than `GeometryComparison.offLimit` box heights in a
        /// field found on its lines.
        var okButOff = 0
        /// Photos (any status) with such a box.
        var off = 0
        var unlocatedFields = 0
        var boxErrors: ErrorSummary?
        var pageCornerErrors: ErrorSummary?
        var secondsPerPhoto = 0.0
    }

    struct Manifest: Decodable {
        struct Item: Decodable {
            var image: String
            var label: String
            var level: String
        }
        var items: [Item]
    }

    func run() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let manifest = try decoder.decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: "\(corpus)/manifest.json")))
        let pipeline = GeometryPipeline(catalog: .all)
        let imageDecoder = ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8))
        var results: [String: LevelResult] = [:]
        var boxErrors: [String: [Double]] = [:], pageErrors: [String: [Double]] = [:], seconds: [String: Double] = [:]
        let items = Array(manifest.items.prefix(limit ?? manifest.items.count))
        for (index, item) in items.enumerated() {
            let label = try decoder.decode(PhotoLabel.self, from: Data(contentsOf: URL(fileURLWithPath: "\(corpus)/\(item.label)")))
            var result = results[item.level, default: LevelResult()]
            result.photos += 1
            let started = Date()
            var trace = PipelineTrace()
            do throws(PipelineError) {
                let photo: Image
                do throws(ImageError) { photo = try imageDecoder.decode(contentsOfFile: "\(corpus)/\(item.image)") } catch { throw .image(error) }
                let geometry = try pipeline.run(photo, trace: &trace)
                let comparison = GeometryComparison(label: label, geometry: geometry)
                if comparison.templateMatches {
                    result.identified += 1
                    if !geometry.quality.needsRetake { result.ok += 1 }
                    if comparison.boxesOffUnflagged > 0 {
                        result.off += 1
                        if !geometry.quality.needsRetake {
                            result.okButOff += 1
                            Output.error("\(item.image): ok, but \(comparison.boxesOffUnflagged) boxes off by more than "
                                + "\(GeometryComparison.offLimit) box heights with no flag")
                        }
                    }
                    result.unlocatedFields += comparison.unlocatedFields
                    boxErrors[item.level, default: []] += comparison.cornerErrors
                    pageErrors[item.level, default: []] += comparison.pageCornerErrors
                } else {
                    result.wrongPage += 1
                    Output.error("\(item.image): identified as \(geometry.template.id), labelled \(label.template)")
                }
                if geometry.quality.needsRetake { result.retakePhotos += 1 }
                for reason in geometry.quality.reasons { result.retake[reason.kind, default: 0] += 1 }
            } catch {
                result.failed[error.kind, default: 0] += 1
                Output.error("\(item.image): \(error.description)")
            }
            seconds[item.level, default: 0] += Date().timeIntervalSince(started)
            results[item.level] = result
            Output.progress("eval-geometry: \(index + 1)/\(items.count) photos")
        }
        Output.progressDone()
        for level in results.keys {
            results[level]!.boxErrors = ErrorSummary(boxErrors[level] ?? [])
            results[level]!.pageCornerErrors = ErrorSummary(pageErrors[level] ?? [])
            results[level]!.secondsPerPhoto = seconds[level, default: 0] / Double(max(1, results[level]!.photos))
        }
        if json {
            try Output.jsonLine(results, pretty: true)
            return
        }
        print("level          photos  identified  wrong  failed  retake     ok  ok+off  unlocated   box error (canonical px) median / p90 / p99 / max   s/photo")
        for level in EvalReport.levelOrder(results.keys) {
            guard let r = results[level] else { continue }
            let failed = r.failed.values.reduce(0, +)
            // A level where no photo was located still gets its row, with no box error.
            let errors = r.boxErrors.map { e in String(format: "%6.2f / %5.2f / %5.2f / %6.2f", e.median, e.p90, e.p99, e.max) }
                ?? "     - /     - /     - /      -"
            print(String(format: "%-14@ %6d  %10d  %5d  %6d  %6d  %5d  %6d  %9d   %@   %7.2f", level as NSString, r.photos,
                         r.identified, r.wrongPage, failed, r.retakePhotos, r.ok, r.okButOff, r.unlocatedFields,
                         errors as NSString, r.secondsPerPhoto))
            if !r.failed.isEmpty { print("        failures: \(r.failed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))") }
            if !r.retake.isEmpty { print("        retake reasons: \(r.retake.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))") }
        }
    }
}
