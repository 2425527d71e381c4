import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// `formvision locate IMAGE...`: where the form, its markers and every box are in each photo.
struct LocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Find the form in photos: template, page corners and every box, as JSON Lines.",
        discussion: """
            One JSON object per photo (see README, "locate output"): image, template, page (null \
            when not identified), status (ok, retake or error), retake_reasons, error, \
            page_corners and boxes (for every field, each box's four corners in photo pixels: \
            top-left, top-right, bottom-right, bottom-left of the upright page). Exit status 1 \
            when any photo could not be located (status error).
            """
    )

    @Argument(help: "Photos (JPEG or PNG).")
    var images: [String]

    @Option(help: "Write each stage's image (markers, rectified page, boxes, cells) into this directory.")
    var debugDir: String?

    @Flag(help: "Print one line of text per photo instead of JSON.")
    var summary = false

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one photo") }
    }

    func run() throws {
        let pipeline = GeometryPipeline(catalog: .all)
        let decoder = ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8))
        if let debugDir { try FileManager.default.createDirectory(atPath: debugDir, withIntermediateDirectories: true) }
        var failures = 0
        for path in images {
            var trace = PipelineTrace(enabled: debugDir != nil)
            let record: LocateRecord
            do throws(PipelineError) {
                let photo: Image
                do throws(ImageError) { photo = try decoder.decode(contentsOfFile: path) } catch { throw .image(error) }
                let geometry = try pipeline.run(photo, trace: &trace)
                record = LocateRecord(image: path, geometry: geometry)
            } catch {
                failures += 1
                Output.error(Output.message(for: path, error))
                record = LocateRecord(image: path, error: error)
            }
            if summary { print(record.summary) } else { try Output.jsonLine(record) }
            if let debugDir { try writeTrace(trace, for: path, into: debugDir) }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    func writeTrace(_ trace: PipelineTrace, for path: String, into directory: String) throws {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        for (name, image) in trace.images {
            let png: [UInt8]
            do throws(ImageError) { png = try ImageEncoder.png(image, compression: 3) } catch { throw CLIFailure(error.description) }
            try Output.write(png, to: "\(directory)/\(stem)-\(name).png")
        }
    }
}

/// One line of `locate` output.
struct LocateRecord: Encodable {
    enum CodingKeys: String, CodingKey {
        case image, template, page, status, retakeReasons, error, pageCorners, boxes, unlocatedFields, bent, markers, quality
    }

    /// Writes `template` and `page` as null when the page was not identified, as documented.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(image, forKey: .image)
        try c.encode(template, forKey: .template)
        try c.encode(page, forKey: .page)
        try c.encode(status, forKey: .status)
        try c.encode(retakeReasons, forKey: .retakeReasons)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(pageCorners, forKey: .pageCorners)
        try c.encodeIfPresent(boxes, forKey: .boxes)
        try c.encodeIfPresent(unlocatedFields, forKey: .unlocatedFields)
        try c.encodeIfPresent(bent, forKey: .bent)
        try c.encodeIfPresent(markers, forKey: .markers)
        try c.encodeIfPresent(quality, forKey: .quality)
    }

    struct Problem: Encodable {
        var kind: String
        var message: String
    }

    var image: String
    var template: String?
    var page: Int?
    var status: String
    var retakeReasons: [Problem] = []
    var error: Problem?
    var pageCorners: [[Double]]?
    var boxes: [String: [[[Double]]]]?
    var unlocatedFields: [String]?
    var bent: Bool?
    var markers: [Int]?
    var quality: [String: Double]?

    init(image: String, geometry: PageGeometry) {
        self.image = image
        template = geometry.template.id
        page = geometry.template.page
        status = geometry.quality.needsRetake ? "retake" : "ok"
        retakeReasons = geometry.quality.reasons.map { Problem(kind: $0.kind, message: $0.description) }
        pageCorners = geometry.pageCorners.map { [$0.x, $0.y] }
        var boxes: [String: [[[Double]]]] = [:]
        for field in geometry.fields {
            boxes[field.name] = field.boxes.map { box in geometry.photoCorners(of: box).map { [$0.x, $0.y] } }
        }
        self.boxes = boxes
        unlocatedFields = geometry.fields.filter { !$0.located }.map(\.name).sorted()
        bent = geometry.rectified.warp != nil
        markers = geometry.markers.map(\.id)
        let q = geometry.quality
        quality = ["box_height": q.boxHeight, "paper_level": q.paperLevel, "contrast": q.contrast,
                   "sharpness": q.sharpness, "glare": q.glare]
    }

    /// One line of text: the photo, its page, the status and the numbers that decided it.
    var summary: String {
        guard let template else { return "\(image): error: \(error?.message ?? "")" }
        let boxCount = boxes?.values.reduce(0) { $0 + $1.count } ?? 0
        var line = "\(image): \(template) \(status), \(markers?.count ?? 0) markers, \(boxes?.count ?? 0) fields, \(boxCount) boxes"
        if let q = quality {
            line += String(format: ", box height %.0f px, sharpness %.2f, contrast %.0f", q["box_height"] ?? 0,
                           q["sharpness"] ?? 0, q["contrast"] ?? 0)
        }
        if !retakeReasons.isEmpty { line += "; retake: " + retakeReasons.map(\.message).joined(separator: "; ") }
        return line
    }

    init(image: String, error: PipelineError) {
        self.image = image
        status = "error"
        self.error = Problem(kind: error.kind, message: error.description)
    }
}
