#!/usr/bin/env bash
# Checks that a separate package can depend on FormVision by version (`from:` a tag) and build.
#
# SwiftPM refuses `unsafeFlags` in a dependency resolved by version, so this catches a target
# that needs them. It clones the current commit into a temporary folder, tags it with the
# library's version there (the real repository is not touched), and builds a small consumer
# package that imports FormVision and reads a bundled sample photo with it.
#
# It also shows that a service linking FormVision does not compile the training and synthesis
# code (the FormVisionTraining target: generator, fonts, trainer): no module of that name may
# appear in the consumer's build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/.*public static let version = "\(.*\)".*/\1/p' "$repo/Sources/FormVision/FormVision.swift")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git clone -q "$repo" "$work/FormVision"
git -C "$work/FormVision" -c user.name=ci -c user.email=ci@localhost tag -a "$version" -m "check $version"

mkdir -p "$work/Consumer/Sources/Consumer"
cat >"$work/Consumer/Package.swift" <<PKG
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v14)],
    dependencies: [.package(url: "file://$work/FormVision", from: "$version")],
    targets: [.executableTarget(name: "Consumer", dependencies: [.product(name: "FormVision", package: "FormVision")])]
)
PKG
sample=$(ls "$repo"/SampleForms/photos/*.jpg | head -n 1)
cat >"$work/Consumer/Sources/Consumer/main.swift" <<'SWIFT'
import Foundation
import FormVision
let path = CommandLine.arguments[1]
let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
let reading = try FormReader().read(FormReader.Photo(name: path, bytes: bytes))
let values = reading.fields.values.compactMap(\.value)
print("FormVision \(FormVision.version): \(reading.template ?? "no template"), \(reading.status), \(values.count) values")
guard reading.template != nil, !values.isEmpty else { exit(1) }
SWIFT
(cd "$work/Consumer" && swift build -q && swift run -q Consumer "$sample")
# Compiled objects and modules only: SwiftPM lays out an empty folder for every target of the
# dependency's plan, built or not, and the checked-out sources hold the target's own folder.
built=$(find "$work/Consumer/.build" -path '*/checkouts' -prune -o \( \( -path '*FormVisionTraining.build/*' -o \
  -path '*CFormVisionFontShim.build/*' \) -name '*.o' \) -print -o -name 'FormVisionTraining.swiftmodule' -print)
if [ -n "$built" ]; then
  echo "$built" >&2
  echo "check-versioned-dependency: the consumer compiled FormVisionTraining" >&2
  exit 1
fi
echo "check-versioned-dependency: OK, a package depending on FormVision from: \"$version\" builds, reads a sample form, and compiles no training code"
