import FormVision

/// How hard the simulated photo conditions are.
public enum PhotoLevel: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    /// Flat and clean, like a scanner or a phone held square above the page in good light.
    case scan
    /// A typical phone photo: some tilt and rotation, a table or wall behind, uneven light.
    case phone
    /// Everything at once, still readable by a person: steep angles, any rotation, shadows,
    /// folds, curl, yellow light, blur, noise, low JPEG quality.
    case hard

    public var description: String { rawValue }

    /// The ranges each effect is drawn from at this level.
    public var parameters: PhotoParameters {
        switch self {
        case .scan:
            PhotoParameters(
                megapixels: 2 ... 6, fill: 0.86 ... 0.94, rotation: -0.02 ... 0.02, quarterTurnRate: 0,
                tilt: 0 ... 0.03, focalLength: 1.1 ... 1.4, exifRotationRate: 0, lightGradient: 0 ... 0.05,
                yellowRate: 0, yellowStrength: 0 ... 0, shadowRate: 0, shadowStrength: 0 ... 0, foldRate: 0,
                maxFolds: 0, foldStrength: 0 ... 0, curlRate: 0, curlAmount: 0 ... 0, blurSigma: 0 ... 0.35,
                motionBlurRate: 0, motionLength: 0 ... 0, noiseSigma: 0.5 ... 1.5, jpegQuality: 88 ... 95)
        case .phone:
            PhotoParameters(
                megapixels: 3 ... 12, fill: 0.6 ... 0.9, rotation: -0.14 ... 0.14, quarterTurnRate: 0.1,
                tilt: 0 ... 0.22, focalLength: 0.8 ... 1.2, exifRotationRate: 0.25, lightGradient: 0.05 ... 0.25,
                yellowRate: 0.35, yellowStrength: 0.05 ... 0.18, shadowRate: 0.3, shadowStrength: 0.15 ... 0.35,
                foldRate: 0.4, maxFolds: 1, foldStrength: 0.3 ... 0.8, curlRate: 0.3, curlAmount: 0.5 ... 2.5,
                blurSigma: 0 ... 0.9, motionBlurRate: 0.1, motionLength: 2 ... 4, noiseSigma: 1.5 ... 4,
                jpegQuality: 72 ... 92)
        case .hard:
            PhotoParameters(
                megapixels: 2 ... 12, fill: 0.5 ... 0.92, rotation: -Double.pi ... Double.pi, quarterTurnRate: 0,
                tilt: 0.1 ... 0.45, focalLength: 0.7 ... 1.1, exifRotationRate: 0.3, lightGradient: 0.15 ... 0.45,
                yellowRate: 0.6, yellowStrength: 0.12 ... 0.3, shadowRate: 0.7, shadowStrength: 0.25 ... 0.5,
                foldRate: 0.8, maxFolds: 2, foldStrength: 0.6 ... 1.4, curlRate: 0.5, curlAmount: 1.5 ... 4.5,
                blurSigma: 0.4 ... 1.6, motionBlurRate: 0.3, motionLength: 3 ... 7, noiseSigma: 3 ... 7,
                jpegQuality: 60 ... 82)
        }
    }
}

/// The ranges a simulated photo's conditions are drawn from. Units are given per field.
public struct PhotoParameters: Sendable, Equatable {
    /// Photo size in megapixels (4:3 frames).
    public var megapixels: ClosedRange<Double>
    /// The page's longer projected extent as a fraction of the frame's matching side.
    public var fill: ClosedRange<Double>
    /// In-plane rotation of the page, radians.
    public var rotation: ClosedRange<Double>
    /// How often the page also lies a quarter or half turn round (phone level).
    public var quarterTurnRate: Double
    /// Tilt of the page plane away from the camera, radians.
    public var tilt: ClosedRange<Double>
    /// Focal length as a multiple of the frame's longer side (a phone's main camera is about 0.8–1.2).
    public var focalLength: ClosedRange<Double>
    /// How often the pixels are stored sideways with an EXIF orientation tag, as phones do.
    public var exifRotationRate: Double
    /// Brightness change across the frame, as a fraction.
    public var lightGradient: ClosedRange<Double>
    /// How often the light is yellow (indoor bulbs), and how yellow (blue reduced by this fraction).
    public var yellowRate: Double
    public var yellowStrength: ClosedRange<Double>
    /// How often a soft shadow falls across the page, and how dark it is (fraction of light removed).
    public var shadowRate: Double
    public var shadowStrength: ClosedRange<Double>
    /// How often the paper was folded, the most creases, and the crease's strength (mm of
    /// displacement per 100 mm beyond it, and its shading).
    public var foldRate: Double
    public var maxFolds: Int
    public var foldStrength: ClosedRange<Double>
    /// How often an edge of the paper curls up, and by how many mm at the edge.
    public var curlRate: Double
    public var curlAmount: ClosedRange<Double>
    /// Defocus blur, Gaussian sigma in pixels of a 12 MP frame (scaled with the frame).
    public var blurSigma: ClosedRange<Double>
    /// How often the camera moved, and the length of the motion streak in pixels of a 12 MP frame.
    public var motionBlurRate: Double
    public var motionLength: ClosedRange<Double>
    /// Sensor noise, standard deviation in 8-bit levels.
    public var noiseSigma: ClosedRange<Double>
    /// JPEG quality.
    public var jpegQuality: ClosedRange<Int>
}
