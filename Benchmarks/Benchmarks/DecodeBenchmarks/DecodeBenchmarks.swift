import Benchmark
import FormVision

/// A 12 MP test photo, made once: smooth shading, texture and edges, JPEG quality 90.
///
/// JPEG decode time depends on how much detail the entropy coder carries, so the scene has
/// fine texture as a phone photo of paper does, not a flat field.
enum Photo {
    static let width = 4000
    static let height = 3000

    static let image: Image = {
        var image = Image(width: width, height: height, format: .rgb8)
        var state: UInt32 = 12345
        for y in 0 ..< height {
            for x in 0 ..< width {
                state = state &* 1_664_525 &+ 1_013_904_223 // texture: a cheap LCG
                let grain = Int(state >> 28) - 8
                let shade = 150 + (x + y) * 60 / (width + height)
                let line = (x % 180 < 3 || y % 90 < 3) ? -90 : 0
                let value = UInt8(clamping: shade + grain + line)
                image[x, y, 0] = value
                image[x, y, 1] = value
                image[x, y, 2] = UInt8(clamping: Int(value) - 20)
            }
        }
        return image
    }()

    static let jpeg: [UInt8] = try! ImageEncoder.jpeg(image, quality: 90)
    static let png: [UInt8] = try! ImageEncoder.png(image, compression: 1)
}

let benchmarks: @Sendable () -> Void = {
    classifierBenchmarks()
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 50
    )

    /// Decoding into one reused image, as a batch reader does.
    func decodeBenchmark(_ name: String, _ bytes: [UInt8], _ options: DecodeOptions) {
        Benchmark(name) { benchmark in
            let decoder = ImageDecoder(options: options)
            var image = Image()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                try bytes.withUnsafeBytes { try decoder.decode($0, into: &image) }
                blackHole(image.width)
            }
        }
    }

    for reduction in DecodeOptions.Reduction.allCases {
        decodeBenchmark("JPEG 12MP decode to gray, 1/\(reduction.factor)", Photo.jpeg, DecodeOptions(reduction: reduction))
    }
    decodeBenchmark("JPEG 12MP decode to RGB", Photo.jpeg, DecodeOptions(pixelFormat: .rgb8))
    decodeBenchmark("PNG 12MP decode to gray", Photo.png, DecodeOptions())

    Benchmark("JPEG 12MP decode to gray, new image each time") { benchmark in
        let decoder = ImageDecoder()
        let bytes = Photo.jpeg
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try decoder.decode(bytes))
        }
    }
}

/// 1024 fixed cells for the classifier benchmark: sparse random ink (the network does the same
/// work whatever the cell holds).
enum Cells {
    static let count = 1024
    static let batch: [Float] = {
        var state: UInt32 = 99
        return (0 ..< count * 784).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return state >> 29 == 0 ? Float(state >> 8 & 0xFF) / 255 : 0
        }
    }()
}

let classifierBenchmarks: @Sendable () -> Void = {
    Benchmark("Classifier: 1024 cells, batched, one core",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(5))) { benchmark in
        let network = try DigitNetwork.bundled()
        let cells = Cells.batch
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(network.probabilities(cells, count: Cells.count))
        }
    }
}
