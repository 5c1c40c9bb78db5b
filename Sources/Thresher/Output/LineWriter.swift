#if canImport(Glibc)
import Glibc
#endif

/// Buffered output to standard output or to a file that appears only when complete: a file is
/// written under a temporary name beside the target and renamed over it on `commit()`.
public final class LineWriter {
    private let fd: Int32
    private let target: String?
    private let temporary: String?
    private var buffer: [UInt8] = []
    /// A descriptor opened on a non-regular target, closed on `commit()`.
    private var ownsDescriptor = false
    /// The path named in error messages.
    public let name: String
    /// Write each page out as soon as it is given (a pipeline reading our output as we go), rather than
    /// in 64 kB pieces.
    public var eager = false

    /// Writes to standard output.
    public init() {
        fd = STDOUT_FILENO
        target = nil
        temporary = nil
        name = "standard output"
        buffer.reserveCapacity(1 << 16)
    }

    /// Writes to `path` through a temporary file in the same folder.
    public init(path: String) throws {
        // Robustness fix: a target that exists and is not a regular file (`/dev/stdout`, `/dev/full`, a
        // FIFO) is written to directly; the temporary file and rename used to replace the device node
        // itself with a regular file (as root), or fail for want of a writable folder.
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw OutputError(path, String(cString: strerror(errno))) }
            self.fd = fd
            target = nil
            temporary = nil
            name = path
            ownsDescriptor = true
            buffer.reserveCapacity(1 << 16)
            return
        }
        let temporary = TemporaryFiles.name(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path, String(cString: strerror(errno))) }
        TemporaryFiles.register(temporary)
        self.fd = fd
        self.target = path
        self.temporary = temporary
        name = path
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends a line (a newline is added).
    public func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends bytes as they are (whole lines, newlines included, built by the caller).
    public func write<Bytes: Sequence<UInt8>>(bytes: Bytes) throws {
        buffer.append(contentsOf: bytes)
        if eager || buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends text as is.
    public func writeRaw(_ text: String) throws {
        try write(bytes: text.utf8)
    }

    /// Writes out the buffer; a full disk or closed pipe is an error, not a silent loss.
    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                var error = OutputError(name, String(cString: strerror(errno)))
                error.closed = errno == EPIPE
                buffer.removeAll()
                throw error
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Finishes the output: flushes, and for a file, syncs and renames it into place.
    public func commit() throws {
        try flush()
        if ownsDescriptor { ownsDescriptor = false; close(fd) }
        guard let target, let temporary else { return }
        if fsync(fd) != 0 && errno != EINVAL { throw OutputError(target, String(cString: strerror(errno))) }
        close(fd)
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputError(target, reason)
        }
        TemporaryFiles.unregister(temporary)
    }

    /// Writes a whole text to `path` through a temporary file and a rename.
    public static func write(_ text: String, to path: String) throws {
        let writer = try LineWriter(path: path)
        do {
            try writer.writeRaw(text)
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Drops an unfinished file output, leaving any previous file at the target untouched.
    public func abandon() {
        if ownsDescriptor { ownsDescriptor = false; close(fd) }
        guard let temporary else { return }
        close(fd)
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
    }
}

/// An output that could not be written.
public struct OutputError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// The reader of a pipe went away (`| head`): not a failure of ours, the run just ends.
    public var closed = false
    /// The error of writing `path`, for `reason`.
    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): cannot write: \(reason)" }
}
