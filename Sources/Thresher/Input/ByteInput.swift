#if canImport(Glibc)
import Glibc
#endif

/// Raw bytes read in chunks from a file descriptor (after any bytes already peeked at), or from memory;
/// the bottom layer of the streaming readers, which never hold a whole archive.
final class ByteInput {
    private let fd: Int32?
    private var memory: [UInt8]
    private var memoryStart = 0
    let name: String

    /// Reads `fd` to its end, after `prefix` (bytes already taken from it to sniff the format).
    init(fd: Int32, prefix: [UInt8] = [], name: String) {
        self.fd = fd
        self.memory = prefix
        self.name = name
    }

    /// Reads the bytes of `bytes` (tests, the fuzz target).
    init(bytes: [UInt8], name: String) {
        self.fd = nil
        self.memory = bytes
        self.name = name
    }

    /// Up to `limit` next bytes; empty at the end.
    func read(limit: Int = 1 << 16) throws -> ArraySlice<UInt8> {
        if memoryStart < memory.count {
            let end = min(memory.count, memoryStart + limit)
            defer {
                memoryStart = end
                if memoryStart == memory.count { memory = []; memoryStart = 0 }
            }
            return memory[memoryStart..<end]
        }
        guard let fd else { return [] }
        var chunk = [UInt8](repeating: 0, count: limit)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw InputError(name.isEmpty ? "input" : name, "read failed: \(String(cString: strerror(errno)))") }
            return chunk[0..<count]
        }
    }

    /// At least the first `count` bytes (fewer at the end; more when a read brings more), kept to be read
    /// again: how formats are sniffed. Waits only for the bytes asked for, so a pipe is not held up.
    func peek(_ count: Int) throws -> [UInt8] {
        var head = Array(memory[memoryStart...])
        // `read` gives what is kept first: take it out, so that what follows comes from the descriptor.
        memory = []
        memoryStart = 0
        while head.count < count {
            let more = try read(limit: max(count - head.count, 1 << 12))
            if more.isEmpty { break }
            head += more
        }
        memory = head
        memoryStart = 0
        return head
    }
}
