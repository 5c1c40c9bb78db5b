#if canImport(Glibc)
import Glibc
#endif

/// Temporary files being written, so that an interrupt (SIGINT, SIGTERM) can remove them before exit
/// and never leave a half-written file behind.
public enum TemporaryFiles {
    /// Paths as C strings, kept alive for the signal handler, which may not allocate.
    nonisolated(unsafe) private static var paths: [UnsafeMutablePointer<CChar>] = []
    private static let lock = Mutex()

    /// A temporary name beside `path`, unique to this process.
    static func name(for path: String) -> String {
        "\(path).tmp-\(getpid())"
    }

    static func register(_ path: String) {
        lock.locked { paths.append(strdup(path)) }
    }

    static func unregister(_ path: String) {
        lock.locked {
            if let index = paths.firstIndex(where: { String(cString: $0) == path }) {
                free(paths.remove(at: index))
            }
        }
    }

    /// Removes the temporary files and exits on SIGINT and SIGTERM, as the shell expects (128 + signal).
    public static func installSignalHandlers() {
        for signal in [SIGINT, SIGTERM] {
            Glibc.signal(signal) { received in
                for path in TemporaryFiles.paths { unlink(path) }
                _exit(128 + received)
            }
        }
    }
}
