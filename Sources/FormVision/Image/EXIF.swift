/// Reading and writing the one EXIF tag FormVision needs: Orientation (0x0112).
///
/// EXIF lives in a JPEG's APP1 segment: "Exif\0\0", then a TIFF structure (byte order mark,
/// the number 42, the offset of the first directory), whose first directory (IFD0) lists
/// 12-byte entries: tag, type, count, value. Orientation is a SHORT with count 1.
/// Every read is bounds-checked; a damaged EXIF block means "no orientation", not an error,
/// because the pixels themselves are still good.
enum EXIF {
    static let orientationTag: UInt16 = 0x0112
    static let header: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// The orientation a JPEG's EXIF data records, or nil when there is none or it is unreadable.
    ///
    /// Scans the marker segments from SOI up to the first scan (SOS); reads nothing past it.
    /// - Complexity: O(number of segments before the image data).
    static func orientation(inJPEG bytes: UnsafeRawBufferPointer) -> Orientation? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue } // fill byte
            if marker == 0xDA || marker == 0xD9 { return nil } // start of scan / end of image
            if (0xD0 ... 0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return nil }
            if marker == 0xE1 {
                let payload = UnsafeRawBufferPointer(rebasing: bytes[offset + 4 ..< offset + 2 + length])
                if payload.starts(with: header), let found = orientation(inTIFF: UnsafeRawBufferPointer(
                    rebasing: payload[header.count...])) {
                    return found
                }
            }
            offset += 2 + length
        }
        return nil
    }

    /// The Orientation entry of IFD0 in a TIFF structure.
    static func orientation(inTIFF tiff: UnsafeRawBufferPointer) -> Orientation? {
        guard tiff.count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x4D, 0x4D): bigEndian = true  // "MM"
        case (0x49, 0x49): bigEndian = false // "II"
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return bigEndian ? Int(tiff[at]) << 8 | Int(tiff[at + 1]) : Int(tiff[at + 1]) << 8 | Int(tiff[at])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(bigEndian ? at : at + 2), let low = u16(bigEndian ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let directory = u32(4), let count = u16(directory) else { return nil }
        for index in 0 ..< count {
            let entry = directory + 2 + index * 12
            guard let tag = u16(entry) else { return nil }
            guard tag == Int(orientationTag) else { continue }
            guard u16(entry + 2) == 3, let value = u16(entry + 8) else { return nil } // type SHORT
            return Orientation(rawValue: value)
        }
        return nil
    }

    /// An APP1 payload ("Exif\0\0" and a big-endian TIFF block) holding only an Orientation tag.
    static func app1Payload(orientation: Orientation) -> [UInt8] {
        var tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08] // "MM", 42, IFD0 at 8
        tiff += [0x00, 0x01]                                                  // one entry
        tiff += [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]              // 0x0112, SHORT, 1
        tiff += [0x00, UInt8(orientation.rawValue), 0x00, 0x00]               // value, padded
        tiff += [0x00, 0x00, 0x00, 0x00]                                      // no next IFD
        return header + tiff
    }
}
