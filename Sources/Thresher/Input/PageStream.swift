import Foundation

/// The page sources of command-line inputs, in input order, produced as they are read: WARC archives and
/// standard input are read record by record while the batch works, so a large archive or an endless
/// pipe never has to be held (or even listed) whole. Not thread-safe: one caller at a time (`Batch` locks).
public final class PageStream: Sequence, IteratorProtocol, @unchecked Sendable {
    /// One input's share of the stream.
    enum Part {
        /// Sources already known (files, folders, manifests).
        case sources([PageSource])
        /// A WARC archive file, read when its turn comes.
        case archive(path: String)
        /// Standard input: a WARC stream, a JSONL stream of pages, or one page.
        case standardInput
    }

    private var parts: ArraySlice<Part>
    private var current: AnyIterator<PageSource>?
    /// Records of the archives read that were not pages, by kind (`request`, `metadata`, `non-HTML`...).
    public private(set) var skipped: [String: Int] = [:]

    init(_ parts: [Part]) {
        self.parts = parts[...]
    }

    /// The skipped records in a few words (`3 request, 2 metadata`), or nil when none were.
    public var skippedSummary: String? {
        guard !skipped.isEmpty else { return nil }
        let total = skipped.values.reduce(0, +)
        let kinds = skipped.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return "\(total) records skipped (\(kinds.joined(separator: ", ")))"
    }

    /// The next source in input order, reading the current archive or standard input as far as it needs.
    public func next() -> PageSource? {
        while true {
            if let source = current?.next() { return source }
            current = nil
            guard let part = parts.popFirst() else { return nil }
            switch part {
            case .sources(let sources): current = AnyIterator(sources.makeIterator())
            case .archive(let path): current = archive(path)
            case .standardInput: current = standardInput()
            }
        }
    }

    /// The records of an archive file, as sources; skipped records are counted here.
    private func archive(_ path: String) -> AnyIterator<PageSource> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return AnyIterator([PageSource.failed(InputError(path, "cannot be read"))].makeIterator())
        }
        do {
            return records(try WARCReader(ByteInput(fd: handle.fileDescriptor, name: path), archive: path), closing: handle)
        } catch let error as InputError {
            return AnyIterator([PageSource.failed(error)].makeIterator())
        } catch {
            return AnyIterator([PageSource.failed(InputError(path, "\(error)"))].makeIterator())
        }
    }

    private func records(_ reader: WARCReader, closing handle: FileHandle?) -> AnyIterator<PageSource> {
        AnyIterator { [unowned self] in
            while let item = reader.next() {
                switch item {
                case .page(let page): return .streamed(page)
                case .failed(let error): return .failed(error)
                case .skipped(let kind): self.skipped[kind, default: 0] += 1
                }
            }
            try? handle?.close()
            return nil
        }
    }

    /// Standard input, told apart by its first bytes: a WARC archive (plain or gzip), a JSONL stream of
    /// `{"id", "html"}` / `{"id", "text"}` records (its first character is `{`), or else one page.
    private func standardInput() -> AnyIterator<PageSource> {
        let input = ByteInput(fd: STDIN_FILENO, name: "-")
        do {
            // Read only as far as the decision needs: a pipe may hold back its next bytes for a long time.
            var head = try input.peek(1)
            var kind = PageStream.kind(of: head)
            while kind == nil {
                let more = try input.peek(head.count + 1)
                kind = more.count == head.count || more.count >= 1 << 12 ? .page : PageStream.kind(of: more)
                head = more
            }
            switch kind {
            case .warc?: return records(try WARCReader(input, archive: "-"), closing: nil)
            case .jsonl?: return AnyIterator(JSONLPages(ByteLines(input: input)))
            default:
                let bytes = try PageReader.readCapped(input, name: "-")
                return AnyIterator([PageSource.streamed(StreamedPage(id: "-", format: nil, bytes: bytes))].makeIterator())
            }
        } catch let error as InputError {
            return AnyIterator([PageSource.failed(error)].makeIterator())
        } catch {
            return AnyIterator([PageSource.failed(InputError("-", "\(error)"))].makeIterator())
        }
    }

    enum StreamKind { case warc, jsonl, page }

    /// What a stream starting with `head` holds, or nil when more bytes are needed to tell.
    static func kind(of head: [UInt8]) -> StreamKind? {
        let marker = Array("WARC/1.".utf8)
        var bytes = head
        if Gzip.isGzip(head) {
            bytes = Gzip.prefix(of: head, count: 64)
            if bytes.count < 16 { return nil }
        }
        guard let first = bytes.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return bytes.isEmpty || bytes.count < 64 ? nil : .page }
        if bytes[first] == UInt8(ascii: "{") { return .jsonl }
        let rest = bytes[first...]
        if rest.count < marker.count { return marker.starts(with: rest) ? nil : .page }
        return rest.starts(with: marker) ? .warc : .page
    }
}
