import FormVision
import FuzzSupport

/// The weights file: any bytes give a network whose outputs are probabilities, or a typed
/// `WeightsError`.
@_cdecl("FuzzWeightsFile_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzWeightsFile)
}

func fuzzWeightsFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let network = try? WeightsFile.decode(bytes) else { return 0 }
    let p = network.probabilities([Float](repeating: 0.5, count: 784), count: 1)
    precondition(p.count == 12)
    return 0
}
