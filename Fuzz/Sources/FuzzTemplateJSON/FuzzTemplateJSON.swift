import FormVision
import FuzzSupport

/// Template and form-set JSON: any bytes give a validated template or a typed `TemplateError`.
@_cdecl("FuzzTemplateJSON_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzTemplateJSON)
}

func fuzzTemplateJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? TemplateJSON.template(from: bytes)
    _ = try? TemplateJSON.formSet(from: bytes)
    return 0
}
