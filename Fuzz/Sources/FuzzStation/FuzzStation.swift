import Foundation
import FormVision
import FuzzSupport

/// `read --manifest` and the grouping of a station's pages: any bytes are parsed as a station
/// manifest, and each station it names is decided from photos located once at start-up (the
/// pages of three form sets and one unreadable file), picked by a hash of each image path.
/// Every station gets one result per image and every field a status; never a crash.
let reader = try! FormReader()

/// The located photos the manifests' paths stand for.
let pool: [FormReader.LocatedPhoto] = {
    let photos = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../SampleForms/photos").standardized
    let names = ["c-hasil-kwk-2-p1-scan-0006", "c-hasil-kwk-2-p2-scan-0007", "c-hasil-kwk-3-p1-scan-0000",
                 "c-hasil-kwk-3-p2-scan-0001", "c-hasil-kwk-6-p2-scan-0013"]
    var pool = names.map { name in
        let url = photos.appendingPathComponent(name + ".jpg")
        return reader.locate(FormReader.Photo(name: name, bytes: Array(try! Data(contentsOf: url))))
    }
    precondition(pool.allSatisfy { $0.templateID != nil }, "the sample photos must locate")
    pool.append(.unreadable(name: "missing", .init(kind: "file_not_found", message: "no such file")))
    return pool
}()

@_cdecl("FuzzStation_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = pool.count
    return runFuzzer(argc, argv, fuzzStation)
}

/// FNV-1a: the same path picks the same photo in every run.
func pick(_ path: String) -> Int {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return Int(hash % UInt64(pool.count))
}

func fuzzStation(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let stations = try? StationManifest.parse(bytes, base: "base") else { return 0 }
    for entry in stations {
        let reading = reader.readStation(located: entry.images.map { pool[pick($0)] }, station: entry.station)
        precondition(reading.pages.count == entry.images.count, "one result per image")
        precondition(reading.station == entry.station)
        for page in reading.pages {
            precondition(page.status == .error ? page.error != nil && page.fields.isEmpty : !page.fields.isEmpty)
            for field in page.fields.values {
                precondition(field.value.map { (0 ... 999).contains($0) } ?? true)
                precondition(field.status != .review || field.reviewReason != nil, "a review says why")
            }
        }
        precondition(reading.status != .error || reading.error != nil)
        let json = try! ReadingJSON.encode(reading)
        precondition(try! ReadingJSON.station(from: json) == reading, "the JSON gives the reading back")
    }
    return 0
}
