import FormVision

/// Why a font file could not be read.
public enum FontError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// FreeType does not read the bytes as a font (not a font at all, or one too damaged to open).
    case notAFont
    /// FreeType opened the font but could not load a glyph's outline from it.
    case malformed(reason: String)
    /// A font FreeType reads but whose glyphs are not outlines (a bitmap font).
    case unsupported(reason: String)
    /// A handwriting font the training data expects is not installed.
    case fontNotInstalled(name: String, path: String, package: String)

    /// A stable snake_case name for the case.
    public var kind: String {
        switch self {
        case .unreadableFile: "unreadable_font_file"
        case .notAFont: "not_a_font"
        case .malformed: "malformed_font"
        case .unsupported: "unsupported_font"
        case .fontNotInstalled: "font_not_installed"
        }
    }

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read font \(path): \(reason)"
        case .notAFont: "not a font FreeType can read"
        case .malformed(let reason): "malformed font: \(reason)"
        case .unsupported(let reason): "unsupported font: \(reason)"
        case .fontNotInstalled(let name, let path, let package):
            "font \(name) is not installed (\(path)); install the Debian package \(package), or run scripts/setup.sh"
        }
    }
}
