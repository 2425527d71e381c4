import FormVision

/// Makes labelled synthetic photos of filled-in forms: a station's numbers, one writer's hand,
/// one photo's conditions, all from one seed.
///
/// The same seed gives the same numbers, the same pixels and the same labels, on any machine
/// and in any order of generation, because every item draws from its own generator.
public struct Synthesizer: Sendable {
    /// Digits the writers use.
    public var digits: HandwrittenDigits
    public var renderer = PageRenderer()
    public var filler = FormFiller()
    public var stations = StationGenerator()
    public var simulator = PhotoSimulator()
    /// When set, every writer pushes this share of their digits onto or across a box line
    /// (`WriterStyle.overflowRate`), for tests of digits written over the lines.
    public var writerOverflowRate: Double?

    public init(digits: HandwrittenDigits) {
        self.digits = digits
    }

    /// One synthetic photo and its label.
    public struct Item: Sendable {
        public var jpeg: [UInt8]
        public var label: PhotoLabel
    }

    /// What went wrong making an item.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case image(ImageError)
        case station(StationGenerator.Failure)
        case noSuchPage(formSet: String, page: Int)

        public var description: String {
            switch self {
            case .image(let error): error.description
            case .station(let error): error.description
            case .noSuchPage(let set, let page): "form set \(set) has no page \(page)"
            }
        }
    }

    /// The seed of a station: all pages of one station share its numbers.
    public static func stationSeed(corpusSeed: UInt64, station: Int) -> UInt64 {
        SeededGenerator(seed: corpusSeed).derivedSeed("station-\(station)")
    }

    /// Makes the photo of one page of one station.
    ///
    /// - Parameters:
    ///   - stationSeed: Fixes the station's numbers (shared by its pages).
    ///   - photoSeed: Fixes the writer, the handwriting and the photo.
    ///   - megapixels: Overrides the level's photo size.
    ///   - maxMegapixels: Caps the level's photo sizes (the draw is scaled into the capped range).
    public func make(formSet: FormSet, page: Int, level: PhotoLevel, stationSeed: UInt64, photoSeed: UInt64,
                     name: String, megapixels: Double? = nil, maxMegapixels: Double? = nil) throws(Failure) -> Item {
        guard let template = formSet.pages.first(where: { $0.page == page }) else {
            throw .noSuchPage(formSet: formSet.id, page: page)
        }
        var stationGenerator = SeededGenerator(seed: stationSeed)
        let values: [String: Int]
        do { values = try stations.values(for: formSet, using: &stationGenerator) } catch { throw .station(error) }
        let root = SeededGenerator(seed: photoSeed)
        var writerGenerator = root.derived("writer")
        var handGenerator = root.derived("hand")
        var photoGenerator = root.derived("photo")
        var style = WriterStyle.random(using: &writerGenerator)
        if let writerOverflowRate { style.overflowRate = writerOverflowRate }
        let plan = simulator.plan(level: level, pageSize: template.pageSize, megapixels: megapixels,
                                  maxMegapixels: maxMegapixels, using: &photoGenerator)
        let dpi = plan.suggestedDPI
        do {
            var page = try renderer.render(template, dpi: dpi)
            let truths = try filler.fill(template, values: values, on: &page, dpi: dpi, digits: digits, style: style,
                                         using: &handGenerator)
            let photo = try simulator.render(plan, page: page, dpi: dpi)
            let jpeg = try simulator.encode(photo, plan: plan)
            let label = makeLabel(name: name, formSet: formSet, template: template, level: level, photoSeed: photoSeed,
                                  stationSeed: stationSeed, plan: plan, style: style, values: values, truths: truths)
            return Item(jpeg: jpeg, label: label)
        } catch {
            throw .image(error)
        }
    }

    func makeLabel(name: String, formSet: FormSet, template: FormTemplate, level: PhotoLevel, photoSeed: UInt64,
                   stationSeed: UInt64, plan: PhotoPlan, style: WriterStyle, values: [String: Int],
                   truths: [FieldTruth]) -> PhotoLabel {
        let fields = truths.map { truth -> PhotoLabel.Field in
            let rects = template.field(named: truth.name)?.boxes ?? []
            let boxes = zip(truth.boxes, rects).map { box, rect in
                PhotoLabel.Box(truth: box, corners: rect.corners.map(plan.project))
            }
            return PhotoLabel.Field(name: truth.name, value: truth.value, boxes: boxes)
        }
        let centre = template.pageRect.center
        let pixelsPerMM = plan.project(centre).distance(to: plan.project(centre + Point(1, 0)))
        return PhotoLabel(
            schemaVersion: PhotoLabel.currentSchemaVersion, image: name, formSet: formSet.id, template: template.id,
            page: template.page, station: String(format: "TPS-%016llx", stationSeed), level: level.rawValue, seed: photoSeed,
            digitsSplit: digits.split.rawValue,
            photo: .init(width: plan.width, height: plan.height, orientation: plan.orientation.rawValue,
                         jpegQuality: plan.jpegQuality),
            conditions: .init(background: plan.background.rawValue, folds: plan.folds.count, curl: plan.curl != nil,
                              shadow: !plan.shadow.isEmpty, yellowLight: plan.lightColor[2] < 0.999,
                              blurSigma: plan.blurSigma, motionBlur: plan.motionLength, noiseSigma: plan.noiseSigma,
                              pixelsPerMillimetre: pixelsPerMM, liftMillimetres: plan.greatestLift),
            writer: style, stationValues: values, fields: fields,
            pageCorners: template.pageRect.corners.map(plan.project),
            markers: template.markers.map { .init(family: $0.family, id: $0.id, corners: $0.rect.corners.map(plan.project)) })
    }
}

import Foundation
