import Foundation
import FormVision
import FormVisionTraining
import FormVisionTestSupport
import Testing

/// Runs the built `formvision` executable, as a user or another service would.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable sits beside the test bundle in SwiftPM's build folder.
    static let executable: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("formvision").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("formvision")
    }()

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite struct CLITests {
    @Test func version() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == FormVision.version)
    }

    @Test func infoDescribesAPhoto() throws {
        let directory = try Fixtures.temporaryDirectory()
        let jpeg = try ImageEncoder.jpeg(Fixtures.scene(width: 64, height: 48, format: .rgb8), orientation: .rotate90)
        let path = try Fixtures.write(jpeg, to: directory, name: "photo.jpg")
        let result = try CLI.run(["info", "--json", path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let record = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(record?["format"] as? String == "jpeg")
        #expect(record?["width"] as? Int == 64)
        #expect(record?["height"] as? Int == 48)
        #expect(record?["channels"] as? Int == 3)
        #expect(record?["orientation"] as? Int == 6)
        #expect(record?["upright_width"] as? Int == 48)

        let text = try CLI.run(["info", path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("JPEG 64×48") && text.stdout.contains("rotate-90"))
    }

    /// Each bad input: exit status 1, exactly one line on stderr naming the problem.
    @Test func badInputsExitNonZeroWithOneLine() throws {
        let directory = try Fixtures.temporaryDirectory()
        let jpeg = try ImageEncoder.jpeg(Fixtures.scene(width: 64, height: 48))
        let png = try ImageEncoder.png(Fixtures.scene(width: 64, height: 48))
        let cases: [(String, [UInt8]?, String)] = [
            ("missing.jpg", nil, "no such file"),
            ("empty.jpg", [], "empty"),
            ("truncated.jpg", Array(jpeg.prefix(jpeg.count / 2)), "truncated JPEG"),
            ("truncated.png", Array(png.prefix(png.count / 2)), "truncated PNG"),
            ("text.jpg", Array("hello".utf8), "not a JPEG or PNG"),
            ("huge.png", Fixtures.forgePNGSize(png, width: 100_000, height: 100_000), "too large"),
        ]
        for (name, bytes, expected) in cases {
            var path = directory.appendingPathComponent(name).path
            if let bytes { path = try Fixtures.write(bytes, to: directory, name: name) }
            let result = try CLI.run(["info", path])
            #expect(result.status == 1, "\(name)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(name): \(result.stderr)")
            #expect(lines.first?.hasPrefix("formvision: ") == true)
            #expect(result.stderr.contains(expected), "\(name): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func mixedInputsReportEachAndFail() throws {
        let directory = try Fixtures.temporaryDirectory()
        let good = try Fixtures.write(try ImageEncoder.png(Fixtures.scene(width: 32, height: 32)), to: directory, name: "good.png")
        let bad = directory.appendingPathComponent("missing.png").path
        let result = try CLI.run(["info", "--json", good, bad])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map { String($0) }
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"format\":\"png\""))
        #expect(lines[1].contains("\"kind\":\"file_not_found\""))
    }

    @Test func headerOnlySkipsTheDecode() throws {
        let directory = try Fixtures.temporaryDirectory()
        let jpeg = try ImageEncoder.jpeg(Fixtures.scene(width: 64, height: 48))
        let path = try Fixtures.write(Array(jpeg.prefix(jpeg.count * 3 / 4)), to: directory, name: "cut.jpg")
        #expect(try CLI.run(["info", "--header-only", path]).status == 0)
        #expect(try CLI.run(["info", path]).status == 1)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try CLI.run(["info"]).status == 64)
        #expect(try CLI.run(["no-such-command"]).status == 64)
        #expect(try CLI.run(["info", "--max-pixels", "0", "x.jpg"]).status == 64)
    }
}

@Suite struct TemplateAndSynthCLITests {
    @Test func layoutIsTheTemplateInPixels() throws {
        let result = try CLI.run(["template", "layout", "--template", "c-hasil-kwk-p2-3", "--dpi", "254"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["width"] as? Int == 2100 && object["height"] as? Int == 2970) // 10 px per mm
        let template = try TemplateCatalog.builtIn.template(id: "c-hasil-kwk-p2-3")
        let fields = try #require(object["fields"] as? [[String: Any]])
        #expect(fields.count == template.fields.count)
        let first = try #require((fields[0]["boxes"] as? [[String: Double]])?.first)
        #expect(abs(first["x"]! - template.fields[0].boxes[0].x * 10) < 1e-6)
        #expect(abs(first["height"]! - template.fields[0].boxes[0].height * 10) < 1e-6)
    }

    /// The PPWP pages' layout also gives the bubbles and corner marks, in the same pixels.
    @Test func layoutGivesBubblesAndCornerMarks() throws {
        let result = try CLI.run(["template", "layout", "--template", "c-hasil-ppwp-p2", "--dpi", "254"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let template = try TemplateCatalog.all.template(id: "c-hasil-ppwp-p2")
        #expect((object["corner_marks"] as? [Any])?.count == 4)
        let fields = try #require(object["fields"] as? [[String: Any]])
        let columns = try #require(fields[0]["bubbles"] as? [[String: Any]])
        #expect(columns.count == 3)
        let centre = try #require((columns[2]["centers"] as? [[String: Double]])?[9])
        let printed = try #require(template.fields[0].bubbles?[2].centers[9])
        #expect(abs(centre["x"]! - printed.x * 10) < 1e-6 && abs(centre["y"]! - printed.y * 10) < 1e-6)
        // C.Hasil-KWK prints neither: the keys are absent.
        let kwk = try CLI.run(["template", "layout", "--template", "c-hasil-kwk-p1"])
        #expect(!kwk.stdout.contains("bubbles") && !kwk.stdout.contains("corner_marks"))
    }

    @Test func renderWritesThePage() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory.appendingPathComponent("blank.png").path
        let result = try CLI.run(["template", "render", "--template", "c-hasil-kwk-p1", "--dpi", "100", "-o", path])
        #expect(result.status == 0)
        let info = try ImageDecoder().info(contentsOfFile: path)
        #expect(info.width == 827 && info.height == 1169)
    }

    @Test func unknownTemplateFails() throws {
        let result = try CLI.run(["template", "layout", "--template", "no-such-form"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("formvision: unknown template"))
    }

    @Test func malformedTemplateFileFails() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(Array("{\"id\": \"x\"}".utf8), to: directory, name: "bad.json")
        let result = try CLI.run(["template", "layout", "--file", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("malformed template"))
    }

    /// `synth` twice with one seed writes byte-identical photos and labels.
    @Test func synthIsDeterministic() throws {
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        let a = try Fixtures.temporaryDirectory("a"), b = try Fixtures.temporaryDirectory("b")
        for directory in [a, b] {
            let result = try CLI.run(["synth", "--count", "3", "--seed", "9", "--level", "scan,hard", "--megapixels", "0.1",
                                      "--digits", Fixtures.digitsPath, "--out", directory.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("3/3 photos"))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: a.path).sorted()
        #expect(files.filter { $0.hasSuffix(".jpg") }.count == 3)
        #expect(files.contains("manifest.json"))
        for file in files {
            let left = try Data(contentsOf: a.appendingPathComponent(file))
            let right = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(left == right, "\(file) differs")
        }
    }

    /// A level in a label is the corpus's own name for its conditions: `eval-geometry` reports
    /// any name as given (it refused "extreme" before, failing to decode the label).
    @Test func evalGeometryAcceptsAnyLevelName() throws {
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        let directory = try Fixtures.temporaryDirectory()
        let made = try CLI.run(["synth", "--count", "1", "--seed", "5", "--level", "scan", "--megapixels", "1",
                                "--digits", Fixtures.digitsPath, "--out", directory.path])
        #expect(made.status == 0, "\(made.stderr)")
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".json") {
            let url = directory.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.contains("\"scan\""), "\(file)")
            try text.replacingOccurrences(of: "\"scan\"", with: "\"extreme-curl\"").write(to: url, atomically: true, encoding: .utf8)
        }
        let result = try CLI.run(["eval-geometry", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        let row = result.stdout.split(separator: "\n").first { $0.hasPrefix("extreme-curl") }
        #expect(row != nil, "\(result.stdout)")
        #expect(row?.split(separator: " ").dropFirst().first == "1", "one photo: \(result.stdout)")
    }

    @Test func synthWithoutDigitsFailsClearly() throws {
        let directory = try Fixtures.temporaryDirectory()
        let result = try CLI.run(["synth", "--count", "1", "--digits", "/no/digits.png", "--out", directory.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot load digits.png"))
    }
}

@Suite struct LocateCLITests {
    static let sample = Fixtures.repositoryRoot.appendingPathComponent("SampleForms/photos/c-hasil-kwk-2-p2-scan-0007.jpg").path

    @Test func locatePrintsTheDocumentedKeys() throws {
        let directory = try Fixtures.temporaryDirectory()
        let noForm = try Fixtures.write(try ImageEncoder.jpeg(Fixtures.scene(width: 400, height: 300, format: .rgb8)),
                                        to: directory, name: "table.jpg")
        let result = try CLI.run(["locate", Self.sample, noForm, "--debug-dir", directory.path])
        #expect(result.status == 1) // the second photo has no form
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let ok = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(ok["template"] as? String == "c-hasil-kwk-p2-2")
        #expect(ok["page"] as? Int == 2)
        #expect(ok["status"] as? String == "ok")
        #expect((ok["page_corners"] as? [[Double]])?.count == 4)
        let boxes = try #require(ok["boxes"] as? [String: [[[Double]]]])
        #expect(boxes.count == 5 && boxes["votes_total"]?.count == 3 && boxes["votes_total"]?[0].count == 4)
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(failed["status"] as? String == "error")
        #expect(failed["template"] is NSNull || failed["template"] == nil)
        #expect((failed["error"] as? [String: String])?["kind"] == "markers_not_found")
        #expect(result.stderr.split(separator: "\n").count == 1)
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for stage in ["1-markers", "2-rectified", "3-boxes", "3-template", "4-cells"] {
            #expect(written.contains("c-hasil-kwk-2-p2-scan-0007-\(stage).png"))
        }
    }
}

extension LocateCLITests {
    /// Regression: a 1×1 and a 10×10000 gray PNG crashed `locate` inside libapriltag (SIGSEGV,
    /// exit 139). Images too small or too thin to hold a marker are refused with their own error.
    @Test(arguments: [(1, 1), (3, 3), (10, 10_000), (10_000, 10), (9, 400)])
    func photosTooSmallForAMarkerAreRefused(width: Int, height: Int) throws {
        let directory = try Fixtures.temporaryDirectory("tooSmall\(width)x\(height)")
        let path = try Fixtures.write(try ImageEncoder.png(Fixtures.scene(width: width, height: height)),
                                      to: directory, name: "tiny.png")
        let result = try CLI.run(["locate", path])
        #expect(result.status == 1)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((record["error"] as? [String: String])?["kind"] == "photo_too_small")
        #expect(result.stderr.contains("too small to hold a form"))
    }
}

@Suite struct ClassifyCLITests {
    /// A held-out digit scaled up as dark ink on paper, an X, and an empty box.
    @Test func classifyCellImages() throws {
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        let directory = try Fixtures.temporaryDirectory()
        let heldOut = try HandwrittenDigits.load(contentsOfFile: Fixtures.digitsPath, split: .heldOut)
        var paths: [String] = []
        for sample in heldOut.samples[3].prefix(10) {
            var cell = Image(width: 60, height: 72, color: [245, 242, 235])
            for y in 0 ..< 60 {
                for x in 0 ..< 60 {
                    let ink = Double(sample.pixels[(y / 3) * 20 + x / 3]) / 255
                    for c in 0 ..< 3 { cell[x, y + 6, c] = UInt8(Double(cell[x, y + 6, c]) * (1 - ink) + 30 * ink) }
                }
            }
            paths.append(try Fixtures.write(try ImageEncoder.png(cell), to: directory, name: "three-\(paths.count).png"))
        }
        let empty = try Fixtures.write(try ImageEncoder.png(Image(width: 60, height: 72, color: [245, 242, 235])),
                                       to: directory, name: "empty.png")
        let result = try CLI.run(["classify"] + paths + [empty])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        try #require(records.count == 11)
        let threes = records.prefix(10).filter { $0["class"] as? String == "3" }.count
        #expect(threes >= 8)
        #expect(records[10]["class"] as? String == "blank")
        let probabilities = try #require(records[0]["probabilities"] as? [String: Double])
        #expect(probabilities.count == 12 && abs(probabilities.values.reduce(0, +) - 1) < 1e-3)
    }

    @Test func corruptWeightsFail() throws {
        let directory = try Fixtures.temporaryDirectory()
        let weights = try Fixtures.write(Array("this is not a weights file at all".utf8), to: directory, name: "bad.fvdn")
        let cell = try Fixtures.write(try ImageEncoder.png(Image(width: 20, height: 20, color: [255])), to: directory, name: "c.png")
        let result = try CLI.run(["classify", "--weights", weights, cell])
        #expect(result.status == 1)
        #expect(result.stderr.contains("not a FormVision weights file"))
    }
}

@Suite struct TrainCLITests {
    /// A tiny run (two epochs of 64 samples): progress per epoch on stderr, the report, and a
    /// weights file that `classify --weights` loads. Says nothing about accuracy: that is
    /// measured on the committed network.
    @Test func tinyTrainingRunWritesLoadableWeights() throws {
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        let directory = try Fixtures.temporaryDirectory()
        let weights = directory.appendingPathComponent("tiny.fvdn").path
        let result = try CLI.run(["train", "--digits", Fixtures.digitsPath, "--epochs", "2", "--samples-per-epoch", "64",
                                  "--validate", "--fold", "1", "--report-samples", "120", "-o", weights])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("train: epoch ") }.count == 2)
        // Fold 1 measures columns 65-74 and its own pair of validation fonts, and nothing held out.
        #expect(lines.contains { $0.contains("validation (columns 65-74) digits.png accuracy") })
        #expect(lines.contains { $0.contains("digits in the validation handwriting fonts") })
        #expect(lines.contains { $0.hasPrefix("train:   because-we-build ") })
        #expect(!lines.contains { $0.hasPrefix("train:   because-we-mentor ") })
        #expect(!lines.contains { $0.contains("held-out handwriting") || $0.contains("delphine") || $0.contains("Hershey script") })
        let cell = try Fixtures.write(try ImageEncoder.png(Image(width: 30, height: 30, color: [255])), to: directory, name: "c.png")
        let classified = try CLI.run(["classify", "--weights", weights, cell])
        #expect(classified.status == 0, "\(classified.stderr)")
    }

    /// The sheet is 24 × 10 cells of 28 px with a 2 px gutter, and has ink.
    @Test func sheetOfTrainingCells() throws {
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        let directory = try Fixtures.temporaryDirectory()
        let sheet = directory.appendingPathComponent("sheet.png").path
        let result = try CLI.run(["train", "--digits", Fixtures.digitsPath, "--sheet", sheet])
        #expect(result.status == 0, "\(result.stderr)")
        let image = try ImageDecoder().decode(contentsOfFile: sheet)
        #expect(image.width == 24 * 30 && image.height == 10 * 30)
        #expect(image.storage.filter { $0 > 128 }.count > 240 * 30)
    }

    /// `--evaluate` lists every misread digit with its place in digits.png, as many as the
    /// accuracy line implies, and `--misread-sheet` draws exactly those cells.
    @Test func evaluationListsAndDrawsTheMisreadDigits() throws {
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        let sheet = try Fixtures.temporaryDirectory().appendingPathComponent("misread.png").path
        let result = try CLI.run(["train", "--digits", Fixtures.digitsPath, "--evaluate", "bundled",
                                  "--report-samples", "120", "--misread-sheet", sheet])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let accuracy = try #require(lines.first { $0.contains("digits.png accuracy") })
        let percent = try #require(Double(accuracy.split(separator: " ").first { Double($0) != nil } ?? ""))
        let count = try #require(lines.first { $0.contains("digits misread: ") }.flatMap { Int($0.split(separator: " ").last ?? "") })
        #expect(count == Int(((100 - percent) * 5).rounded()))
        let listed = lines.filter { $0.hasPrefix("train:   row ") }
        #expect(listed.count == min(count, 20))
        // Every listed digit lies in the held-out columns 90-99.
        for line in listed {
            let column = line.split(separator: " ").firstIndex(of: "column").map { Int(line.split(separator: " ")[$0 + 1].dropLast()) ?? -1 }
            #expect(column.map { (90 ..< 100).contains($0) } == true, "\(line)")
        }
        let image = try ImageDecoder().decode(contentsOfFile: sheet)
        #expect(image.width == max(1, min(count, 24)) * 30 && image.height == max(1, (count + 23) / 24) * 30)
        #expect(try CLI.run(["train", "--sheet", sheet, "--misread-sheet", sheet]).status == 64)
    }

    @Test func usageErrors() throws {
        #expect(try CLI.run(["train"]).status == 64)
        #expect(try CLI.run(["train", "-o", "/tmp/x.fvdn", "--sheet", "/tmp/x.png"]).status == 64)
        #expect(try CLI.run(["train", "-o", "/tmp/x.fvdn", "--font-share", "0.9", "--hershey-share", "0.2"]).status == 64)
        #expect(try CLI.run(["train", "-o", "/tmp/x.fvdn", "--fold", "1"]).status == 64)
        #expect(try CLI.run(["train", "-o", "/tmp/x.fvdn", "--validate", "--fold", "6"]).status == 64)
        let missing = try CLI.run(["train", "--digits", "/nonexistent/digits.png", "-o", "/tmp/x.fvdn"])
        #expect(missing.status == 1 && missing.stderr.contains("digits.png"))
        try #require(FileManager.default.fileExists(atPath: Fixtures.digitsPath), "run scripts/setup.sh")
        let noFonts = try CLI.run(["train", "--digits", Fixtures.digitsPath, "--fonts", "/nonexistent", "-o", "/tmp/x.fvdn"])
        #expect(noFonts.status == 1 && noFonts.stderr.contains("fonts-"), "\(noFonts.stderr)")
    }
}
