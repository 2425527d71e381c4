// swift-tools-version:6.1
//
// libFuzzer targets for FormVision, a package of its own like the benchmarks, so that neither a
// service nor the test suite ever builds them. Each target is one `LLVMFuzzerTestOneInput`,
// built with `-sanitize=fuzzer,address` and `-parse-as-library` (libFuzzer brings `main`):
//
//   scripts/fuzz.sh FuzzImageDecode 600
//
// See the README's "Reliability" section.
import PackageDescription

let fuzzers = ["FuzzImageDecode", "FuzzTemplateJSON", "FuzzWeightsFile", "FuzzReader", "FuzzStation"]

let package = Package(
    name: "FormVisionFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "FormVision", path: "..")],
    targets: [.target(name: "FuzzSupport")] + fuzzers.map { name in
        .executableTarget(name: name, dependencies: ["FuzzSupport", .product(name: "FormVision", package: "FormVision")])
    }
)
