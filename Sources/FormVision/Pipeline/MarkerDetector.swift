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
        /// libapriltag's quad decimation on the shrunk image, when its longer side is at least
        /// `decimateFromLongSide`: quads are found on an image of half the side (a quarter of
        /// the pixels, half of a photo's reading time saved), and their corners are then refined
        /// on the undecimated image, so corner accuracy is kept. Measured on fresh `phone` and
        /// `hard` corpora (README, "Quad decimation and accuracy"): the same pages identified
        /// and the same box error as without decimation.
        public var decimate = 2.0
        /// Below this longer side (pixels of the image handed to libapriltag) the quads are
        /// found undecimated: a small photo's markers are too few pixels to halve. At 1,000 px
        /// (0.7 MP `hard` photos) decimation lost markers and misplaced a page; from 1,150 px
        /// (1 MP) on it changed nothing. 1,600 keeps a margin over both.
        public var decimateFromLongSide = 1600
        /// libapriltag's blur before quad detection, pixels. Noise is averaged away by shrinking.
        public var sigma = 0.0
        /// libapriltag's bit-image sharpening (its default).
        public var sharpening = 0.25
        /// Bit errors corrected. One tolerates a blot on a marker; two raises false detections.
        public var maxHamming = 1
        /// The tag families to look for (at most `FV_APRILTAG_MAX_FAMILIES`, 4), in one pass.
        public var families = ["tag36h11"]

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// The shortest side, in pixels of the image handed to libapriltag, that can hold a marker:
    /// a tag36h11 marker with its white border is 10 cells wide, and a cell needs a pixel. It is
    /// also a floor for libapriltag itself, which thresholds in tiles of 4 pixels and reads out of
    /// bounds on an image narrower than one tile (a 1×1 photo, or a 10×10000 strip shrunk to 2 px).
    public static let smallestDetectableSide = 10

    /// The size of the image that detection runs on: the photo shrunk to `detectionLongSide`.
    public func detectionSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let long = max(width, height)
        guard long > parameters.detectionLongSide else { return (width, height) }
        let factor = Double(long) / Double(parameters.detectionLongSide)
        return (max(1, Int((Double(width) / factor).rounded())), max(1, Int((Double(height) / factor).rounded())))
    }

    /// The smallest side a photo may have for `detect` to look for markers in it.
    ///
    /// A photo so elongated that its shrunk copy's shorter side falls under
    /// `smallestDetectableSide` holds no marker either.
    public func canHoldMarkers(width: Int, height: Int) -> Bool {
        let size = detectionSize(width: width, height: height)
        return min(size.width, size.height) >= Self.smallestDetectableSide
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
        // Too small for any marker; libapriltag must not see it (see `smallestDetectableSide`).
        guard canHoldMarkers(width: photo.width, height: photo.height) else { return [] }
        var image = photo
        var factor = 1.0
        let size = detectionSize(width: photo.width, height: photo.height)
        if size.width != photo.width || size.height != photo.height {
            var small = Image(width: size.width, height: size.height, format: .gray8)
            try _Shim.resizeArea(photo, into: &small)
            factor = Double(photo.width) / Double(small.width)
            image = small
        }
        let decimate = max(image.width, image.height) >= parameters.decimateFromLongSide ? parameters.decimate : 1
        guard !parameters.families.isEmpty else { return [] }
        // One pass for every family: the quads are found once and decoded against each.
        func detect(decimate: Double) throws(ImageError) -> [_Shim.AprilTagDetection] {
            try _Shim.detectAprilTags(image, families: parameters.families, decimate: decimate, sigma: parameters.sigma,
                                      refineEdges: true, sharpening: parameters.sharpening, maxHamming: parameters.maxHamming)
        }
        var found = try detect(decimate: decimate)
        // Nothing at all: a page with one small tag (C.HASIL-PPWP) in a coarse photo may have
        // lost it to decimation. One more pass at full resolution, paid only by such photos.
        if found.isEmpty && decimate > 1 { found = try detect(decimate: 1) }
        return found.map { tag in
            DetectedMarker(family: tag.family, id: tag.id, corners: Self.cornerOrder.map { tag.corners[$0] * factor },
                           decisionMargin: tag.decisionMargin, hamming: tag.hamming)
        }
    }
}
