// swift-tools-version:6.1
//
// FormVision reads phone photos of Indonesian election tally forms (KPU "C Hasil") into numbers
// that can be trusted. See README.md.
//
// The system libraries (OpenCV core+imgproc, libjpeg-turbo, libpng, apriltag) are found through
// the pkg-config file `formvision-deps.pc` that scripts/setup.sh installs. No target uses
// `unsafeFlags`, so other packages can depend on FormVision by version.
import PackageDescription

let package = Package(
    name: "FormVision",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FormVision", targets: ["FormVision"]),
        // Training and synthesis: the corpus generator, the fonts, the trainer. For the CLI, the
        // tests and the benchmarks; a service that reads forms links `FormVision` alone.
        .library(name: "FormVisionTraining", targets: ["FormVisionTraining"]),
        .executable(name: "formvision", targets: ["formvision"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The system libraries, as one pkg-config entry: headers and link flags, nothing compiled.
        .systemLibrary(
            name: "CFormVisionDeps",
            pkgConfig: "formvision-deps",
            providers: [
                .apt(["libopencv-core-dev", "libopencv-imgproc-dev", "libjpeg62-turbo-dev", "libpng-dev", "libapriltag-dev"]),
                .brew(["opencv", "jpeg-turbo", "libpng", "apriltag"]),
            ]
        ),
        // A small C ABI over the system libraries: plain C header, C and C++ inside.
        .target(
            name: "CFormVisionShim",
            dependencies: ["CFormVisionDeps"]
        ),
        .target(
            name: "FormVision",
            dependencies: ["CFormVisionShim"],
            resources: [.copy("Resources/digit-network.fvdn")]
        ),
        // FreeType, for the training fonts only.
        .systemLibrary(
            name: "CFreeType",
            pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"]), .brew(["freetype"])]
        ),
        // Glyph outlines through FreeType, in the shim's conventions; only the training target links it.
        .target(
            name: "CFormVisionFontShim",
            dependencies: ["CFormVisionShim", "CFreeType"]
        ),
        .target(
            name: "FormVisionTraining",
            dependencies: ["FormVision", "CFormVisionShim", "CFormVisionFontShim"]
        ),
        .executableTarget(
            name: "formvision",
            dependencies: [
                "FormVision",
                "FormVisionTraining",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers shared by the test targets: fixtures built in code, reference kernels.
        .target(
            name: "FormVisionTestSupport",
            dependencies: ["FormVision", "FormVisionTraining"],
            path: "Tests/FormVisionTestSupport"
        ),
        .testTarget(
            name: "FormVisionTests",
            dependencies: ["FormVision", "FormVisionTraining", "FormVisionTestSupport"]
        ),
        // Runs the built `formvision` executable and checks its output and exit codes.
        .testTarget(
            name: "FormVisionCLITests",
            dependencies: ["formvision", "FormVision", "FormVisionTraining", "FormVisionTestSupport"]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
