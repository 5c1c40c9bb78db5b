import Foundation

/// The labelled-block JSON Lines format: one block per line, readable and editable by hand.
///
/// Fields: `page`, `block`, `label`, `text`, then the structure the features need: `format`, `tag`,
/// `path`, `depth`, `element_tokens`, `ancestor_tokens`, `outer_tokens`, `link_chars`, `containers` (numbers of the
/// element and its three nearest non-inline ancestors), `signatures` (hexadecimal hashes of the same
/// elements' tag and class), and `source`/`split`/`url` when known.
/// Counts of characters and words are derived from `text` on reading, so an edited text stays consistent.
public enum LabelledBlockFormat {
    /// One line for one block of a page (labels may be nil for unlabelled output).
    public static func line(page: SegmentedPage, block: Block, label: Label?) -> String {
        var bytes: [UInt8] = []
        append(page: page, block: block, label: label, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the line of one block, without its newline, to a byte buffer.
    public static func append(page: SegmentedPage, block: Block, label: Label?, to out: inout [UInt8]) {
        out.append(0x7B)
        var first = true
        func key(_ name: String) {
            if !first { out.append(0x2C) }
            first = false
            JSON.append(raw: "\"" + name + "\":", to: &out)
        }
        key("page"); JSON.append(string: page.id, to: &out)
        JSON.append(raw: page.originFields, to: &out)
        key("block"); JSON.append(raw: String(block.index), to: &out)
        if let label { key("label"); JSON.append(string: label.rawValue, to: &out) }
        key("text"); JSON.append(string: block.text, to: &out)
        key("format"); JSON.append(string: page.format.rawValue, to: &out)
        key("tag"); JSON.append(string: block.tag, to: &out)
        key("path"); JSON.append(string: block.path, to: &out)
        key("depth"); JSON.append(raw: String(block.depth), to: &out)
        key("element_tokens"); JSON.append(array: block.elementTokens, to: &out)
        key("ancestor_tokens"); JSON.append(array: block.ancestorTokens, to: &out)
        key("outer_tokens"); JSON.append(array: block.outerTokens, to: &out)
        key("chars"); JSON.append(raw: String(block.chars), to: &out)
        key("words"); JSON.append(raw: String(block.words), to: &out)
        key("link_chars"); JSON.append(raw: String(block.linkChars), to: &out)
        key("containers"); JSON.append(raw: "[" + block.containers.map(String.init).joined(separator: ",") + "]", to: &out)
        key("signatures"); JSON.append(array: block.signatures.map { String($0, radix: 16) }, to: &out)
        if let source = page.source { key("source"); JSON.append(string: source, to: &out) }
        if let split = page.split { key("split"); JSON.append(string: split, to: &out) }
        // A page from an archive has its url among the origin fields already.
        if let url = page.url, page.archive == nil { key("url"); JSON.append(string: url, to: &out) }
        out.append(0x7D)
    }

    /// Reads labelled blocks back into pages, in the order pages first appear; blocks of a page are
    /// ordered by their `block` index.
    public static func read(_ lines: [Substring], name: String) throws -> [SegmentedPage] {
        var pages: [SegmentedPage] = []
        var pageIndex: [String: Int] = [:]
        var rows: [[(Int, Block, Label)]] = []
        for (number, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let place = "\(name):\(number + 1)"
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw InputError(place, "not a JSON object")
            }
            guard let page = object["page"] as? String, let index = object["block"] as? Int,
                  let text = object["text"] as? String else {
                throw InputError(place, "needs `page`, `block` and `text`")
            }
            guard let labelName = object["label"] as? String else { throw InputError(place, "no `label`") }
            guard let label = Label.named(labelName) else { throw InputError(place, "unknown label \"\(labelName)\"") }
            let format = Page.Format(rawValue: object["format"] as? String ?? "html") ?? .html
            let block = Block(text: text, tag: object["tag"] as? String ?? (format == .text ? "line" : "p"),
                              path: object["path"] as? String ?? "", depth: object["depth"] as? Int ?? 0,
                              elementTokens: object["element_tokens"] as? [String] ?? [],
                              ancestorTokens: object["ancestor_tokens"] as? [String] ?? [],
                              outerTokens: object["outer_tokens"] as? [String] ?? [],
                              linkChars: object["link_chars"] as? Int ?? 0, containers: object["containers"] as? [Int] ?? [],
                              signatures: (object["signatures"] as? [String] ?? []).compactMap { UInt64($0, radix: 16) },
                              index: index)
            if pageIndex[page] == nil {
                pageIndex[page] = pages.count
                pages.append(SegmentedPage(id: page, source: object["source"] as? String, split: object["split"] as? String,
                                           format: format, blocks: [], labels: []))
                // The url keeps a page's site, which cross-validation folds by.
                pages[pages.count - 1].url = object["url"] as? String
                rows.append([])
            }
            rows[pageIndex[page]!].append((index, block, label))
        }
        for p in pages.indices {
            let sorted = rows[p].sorted { $0.0 < $1.0 }
            // Container numbers are renumbered 1, 2, ... by first appearance, as the segmenter
            // numbers them: the features index arrays by them, and a hand-edited file may hold any.
            var numbers: [Int: Int] = [:]
            pages[p].blocks = sorted.enumerated().map { position, row in
                var block = row.1
                block.index = position
                block.containers = block.containers.map { number in
                    if let known = numbers[number] { return known }
                    numbers[number] = numbers.count + 1
                    return numbers.count
                }
                return block
            }
            pages[p].labels = sorted.map(\.2)
        }
        return pages
    }
}
