/// Why the geometry pipeline could not locate a form in a photo.
public enum PipelineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The photo could not be decoded or processed.
    case image(ImageError)
    /// The photo is too small for a marker to fit in it, so it cannot show a form.
    case photoTooSmall(width: Int, height: Int, minimumSide: Int)
    /// No marker of any known template was found: probably no form in the photo.
    case markersNotFound(found: Int)
    /// Markers of different templates were found in equal number.
    case ambiguousPage(candidates: [String])
    /// Too few markers of the page were found to place it, and the page border did not help.
    case tooFewMarkers(template: String, found: Int, needed: Int)
    /// The markers found do not agree on one placement of the page (reprojection error in pixels).
    case inconsistentMarkers(template: String, error: Double)
    /// The page's tag was found but too few of its printed corner marks (hidden or cut off).
    case cornerMarksNotFound(template: String, found: Int, needed: Int)

    /// A stable snake_case name for the case.
    public var kind: String {
        switch self {
        case .image(let error): error.kind
        case .photoTooSmall: "photo_too_small"
        case .markersNotFound: "markers_not_found"
        case .ambiguousPage: "ambiguous_page"
        case .tooFewMarkers: "too_few_markers"
        case .inconsistentMarkers: "inconsistent_markers"
        case .cornerMarksNotFound: "corner_marks_not_found"
        }
    }

    public var description: String {
        switch self {
        case .image(let error): error.description
        case .photoTooSmall(let width, let height, let minimumSide):
            "the photo is \(width)×\(height) pixels: too small to hold a form (each side needs at least \(minimumSide))"
        case .markersNotFound(let found):
            "no form markers found (\(found) unrelated tags): is there a C Hasil form in the photo?"
        case .ambiguousPage(let candidates): "markers of several pages found: \(candidates.joined(separator: ", "))"
        case .tooFewMarkers(let template, let found, let needed):
            "only \(found) of the markers of \(template) found, \(needed) needed"
        case .inconsistentMarkers(let template, let error):
            "the markers of \(template) do not agree on the page's position (error \(Int(error.rounded())) px)"
        case .cornerMarksNotFound(let template, let found, let needed):
            "only \(found) of the corner marks of \(template) found, \(needed) needed: is a corner of the page hidden or cut off?"
        }
    }
}

/// Debug images of the pipeline's stages, recorded only when the caller asks for them.
///
/// Pass one in to a stage; with `enabled` false (the default) a stage records nothing and
/// pays nothing, because images are built in closures that are not called.
public struct PipelineTrace: Sendable {
    public let enabled: Bool
    public private(set) var images: [(name: String, image: Image)] = []

    public init(enabled: Bool = false) {
        self.enabled = enabled
    }

    /// Records an image under a name (for example "2-rectified"), building it only if enabled.
    public mutating func record(_ name: String, _ make: () throws(ImageError) -> Image) throws(ImageError) {
        guard enabled else { return }
        images.append((name, try make()))
    }
}
