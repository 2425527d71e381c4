/// The reader's result for one photo: which page it is, every field with its status, every
/// relation checked, the photo's quality, and the time each stage took.
///
/// `Codable` with a stable, versioned schema (`docs/reading-schema.json`); encode it with
/// `ReadingJSON` for the documented key order. Coordinates are pixels of the upright photo, origin
/// at the top-left corner of the top-left pixel.
public struct PageReading: Sendable, Equatable, Codable {
    /// The version of this schema. It changes only when a key's meaning changes or a key goes.
    public static let schemaVersion = 1

    /// A photo's overall status.
    public enum Status: String, Sendable, Equatable, Codable {
        /// Every field is confident or corrected.
        case ok
        /// At least one field needs a person.
        case review
        /// The photo should be taken again (see `retake_reasons`); its fields are all in review.
        case retake
        /// Nothing could be read (see `error`).
        case error
    }

    /// A typed error or a retake reason: a stable snake_case kind and a human-readable message.
    public struct Problem: Sendable, Equatable, Codable {
        public var kind: String
        public var message: String

        public init(kind: String, message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// The photo quality measures (`QualityReport`).
    public struct Quality: Sendable, Equatable, Codable {
        public var boxHeight: Double
        public var paperLevel: Double
        public var contrast: Double
        public var sharpness: Double
        public var glare: Double

        enum CodingKeys: String, CodingKey {
            case boxHeight = "box_height", paperLevel = "paper_level", contrast, sharpness, glare
        }
    }

    public var schemaVersion: Int
    /// The photo as the caller named it (a path, for the CLI).
    public var image: String
    /// The station the photo was read with, when read as part of one.
    public var station: String?
    public var template: String?
    /// The form set, when it is known (page 1 of C.Hasil-KWK serves every set; read alone its set is null).
    public var formSet: String?
    public var page: Int?
    public var status: Status
    public var fields: [String: FieldReading]
    /// The relations among this page's fields (cross-page ones are in the station's `checks`).
    public var checks: [RelationCheck]
    public var quality: Quality?
    public var retakeReasons: [Problem]
    public var error: Problem?
    /// The page's corners in photo pixels.
    public var pageCorners: [[Double]]?
    /// The ids of the markers that placed the page.
    public var markers: [Int]?
    /// Milliseconds per stage: `decode`, `geometry`, `classify`, `arithmetic`, `total`. The only
    /// key whose value changes from run to run.
    public var timingsMs: [String: Double]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", image, station, template, formSet = "form_set", page, status, fields, checks,
             quality, retakeReasons = "retake_reasons", error, pageCorners = "page_corners", markers, timingsMs = "timings_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(image, forKey: .image)
        try c.encode(station, forKey: .station)
        try c.encode(template, forKey: .template)
        try c.encode(formSet, forKey: .formSet)
        try c.encode(page, forKey: .page)
        try c.encode(status, forKey: .status)
        try c.encode(fields, forKey: .fields)
        try c.encode(checks, forKey: .checks)
        try c.encode(quality, forKey: .quality)
        try c.encode(retakeReasons, forKey: .retakeReasons)
        try c.encode(error, forKey: .error)
        try c.encode(pageCorners, forKey: .pageCorners)
        try c.encode(markers, forKey: .markers)
        try c.encode(timingsMs, forKey: .timingsMs)
    }

    /// The result for a photo that could not be read at all.
    public static func failure(image: String, station: String? = nil, _ problem: Problem, timings: [String: Double] = [:]) -> PageReading {
        PageReading(schemaVersion: schemaVersion, image: image, station: station, template: nil, formSet: nil, page: nil,
                    status: .error, fields: [:], checks: [], quality: nil, retakeReasons: [], error: problem,
                    pageCorners: nil, markers: nil, timingsMs: timings)
    }
}

/// The reader's result for the photos of one polling station, read together so that the
/// relations between pages are used.
public struct StationReading: Sendable, Equatable, Codable {
    public var schemaVersion: Int
    /// The station's id as the caller gave it (null when none was given).
    public var station: String?
    /// The form set the pages belong to, when they name one.
    public var formSet: String?
    /// `ok` when every page is ok; `error` when the group itself is wrong (two photos of one page,
    /// pages of different form sets) or no page could be read; else `retake` when a page needs a
    /// retake, else `review`.
    public var status: PageReading.Status
    /// Each photo's result, in the order given.
    public var pages: [PageReading]
    /// The relations between pages, on the returned values.
    public var checks: [RelationCheck]
    public var error: PageReading.Problem?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", station, formSet = "form_set", status, pages, checks, error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(station, forKey: .station)
        try c.encode(formSet, forKey: .formSet)
        try c.encode(status, forKey: .status)
        try c.encode(pages, forKey: .pages)
        try c.encode(checks, forKey: .checks)
        try c.encode(error, forKey: .error)
    }
}

extension FieldReading {
    enum CodingKeys: String, CodingKey {
        case value, status, probability, checkedBy = "checked_by", boundedBy = "bounded_by",
             classifierOnly = "classifier_only", reading, readingProbability = "reading_probability", pattern, correction,
             reviewReason = "review_reason", reviewBoxes = "review_boxes", candidates, notes, boxes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)
        try c.encode(status, forKey: .status)
        try c.encode(probability, forKey: .probability)
        try c.encode(checkedBy, forKey: .checkedBy)
        try c.encode(boundedBy, forKey: .boundedBy)
        try c.encode(classifierOnly, forKey: .classifierOnly)
        try c.encode(reading, forKey: .reading)
        try c.encode(readingProbability, forKey: .readingProbability)
        try c.encode(pattern, forKey: .pattern)
        try c.encodeIfPresent(correction, forKey: .correction)
        try c.encodeIfPresent(reviewReason, forKey: .reviewReason)
        try c.encodeIfPresent(reviewBoxes, forKey: .reviewBoxes)
        try c.encode(candidates, forKey: .candidates)
        try c.encode(notes, forKey: .notes)
        try c.encode(boxes, forKey: .boxes)
    }
}

extension RelationCheck {
    enum CodingKeys: String, CodingKey {
        case relation, kind, fields, values, holds, holdsAsRead = "holds_as_read"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(relation, forKey: .relation)
        try c.encode(kind, forKey: .kind)
        try c.encode(fields, forKey: .fields)
        try c.encode(values, forKey: .values)
        try c.encode(holds, forKey: .holds)
        try c.encode(holdsAsRead, forKey: .holdsAsRead)
    }
}

import Foundation

/// The reader's JSON: keys sorted, no escaped slashes, so the same reading is the same bytes.
public enum ReadingJSON {
    /// Encodes a reading on one line (JSON Lines), or indented.
    public static func encode(_ value: some Encodable, pretty: Bool = false) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Decodes a page reading written by `encode`.
    public static func page(from bytes: [UInt8]) throws -> PageReading {
        try JSONDecoder().decode(PageReading.self, from: Data(bytes))
    }

    /// Decodes a station reading written by `encode`.
    public static func station(from bytes: [UInt8]) throws -> StationReading {
        try JSONDecoder().decode(StationReading.self, from: Data(bytes))
    }
}
