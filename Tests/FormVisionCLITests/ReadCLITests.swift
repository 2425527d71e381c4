import Foundation
import FormVision
import FormVisionTraining
import FormVisionTestSupport
import Testing

/// `formvision read` and `formvision eval` as a service or a person runs them.
@Suite(.serialized) struct ReadCLITests {
    static let photos = Fixtures.repositoryRoot.appendingPathComponent("SampleForms/photos")
    static let schema = try! SchemaValidator(schema: Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/reading-schema.json")))

    /// The sample stations as a manifest, built from the labels: {"station", "images"} per line.
    static func manifest(limit: Int = .max) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: photos.path).filter { $0.hasSuffix(".json") }.sorted()
        var stations: [String: [String]] = [:], order: [String] = []
        for name in names {
            let label = try JSONSerialization.jsonObject(with: Data(contentsOf: photos.appendingPathComponent(name))) as! [String: Any]
            guard let station = label["station"] as? String else { continue } // manifest.json
            if stations[station] == nil { order.append(station) }
            stations[station, default: []].append(photos.appendingPathComponent(label["image"] as! String).path)
        }
        let lines = order.prefix(limit).map { station in
            String(decoding: try! JSONSerialization.data(withJSONObject: ["station": station, "images": stations[station]!]), as: UTF8.self)
        }
        let directory = try Fixtures.temporaryDirectory()
        let url = directory.appendingPathComponent("stations.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    /// Removes `timings_ms` everywhere: the one key whose value may change between runs.
    static func withoutTimings(_ line: String) throws -> String {
        func strip(_ value: Any) -> Any {
            if var object = value as? [String: Any] {
                object.removeValue(forKey: "timings_ms")
                return object.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let object = strip(try JSONSerialization.jsonObject(with: Data(line.utf8)))
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Every document `read` writes for SampleForms, station by station and photo by photo,
    /// is valid against the committed schema; and no value is silently wrong.
    @Test func everySampleReadingMatchesTheSchema() throws {
        let result = try CLI.run(["read", "--manifest", try Self.manifest().path])
        #expect(result.status == 0, "\(result.stderr)")
        let stations = Self.lines(result.stdout)
        #expect(stations.count == 18)
        for line in stations {
            let problems = try Self.schema.problems(in: Data(line.utf8))
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            let station = try ReadingJSON.station(from: Array(line.utf8))
            #expect(station.pages.count == 2)
            // Against the labels: every value the reader vouches for is right.
            for page in station.pages {
                let label = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: page.image)
                    .deletingPathExtension().appendingPathExtension("json"))) as! [String: Any]
                #expect(page.template == label["template"] as? String)
                let truth = (label["fields"] as! [[String: Any]]).reduce(into: [String: Int]()) { $0[$1["name"] as! String] = $1["value"] as? Int }
                for (name, field) in page.fields where field.status != .review {
                    #expect(field.value == truth[name], "\(page.image) \(name): \(field.value ?? -1) is not \(truth[name] ?? -1)")
                }
            }
        }
        let single = try CLI.run(["read", Self.photos.appendingPathComponent("c-hasil-kwk-4-p2-phone-0027.jpg").path])
        #expect(single.status == 0)
        let problems = try Self.schema.problems(in: Data(single.stdout.utf8))
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    /// The same photos give the same bytes, apart from timings, with one thread or several, in
    /// any batch order, run after run (issue 14, determinism).
    @Test func outputIsTheSameAtAnyThreadCountAndOrder() throws {
        let manifest = try Self.manifest(limit: 3)
        let one = try CLI.run(["read", "--jobs", "1", "--manifest", manifest.path])
        let two = try CLI.run(["read", "--jobs", "3", "--manifest", manifest.path])
        // The same stations, last first, each with its pages swapped.
        let reversed = manifest.deletingLastPathComponent().appendingPathComponent("reversed.jsonl")
        let stations = try StationManifest.parse(Array(Data(contentsOf: manifest)))
        let lines = try stations.reversed().map { entry in
            String(decoding: try JSONSerialization.data(withJSONObject: ["station": entry.station!, "images": Array(entry.images.reversed())]),
                   as: UTF8.self)
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: reversed)
        let back = try CLI.run(["read", "--jobs", "2", "--manifest", reversed.path])
        #expect(one.status == 0 && two.status == 0 && back.status == 0)
        #expect(Self.lines(one.stdout).count == 3)
        let first = try Self.lines(one.stdout).map(Self.withoutTimings)
        #expect(try Self.lines(two.stdout).map(Self.withoutTimings) == first)
        // Reversed back into the first order: station by station and page by page, the same bytes.
        let again = try Self.lines(back.stdout).reversed().map { line -> String in
            var station = try ReadingJSON.station(from: Array(line.utf8))
            station.pages.reverse()
            return try Self.withoutTimings(String(decoding: try ReadingJSON.encode(station), as: UTF8.self))
        }
        #expect(again == first)
    }

    /// A bad manifest line is named, and nothing is read.
    @Test func aBadManifestLineIsNamed() throws {
        let directory = try Fixtures.temporaryDirectory()
        let manifest = try Fixtures.write(Array("{\"station\": \"A\", \"images\": [\"p.jpg\"]}\n{\"images\": []}\n".utf8),
                                          to: directory, name: "bad.jsonl")
        let result = try CLI.run(["read", "--manifest", manifest])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("line 2: a station needs images"), "\(result.stderr)")
    }

    /// An unreadable photo gets its own error record and exit status 1; the others are still
    /// read, in input order.
    @Test func badPhotosGetTheirOwnErrorRecords() throws {
        let directory = try Fixtures.temporaryDirectory()
        let text = try Fixtures.write(Array("not a photo".utf8), to: directory, name: "note.jpg")
        let noForm = try Fixtures.write(try ImageEncoder.png(Fixtures.scene(width: 400, height: 300, format: .rgb8)),
                                        to: directory, name: "wall.png")
        let good = Self.photos.appendingPathComponent("c-hasil-kwk-2-p2-scan-0007.jpg").path
        let result = try CLI.run(["read", directory.appendingPathComponent("missing.jpg").path, text, noForm, good])
        #expect(result.status == 1)
        let records = try Self.lines(result.stdout).map { try ReadingJSON.page(from: Array($0.utf8)) }
        #expect(records.map(\.status) == [.error, .error, .error, records[3].status])
        #expect(records.map { $0.error?.kind } == ["file_not_found", "unknown_format", "markers_not_found", nil])
        #expect(records[3].template == "c-hasil-kwk-p2-2")
        #expect(result.stderr.split(separator: "\n").count == 3)
        for line in Self.lines(result.stdout) { #expect(try Self.schema.problems(in: Data(line.utf8)).isEmpty) }
    }

    /// Two photos of one page in a station are an error that says so; nothing is decided.
    @Test func twoPhotosOfOnePageAreAnError() throws {
        let page = Self.photos.appendingPathComponent("c-hasil-kwk-2-p2-scan-0007.jpg").path
        let other = Self.photos.appendingPathComponent("c-hasil-kwk-3-p2-scan-0001.jpg").path
        let result = try CLI.run(["read", "--station", "\(page),\(page)", "--station", "\(page),\(other)"])
        #expect(result.status == 1)
        let stations = try Self.lines(result.stdout).map { try ReadingJSON.station(from: Array($0.utf8)) }
        #expect(stations.map(\.status) == [.error, .error])
        #expect(stations[0].error?.kind == "duplicate_page")
        #expect(stations[1].error?.kind == "duplicate_page")
        #expect(stations[0].pages.allSatisfy { $0.fields.isEmpty })
    }

    /// `--summary` prints a table per photo with every field's value and status.
    @Test func summaryPrintsTheNumbers() throws {
        let photo = Self.photos.appendingPathComponent("c-hasil-kwk-4-p2-phone-0027.jpg").path
        let result = try CLI.run(["read", "--summary", photo])
        #expect(result.status == 0)
        let lines = Self.lines(result.stdout)
        #expect(lines.first?.hasPrefix(photo + ": c-hasil-kwk-p2-4 page 2") == true)
        #expect(lines.count == 1 + 7)
        #expect(lines.contains { $0.contains("votes_pair_1") && ($0.contains("confident") || $0.contains("corrected") || $0.contains("review")) })
    }

    /// `--stats` adds throughput, the stages' shares and peak memory on stderr; stdout is unchanged.
    @Test func statsReportThroughputAndStages() throws {
        let photo = Self.photos.appendingPathComponent("c-hasil-kwk-4-p2-phone-0027.jpg").path
        let plain = try CLI.run(["read", photo, "--jobs", "1"])
        let result = try CLI.run(["read", photo, "--jobs", "1", "--stats"])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("read: ") }
        #expect(lines.first?.contains("read: 1 photos in ") == true && lines.first?.contains("photos/s") == true, "\(result.stderr)")
        let stages = try #require(lines.first { $0.hasPrefix("read: time by stage: ") })
        let shares = stages.split(separator: ",").compactMap { part in Double(part.split(separator: " ").dropLast().last ?? "") }
        #expect(stages.contains("decode") && stages.contains("geometry") && stages.contains("classify"), "\(stages)")
        #expect(abs(shares.reduce(0, +) - 100) < 1, "\(stages)")
        #expect(lines.contains { $0.contains("peak resident memory") })
        // Apart from the timings, the reading is the same.
        func withoutTimings(_ json: String) -> String { json.replacingOccurrences(of: #""timings_ms":\{[^}]*\}"#, with: "", options: .regularExpression) }
        #expect(withoutTimings(result.stdout) == withoutTimings(plain.stdout))
    }

    /// `eval` on a small labelled corpus reports the tables, and `--json` the same figures.
    @Test func evalReportsPerLevel() throws {
        let directory = try Fixtures.temporaryDirectory()
        for name in ["c-hasil-kwk-2-p1-scan-0006", "c-hasil-kwk-2-p2-scan-0007"] {
            for ext in ["jpg", "json"] {
                try FileManager.default.copyItem(at: Self.photos.appendingPathComponent("\(name).\(ext)"),
                                                 to: directory.appendingPathComponent("\(name).\(ext)"))
            }
        }
        let text = try CLI.run(["eval", directory.path, "--html", directory.appendingPathComponent("report").path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("stations / photos                           1 / 2"))
        #expect(text.stdout.contains("SILENT ERRORS, checked fields               0"))
        let html = try String(contentsOf: directory.appendingPathComponent("report/index.html"), encoding: .utf8)
        #expect(html.contains("<h1>FormVision reader evaluation</h1>"))
        let json = try CLI.run(["eval", directory.path, "--json"])
        let figures = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let levels = (figures["evaluation"] as! [String: Any])["levels"] as! [String: Any]
        let scan = levels["scan"] as! [String: Any]
        #expect(scan["stations"] as? Int == 1)
        #expect(scan["fields"] as? Int == 30 + 5)
    }
}
