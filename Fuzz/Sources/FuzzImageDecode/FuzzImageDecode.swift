import FormVision
import FuzzSupport

/// Image decoding from bytes (JPEG, PNG, EXIF orientation): any bytes give an image within the
/// limits or a typed `ImageError`, never a crash or a read out of bounds. Limits a tenth of the
/// defaults keep each run short.
@_cdecl("FuzzImageDecode_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzImageDecode)
}

func fuzzImageDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let limits = ImageLimits(maxPixels: 4_000_000, maxSide: 8192, maxFileBytes: 16 << 20)
    for (format, reduction) in [(Image.PixelFormat.gray8, DecodeOptions.Reduction.none), (.rgb8, .none), (.gray8, .quarter)] {
        let decoder = ImageDecoder(options: DecodeOptions(pixelFormat: format, reduction: reduction, limits: limits))
        if let image = try? decoder.decode(bytes) {
            precondition(image.width > 0 && image.height > 0 && image.width * image.height <= limits.maxPixels)
            precondition(image.storage.count >= image.height * image.rowStride)
        }
        _ = try? decoder.info(bytes)
    }
    return 0
}
