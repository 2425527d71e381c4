// swift-tools-version:6.1
//
// FormVision's benchmarks, with ordo-one/benchmark (formerly package-benchmark). A package of its own so that
// services depending on FormVision never resolve the benchmark tooling.
//
//   cd Benchmarks && swift package benchmark
//
// See README.md in the repository root for the CPU flags that matter.
import PackageDescription

let package = Package(
    name: "FormVisionBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "FormVision", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DecodeBenchmarks",
            dependencies: [
                .product(name: "FormVision", package: "FormVision"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DecodeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Every stage of a read and the whole read, on synthetic photos (so it needs the corpus
        // generator, which services never compile).
        .executableTarget(
            name: "StageBenchmarks",
            dependencies: [
                .product(name: "FormVision", package: "FormVision"),
                .product(name: "FormVisionTraining", package: "FormVision"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
