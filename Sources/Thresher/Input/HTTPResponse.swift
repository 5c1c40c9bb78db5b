import Foundation

/// An HTTP response as a WARC `response` record holds it: status line, headers, and the body with its
/// transfer coding (chunked) and content coding (gzip, deflate) undone.
struct HTTPResponse {
    var status: Int
    /// Header names lowercased; a repeated header keeps its first value.
    var headers: [String: String]
    /// Where the body starts in the record's block.
    var bodyStart: Int

    var contentType: String? { headers["content-type"] }

    /// The status line and headers at the start of `block`; an error naming `name` when they are not HTTP.
    static func parseHead(_ block: ArraySlice<UInt8>, name: String) throws -> HTTPResponse {
        guard block.starts(with: Array("HTTP/".utf8)) else { throw InputError(name, "the response record does not hold an HTTP response") }
        let base = block.startIndex
        var end = base
        var bodyStart: Int?
        // The head ends at the first empty line (CRLF CRLF, or LF LF from lax servers).
        while end < block.endIndex {
            if block[end] == 0x0A {
                if end + 1 < block.endIndex && block[end + 1] == 0x0A { bodyStart = end + 2; break }
                if end + 2 < block.endIndex && block[end + 1] == 0x0D && block[end + 2] == 0x0A { bodyStart = end + 3; break }
            }
            end += 1
        }
        let headEnd = bodyStart ?? block.endIndex
        let lines = String(decoding: block[base..<headEnd], as: UTF8.self)
            .split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        guard let statusLine = lines.first else { throw InputError(name, "empty HTTP response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw InputError(name, "bad HTTP status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            if headers[name] == nil { headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return HTTPResponse(status: status, headers: headers, bodyStart: (bodyStart ?? block.endIndex) - base)
    }

    /// The body of `block` (this response's record block) decoded: chunks joined, then gzip or deflate
    /// undone; at most `limit` bytes. Throws an `InputError` naming `name` when the body cannot be decoded.
    func body(of block: ArraySlice<UInt8>, name: String, limit: Int) throws -> [UInt8] {
        var body = Array(block.dropFirst(bodyStart))
        let transfer = headers["transfer-encoding"]?.lowercased() ?? ""
        // Some archivers store the body already de-chunked but keep the header: de-chunk only what looks chunked.
        if transfer.contains("chunked"), HTTPResponse.looksChunked(body) {
            body = try HTTPResponse.dechunk(body, name: name)
        }
        for coding in (headers["content-encoding"] ?? "").lowercased().split(separator: ",").reversed() {
            switch coding.trimmingCharacters(in: .whitespaces) {
            case "gzip", "x-gzip":
                // Some archivers store the body already decoded but keep the header.
                if Gzip.isGzip(body) { body = try Gzip.decompress(body, name: name, limit: limit) }
            case "deflate":
                body = try Gzip.inflateDeflate(body, name: name, limit: limit)
            case "identity", "":
                break
            case let other:
                throw InputError(name, "unsupported HTTP content encoding \"\(other)\"")
            }
        }
        return body
    }

    /// Whether bytes start like a chunked body: a hex size, optional extensions, CRLF.
    static func looksChunked(_ body: [UInt8]) -> Bool {
        var i = 0
        while i < body.count, i < 16, hexValue(body[i]) != nil { i += 1 }
        return i > 0 && i < body.count && (body[i] == 0x0D || body[i] == 0x0A || body[i] == 0x3B || body[i] == 0x20)
    }

    /// The chunks of a chunked body joined; a body cut off inside its chunks keeps what arrived, as
    /// browsers do with a truncated capture.
    static func dechunk(_ body: [UInt8], name: String) throws -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < body.count {
            var size = 0, digits = 0
            while i < body.count, let value = hexValue(body[i]) {
                guard digits < 15 else { throw InputError(name, "bad chunked HTTP body (chunk size too large)") }
                size = size * 16 + value
                digits += 1
                i += 1
            }
            guard digits > 0 else { throw InputError(name, "bad chunked HTTP body (no chunk size)") }
            // Skip chunk extensions up to the end of the size line.
            while i < body.count && body[i] != 0x0A { i += 1 }
            i += 1
            if size == 0 { break }
            let end = min(body.count, i + size)
            if i < end { out += body[i..<end] }
            i = end
            // The CRLF after the chunk's data.
            if i < body.count && body[i] == 0x0D { i += 1 }
            if i < body.count && body[i] == 0x0A { i += 1 }
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }
}
