/// FormVision reads phone photos of Indonesian election tally forms (the KPU "C Hasil" forms)
/// into numbers that can be trusted.
///
/// The library is a chain of small stages that take a value and return a new one. This file
/// holds what belongs to the library as a whole.
public enum FormVision {
    /// The library's version, following semantic versioning. The CLI prints it for `--version`.
    public static let version = "0.1.0"
}
