/// A small, fast, deterministic random number generator (SplitMix64).
///
/// Everything generated from a seed (stations, handwriting, photos) draws from one of these,
/// so the same seed gives the same numbers and the same pixels on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for a named sub-stream, so that adding draws to one part of a generator
    /// does not shift the numbers of another part.
    public func derived(_ label: String) -> SeededGenerator {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 // FNV-1a
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var copy = self
        return SeededGenerator(seed: copy.next() ^ hash)
    }

    /// The first number of a named sub-stream: a seed for something else.
    public func derivedSeed(_ label: String) -> UInt64 {
        var stream = derived(label)
        return stream.next()
    }

    /// A uniform Double in the range.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0 ..< 1, using: &self) < p }

    /// A normal deviate (Box–Muller).
    public mutating func normal(mean: Double = 0, deviation: Double = 1) -> Double {
        let u1 = max(Double.random(in: 0 ..< 1, using: &self), 1e-300)
        let u2 = Double.random(in: 0 ..< 1, using: &self)
        return mean + deviation * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
