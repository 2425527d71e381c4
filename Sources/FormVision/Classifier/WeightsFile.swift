/// Why a weights file could not be loaded.
public enum WeightsError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooShort(bytes: Int)
    case badMagic
    case unsupportedVersion(found: Int, supported: Int)
    case checksumMismatch
    /// The file's classes, input normalisation or parameter count do not match this network.
    case shapeMismatch(reason: String)
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .tooShort(let bytes): "weights file too short (\(bytes) bytes)"
        case .badMagic: "not a FormVision weights file (bad magic number)"
        case .unsupportedVersion(let found, let supported): "weights file version \(found); this FormVision reads \(supported)"
        case .checksumMismatch: "weights file is corrupt (checksum mismatch)"
        case .shapeMismatch(let reason): "weights file does not fit the network: \(reason)"
        case .unreadableFile(let path, let reason): "cannot read weights \(path): \(reason)"
        }
    }
}

/// The trained network as a small binary file.
///
/// Layout, all integers little-endian:
/// ```
/// 0   magic "FVDN" (4 bytes)
/// 4   version u32 (2)
/// 8   class count u32, then each class name as u8 length + UTF-8 bytes
///     input side u32 (28), digit size u32 (20), ink polarity u32 (1 = ink is high),
///     smallest digit u32 (thousandths of the cell height, 300; see `CellExtractor.Parameters`)
///     temperature f32
///     parameter count u32, then the parameters as f32 in `DigitNetwork.Layout` order
/// end CRC-32 (u32) of every byte before it
/// ```
/// Version 1 lacked the smallest digit: its networks saw specks enlarged to full size, so it is
/// refused rather than read with a different normalisation.
public enum WeightsFile {
    public static let magic: [UInt8] = Array("FVDN".utf8)
    public static let version = 2

    public static func encode(_ network: DigitNetwork) -> [UInt8] {
        var out = magic
        func u32(_ v: Int) { for i in 0 ..< 4 { out.append(UInt8((UInt32(v) >> (8 * UInt32(i))) & 0xFF)) } }
        func f32(_ v: Float) { u32(Int(v.bitPattern)) }
        u32(version)
        u32(DigitClass.allCases.count)
        for c in DigitClass.allCases {
            out.append(UInt8(c.name.utf8.count))
            out += Array(c.name.utf8)
        }
        u32(CellImage.side)
        u32(CellExtractor.Parameters().digitSize)
        u32(1)
        u32(Self.thousandths(CellExtractor.Parameters().smallestDigit))
        f32(network.temperature)
        u32(network.parameters.count)
        for p in network.parameters { f32(p) }
        u32(Int(CRC32.checksum(out)))
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(WeightsError) -> DigitNetwork {
        guard bytes.count >= 12 else { throw .tooShort(bytes: bytes.count) }
        guard Array(bytes[0 ..< 4]) == magic else { throw .badMagic }
        let stored = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
            | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        var reader = Reader(bytes: Array(bytes.dropLast(4)), offset: 4)
        let version = try reader.u32()
        guard version == Self.version else { throw .unsupportedVersion(found: version, supported: Self.version) }
        guard CRC32.checksum(Array(bytes.dropLast(4))) == stored else { throw .checksumMismatch }
        let classCount = try reader.u32()
        var names: [String] = []
        for _ in 0 ..< classCount { names.append(try reader.string()) }
        guard names == DigitClass.allCases.map(\.name) else { throw .shapeMismatch(reason: "classes \(names)") }
        let side = try reader.u32(), digitSize = try reader.u32(), polarity = try reader.u32(), smallest = try reader.u32()
        let expected = CellExtractor.Parameters()
        guard side == CellImage.side, digitSize == expected.digitSize, polarity == 1,
              smallest == Self.thousandths(expected.smallestDigit) else {
            throw .shapeMismatch(reason: "input \(side)×\(side), digit size \(digitSize), polarity \(polarity), smallest digit \(smallest)‰")
        }
        let temperature = try reader.f32()
        let count = try reader.u32()
        guard count == DigitNetwork.Layout.parameterCount else {
            throw .shapeMismatch(reason: "\(count) parameters, the network has \(DigitNetwork.Layout.parameterCount)")
        }
        var parameters = [Float]()
        parameters.reserveCapacity(count)
        for _ in 0 ..< count { parameters.append(try reader.f32()) }
        guard reader.offset == reader.bytes.count else { throw .shapeMismatch(reason: "trailing bytes") }
        guard temperature.isFinite, temperature > 0, parameters.allSatisfy(\.isFinite) else {
            throw .shapeMismatch(reason: "non-finite values")
        }
        return DigitNetwork(parameters: parameters, temperature: temperature)
    }

    static func thousandths(_ fraction: Double) -> Int { Int((fraction * 1000).rounded()) }

    public static func load(contentsOfFile path: String) throws(WeightsError) -> DigitNetwork {
        do {
            return try decode(try FileBytes.read(path, limit: 64 << 20))
        } catch let error as WeightsError {
            throw error
        } catch let error as ImageError {
            throw .unreadableFile(path: path, reason: error.description)
        } catch {
            throw .unreadableFile(path: path, reason: "\(error)")
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var offset: Int

        mutating func take(_ n: Int) throws(WeightsError) -> ArraySlice<UInt8> {
            guard offset + n <= bytes.count else { throw .tooShort(bytes: bytes.count + 4) }
            defer { offset += n }
            return bytes[offset ..< offset + n]
        }

        mutating func u32() throws(WeightsError) -> Int {
            let b = try take(4)
            return b.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        }

        mutating func f32() throws(WeightsError) -> Float { Float(bitPattern: UInt32(try u32())) }

        mutating func string() throws(WeightsError) -> String {
            let n = Int(try take(1).first!)
            return String(decoding: try take(n), as: UTF8.self)
        }
    }
}

/// CRC-32 (ISO 3309, as in PNG and zip), table-driven.
public enum CRC32 {
    static let table: [UInt32] = (0 ..< 256).map { n in
        var c = UInt32(n)
        for _ in 0 ..< 8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}
