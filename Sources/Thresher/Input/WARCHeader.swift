import Foundation

/// The named fields of a WARC record header (WARC/1.0 and WARC/1.1), and what the reader does with the record.
struct WARCHeader {
    var version: String
    /// Field names lowercased; a repeated field keeps its first value.
    var fields: [String: String] = [:]

    var type: String { fields["warc-type"]?.lowercased() ?? "" }
    var recordID: String? { fields["warc-record-id"] }
    var targetURI: String? { fields["warc-target-uri"].map { $0.hasPrefix("<") && $0.hasSuffix(">") ? String($0.dropFirst().dropLast()) : $0 } }
    var contentType: String? { fields["content-type"] }
    /// `Content-Length`, or nil when it is missing or not a number.
    var contentLength: Int? { fields["content-length"].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil } }

    /// Parses the header lines (the version line first, CRLF or LF line ends); nil when they are not a WARC header.
    static func parse(_ bytes: ArraySlice<UInt8>) -> WARCHeader? {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        guard let first = lines.first, first.hasPrefix("WARC/1.") else { return nil }
        var header = WARCHeader(version: String(first))
        lines.removeFirst()
        var last: String?
        for line in lines {
            // A line that starts with white space continues the field before it.
            if let first = line.first, first == " " || first == "\t", let last {
                header.fields[last, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            if header.fields[name] == nil {
                header.fields[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            last = name
        }
        return header
    }

    /// The media type of a `Content-Type` value, lowercased, without parameters.
    static func mediaType(_ value: String?) -> String? {
        guard let value else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type.isEmpty ? nil : type
    }

    /// The `charset` parameter of a `Content-Type` value, lowercased and unquoted.
    static func charset(_ value: String?) -> String? {
        guard let value else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2 && pair[0].lowercased() == "charset" {
                let name = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
                return name.isEmpty ? nil : name
            }
        }
        return nil
    }

    /// Whether a media type is HTML.
    static func isHTML(_ type: String) -> Bool {
        type == "text/html" || type == "application/xhtml+xml" || type.hasSuffix("+html")
    }
}
