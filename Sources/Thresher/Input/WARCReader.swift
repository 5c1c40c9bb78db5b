/// Reads the records of a WARC archive (WARC/1.0 or 1.1; plain, gzip per record, or one gzip member for
/// the whole file) one at a time, keeping in memory only the record being read.
///
/// `response` records with an HTML payload, `resource` records of HTML and `conversion` records of plain
/// text (WET) become pages; every other record is skipped and counted. A damaged record (cut off by the
/// end of the archive, a `Content-Length` that lies, a corrupt gzip member) costs that record only: the
/// reader finds the next `WARC/1.` line, or the next gzip member, and goes on.
public final class WARCReader: IteratorProtocol {
    /// One record's outcome.
    public enum Item {
        case page(StreamedPage)
        /// A record that is not a page; the kind it is counted under (`request`, `metadata`, `non-HTML`...).
        case skipped(String)
        case failed(InputError)
    }

    /// The largest record header read (a header is a few hundred bytes; this bounds a damaged one).
    static let maxHeaderBytes = 1 << 20
    /// Records not wanted in an archive of one gzip member per record are kept in memory up to this size,
    /// and read past in chunks above it.
    static let keptSkipBytes = 1 << 20

    let archive: String
    private let members: GzipMembers
    private var buf: [UInt8] = []
    /// The next unread byte of `buf`, and the decompressed position of `buf[0]`.
    private var head = 0
    private var bufStart = 0
    private var gap: (offset: Int, reason: String, quiet: Bool)?
    private var ended = false
    /// After a failure, until the next good record: bytes that are not a record header are not reported again.
    private var damaged = false

    /// A reader of the archive in `input`, named `archive` in messages and output.
    init(_ input: ByteInput, archive: String) throws {
        self.archive = archive
        members = try GzipMembers(input)
    }

    /// A reader of archive bytes in memory (tests, fuzzing).
    public convenience init(bytes: [UInt8], archive: String) throws {
        try self.init(ByteInput(bytes: bytes, name: archive), archive: archive)
    }

    /// How messages name a record: the archive and the record's offset.
    static func place(_ archive: String, _ offset: Int) -> String { "\(archive) at offset \(offset)" }

    /// Whether bytes (the start of a file, decompressed if gzip) are a WARC archive.
    static func isWARC(_ head: [UInt8]) -> Bool {
        var i = 0
        while i < head.count, head[i] == 0x0D || head[i] == 0x0A { i += 1 }
        return head[i...].starts(with: Array("WARC/1.".utf8))
    }

    /// The next record's outcome, or nil at the end of the archive.
    public func next() -> Item? {
        do { return try readRecord() } catch let error as InputError {
            // A read error of the input itself ends the archive.
            ended = true
            gap = nil
            head = buf.count
            return .failed(error)
        } catch {
            ended = true
            return .failed(InputError(archive, "\(error)"))
        }
    }

    private func readRecord() throws -> Item? {
        while true {
            compact()
            while true {
                while head < buf.count, buf[head] == 0x0D || buf[head] == 0x0A || buf[head] == 0x20 || buf[head] == 0x09 { head += 1 }
                if head < buf.count { break }
                compact()
                if !(try fill()) { break }
            }
            if head == buf.count {
                guard let lost = gap else { return nil }
                gap = nil
                if lost.quiet { continue }
                damaged = true
                return .failed(InputError(WARCReader.place(archive, lost.offset), lost.reason))
            }
            let start = head
            let offset = members.memberOffset(at: bufStart + start) ?? bufStart + start
            let place = WARCReader.place(archive, offset)
            if !(try available(start + 7)), let lost = gap {
                gap = nil
                head = buf.count
                damaged = true
                return .failed(InputError(place, lost.reason))
            }
            guard buf.count >= start + 7, buf[start..<start + 7].elementsEqual("WARC/1.".utf8) else {
                let wasDamaged = damaged
                try fail(resyncFrom: start + 1)
                if wasDamaged { continue }
                return .failed(InputError(place, "no WARC record header here"))
            }
            guard let (headerEnd, blockStart) = try headerEnd(from: start) else {
                return try failed(place, gap?.reason ?? "archive ends inside the record header (truncated)", resyncFrom: start + 1)
            }
            guard let header = WARCHeader.parse(buf[start..<headerEnd]), let length = header.contentLength else {
                return try failed(place, "record without a valid Content-Length", resyncFrom: blockStart)
            }
            return try record(header, length: length, blockStart: blockStart, at: (bufStart + start, offset))
        }
    }

    /// The outcome of a record whose header was read (at decompressed `position`, reported as `offset`): its
    /// block is read (or read past) and checked to end where the next record begins.
    private func record(_ header: WARCHeader, length: Int, blockStart: Int, at record: (position: Int, offset: Int)) throws -> Item {
        let (position, offset) = record
        let place = WARCReader.place(archive, offset)
        let wanted = ["response", "resource", "conversion"].contains(header.type)
        // A record that is not a page is read past in chunks where one gzip member per record shows where it
        // ends; elsewhere it is kept, up to the page cap, so that a false length can be recovered from.
        let perRecordGzip = members.memberOffset(at: position) != nil
        let keeps = length <= (wanted || !perRecordGzip ? PageReader.maxPageBytes : WARCReader.keptSkipBytes)
        if !keeps {
            // Too large to keep: a page over the cap fails, anything else is read past.
            var skippedAs: String? = wanted ? nil : kind(of: header)
            if wanted, try available(blockStart + min(length, 1 << 16)) {
                skippedAs = payloadSkip(header, buf[blockStart..<min(buf.count, blockStart + length)])
            }
            switch try discard(length, from: blockStart, record: position) {
            case .done:
                guard try terminated(at: head) else {
                    return try failed(place, "Content-Length \(length) does not end the record", resyncFrom: head)
                }
            case .cutOff:
                return try failed(place, gap?.reason ?? "archive ends inside the record (truncated)", resyncFrom: buf.count)
            case .lied:
                damaged = true
                return .failed(InputError(place, "Content-Length \(length) runs past the record's gzip member"))
            }
            damaged = false
            if let skippedAs { return .skipped(skippedAs) }
            return .failed(InputError(place, "page too large (\(length >> 20) MiB, the limit is \(PageReader.maxPageBytes >> 20) MiB)"))
        }
        let blockEnd = blockStart + length
        guard try available(blockEnd) else {
            if let lost = gap {
                gap = nil
                head = buf.count
                damaged = true
                return .failed(InputError(place, lost.reason))
            }
            return try failed(place, "archive ends inside the record (truncated, or its Content-Length \(length) runs past the end)",
                              resyncFrom: blockStart)
        }
        guard try terminated(at: blockEnd) else {
            return try failed(place, "Content-Length \(length) does not end the record (no record follows it)", resyncFrom: blockStart)
        }
        head = blockEnd
        damaged = false
        guard wanted else { return .skipped(kind(of: header)) }
        let block = buf[blockStart..<blockEnd]
        if let skippedAs = payloadSkip(header, block) { return .skipped(skippedAs) }
        do {
            return .page(try page(header, block: block, offset: offset))
        } catch let error as InputError {
            return .failed(InputError(place, error.reason))
        }
    }

    /// The kind a skipped record is counted under.
    private func kind(of header: WARCHeader) -> String {
        header.type.isEmpty ? "untyped" : header.type
    }

    /// Why a wanted record is not a page after all (not HTML, not text, an HTTP redirect or error), or nil.
    private func payloadSkip(_ header: WARCHeader, _ block: ArraySlice<UInt8>) -> String? {
        switch header.type {
        case "response":
            guard let response = try? HTTPResponse.parseHead(block, name: archive) else { return nil }
            if !(200..<300).contains(response.status) { return "HTTP \(response.status / 100)xx" }
            if let type = WARCHeader.mediaType(response.contentType), !WARCHeader.isHTML(type) { return "non-HTML" }
            return nil
        case "resource":
            guard let type = WARCHeader.mediaType(header.contentType) else { return nil }
            return WARCHeader.isHTML(type) ? nil : "non-HTML"
        default:
            let type = WARCHeader.mediaType(header.contentType) ?? "text/plain"
            return type == "text/plain" ? nil : "non-text conversion"
        }
    }

    /// The page of a wanted record whose payload is HTML (or WET text).
    private func page(_ header: WARCHeader, block: ArraySlice<UInt8>, offset: Int) throws -> StreamedPage {
        let place = WARCReader.place(archive, offset)
        let id = header.recordID ?? place
        switch header.type {
        case "response":
            let response = try HTTPResponse.parseHead(block, name: place)
            let body = try response.body(of: block, name: place, limit: PageReader.maxPageBytes)
            let declared = WARCHeader.mediaType(response.contentType).map { WARCHeader.isHTML($0) } ?? false
            if !declared && PageReader.sniffFormat(body) != .html {
                // No Content-Type: only what looks like HTML is a page.
                throw InputError(place, "response without a Content-Type that does not look like HTML")
            }
            return StreamedPage(id: id, format: .html, bytes: body, charset: WARCHeader.charset(response.contentType),
                                url: header.targetURI, archive: archive, offset: offset)
        case "resource":
            return StreamedPage(id: id, format: .html, bytes: Array(block), charset: WARCHeader.charset(header.contentType),
                                url: header.targetURI, archive: archive, offset: offset)
        default:
            return StreamedPage(id: id, format: .text, bytes: Array(block), charset: WARCHeader.charset(header.contentType),
                                url: header.targetURI, archive: archive, offset: offset)
        }
    }

    // MARK: Buffer

    /// Drops the bytes before `head`, between records.
    private func compact() {
        guard head > 0 else { return }
        if head == buf.count { buf.removeAll(keepingCapacity: buf.capacity <= 1 << 22) } else { buf.removeFirst(head) }
        bufStart += head
        head = 0
    }

    /// Reads the next decompressed chunk into the buffer; false at a gap or the end.
    private func fill() throws -> Bool {
        guard gap == nil && !ended else { return false }
        switch try members.next() {
        case .bytes(let bytes): buf += bytes; return true
        case .gap(let offset, let reason, let quiet): gap = (offset, reason, quiet); return false
        case .end: ended = true; return false
        }
    }

    /// Whether the buffer holds bytes up to `index`, reading as needed.
    private func available(_ index: Int) throws -> Bool {
        while buf.count < index { if !(try fill()) { return false } }
        return true
    }

    /// The end of the header lines starting at `start` and the start of the block after the empty line.
    private func headerEnd(from start: Int) throws -> (Int, Int)? {
        var i = start
        while true {
            while i + 2 < buf.count {
                if buf[i] == 0x0A {
                    if buf[i + 1] == 0x0A { return (i + 1, i + 2) }
                    if buf[i + 1] == 0x0D && buf[i + 2] == 0x0A { return (i + 1, i + 3) }
                }
                i += 1
            }
            if try i - start > WARCReader.maxHeaderBytes || !fill() { return nil }
        }
    }

    /// Whether a record ends cleanly at `index`: line ends, then another record, a gzip member, or the end.
    private func terminated(at index: Int) throws -> Bool {
        var i = index
        while true {
            while i < buf.count, buf[i] == 0x0D || buf[i] == 0x0A { i += 1 }
            if try i < buf.count || !fill() { break }
        }
        if i == buf.count { return true }
        _ = try available(i + 7)
        return buf[i...].starts(with: "WARC/1.".utf8.prefix(buf.count - i))
    }

    /// How reading past a block ended.
    private enum Discarded { case done, cutOff, lied }

    /// Reads past `length` bytes from `start` without keeping them. In an archive of one gzip member per
    /// record, a member that starts inside the block shows the length lies: reading stops there, at the
    /// next record, so a huge false length does not swallow the records after it.
    private func discard(_ length: Int, from start: Int, record position: Int) throws -> Discarded {
        let perRecord = members.memberOffset(at: position) != nil
        let end = bufStart + start + length
        func nextRecord() -> Int? {
            perRecord ? members.firstStart(after: position, before: min(end, bufStart + buf.count)) : nil
        }
        if let next = nextRecord() { head = next - bufStart; return .lied }
        let have = buf.count - start
        if have >= length { head = start + length; return .done }
        var remaining = length - have
        bufStart += buf.count
        buf.removeAll(keepingCapacity: false)
        head = 0
        while remaining > 0 {
            guard try fill() else { return .cutOff }
            if let next = nextRecord() { head = next - bufStart; return .lied }
            let taken = min(remaining, buf.count)
            remaining -= taken
            if taken == buf.count { buf.removeAll(keepingCapacity: true) } else { buf.removeFirst(taken) }
            bufStart += taken
        }
        return .done
    }

    /// A failed record, reported; the reader resynchronises from `index`.
    private func failed(_ place: String, _ reason: String, resyncFrom index: Int) throws -> Item {
        try fail(resyncFrom: index)
        return .failed(InputError(place, reason))
    }

    /// Moves to the next `WARC/1.` at the start of a line from `index`, or past the gap or to the end.
    private func fail(resyncFrom index: Int) throws {
        damaged = true
        var i = min(index, buf.count)
        let marker = Array("WARC/1.".utf8)
        while true {
            var j = i
            while j + marker.count <= buf.count {
                if buf[j] == 0x57 && (j == 0 || buf[j - 1] == 0x0A) && buf[j..<j + marker.count].elementsEqual(marker) {
                    head = j
                    return
                }
                j += 1
            }
            // Keep the last bytes in the search: a marker may straddle two reads. Bytes searched are dropped,
            // so a long stretch of damage does not fill memory.
            i = max(i, buf.count - marker.count + 1)
            if i > 1 << 20 {
                buf.removeFirst(i - 1)
                bufStart += i - 1
                i = 1
            }
            guard try fill() else {
                // Damage up to a gap is the damage already reported; the next member starts afresh.
                gap = nil
                head = buf.count
                return
            }
        }
    }
}
