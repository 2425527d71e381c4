import Foundation

/// A batch of stations as JSON Lines: `{"station": ID, "images": [PATH, ...]}` on each line
/// (`formvision read --manifest`). Blank lines are skipped; `station` may be absent or null.
///
/// Parsing is a pure function of the bytes, so that it can be fuzzed and a service can take a
/// manifest from anywhere. Paths are not checked here: a photo that cannot be read gets its
/// own error record when the station is read.
public struct StationManifest: Sendable, Equatable, Decodable {
    public var station: String?
    public var images: [String]

    public init(station: String?, images: [String]) {
        self.station = station
        self.images = images
    }

    /// The most photos one station may name. A station is a handful of pages; a line that
    /// names more is a mistake in the manifest, and reading it would hold every photo at once.
    public static let maxImages = 32

    /// The longest line, in bytes: a station line is a few hundred bytes.
    public static let maxLineBytes = 1 << 20

    /// Parses a manifest.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents, UTF-8.
    ///   - base: the directory relative image paths are taken from (the manifest's own); empty
    ///     to leave them as they are.
    /// - Throws: `ManifestError` naming the first bad line.
    public static func parse(_ bytes: [UInt8], base: String = "") throws(ManifestError) -> [StationManifest] {
        var stations: [StationManifest] = []
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            guard line.count <= maxLineBytes else { throw .lineTooLong(line: number) }
            guard line.contains(where: { !Self.isSpace($0) }) else { continue }
            let entry: StationManifest
            do { entry = try JSONDecoder().decode(StationManifest.self, from: Data(line)) } catch {
                throw .notAStationLine(line: number)
            }
            guard !entry.images.isEmpty else { throw .noImages(line: number) }
            guard entry.images.count <= maxImages else { throw .tooManyImages(line: number, count: entry.images.count) }
            guard !entry.images.contains(where: \.isEmpty) else { throw .emptyPath(line: number) }
            stations.append(StationManifest(station: entry.station, images: entry.images.map { Self.resolve($0, base: base) }))
        }
        guard !stations.isEmpty else { throw .noStations }
        return stations
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    static func resolve(_ path: String, base: String) -> String {
        guard !base.isEmpty, !path.hasPrefix("/") else { return path }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }
}

/// Why a station manifest cannot be read. Lines are numbered from 1.
public enum ManifestError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAStationLine(line: Int)
    case noImages(line: Int)
    case tooManyImages(line: Int, count: Int)
    case emptyPath(line: Int)
    case lineTooLong(line: Int)
    case noStations

    public var description: String {
        switch self {
        case .notAStationLine(let line): "line \(line): not a station line {\"station\": ID, \"images\": [PATH, ...]}"
        case .noImages(let line): "line \(line): a station needs images"
        case .tooManyImages(let line, let count):
            "line \(line): \(count) images for one station; at most \(StationManifest.maxImages)"
        case .emptyPath(let line): "line \(line): an empty image path"
        case .lineTooLong(let line): "line \(line): longer than \(StationManifest.maxLineBytes) bytes"
        case .noStations: "no stations in the manifest"
        }
    }
}
