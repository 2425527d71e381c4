import Foundation
import FormVisionTestSupport
import Testing
@testable import FormVision

/// One `FormReader` shared by many tasks at once: each photo's reading is the one it gets when
/// read alone (apart from the timings), whatever runs beside it. Run under the thread
/// sanitizer by `scripts/sanitize.sh thread`.
@Suite struct ConcurrentReadingTests {
    static func json(_ page: PageReading) throws -> String {
        var page = page
        page.timingsMs = [:]
        return String(decoding: try ReadingJSON.encode(page), as: UTF8.self)
    }

    @Test func sharedReaderGivesTheSameReadings() async throws {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("SampleForms/photos")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jpg") }.sorted().prefix(4)
        let photos = try names.map { FormReader.Photo(name: $0, bytes: try ImageDecoder().readFile(directory.appendingPathComponent($0).path)) }
        let reader = try FormReader()
        let alone = try photos.map { try Self.json(reader.read($0)) }
        // Every photo three times, all at once, in an order unlike the one above.
        let order = (0 ..< 3).flatMap { round in photos.indices.map { (round * 7 + $0 * 3) % photos.count } }
        let together = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in order {
                group.addTask { (index, try Self.json(reader.read(photos[index]))) }
            }
            var results: [(Int, String)] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(together.count == order.count)
        for (index, json) in together { #expect(json == alone[index], "\(photos[index].name)") }
    }
}
