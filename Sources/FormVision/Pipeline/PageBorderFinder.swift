/// Finds the outline of the sheet of paper: the fallback when markers are hidden.
///
/// Paper is brighter than most tables and walls, so the photo is shrunk, thresholded by Otsu's
/// method, and the large convex four-sided outlines are the candidates.
public struct PageBorderFinder: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// The photo is shrunk to this longer side first; the outline needs no detail.
        public var longSide = 1000
        /// Contour simplification tolerance, as a fraction of the contour's perimeter.
        public var epsilonFraction = 0.02
        /// Smallest outline, as a fraction of the photo (the page fills at least 40 % of a side,
        /// so at least about 10 % of the area).
        public var minimumAreaFraction = 0.08

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Candidate outlines in photo pixels, largest first.
    public func find(in gray: Image) throws(ImageError) -> [[Point]] {
        let long = max(gray.width, gray.height)
        var small = gray
        if long > parameters.longSide {
            let factor = Double(long) / Double(parameters.longSide)
            small = Image(width: max(1, Int(Double(gray.width) / factor)), height: max(1, Int(Double(gray.height) / factor)),
                          format: .gray8)
            try _Shim.resizeArea(gray, into: &small)
        }
        let (sx, sy) = (Double(gray.width) / Double(small.width), Double(gray.height) / Double(small.height))
        let quads = try _Shim.findQuadrilaterals(small, threshold: nil, epsilonFraction: parameters.epsilonFraction,
                                                 minimumAreaFraction: parameters.minimumAreaFraction)
        return quads.map { $0.map { Point($0.x * sx, $0.y * sy) } }
    }
}
