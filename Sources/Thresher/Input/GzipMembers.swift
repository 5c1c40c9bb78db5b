import CZlib

/// The decompressed bytes of an archive, read in chunks: as they are, or inflated gzip member by gzip
/// member when the archive is gzip (one member per record, as crawlers write, or one for the whole file).
///
/// A corrupt or truncated member does not end the stream: it becomes a `gap` naming the member's offset,
/// and inflating starts again at the next gzip header, so the WARC reader loses only what that member held.
final class GzipMembers {
    /// What the next read gives.
    enum Chunk {
        case bytes([UInt8])
        /// Bytes lost at `offset` (of the compressed file); `quiet` when the member was only a guess made
        /// while looking for the next header (a header-like pair of bytes inside compressed data).
        case gap(offset: Int, reason: String, quiet: Bool)
        case end
    }

    private let input: ByteInput
    private let isGzip: Bool
    private var raw: [UInt8] = []
    /// Index of the next unread byte of `raw`, and the file offset of `raw[0]`.
    private var used = 0
    private var rawOffset = 0
    private var atEnd = false
    private var stream = z_stream()
    private var inMember = false
    private var memberStart = 0
    private var memberGuessed = false
    /// Looking for the next gzip header after damage, rather than expecting one right here.
    private var scanning = false
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    /// Decompressed bytes handed out so far.
    private(set) var position = 0
    /// Where recent members began: decompressed position to compressed offset.
    private var members: [(position: Int, offset: Int)] = []

    /// A reader over `input`, inflating it when it starts with the gzip magic number.
    init(_ input: ByteInput) throws {
        self.input = input
        isGzip = Gzip.isGzip(try input.peek(2))
        if isGzip {
            guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw InputError(input.name, "zlib could not be initialised")
            }
        }
    }

    deinit {
        if isGzip { inflateEnd(&stream) }
    }

    /// The compressed offset of the gzip member that began at decompressed `position`, if one did.
    func memberOffset(at position: Int) -> Int? {
        members.last { $0.position == position }?.offset
    }

    /// The decompressed position of the first gzip member that began after `position` and before `limit`.
    func firstStart(after position: Int, before limit: Int) -> Int? {
        members.first { $0.position > position && $0.position < limit }?.position
    }

    /// The next chunk of decompressed bytes, a gap, or the end.
    func next() throws -> Chunk {
        guard isGzip else {
            let bytes = try input.read()
            if bytes.isEmpty { return .end }
            position += bytes.count
            return .bytes(Array(bytes))
        }
        while true {
            if used == raw.count {
                if try atEnd || !refill() {
                    if inMember {
                        inMember = false
                        return .gap(offset: memberStart, reason: "truncated gzip member", quiet: memberGuessed)
                    }
                    return .end
                }
            }
            if !inMember {
                if let gap = try startMember() { return gap }
                continue
            }
            if let chunk = try inflateSome() { return chunk }
        }
    }

    /// Reads more compressed bytes, keeping the unread ones; false at the end.
    private func refill() throws -> Bool {
        let more = try input.read()
        if more.isEmpty { atEnd = true; return false }
        rawOffset += used
        raw = Array(raw[used...]) + more
        used = 0
        return true
    }

    /// Begins the member at the next gzip header; a gap when bytes that are not gzip come first.
    private func startMember() throws -> Chunk? {
        // The header test needs three bytes (magic and the deflate method).
        if raw.count - used < 3 && !atEnd {
            if try refill() { return nil }
        }
        if raw.count - used >= 3 && raw[used] == 0x1F && raw[used + 1] == 0x8B && raw[used + 2] == 0x08 {
            inflateReset(&stream)
            inMember = true
            memberGuessed = scanning
            scanning = false
            memberStart = rawOffset + used
            members.append((position, memberStart))
            if members.count > 64 { members.removeFirst(32) }
            return nil
        }
        let start = rawOffset + used
        let wasScanning = scanning
        scanning = true
        // Skip to the next possible header, or to the last two bytes (a header may straddle reads).
        var i = used + 1
        while i + 2 < raw.count && !(raw[i] == 0x1F && raw[i + 1] == 0x8B && raw[i + 2] == 0x08) { i += 1 }
        used = atEnd && i + 2 >= raw.count ? raw.count : i
        return wasScanning ? nil : .gap(offset: start, reason: "bytes that are not gzip between gzip members", quiet: false)
    }

    /// Inflates from the current member: bytes, a gap when the member is corrupt, or nil to read on.
    private func inflateSome() throws -> Chunk? {
        let given = raw.count - used
        let status: Int32 = raw.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress! + used)
                stream.avail_in = uInt(given)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
        }
        used += given - Int(stream.avail_in)
        let produced = output.count - Int(stream.avail_out)
        switch status {
        case Z_STREAM_END:
            inMember = false
        case Z_OK, Z_BUF_ERROR:
            break
        default:
            inMember = false
            scanning = true
            return .gap(offset: memberStart, reason: "corrupt gzip member (bad deflate data or checksum)", quiet: memberGuessed)
        }
        guard produced > 0 else { return nil }
        position += produced
        return .bytes(Array(output[0..<produced]))
    }
}
