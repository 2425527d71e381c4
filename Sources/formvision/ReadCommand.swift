import ArgumentParser
import Dispatch
import Foundation
import FormVision
import FormVisionTraining

/// `formvision read IMAGE...`: photos of forms to checked numbers, as JSON Lines.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read photos of forms into checked numbers (JSON Lines, schema docs/reading-schema.json).",
        discussion: """
            Each photo given alone is read with the relations of its own page and gives one JSON \
            object per line. The photos of one polling station read together (--station, \
            --manifest) also use the relations between pages, and give one object per station \
            with its pages inside. Pages may come in any order; the reader tells them apart by \
            their markers. A directory stands for the .jpg, .jpeg and .png files in it, sorted by \
            name. Photos are read on every core; the output keeps the input order. Exit status 1 \
            when any photo or station has status error (the others are still read).
            """
    )

    @Argument(help: "Photos (JPEG or PNG) or directories of photos, each read on its own.")
    var images: [String] = []

    @Option(help: "The photos of one station, comma-separated (repeat for more stations).")
    var station: [String] = []

    @Option(help: ArgumentHelp("A JSON Lines file of stations: {\"station\": ID, \"images\": [PATH, ...]} per line.",
                               discussion: "Relative paths are taken from the manifest's directory."))
    var manifest: String?

    @Flag(help: "Print a table per photo (field, value, status) instead of JSON.")
    var summary = false

    @OptionGroup(title: "Decoding")
    var decoding: DecoderOptions

    @Option(help: "Photos read at once (default: one per core).")
    var jobs: Int?

    @Flag(help: "At the end, print to stderr the photos read per second, each stage's share of the reading time, and the peak memory.")
    var stats = false

    func validate() throws {
        guard !images.isEmpty || !station.isEmpty || manifest != nil else {
            throw ValidationError("give photos, --station or --manifest")
        }
        if let jobs, !(1 ... 256).contains(jobs) { throw ValidationError("--jobs must be 1 to 256") }
        for group in station where Self.split(group).isEmpty { throw ValidationError("--station needs photos") }
    }

    func run() throws {
        var items: [ReadItem] = []
        for path in images {
            for photo in try PhotoFiles.expand(path) { items.append(.photo(photo)) }
        }
        for group in station { items.append(.station(id: nil, photos: Self.split(group))) }
        if let manifest { items += try ManifestFile.load(manifest).map { .station(id: $0.station, photos: $0.images) } }
        let reader: FormReader
        do throws(WeightsError) { reader = try FormReader(decoder: decoding.decoder) } catch { throw CLIFailure(error.description) }
        var failures = 0
        let progress = Progress(total: items.count, label: "read")
        let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        var statistics = ReadStatistics()
        let started = ContinuousClock.now
        try ParallelMap.run(items, jobs: jobs) { item in
            item.read(with: reader)
        } consume: { result in
            progress.advance()
            statistics.add(result)
            switch result {
            case .page(let page):
                if page.status == .error {
                    failures += 1
                    Output.error("\(page.image): \(page.error?.message ?? "error")")
                }
                if summary { print(ReadSummary.text(page), terminator: "") } else { try Output.raw(ReadingJSON.encode(page)) }
            case .station(let station):
                for page in station.pages where page.status == .error {
                    Output.error("\(page.image): \(page.error?.message ?? "error")")
                }
                if station.status == .error { failures += 1 }
                if summary { print(ReadSummary.text(station), terminator: "") } else { try Output.raw(ReadingJSON.encode(station)) }
            }
        }
        progress.finish()
        if stats { FileHandle.standardError.write(Data((statistics.text(seconds: (ContinuousClock.now - started).seconds, jobs: jobs) + "\n").utf8)) }
        if failures > 0 { throw ExitCode(1) }
    }

    static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// What `read --stats` prints: throughput, the stages' shares of the time, peak memory.
struct ReadStatistics {
    var photos = 0
    /// Milliseconds summed over the photos, by stage (`timings_ms` of each reading).
    var milliseconds: [String: Double] = [:]

    mutating func add(_ result: ReadItem.Result) {
        let pages: [PageReading] = switch result {
        case .page(let page): [page]
        case .station(let station): station.pages
        }
        for page in pages {
            photos += 1
            for (stage, ms) in page.timingsMs { milliseconds[stage, default: 0] += ms }
        }
    }

    /// The stages in reading order, then any others by name.
    static let order = ["decode", "geometry", "classify", "arithmetic"]

    func text(seconds: Double, jobs: Int) -> String {
        let total = milliseconds["total"] ?? milliseconds.filter { $0.key != "total" }.values.reduce(0, +)
        let stages = Self.order.filter { milliseconds[$0] != nil }
            + milliseconds.keys.filter { !Self.order.contains($0) && $0 != "total" }.sorted()
        let shares = stages.map { String(format: "%@ %.1f %%", $0, total > 0 ? 100 * milliseconds[$0]! / total : 0) }
        var lines = [
            String(format: "read: %d photos in %.2f s on %d jobs: %.2f photos/s; %.1f ms of reading a photo", photos, seconds, jobs,
                   seconds > 0 ? Double(photos) / seconds : 0, photos > 0 ? total / Double(photos) : 0),
            "read: time by stage: " + shares.joined(separator: ", "),
        ]
        if let peak = PeakMemory.residentBytes() { lines.append(String(format: "read: peak resident memory %.0f MB", Double(peak) / 1e6)) }
        return lines.joined(separator: "\n")
    }
}

/// The process's peak resident set size, from `getrusage`.
enum PeakMemory {
    static func residentBytes() -> Int? {
        var usage = rusage()
        #if os(Linux)
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return usage.ru_maxrss * 1024 // kilobytes on Linux
        #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return nil }
        return usage.ru_maxrss // bytes on Darwin
        #endif
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// One unit of work for `read`: a photo alone or a station's photos.
enum ReadItem: Sendable {
    case photo(String)
    case station(id: String?, photos: [String])

    enum Result: Sendable {
        case page(PageReading)
        case station(StationReading)
    }

    func read(with reader: FormReader) -> Result {
        switch self {
        case .photo(let path):
            switch PhotoFiles.load(path) {
            case .success(let photo): return .page(reader.read(photo))
            case .failure(let problem): return .page(.failure(image: path, problem))
            }
        case .station(let id, let paths):
            let located = paths.map { path in
                switch PhotoFiles.load(path) {
                case .success(let photo): reader.locate(photo)
                case .failure(let problem): FormReader.LocatedPhoto.unreadable(name: path, problem)
                }
            }
            return .station(reader.readStation(located: located, station: id))
        }
    }
}

/// Photo files: directories expanded, files read with the decoder's size limit.
enum PhotoFiles {
    static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    /// A path as photos: a directory's image files sorted by name, or the path itself.
    static func expand(_ path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { extensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }.sorted()
        guard !names.isEmpty else { throw CLIFailure("\(path): no .jpg, .jpeg or .png files in the directory") }
        return names.map { (path as NSString).appendingPathComponent($0) }
    }

    enum Loaded {
        case success(FormReader.Photo)
        case failure(PageReading.Problem)
    }

    static func load(_ path: String) -> Loaded {
        do throws(ImageError) {
            return .success(FormReader.Photo(name: path, bytes: try ImageDecoder().readFile(path)))
        } catch {
            return .failure(PageReading.Problem(kind: error.kind, message: error.description))
        }
    }
}

/// `--manifest`: one station per line (`StationManifest`).
enum ManifestFile {
    static func load(_ path: String) throws -> [StationManifest] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure("cannot read manifest \(path)") }
        do throws(ManifestError) {
            return try StationManifest.parse(Array(data), base: (path as NSString).deletingLastPathComponent)
        } catch {
            throw CLIFailure("\(path): \(error.description)")
        }
    }
}

/// `read --summary`: a short table per photo.
enum ReadSummary {
    static func text(_ page: PageReading) -> String {
        var out = "\(page.image): "
        guard let template = page.template else { return out + "error: \(page.error?.message ?? "")\n" }
        out += "\(template) page \(page.page ?? 0), \(page.status.rawValue)"
        if !page.retakeReasons.isEmpty { out += " (\(page.retakeReasons.map(\.message).joined(separator: "; ")))" }
        out += "\n"
        let width = max(24, page.fields.keys.map(\.count).max() ?? 0)
        for name in page.fields.keys.sorted(by: { fieldOrder(page, $0, $1) }) {
            let field = page.fields[name]!
            let value = field.value.map(String.init) ?? "-"
            var line = "  " + name.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 5 - value.count)) + value + "  " + field.status.rawValue
            if let correction = field.correction { line += " (read \(correction.from))" }
            if let reason = field.reviewReason { line += " (\(reason.rawValue)\(field.candidates.first.map { ", likeliest \($0.value)" } ?? ""))" }
            if field.classifierOnly { line += " [classifier only]" }
            out += line + "\n"
        }
        return out
    }

    static func text(_ station: StationReading) -> String {
        var out = "station \(station.station ?? "-")\(station.formSet.map { " (\($0))" } ?? ""): \(station.status.rawValue)"
        if let error = station.error { out += ": \(error.message)" }
        out += "\n"
        for page in station.pages { out += text(page) }
        return out
    }

    /// Fields in the template's order (the order of their first box on the page).
    static func fieldOrder(_ page: PageReading, _ a: String, _ b: String) -> Bool {
        let order = TemplateCatalog.builtIn.templates.first { $0.id == page.template }?.fields.map(\.name) ?? []
        return (order.firstIndex(of: a) ?? .max, a) < (order.firstIndex(of: b) ?? .max, b)
    }
}
