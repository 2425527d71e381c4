#!/usr/bin/env bash
# Checks that a separate package can depend on FormVision by version (`from:` a tag) and build.
#
# SwiftPM refuses `unsafeFlags` in a dependency resolved by version, so this catches a target
# that needs them. It clones the current commit into a temporary folder, tags it with the
# library's version there (the real repository is not touched), and builds a small consumer
# package that imports FormVision and prints its version.
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
cat >"$work/Consumer/Sources/Consumer/main.swift" <<'SWIFT'
import FormVision
let image = Image(width: 4, height: 4, fill: 200)
let png = try ImageEncoder.png(image)
let decoded = try ImageDecoder().decode(png)
print("FormVision \(FormVision.version): decoded \(decoded.width)x\(decoded.height) through the shim")
SWIFT
(cd "$work/Consumer" && swift build -q && swift run -q Consumer)
echo "check-versioned-dependency: OK, a package depending on FormVision from: \"$version\" builds and runs"
