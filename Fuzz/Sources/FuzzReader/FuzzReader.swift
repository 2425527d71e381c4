import FormVision
import FuzzSupport

/// The whole reader on mutated photos (seeded from SampleForms): any bytes give a reading whose
/// every field is confident, corrected or in review, or an error record; never a crash.
let reader = try! FormReader()

@_cdecl("FuzzReader_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzReader)
}

func fuzzReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let reading = reader.read(FormReader.Photo(name: "fuzz", bytes: bytes))
    precondition(reading.status == .error || !reading.fields.isEmpty || reading.status == .retake)
    return 0
}
