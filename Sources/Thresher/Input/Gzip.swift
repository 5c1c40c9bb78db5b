import CZlib

/// Decompresses gzip data with zlib.
enum Gzip {
    /// True when the bytes start with the gzip magic number.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates a whole gzip stream (several members allowed); a truncated or corrupted stream throws,
    /// and so does one that inflates to more than `limit` bytes (robustness fix: a gzip bomb of a few
    /// megabytes used to inflate until memory ran out).
    static func decompress(_ input: [UInt8], name: String, limit: Int = Int.max) throws -> [UInt8] {
        // 16 + MAX_WBITS asks zlib for gzip framing.
        try inflate(input, windowBits: 16 + MAX_WBITS, name: name, limit: limit)
    }

    /// Inflates an HTTP `deflate` body: zlib-wrapped as the standard says, or raw deflate as some servers send.
    static func inflateDeflate(_ input: [UInt8], name: String, limit: Int) throws -> [UInt8] {
        let zlibWrapped = input.count >= 2 && input[0] & 0x0F == 8 && (Int(input[0]) << 8 | Int(input[1])) % 31 == 0
        return try inflate(input, windowBits: zlibWrapped ? MAX_WBITS : -MAX_WBITS, name: name, limit: limit)
    }

    /// Inflates with zlib's framing chosen by `windowBits` (gzip, zlib or raw deflate).
    private static func inflate(_ input: [UInt8], windowBits: Int32, name: String, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(name, "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(min(input.count * 4, limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            while true {
                status = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if output.count > limit { throw InputError(name, "page too large (gzip data inflates to over \(limit >> 20) MiB)") }
                if status == Z_STREAM_END {
                    // Concatenated gzip members are valid; anything else after the end is ignored.
                    guard windowBits > MAX_WBITS, stream.avail_in > 0, stream.next_in.pointee == 0x1f else { return }
                    inflateReset(&stream)
                    continue
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw InputError(name, windowBits > MAX_WBITS ? "truncated gzip data" : "truncated deflate data")
                }
                if status != Z_OK {
                    throw InputError(name, "corrupted gzip data (\(status == Z_DATA_ERROR ? "bad deflate stream or checksum" : "zlib error \(status)"))")
                }
            }
        }
        return output
    }

    /// The first `count` bytes that gzip data inflates to (fewer when it is short or damaged): enough to
    /// tell what a gzip stream holds without inflating all of it.
    static func prefix(of input: [UInt8], count: Int) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: count)
        let produced: Int = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                _ = CZlib.inflate(&stream, Z_SYNC_FLUSH)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }
}
