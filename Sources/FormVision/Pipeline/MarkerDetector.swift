/// A fiducial marker found in a photo.
public struct DetectedMarker: Sendable, Equatable, Codable {
    public var family: String
    public var id: Int
    /// Corners of the black square in photo pixels, in the order top-left, top-right,
    /// bottom-right, bottom-left of the upright tag (so they also give its rotation).
    public var corners: [Point]
    /// libapriltag's decoding margin: higher is a clearer decode.
    public var decisionMargin: Double
    /// Bit errors corrected.
    public var hamming: Int

    public var center: Point { corners.reduce(.zero, +) / 4 }
}

/// Stage 1: finds the AprilTag markers in a gray photo, with libapriltag.
public struct MarkerDetector: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// The photo is shrunk (by area averaging) until its longer side is at most this many
        /// pixels before detection. A 12 mm marker on a page that fills half of a 2 MP photo is
        /// still about 30 px wide at 2000, enough for tag36h11's 10 cells; larger photos are
        /// shrunk to save time.
        public var detectionLongSide = 2000
        /// libapriltag's quad decimation on the shrunk image (1 keeps small markers).
        public var decimate = 1.0
        /// libapriltag's blur before quad detection, pixels. Noise is averaged away by shrinking.
        public var sigma = 0.0
        /// libapriltag's bit-image sharpening (its default).
        public var sharpening = 0.25
        /// Bit errors corrected. One tolerates a blot on a marker; two raises false detections.
        public var maxHamming = 1
        /// The tag families to look for.
        public var families = ["tag36h11"]

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// libapriltag lists corners bottom-left, bottom-right, top-right, top-left of the upright
    /// tag; this is the permutation to top-left, top-right, bottom-right, bottom-left.
    static let cornerOrder = [3, 2, 1, 0]

    /// Finds markers.
    ///
    /// - Parameter photo: A gray photo.
    /// - Returns: Every marker found, in photo pixels.
    public func detect(in photo: Image) throws(ImageError) -> [DetectedMarker] {
        guard photo.format == .gray8 else { throw .invalidImage(reason: "marker detection needs a gray image") }
        let long = max(photo.width, photo.height)
        var image = photo
        var factor = 1.0
        if long > parameters.detectionLongSide {
            factor = Double(long) / Double(parameters.detectionLongSide)
            var small = Image(width: max(1, Int((Double(photo.width) / factor).rounded())),
                              height: max(1, Int((Double(photo.height) / factor).rounded())), format: .gray8)
            try _Shim.resizeArea(photo, into: &small)
            factor = Double(photo.width) / Double(small.width)
            image = small
        }
        var markers: [DetectedMarker] = []
        for family in parameters.families {
            let found = try _Shim.detectAprilTags(
                image, family: family, decimate: parameters.decimate, sigma: parameters.sigma, refineEdges: true,
                sharpening: parameters.sharpening, maxHamming: parameters.maxHamming)
            for tag in found {
                let corners = Self.cornerOrder.map { tag.corners[$0] * factor }
                markers.append(DetectedMarker(family: family, id: tag.id, corners: corners,
                                              decisionMargin: tag.decisionMargin, hamming: tag.hamming))
            }
        }
        return markers
    }
}
