/// Why a font file could not be read.
import FormVision
public enum FontError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The bytes are not an OpenType or TrueType font.
    case notAFont
    /// A table every outline font needs is missing (`head`, `cmap`, and `glyf` with `loca` or `CFF `).
    case missingTable(tag: String)
    /// A table is shorter than its own counts and offsets say, or holds an impossible value.
    case malformed(table: String, reason: String)
    /// A valid feature this reader does not handle (CID-keyed CFF, a cmap with no Unicode subtable, …).
    case unsupported(reason: String)
    /// A handwriting font the training data expects is not installed.
    case fontNotInstalled(name: String, path: String, package: String)

    /// A stable snake_case name for the case.
    public var kind: String {
        switch self {
        case .unreadableFile: "unreadable_font_file"
        case .notAFont: "not_a_font"
        case .missingTable: "missing_font_table"
        case .malformed: "malformed_font"
        case .unsupported: "unsupported_font"
        case .fontNotInstalled: "font_not_installed"
        }
    }

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read font \(path): \(reason)"
        case .notAFont: "not an OpenType or TrueType font"
        case .missingTable(let tag): "font has no '\(tag)' table"
        case .malformed(let table, let reason): "malformed font table '\(table)': \(reason)"
        case .unsupported(let reason): "unsupported font: \(reason)"
        case .fontNotInstalled(let name, let path, let package):
            "font \(name) is not installed (\(path)); install the Debian package \(package), or run scripts/setup.sh"
        }
    }
}

/// Big-endian reads from a font table, each checked against the table's end.
struct FontBytes {
    let bytes: [UInt8]
    /// Name of the table being read, for error messages.
    let table: String

    init(_ bytes: [UInt8], table: String) {
        self.bytes = bytes
        self.table = table
    }

    var count: Int { bytes.count }

    func check(_ offset: Int, _ length: Int) throws(FontError) {
        guard offset >= 0, length >= 0, offset <= bytes.count - length else {
            throw .malformed(table: table, reason: "read of \(length) bytes at \(offset) past its end (\(bytes.count))")
        }
    }

    func u8(_ offset: Int) throws(FontError) -> Int {
        try check(offset, 1)
        return Int(bytes[offset])
    }

    func u16(_ offset: Int) throws(FontError) -> Int {
        try check(offset, 2)
        return Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    func i16(_ offset: Int) throws(FontError) -> Int { Int(Int16(truncatingIfNeeded: try u16(offset))) }

    func u32(_ offset: Int) throws(FontError) -> Int {
        try check(offset, 4)
        return Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    /// An unsigned big-endian integer of 1 to 4 bytes (CFF offsets).
    func unsigned(_ offset: Int, size: Int) throws(FontError) -> Int {
        try check(offset, size)
        var value = 0
        for i in 0 ..< size { value = value << 8 | Int(bytes[offset + i]) }
        return value
    }

    func slice(_ offset: Int, _ length: Int, table name: String) throws(FontError) -> FontBytes {
        try check(offset, length)
        return FontBytes(Array(bytes[offset ..< offset + length]), table: name)
    }
}
