/// A page whose bytes came out of a stream rather than a file of its own: a record of a WARC archive, or
/// a `{"id", "html"}` / `{"id", "text"}` line of standard input. The bytes are raw (gzip and charset
/// still to undo), so the reading thread only frames records and the workers decode them.
public struct StreamedPage: Sendable {
    /// The page id: the record's `WARC-Record-ID`, or the line's `id`.
    public var id: String
    /// HTML or text when the stream says which; nil to sniff it from the bytes.
    public var format: Page.Format?
    public var bytes: [UInt8]
    /// The charset the stream declares (HTTP `Content-Type`), tried before the page's own `<meta>`.
    public var charset: String?
    /// `WARC-Target-URI`, or the line's `url`.
    public var url: String?
    /// The archive's name (its path, or `-`) and the record's offset in it, for WARC records.
    public var archive: String?
    public var offset: Int?

    /// A page from its bytes and what the stream says about it.
    public init(id: String, format: Page.Format?, bytes: [UInt8], charset: String? = nil, url: String? = nil,
                archive: String? = nil, offset: Int? = nil) {
        self.id = id
        self.format = format
        self.bytes = bytes
        self.charset = charset
        self.url = url
        self.archive = archive
        self.offset = offset
    }

    /// How messages name the page: the archive and offset for a WARC record (where to find it), else the id.
    public var name: String {
        guard let archive, let offset else { return id }
        return WARCReader.place(archive, offset)
    }
}
