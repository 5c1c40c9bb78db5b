/// Recognises bytes that are not a web page at all (images, PDFs, archives, executables).
enum BinarySniffer {
    static let signatures: [(bytes: [UInt8], kind: String)] = [
        ([0x89, 0x50, 0x4E, 0x47], "PNG image"), (Array("%PDF".utf8), "PDF document"), (Array("GIF8".utf8), "GIF image"),
        ([0xFF, 0xD8, 0xFF], "JPEG image"), ([0x50, 0x4B, 0x03, 0x04], "ZIP archive"), ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
        (Array("RIFF".utf8), "RIFF media"), ([0x1F, 0x8B], "gzip data inside gzip"),
    ]

    /// A name for the kind of binary data, or nil when the bytes may be text.
    static func kind(of bytes: [UInt8]) -> String? {
        // A UTF-16 page is full of NULs but has a byte-order mark.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return nil }
        for signature in signatures where bytes.starts(with: signature.bytes) { return signature.kind }
        let head = bytes.prefix(4096)
        let control = head.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C && $0 != 0x1B }.count
        return control * 10 > head.count ? "binary data" : nil
    }
}
