import FormVisionTestSupport
@testable import FormVision
@testable import FormVisionTraining

/// A photo of a template's printed page, made by the photo simulator with a chosen pose: what
/// the geometry tests measure against the plan that made it.
enum SimulatedPhoto {
    /// - Parameters:
    ///   - paint: Draws on the rendered page (its pixels, and the render's px per mm) before it
    ///     is photographed: a thumb over a mark, a pen stroke, a blackened bubble.
    static func make(_ template: FormTemplate, level: PhotoLevel, seed: UInt64, megapixels: Double, rotation: Double,
                     tilt: Double, tiltDirection: Double, fill: Double, lifts: [PhotoPlan.Lift] = [],
                     paint: (inout Image, Double) throws -> Void = { _, _ in }) throws -> (Image, PhotoPlan) {
        var g = SeededGenerator(seed: seed)
        let simulator = PhotoSimulator()
        var plan = simulator.plan(level: level, pageSize: template.pageSize, megapixels: megapixels, using: &g)
        let (homography, lift) = simulator.pose(pageSize: template.pageSize, frame: (plan.width, plan.height), rotation: rotation,
                                                tilt: tilt, tiltDirection: tiltDirection, focal: 1.0 * Double(plan.height),
                                                fill: fill, using: &g)
        plan.pageToPhoto = homography
        plan.liftVector = lift
        plan.lifts = lifts
        simulator.keepInFrame(&plan)
        let dpi = plan.suggestedDPI
        var page = try PageRenderer().render(template, dpi: dpi)
        try paint(&page, PageRenderer.scale(dpi: dpi))
        return (try simulator.render(plan, page: page, dpi: dpi), plan)
    }
}
