import Foundation

/// Where one page comes from; `PageReader` turns it into a `Page`.
public enum PageSource: Sendable {
    /// A page file (`.html`, `.htm`, `.txt`, possibly `.gz`).
    case file(path: String)
    /// A hand-labelled text scrape, `label<TAB>line` per line.
    case labelledScrape(path: String)
    /// A record of a corpus manifest.
    case record(ManifestRecord)
    /// Standard input.
    case standardInput
    /// A page already split and labelled (a labelled-block `.jsonl`).
    case labelled(SegmentedPage)
    /// A page read out of a stream: a WARC record, or a JSONL line of standard input.
    case streamed(StreamedPage)
    /// An input that failed while its stream was read (a damaged WARC record); reading it throws the error.
    case failed(InputError)

    /// The name shown in messages: the record id, else the path.
    public var name: String {
        switch self {
        case .file(let path), .labelledScrape(let path): return path
        case .record(let record): return record.id
        case .standardInput: return "-"
        case .labelled(let page): return page.id
        case .streamed(let page): return page.name
        case .failed(let error): return error.input
        }
    }

    /// The split of a manifest record or labelled page (`train`, `dev`), when known.
    public var split: String? {
        switch self {
        case .record(let record): return record.split
        case .labelled(let page): return page.split
        default: return nil
        }
    }
}

/// Expands command-line inputs (files, folders, manifests, `-`) into page sources, in order.
public struct InputExpander {
    public var allowOutside: Bool
    /// Keep only manifest records and labelled pages of this split (`train`, `dev`); nil keeps all.
    public var split: String?

    /// An expander; see `allowOutside` and `split`.
    public init(allowOutside: Bool = false, split: String? = nil) {
        self.allowOutside = allowOutside
        self.split = split
    }

    /// The page sources of all inputs, and one error for each input (or manifest line) that failed. WARC
    /// archives and standard input are read whole here: `stream` reads them as the batch goes.
    public func expand(_ inputs: [String]) -> (sources: [PageSource], errors: [InputError]) {
        let (stream, errors) = self.stream(inputs)
        return (Array(stream), errors)
    }

    /// The page sources of all inputs as a stream, and one error for each input (or manifest line) that
    /// failed to expand. Files, folders and manifests are listed now; WARC archives (told by their content,
    /// `.warc` and `.warc.gz` whatever it is) and standard input are read record by record as the stream is.
    public func stream(_ inputs: [String]) -> (PageStream, [InputError]) {
        var parts: [PageStream.Part] = []
        var sources: [PageSource] = []
        var errors: [InputError] = []
        func flush() {
            if let split { sources = sources.filter { $0.split == nil || $0.split == split } }
            if !sources.isEmpty { parts.append(.sources(sources)) }
            sources = []
        }
        for input in inputs {
            if input == "-" { flush(); parts.append(.standardInput); continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                errors.append(InputError(input, "no such file or directory"))
                continue
            }
            let files = isDirectory.boolValue ? pageFiles(under: input) : [input]
            for file in files {
                if InputExpander.isArchive(file) { flush(); parts.append(.archive(path: file)); continue }
                do {
                    let (found, failed) = try expandFile(file)
                    sources += found
                    errors += failed
                } catch let error as InputError {
                    errors.append(error)
                } catch {
                    errors.append(InputError(file, "\(error)"))
                }
            }
        }
        flush()
        return (PageStream(parts), errors)
    }

    /// Whether a file is a WARC archive: named `.warc` or `.warc.gz`, or starting (after gunzip) with `WARC/1.`.
    static func isArchive(_ path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".warc") || lower.hasSuffix(".warc.gz") { return true }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".tsv") { return false }
        // Only a regular file is looked into: reading the head of a pipe or device would take it from the page.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? ByteInput(fd: handle.fileDescriptor, name: path).peek(1 << 12)) ?? []
        return WARCReader.isWARC(Gzip.isGzip(head) ? Gzip.prefix(of: head, count: 64) : head)
    }

    /// Files we can read under a folder, walked recursively in sorted order; hidden files skipped.
    func pageFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { enumerator.skipDescendants(); continue }
            let path = folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if exists && !isDirectory.boolValue && InputExpander.isReadable(name) { files.append(path) }
        }
        return files.sorted()
    }

    /// Whether a folder walk takes a file: page and labelled-data files, not annotations (which name pages).
    static func isReadable(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasSuffix(".annotations.tsv") { return false }
        return [".html", ".htm", ".txt", ".html.gz", ".htm.gz", ".txt.gz", ".jsonl", ".tsv", ".warc", ".warc.gz"].contains { lower.hasSuffix($0) }
    }

    /// The pages of one file; bad lines of a manifest come back as errors beside the good records.
    func expandFile(_ path: String) throws -> ([PageSource], [InputError]) {
        let lower = path.lowercased()
        if lower.hasSuffix(".labels.tsv") { return ([.labelledScrape(path: path)], []) }
        if lower.hasSuffix(".annotations.tsv") { throw InputError(path, "is an annotation of pages, not pages: give its folder with --annotations") }
        if lower.hasSuffix(".tsv") {
            guard let data = FileManager.default.contents(atPath: path) else { throw InputError(path, "cannot be read") }
            return LabelledItemFormat.read(data, name: path)
        }
        guard lower.hasSuffix(".jsonl") else { return ([.file(path: path)], []) }
        // Robustness fix (issue 5): a corpus manifest is streamed, and its records keep the place of their
        // line rather than their gold (read again with the page), so memory does not grow with the gold of
        // every page; and only LF, CRLF and CR end a line (a raw U+2028 inside a JSON string used to split
        // a record in two). The other .jsonl formats are read whole, as before.
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(path, "cannot be read") }
        defer { try? handle.close() }
        var reader = ByteLines(fd: handle.fileDescriptor)
        var first = try reader.next(name: path)
        while let line = first, line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { first = try reader.next(name: path) }
        let head = first.map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        let isManifest = !(head.contains("\"block\"") && head.contains("\"label\"")) && !(head.contains("\"lines\"") && head.contains("\"labels\""))
        if isManifest { return try streamManifest(&reader, first: first, path: path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(path, "cannot be read") }
        // JSON lines end at LF (or CRLF); NEL and the Unicode line separators are text inside a string
        // (a CleanEval page's U+0085 once cut a labelled block in two).
        let lines = data.split(separator: 0x0A).map { Substring(String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self)) }
        if let first = lines.first, first.contains("\"block\""), first.contains("\"label\"") {
            return (try LabelledBlockFormat.read(lines, name: path).map { .labelled($0) }, [])
        }
        if let first = lines.first, first.contains("\"lines\""), first.contains("\"labels\"") {
            return LineDocumentFormat.read(lines, name: path)
        }
        return manifestSources(lines, path: path)
    }

    /// The records of a manifest read line by line, each keeping the place of its line for its gold.
    func streamManifest(_ reader: inout ByteLines, first: ByteLines.Line?, path: String) throws -> ([PageSource], [InputError]) {
        let base = (URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path)
        var sources: [PageSource] = []
        var errors: [InputError] = []
        var next = first
        while let line = next {
            if !line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                do {
                    sources.append(.record(try ManifestRecord.parse(Data(line.bytes), base: base, allowOutside: allowOutside,
                                                                    location: (path, line.offset))))
                } catch let error as ManifestError {
                    errors.append(InputError("\(path):\(line.number)", error.reason))
                } catch {
                    errors.append(InputError("\(path):\(line.number)", "\(error)"))
                }
            }
            next = try reader.next(name: path)
        }
        return (sources, errors)
    }

    func manifestSources(_ lines: [Substring], path: String) -> ([PageSource], [InputError]) {
        let base = (URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path)
        var sources: [PageSource] = []
        var errors: [InputError] = []
        for (number, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            do {
                sources.append(.record(try ManifestRecord.parse(line, base: base, allowOutside: allowOutside)))
            } catch let error as ManifestError {
                errors.append(InputError("\(path):\(number + 1)", error.reason))
            } catch {
                errors.append(InputError("\(path):\(number + 1)", "\(error)"))
            }
        }
        return (sources, errors)
    }
}
