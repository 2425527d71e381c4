import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision

/// `read --manifest`'s parser, and stations decided from photos located one at a time.
@Suite struct StationManifestTests {
    static let manifests = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/manifests")

    static func parse(_ name: String, base: String = "") throws(ManifestError) -> [StationManifest] {
        try StationManifest.parse(Array(try! Data(contentsOf: manifests.appendingPathComponent(name))), base: base)
    }

    @Test func linesBecomeStationsWithPathsFromTheBase() throws {
        let stations = try Self.parse("mixed.jsonl", base: "/data/batch")
        #expect(stations == [
            StationManifest(station: "TPS-1", images: ["/data/batch/a.jpg", "/data/batch/b.jpg"]),
            StationManifest(station: nil, images: ["/abs/c.jpg"]),
            StationManifest(station: nil, images: ["/data/batch/d.jpg", "/data/batch/d.jpg", "/data/batch/e.jpg"]),
        ])
        #expect(try Self.parse("mixed.jsonl")[0].images == ["a.jpg", "b.jpg"])
    }

    @Test func badLinesAreNamedByNumber() {
        #expect(throws: ManifestError.noImages(line: 2)) { try Self.parse("no-images.jsonl") }
        #expect(throws: ManifestError.notAStationLine(line: 1)) { try Self.parse("numeric-station.jsonl") }
        #expect(throws: ManifestError.noStations) { try StationManifest.parse(Array(" \n\n\t\n".utf8)) }
        #expect(throws: ManifestError.noStations) { try StationManifest.parse([]) }
        #expect(throws: ManifestError.notAStationLine(line: 1)) { try StationManifest.parse([0xFF, 0xFE, 0x7B]) }
        #expect(throws: ManifestError.emptyPath(line: 1)) { try StationManifest.parse(Array(#"{"images": [""]}"#.utf8)) }
        let many = "{\"images\": [" + (0 ... StationManifest.maxImages).map { "\"p\($0).jpg\"" }.joined(separator: ",") + "]}"
        #expect(throws: ManifestError.tooManyImages(line: 1, count: StationManifest.maxImages + 1)) {
            try StationManifest.parse(Array(many.utf8))
        }
        let long = "{\"images\": [\"" + String(repeating: "a", count: StationManifest.maxLineBytes) + "\"]}"
        #expect(throws: ManifestError.lineTooLong(line: 1)) { try StationManifest.parse(Array(long.utf8)) }
    }

    /// Locating the pages one at a time and deciding the station later gives the reading that
    /// `readStation` gives; a photo that could not be loaded keeps its place with its error.
    @Test func locatedPhotosDecideTheStationAsOneRead() throws {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("SampleForms/photos")
        let photos = try ["c-hasil-kwk-2-p1-scan-0006", "c-hasil-kwk-2-p2-scan-0007"].map {
            FormReader.Photo(name: $0, bytes: try ImageDecoder().readFile(directory.appendingPathComponent($0 + ".jpg").path))
        }
        let reader = try FormReader()
        func untimed(_ station: StationReading) -> StationReading {
            var station = station
            for i in station.pages.indices { station.pages[i].timingsMs = [:] }
            return station
        }
        let located = photos.map { reader.locate($0) }
        #expect(located.map(\.templateID) == ["c-hasil-kwk-p1", "c-hasil-kwk-p2-2"])
        let together = reader.readStation(photos, station: "TPS-9")
        #expect(untimed(reader.readStation(located: located, station: "TPS-9")) == untimed(together))
        #expect(together.formSet == "c-hasil-kwk-2")

        let missing = FormReader.LocatedPhoto.unreadable(name: "gone.jpg", .init(kind: "file_not_found", message: "no such file"))
        let partial = reader.readStation(located: [located[1], missing, located[0]], station: "TPS-9")
        #expect(partial.pages.map(\.image) == ["c-hasil-kwk-2-p2-scan-0007", "gone.jpg", "c-hasil-kwk-2-p1-scan-0006"])
        #expect(partial.pages[1].status == .error && partial.pages[1].error?.kind == "file_not_found")
        #expect(partial.pages[1].station == "TPS-9")
        #expect(partial.status == .review)
        #expect(reader.readStation(located: [missing], station: nil).status == .error)
        // A duplicate page is the station's error, and every page says so.
        let twice = reader.readStation(located: [located[0], located[0]], station: nil)
        #expect(twice.status == .error && twice.error?.kind == "duplicate_page")
        #expect(twice.pages.allSatisfy { $0.error?.kind == "duplicate_page" })
    }
}
