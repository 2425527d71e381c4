#!/usr/bin/env bash
# Installs the system libraries FormVision links against, and the pkg-config file
# `formvision-deps.pc` that tells SwiftPM where their headers are and which libraries to link.
#
# Why a pkg-config file of our own: Debian's split OpenCV packages (libopencv-core-dev,
# libopencv-imgproc-dev) ship no opencv4.pc, and OpenCV's headers live in /usr/include/opencv4,
# which is not on the compiler's default search path. A SwiftPM system-library target that names a
# pkg-config file gets its -I and -l flags without `unsafeFlags`, so other packages can depend on
# FormVision by version. The file lists only the OpenCV modules FormVision uses.
#
# Idempotent: installs only what is missing and rewrites the .pc file only when it changes.
# Runs as root on Debian/Ubuntu (uses sudo when available otherwise), or with Homebrew on macOS.
set -euo pipefail

DEBIAN_PACKAGES=(
  pkg-config
  libjpeg62-turbo-dev   # JPEG decoding/encoding (libjpeg API of libjpeg-turbo)
  libpng-dev            # PNG decoding/encoding
  libopencv-core-dev    # cv::Mat and friends
  libopencv-imgproc-dev # warps, resizes, thresholds, contours
  libapriltag-dev       # the reference AprilTag detector for the fiducial markers
  libfreetype-dev       # glyph outlines of the training fonts (the training target only)
  # Handwriting fonts: digit styles for training the classifier and the held-out style test
  # (see Sources/FormVision/Fonts/HandwritingFonts.swift; 20 MB of packages, most of it the
  # Japanese fonts kiloji and yusei-magic, whose Latin digits are handwritten too).
  fonts-dkg-handwriting fonts-breip fonts-humor-sans fonts-rufscript fonts-tomsontalks
  fonts-bwht fonts-comic-neue fonts-sjfonts fonts-dancingscript fonts-havana fonts-kaushanscript
  fonts-ecolier-court fonts-kiloji fonts-kristi fonts-leckerli-one fonts-yusei-magic
  fonts-tlwg-purisa-ttf fonts-joscelyn fonts-lobster
)
# The OpenCV modules the shim calls; keep in step with Sources/CFormVisionShim.
OPENCV_MODULES=(opencv_imgproc opencv_core)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root to run: $*" >&2; exit 1; fi
}

write_pc() { # $1 = directory for the .pc, $2 = OpenCV include dir, $3 = library dir
  local dir=$1 inc=$2 libdir=$3 file="$1/formvision-deps.pc" tmp
  local libs="-L$libdir"
  for m in "${OPENCV_MODULES[@]}"; do libs+=" -l$m"; done
  tmp=$(mktemp)
  cat >"$tmp" <<PC
# Written by FormVision's scripts/setup.sh. The system libraries of FormVision's C shim.
Name: formvision-deps
Description: OpenCV core+imgproc, libjpeg-turbo, libpng and apriltag, as FormVision links them
Version: 1
Requires: libjpeg libpng apriltag
Cflags: -I$inc
Libs: $libs
PC
  if ! cmp -s "$tmp" "$file" 2>/dev/null; then
    as_root mkdir -p "$dir"
    as_root cp "$tmp" "$file"
    as_root chmod 644 "$file"
    echo "setup: wrote $file"
  fi
  rm -f "$tmp"
}

if command -v apt-get >/dev/null; then
  # Debian spells libjpeg-turbo's dev package differently from Ubuntu; both provide libjpeg-dev.
  if ! apt-cache show libjpeg62-turbo-dev >/dev/null 2>&1; then
    DEBIAN_PACKAGES=("${DEBIAN_PACKAGES[@]/libjpeg62-turbo-dev/libjpeg-turbo8-dev}")
  fi
  missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  inc=/usr/include/opencv4
  libdir=$(dirname "$(dpkg -L libopencv-core-dev | grep '/libopencv_core\.so$' | head -n 1)")
  write_pc /usr/local/lib/pkgconfig "$inc" "$libdir"
elif command -v brew >/dev/null; then
  brew list opencv >/dev/null 2>&1 || brew install opencv
  for f in jpeg-turbo libpng apriltag pkg-config; do brew list "$f" >/dev/null 2>&1 || brew install "$f"; done
  prefix=$(brew --prefix)
  write_pc "$prefix/lib/pkgconfig" "$(brew --prefix opencv)/include/opencv4" "$(brew --prefix opencv)/lib"
else
  echo "setup: no apt-get or brew here; install OpenCV 4 (core, imgproc), libjpeg-turbo, libpng and" >&2
  echo "       apriltag by hand and write formvision-deps.pc as this script does." >&2
  exit 1
fi

# Handwritten digits for the corpus generator and the classifier: digits.png (MNIST-derived,
# 2000x1000, 20x20 cells) from Debian's opencv-doc package. Only that one file is extracted; it
# is not committed. The package is fetched into a temporary folder and removed again.
DATA_DIR="$(cd "$(dirname "$0")/.." && pwd)/.formvision-data"
if [ ! -s "$DATA_DIR/digits.png" ]; then
  mkdir -p "$DATA_DIR"
  if [ -s /usr/share/doc/opencv-doc/examples/data/digits.png ]; then
    cp /usr/share/doc/opencv-doc/examples/data/digits.png "$DATA_DIR/digits.png"
  elif command -v apt-get >/dev/null; then
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq opencv-doc >/dev/null 2>&1) || { as_root apt-get update -qq; (cd "$tmp" && apt-get download -qq opencv-doc >/dev/null); }
    dpkg-deb --fsys-tarfile "$tmp"/opencv-doc_*.deb | tar -xO ./usr/share/doc/opencv-doc/examples/data/digits.png >"$DATA_DIR/digits.png.part"
    mv "$DATA_DIR/digits.png.part" "$DATA_DIR/digits.png"
    rm -rf "$tmp"
    echo "setup: extracted digits.png from opencv-doc into $DATA_DIR"
  else
    echo "setup: cannot fetch digits.png here; copy it from OpenCV's samples/data into $DATA_DIR" >&2
  fi
fi

if ! command -v swift >/dev/null; then
  echo "setup: no Swift toolchain on PATH; install Swift 6.1 or later from swift.org" >&2
  exit 1
fi
