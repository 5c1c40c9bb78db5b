#if canImport(Glibc)
import Glibc
#endif

/// Decides a page's character encoding and turns its bytes into valid UTF-8.
///
/// Order: byte-order mark; a `<meta charset>` or `http-equiv` declaration anywhere in the head; is it
/// (essentially) valid UTF-8; else windows-1252. Legacy Latin labels mean windows-1252, as WHATWG says,
/// and valid UTF-8 wins over a contradicting legacy label because servers and templates mislabel often.
public enum Charset {
    /// Decodes raw page bytes to a String, with NUL bytes removed (a NUL ends libxml2's parse);
    /// `declared` is a charset named outside the page (HTTP `Content-Type`), taken before its `<meta>`.
    public static func decode(_ bytes: [UInt8], sniffHTML: Bool, declared: String? = nil) -> String {
        var text = decodeBytes(bytes, sniffHTML: sniffHTML, declared: declared)
        // memchr on the bytes first: scanning the String for NUL costs more than the parse's tokenizer.
        let hasNUL = bytes.withUnsafeBytes { $0.isEmpty ? false : memchr($0.baseAddress!, 0, $0.count) != nil }
        if hasNUL { text.removeAll { $0 == "\0" } }
        return text
    }

    static func decodeBytes(_ bytes: [UInt8], sniffHTML: Bool, declared: String? = nil) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes[3...], as: UTF8.self) }
        if bytes.starts(with: [0xFF, 0xFE]) { return decodeUTF16(bytes[2...], littleEndian: true) }
        if bytes.starts(with: [0xFE, 0xFF]) { return decodeUTF16(bytes[2...], littleEndian: false) }
        let label = declared ?? (sniffHTML ? declaredLabel(bytes) : nil)
        let utf8 = utf8Evidence(bytes)
        if utf8.looksLikeUTF8 { return String(decoding: bytes, as: UTF8.self) }
        switch label.map(canonical) {
        case nil, "windows-1252"?, "utf-8"?, "utf-16"?:
            return decodeWindows1252(bytes)
        case let other?:
            return iconvDecode(bytes, from: other) ?? decodeWindows1252(bytes)
        }
    }

    /// WHATWG-style canonical name of an encoding label (only the labels that change our decision).
    static func canonical(_ label: String) -> String {
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        case "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "ascii", "us-ascii", "cp1252",
             "windows-1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100", "unset", "":
            return "windows-1252"
        case "utf-16", "utf-16le", "utf-16be", "unicode": return "utf-16"  // a <meta> cannot really mean it
        default: return label
        }
    }

    struct UTF8Evidence {
        var multiByte = 0
        var invalid = 0
        /// Valid UTF-8, or UTF-8 with a few stray bytes among real multi-byte characters (windows-1252
        /// text almost never forms valid multi-byte sequences by accident).
        var looksLikeUTF8: Bool { invalid == 0 || multiByte >= 2 * invalid }
    }

    /// Counts well-formed multi-byte sequences and invalid bytes.
    static func utf8Evidence(_ bytes: [UInt8]) -> UTF8Evidence {
        var evidence = UTF8Evidence()
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i < n {
                // Skip ASCII eight bytes at a time: most of a page is markup.
                while i + 8 <= n && UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                guard i < n else { break }
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let length: Int
                if c >= 0xC2 && c <= 0xDF { length = 2 } else if c >= 0xE0 && c <= 0xEF { length = 3 } else if c >= 0xF0 && c <= 0xF4 { length = 4 } else { length = 0 }
                var ok = length > 0 && i + length <= n
                if ok {
                    for k in 1..<length where b[i + k] & 0xC0 != 0x80 { ok = false; break }
                }
                if ok && length == 3 {
                    let c1 = b[i + 1]
                    if (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) { ok = false }
                }
                if ok && length == 4 {
                    let c1 = b[i + 1]
                    if (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) { ok = false }
                }
                if ok { evidence.multiByte += 1; i += length } else { evidence.invalid += 1; i += 1 }
            }
        }
        return evidence
    }

    /// The charset named by a `<meta>` in the head, read from the raw bytes before any decoding.
    static func declaredLabel(_ bytes: [UInt8]) -> String? {
        let body = find("<body", in: bytes, from: 0) ?? bytes.count
        var i = 0
        while let start = find("<meta", in: bytes, from: i), start < body {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ">") { end += 1 }
            if let value = charsetValue(bytes[start..<end]) { return value }
            i = end
        }
        return nil
    }

    static func charsetValue(_ tag: ArraySlice<UInt8>) -> String? {
        let tagBytes = tag.map(lowercased)
        guard let at = firstIndex(of: Array("charset".utf8), in: tagBytes) else { return nil }
        var i = at + 7
        let skipped: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: "\""), UInt8(ascii: "'")]
        while i < tagBytes.count && skipped.contains(tagBytes[i]) { i += 1 }
        var value = [UInt8]()
        while i < tagBytes.count {
            let c = tagBytes[i]
            let isNameByte = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x3A || c == 0x2E
            if !isNameByte { break }
            value.append(c)
            i += 1
        }
        return value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    @inline(__always) static func lowercased(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Case-insensitive search for an ASCII needle that starts with `<` (given in lower case) in raw
    /// bytes; memchr finds the candidates.
    static func find(_ needle: String, in haystack: [UInt8], from: Int) -> Int? {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { b -> Int? in
            let base = b.baseAddress!
            let last = b.count - needle.count
            var i = from
            while i <= last {
                guard let hit = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var k = 1
                while k < needle.count && lowercased(b[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return i }
                i += 1
            }
            return nil
        }
    }

    /// The 0x80-0x9F row of windows-1252; the rest of the byte range maps to the same code point.
    static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func decodeWindows1252(_ bytes: [UInt8]) -> String {
        // Straight into UTF-8 bytes: appending scalars to a String one at a time was 12% of `extract`.
        var utf8 = [UInt8]()
        utf8.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b < 0x80 {
                utf8.append(b)
                continue
            }
            let code = b <= 0x9F ? cp1252High[Int(b) - 0x80] : UInt32(b)
            if code < 0x800 {
                utf8 += [UInt8(0xC0 | code >> 6), UInt8(0x80 | code & 0x3F)]
            } else {
                utf8 += [UInt8(0xE0 | code >> 12), UInt8(0x80 | code >> 6 & 0x3F), UInt8(0x80 | code & 0x3F)]
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    static func decodeUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String {
        var units = [UInt16]()
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// Converts from any other declared charset with glibc's iconv; nil when iconv does not know it.
    static func iconvDecode(_ bytes: [UInt8], from label: String) -> String? {
        let cd = iconv_open("UTF-8//IGNORE", label)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        var input = bytes
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                while inLeft > 0 {
                    if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                        // Skip an undecodable byte and go on, as a browser shows a replacement character.
                        if errno == EILSEQ || errno == EINVAL, inLeft > 0 { inPtr! += 1; inLeft -= 1; continue }
                        break
                    }
                }
                return outBuf.count - outLeft
            }
        }
        return String(decoding: output[0..<produced], as: UTF8.self)
    }
}
