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
        var stream = z_stream()
        // 16 + MAX_WBITS asks zlib for gzip framing.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
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
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if output.count > limit { throw InputError(name, "page too large (gzip data inflates to over \(limit >> 20) MiB)") }
                if status == Z_STREAM_END {
                    // Concatenated gzip members are valid; anything else after the end is ignored.
                    guard stream.avail_in > 0, stream.next_in.pointee == 0x1f else { return }
                    inflateReset(&stream)
                    continue
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw InputError(name, "truncated gzip data")
                }
                if status != Z_OK {
                    throw InputError(name, "corrupted gzip data (\(status == Z_DATA_ERROR ? "bad deflate stream or checksum" : "zlib error \(status)"))")
                }
            }
        }
        return output
    }
}
