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
    /// Sheets that leave the table: an edge curling up by up to 16 mm, a fold in half that will
    /// not lie flat, seen at up to 30° of tilt. The level to develop and tune bent-sheet
    /// geometry on.
    case bent
    /// The bent level's held-out settings, made to measure bent-sheet geometry and not to tune
    /// it: corners as well as edges curling (up to 20 mm), letters folded in thirds, a bumpy
    /// table, steeper tilt and other ranges. (One of its photos was debugged while registration
    /// was written; README, "Geometry accuracy", says what that changed.)
    case bentHeldOut = "bent-heldout"

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
        case .bent:
            PhotoParameters(
                megapixels: 3 ... 10, fill: 0.55 ... 0.85, rotation: -0.3 ... 0.3, quarterTurnRate: 0.1,
                tilt: 0.15 ... 0.52, focalLength: 0.75 ... 1.1, exifRotationRate: 0.25, lightGradient: 0.1 ... 0.35,
                yellowRate: 0.4, yellowStrength: 0.08 ... 0.2, shadowRate: 0.4, shadowStrength: 0.15 ... 0.35,
                foldRate: 0, maxFolds: 0, foldStrength: 0 ... 0, curlRate: 0, curlAmount: 0 ... 0,
                blurSigma: 0.2 ... 1.0, motionBlurRate: 0.1, motionLength: 2 ... 4, noiseSigma: 2 ... 5,
                jpegQuality: 70 ... 90,
                bending: Bending(curlRate: 0.75, cornerCurlShare: 0, curlHeight: 4 ... 16, curlReach: 30 ... 80,
                                 foldRate: 0.6, foldPanels: [2], foldAngle: 0.02 ... 0.1,
                                 bumpRate: 0, bumps: 0 ... 0, bumpHeight: 0 ... 0, bumpRadius: 20 ... 20))
        case .bentHeldOut:
            PhotoParameters(
                megapixels: 3 ... 12, fill: 0.5 ... 0.85, rotation: -0.5 ... 0.5, quarterTurnRate: 0.1,
                tilt: 0.2 ... 0.66, focalLength: 0.7 ... 1.05, exifRotationRate: 0.25, lightGradient: 0.1 ... 0.4,
                yellowRate: 0.5, yellowStrength: 0.08 ... 0.25, shadowRate: 0.5, shadowStrength: 0.15 ... 0.4,
                foldRate: 0, maxFolds: 0, foldStrength: 0 ... 0, curlRate: 0, curlAmount: 0 ... 0,
                blurSigma: 0.2 ... 1.2, motionBlurRate: 0.15, motionLength: 2 ... 5, noiseSigma: 2 ... 6,
                jpegQuality: 65 ... 90,
                bending: Bending(curlRate: 0.7, cornerCurlShare: 0.5, curlHeight: 6 ... 20, curlReach: 25 ... 90,
                                 foldRate: 0.6, foldPanels: [2, 3], foldAngle: 0.02 ... 0.13,
                                 bumpRate: 0.5, bumps: 1 ... 3, bumpHeight: 2 ... 6, bumpRadius: 15 ... 50))
        }
    }
}

/// The ranges a sheet's lifting off the table is drawn from (`PhotoPlan.Lift`).
public struct Bending: Sendable, Equatable {
    /// How often an edge or a corner curls up, and of those how many at a corner.
    public var curlRate: Double
    public var cornerCurlShare: Double
    /// The curl's height at the sheet's edge or corner, mm, and how far in from it the paper
    /// leaves the table, mm.
    public var curlHeight: ClosedRange<Double>
    public var curlReach: ClosedRange<Double>
    /// How often the sheet was folded; into how many panels (2 in half, 3 in thirds, drawn from
    /// the list); the angle at which each outer panel rises from its crease, radians.
    public var foldRate: Double
    public var foldPanels: [Int]
    public var foldAngle: ClosedRange<Double>
    /// How often the table under the sheet is bumpy, how many bumps, their height (mm) and
    /// radius (σ, mm).
    public var bumpRate: Double
    public var bumps: ClosedRange<Int>
    public var bumpHeight: ClosedRange<Double>
    public var bumpRadius: ClosedRange<Double>
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
    /// How the sheet lifts off the table in three dimensions; nil: it lies on it.
    public var bending: Bending? = nil
}
