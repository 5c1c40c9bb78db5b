import Foundation

/// Pages given inline on a JSONL stream (standard input): one `{"id", "html"}` or `{"id", "text"}` object
/// per line, with an optional `url`. Lines are read as they come, so a pipe can feed pages one at a time.
struct JSONLPages: IteratorProtocol {
    private var lines: ByteLines
    private var failed = false

    init(_ lines: ByteLines) {
        self.lines = lines
        self.lines.maxLine = PageReader.maxPageBytes
    }

    mutating func next() -> PageSource? {
        guard !failed else { return nil }
        do {
            while let line = try lines.next(name: "-") {
                if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                return JSONLPages.source(line)
            }
            return nil
        } catch let error as InputError {
            failed = true
            return .failed(error)
        } catch {
            failed = true
            return .failed(InputError("-", "\(error)"))
        }
    }

    /// The page of one line, or the reason it is not one.
    static func source(_ line: ByteLines.Line) -> PageSource {
        let place = "-:\(line.number)"
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.bytes)), let record = object as? [String: Any] else {
            return .failed(InputError(place, "not a JSON object"))
        }
        let id: String
        switch record["id"] {
        case let text as String: id = text
        case let number as NSNumber: id = number.stringValue
        default: return .failed(InputError(place, "no \"id\""))
        }
        let url = record["url"] as? String
        if let html = record["html"] as? String {
            return .streamed(StreamedPage(id: id, format: .html, bytes: Array(html.utf8), charset: "utf-8", url: url))
        }
        if let text = record["text"] as? String {
            return .streamed(StreamedPage(id: id, format: .text, bytes: Array(text.utf8), charset: "utf-8", url: url))
        }
        return .failed(InputError("\(place) (\(id))", "no \"html\" or \"text\" string"))
    }
}
