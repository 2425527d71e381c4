import Foundation
import FormVision
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
