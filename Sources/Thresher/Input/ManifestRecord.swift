import Foundation

/// One line of a corpus manifest (`../shared/corpus/README.md`): a page file and its gold.
public struct ManifestRecord: Sendable {
    public var id: String
    public var source: String?
    public var split: String?
    public var lang: String?
    /// The page's URL, when the corpus gives it (cross-validation groups pages by its host).
    public var url: String?
    /// The gzipped page, as an absolute path (resolved against the manifest's folder).
    public var htmlPath: String
    public var mainText: String? { (try? goldFields())?.mainText }
    public var commentsText: String? { (try? goldFields())?.commentsText }
    public var blocksGold: [(text: String, label: String)]? { (try? goldFields())?.blocksGold }

    /// The gold fields, parsed with the record, or left in the manifest and read again when the page is.
    ///
    /// Robustness fix (issue 5): a manifest's records used to hold their gold texts from the start, so
    /// `score` over 20,000 manifest pages held 20,000 gold texts (930 MB) before reading any page, and
    /// memory grew with the number of pages. Records read from a manifest file now keep the place of
    /// their line instead (`InputExpander` streams the file).
    private var storage: GoldStorage

    private enum GoldStorage: Sendable {
        case parsed(GoldFields)
        /// The manifest line `length` bytes at `offset` of the file at `path`.
        case line(path: String, offset: Int, length: Int)
    }

    struct GoldFields: Sendable {
        var mainText: String?
        var commentsText: String?
        var blocksGold: [(text: String, label: String)]?
    }

    /// A record from its fields.
    public init(id: String, source: String? = nil, split: String? = nil, lang: String? = nil, htmlPath: String,
                mainText: String? = nil, commentsText: String? = nil, blocksGold: [(text: String, label: String)]? = nil) {
        self.id = id
        self.source = source
        self.split = split
        self.lang = lang
        self.htmlPath = htmlPath
        storage = .parsed(GoldFields(mainText: mainText, commentsText: commentsText, blocksGold: blocksGold))
    }

    /// Parses one manifest line; `base` is the manifest's folder.
    public static func parse(_ line: Substring, base: String, allowOutside: Bool) throws -> ManifestRecord {
        try parse(Data(line.utf8), base: base, allowOutside: allowOutside, location: nil)
    }

    /// Parses one manifest line; with a `location`, the gold stays in the file and is read with the page.
    static func parse(_ line: Data, base: String, allowOutside: Bool, location: (path: String, offset: Int)?) throws -> ManifestRecord {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            throw ManifestError("not a JSON object")
        }
        guard let id = object["id"] as? String, !id.isEmpty else { throw ManifestError("no `id`") }
        guard let html = object["html"] as? String, !html.isEmpty else { throw ManifestError("record \(id) has no `html` path") }
        let path = try resolve(html, base: base, allowOutside: allowOutside)
        var record = ManifestRecord(id: id, source: object["source"] as? String, split: object["split"] as? String,
                                    lang: object["lang"] as? String, htmlPath: path)
        record.url = object["url"] as? String
        if let location {
            record.storage = .line(path: location.path, offset: location.offset, length: line.count)
        } else {
            record.storage = .parsed(goldFields(of: object))
        }
        return record
    }

    static func goldFields(of object: [String: Any]) -> GoldFields {
        var blocksGold: [(text: String, label: String)]?
        if let list = object["blocks_gold"] as? [[String: Any]] {
            blocksGold = list.compactMap { item in
                guard let text = item["text"] as? String, let label = item["label"] as? String else { return nil }
                return (text, label)
            }
        }
        return GoldFields(mainText: object["main_text"] as? String, commentsText: object["comments_text"] as? String,
                          blocksGold: blocksGold)
    }

    /// The gold fields, read again from the manifest when the record keeps only the place of its line.
    func goldFields() throws -> GoldFields {
        switch storage {
        case .parsed(let fields): return fields
        case .line(let path, let offset, let length):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(id, "manifest \(path) cannot be read again") }
            defer { try? handle.close() }
            var line = Data()
            do {
                try handle.seek(toOffset: UInt64(offset))
                line = try handle.read(upToCount: length) ?? Data()
            } catch {
                throw InputError(id, "manifest \(path) cannot be read again: \(error.localizedDescription)")
            }
            guard line.count == length, let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                  object["id"] as? String == id else {
                throw InputError(id, "manifest \(path) changed while it was being read")
            }
            return ManifestRecord.goldFields(of: object)
        }
    }

    /// Resolves a manifest path; it may not leave the manifest's folder unless the user allows it.
    static func resolve(_ path: String, base: String, allowOutside: Bool) throws -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        let standard = URL(fileURLWithPath: joined).standardizedFileURL.path
        let root = URL(fileURLWithPath: base).standardizedFileURL.path
        if !allowOutside && !(standard.hasPrefix(root + "/")) {
            throw ManifestError("path \(path) leaves the manifest's folder (use --allow-outside to permit)")
        }
        return standard
    }

    /// The gold this record carries: inline block labels where given, else its gold texts.
    public var gold: Gold? { try? loadGold() }

    /// The gold, or an error when the manifest line cannot be read again.
    func loadGold() throws -> Gold? { try loadGoldAndMainText().gold }

    /// The gold and the record's `main_text` (which the token metric compares with, also where inline
    /// block labels are the gold), reading the manifest line once.
    func loadGoldAndMainText() throws -> (gold: Gold?, mainText: String?) {
        let fields = try goldFields()
        if let blocksGold = fields.blocksGold { return (.blocks(blocksGold), fields.mainText) }
        if let mainText = fields.mainText { return (.text(main: mainText, comments: fields.commentsText), mainText) }
        return (nil, nil)
    }
}

/// A manifest line that cannot be used.
struct ManifestError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
