#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files into memory with typed errors, through POSIX calls.
///
/// The size is checked against a limit before the file is read, so a huge file is never loaded.
package enum FileBytes {
    /// Bytes read per `read(2)` call when the size is not known in advance (a pipe).
    package static let chunkSize = 1 << 20

    /// The bytes of the file at `path`.
    ///
    /// - Parameter limit: The largest file to read, in bytes.
    /// - Throws: `.fileNotFound`, `.unreadableFile` (permissions, a directory, an I/O error),
    ///   `.fileTooLarge`.
    package static func read(_ path: String, limit: Int) throws(ImageError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR || path.isEmpty { throw .fileNotFound(path: path) }
            throw .unreadableFile(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw .unreadableFile(path: path, reason: "it is a directory")
        }
        let isRegular = (status.st_mode & S_IFMT) == S_IFREG
        let expected = isRegular ? Int(status.st_size) : 0
        if expected > limit { throw .fileTooLarge(path: path, bytes: expected, limit: limit) }

        var bytes = [UInt8]()
        bytes.reserveCapacity(isRegular ? expected : chunkSize)
        var chunk = [UInt8](repeating: 0, count: min(chunkSize, max(expected, 1) + 1))
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            if bytes.count + count > limit {
                throw .fileTooLarge(path: path, bytes: bytes.count + count, limit: limit)
            }
            bytes.append(contentsOf: chunk[0 ..< count])
        }
        return bytes
    }
}
