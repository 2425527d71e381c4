import Benchmark
import Foundation
import FormVision
import FormVisionTraining

/// Every stage of a read, and the whole read, on synthetic `phone` photos of 3, 6 and 12 MP: the
/// issue's measure of where a photo's time goes. Each stage runs on the output of the stages
/// before it, computed once outside the measurement, so a figure is that stage alone. Every
/// size has its own gray decode, the floor the other figures are compared with
/// (`scripts/benchmark-ratios.py` prints each median as a multiple of it).
///
/// The photos come from the corpus generator with the held-out handwriting columns (as
/// `formvision synth --level phone --megapixels N` makes them), one station of both pages, fixed
/// seeds. digits.png must be in place (`scripts/setup.sh` puts it in `.formvision-data/`).
enum StagePhotos {
    /// The repository's root, found from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let formSet = try! TemplateCatalog.builtIn.formSet(id: "c-hasil-kwk-3")

    /// Page 1 and page 2 of one station at `megapixels`.
    static func station(megapixels: Double) -> [[UInt8]] {
        let path = root.appendingPathComponent(".formvision-data/digits.png").path
        guard let digits = try? HandwrittenDigits.load(contentsOfFile: path, split: .heldOut) else {
            fatalError("StageBenchmarks: \(path) is missing; run scripts/setup.sh first")
        }
        let synthesizer = Synthesizer(digits: digits)
        let stationSeed = Synthesizer.stationSeed(corpusSeed: 13_013, station: 0)
        return formSet.pages.map { template in
            let item = try! synthesizer.make(formSet: formSet, page: template.page, level: .phone, stationSeed: stationSeed,
                                             photoSeed: 13_013 + UInt64(template.page), name: "bench-\(template.page)",
                                             megapixels: megapixels)
            return item.jpeg
        }
    }
}

/// The intermediate results of one photo, each stage's input.
struct StageInputs: Sendable {
    let jpeg: [UInt8]
    let rgb: Image
    let gray: Image
    let markers: [DetectedMarker]
    let page: LocatedPage
    let rectified: RectifiedPage
    let fields: [LocatedField]
    let boxHeight: Double
    let geometry: PageGeometry

    init(jpeg: [UInt8], pipeline: GeometryPipeline) throws {
        self.jpeg = jpeg
        rgb = try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(jpeg)
        gray = rgb.grayscale()
        markers = try pipeline.detector.detect(in: gray)
        page = try pipeline.locator.locate(markers)
        rectified = try pipeline.rectifier.rectify(rgb, page: page)
        fields = pipeline.aligner.align(rectified)
        boxHeight = pipeline.assessor.placementReasons(page, photoWidth: rgb.width, photoHeight: rgb.height).boxHeight
        var trace = PipelineTrace()
        geometry = try pipeline.run(rgb, trace: &trace)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        scalingFactor: .one,
        maxDuration: .seconds(4),
        maxIterations: 40
    )
    let reader = try! FormReader()
    let pipeline = reader.pipeline

    for megapixels in [3.0, 6.0, 12.0] {
        let size = "\(Int(megapixels))MP"
        let station = StagePhotos.station(megapixels: megapixels)
        let inputs = try! StageInputs(jpeg: station[0], pipeline: pipeline)

        func stage(_ name: String, _ body: @escaping @Sendable () throws -> Void) {
            Benchmark("\(size) \(name)") { benchmark in
                for _ in benchmark.scaledIterations { try body() }
            }
        }

        /// Decoding the photo into one reused image, as a batch reader would.
        func decode(_ name: String, _ options: DecodeOptions) {
            Benchmark("\(size) \(name)") { benchmark in
                let decoder = ImageDecoder(options: options)
                var image = Image()
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    try inputs.jpeg.withUnsafeBytes { try decoder.decode($0, into: &image) }
                    blackHole(image.width)
                }
            }
        }

        // The floor: decoding the same photo to gray.
        decode("decode gray (floor)", DecodeOptions())
        decode("decode gray 1/4", DecodeOptions(reduction: .quarter))
        stage("decode RGB (the reader's)") { blackHole(try ImageDecoder(options: DecodeOptions(pixelFormat: .rgb8)).decode(inputs.jpeg)) }
        stage("RGB to gray") { blackHole(inputs.rgb.grayscale()) }
        stage("markers") { blackHole(try pipeline.detector.detect(in: inputs.gray)) }
        stage("page location") { blackHole(try pipeline.locator.locate(inputs.markers)) }
        stage("rectification") { blackHole(try pipeline.rectifier.rectify(inputs.rgb, page: inputs.page)) }
        stage("box alignment") { blackHole(pipeline.aligner.align(inputs.rectified)) }
        stage("quality") {
            blackHole(pipeline.assessor.assess(inputs.rectified, fields: inputs.fields, boxHeight: inputs.boxHeight, placement: []))
        }
        stage("cell extraction") { blackHole(pipeline.extractor.extract(inputs.rectified, fields: inputs.fields)) }
        stage("classification, all cells") { blackHole(reader.classify(inputs.geometry)) }
        stage("geometry pipeline") {
            var trace = PipelineTrace()
            blackHole(try pipeline.run(inputs.rgb, trace: &trace))
        }
        stage("whole read, page 1") { blackHole(reader.read(.init(name: "p1.jpg", bytes: inputs.jpeg))) }

        // The arithmetic of a whole station, both pages' fields with every relation.
        if megapixels == 3 {
            let second = try! StageInputs(jpeg: station[1], pipeline: pipeline)
            var evidence = reader.classify(inputs.geometry)
            for field in reader.classify(second.geometry) {
                var field = field
                field.photo = 1
                evidence.append(field)
            }
            let relations = StagePhotos.formSet.allRelations
            let decoder = reader.decoder
            Benchmark("station joint decoding (arithmetic alone)", configuration: .init(maxDuration: .seconds(3), maxIterations: 2_000)) { benchmark in
                for _ in benchmark.scaledIterations { blackHole(decoder.decode(evidence, relations: relations)) }
            }
        }
    }
}
