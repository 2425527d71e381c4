import ArgumentParser
import FormVision
import FormVisionTraining

/// The reader's decoding parameters, for measuring them (`eval`) or overriding them (`read`).
/// Defaults are `StationDecoder.Parameters` and `JointDecoder.Parameters`.
struct DecoderOptions: ParsableArguments {
    @Option(help: "ε, the floor under every class probability (default \(StationDecoder.Parameters().floor)).")
    var floor: Double?

    @Option(help: "k: a photo's ε is max(floor, k × its mean box uncertainty) (default \(StationDecoder.Parameters().floorPerUncertainty), off).")
    var floorPerUncertainty: Double?

    @Option(help: "The posterior a value needs to be confident or corrected (default \(StationDecoder.Parameters().confidence)).")
    var confidence: Double?

    @Option(help: "The posterior a field no equality checks needs (default \(StationDecoder.Parameters().classifierOnlyConfidence)).")
    var classifierOnlyConfidence: Double?

    @Option(help: "Uniqueness check: class probabilities below this count as equally unlikely (default \(StationDecoder.Parameters().uniquenessCut); 0 turns the check off).")
    var uniquenessCut: Double?

    @Option(help: "Cut search branches below this fraction of the best assignment (default \(JointDecoder.Parameters().pruneRatio)).")
    var pruneRatio: Double?

    @Option(help: "Search nodes per station at most, the uniqueness check's included (default \(JointDecoder.Parameters().nodeBudget)).")
    var nodeBudget: Int?

    func validate() throws {
        if let floor, !(0 ..< 1).contains(floor) { throw ValidationError("--floor must be in [0, 1)") }
        if let confidence, !(0 ... 1).contains(confidence) { throw ValidationError("--confidence must be in [0, 1]") }
        if let pruneRatio, !(0 ..< 1).contains(pruneRatio) { throw ValidationError("--prune-ratio must be in [0, 1)") }
        if let nodeBudget, nodeBudget < 1 { throw ValidationError("--node-budget must be positive") }
    }

    var decoder: StationDecoder {
        var parameters = StationDecoder.Parameters()
        if let floor { parameters.floor = floor }
        if let confidence { parameters.confidence = confidence }
        if let classifierOnlyConfidence { parameters.classifierOnlyConfidence = classifierOnlyConfidence }
        if let uniquenessCut { parameters.uniquenessCut = uniquenessCut }
        if let floorPerUncertainty { parameters.floorPerUncertainty = floorPerUncertainty }
        var search = JointDecoder.Parameters()
        if let pruneRatio { search.pruneRatio = pruneRatio }
        if let nodeBudget { search.nodeBudget = nodeBudget }
        return StationDecoder(parameters: parameters, decoder: JointDecoder(parameters: search))
    }
}
