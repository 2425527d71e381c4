import Foundation

extension DigitNetwork {
    /// The trained network shipped with FormVision (`Resources/digit-network.fvdn`), checked
    /// against its checksum when loaded.
    public static func bundled() throws(WeightsError) -> DigitNetwork {
        guard let url = Bundle.module.url(forResource: "digit-network", withExtension: "fvdn") else {
            throw .unreadableFile(path: "digit-network.fvdn", reason: "not in FormVision's resource bundle")
        }
        return try WeightsFile.load(contentsOfFile: url.path)
    }
}
