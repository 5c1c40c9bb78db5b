import Foundation

/// The labelled-block JSON Lines format: one block per line, readable and editable by hand.
///
/// Fields: `page`, `block`, `label`, `text`, then the structure the features need: `format`, `tag`,
/// `path`, `depth`, `element_tokens`, `ancestor_tokens`, `outer_tokens`, `link_chars`, `containers` (numbers of the
/// element and its three nearest non-inline ancestors), `signatures` (hexadecimal hashes of the same
/// elements' tag and class), and `source`/`split` when known.
/// Counts of characters and words are derived from `text` on reading, so an edited text stays consistent.
public enum LabelledBlockFormat {
    /// One line for one block of a page (labels may be nil for unlabelled output).
    public static func line(page: SegmentedPage, block: Block, label: Label?) -> String {
        var fields = ["\"page\":" + JSON.string(page.id), "\"block\":\(block.index)"]
        if let label { fields.append("\"label\":" + JSON.string(label.rawValue)) }
        fields += [
            "\"text\":" + JSON.string(block.text),
            "\"format\":" + JSON.string(page.format.rawValue),
            "\"tag\":" + JSON.string(block.tag),
            "\"path\":" + JSON.string(block.path),
            "\"depth\":\(block.depth)",
            "\"element_tokens\":" + JSON.array(block.elementTokens),
            "\"ancestor_tokens\":" + JSON.array(block.ancestorTokens),
            "\"outer_tokens\":" + JSON.array(block.outerTokens),
            "\"chars\":\(block.chars)",
            "\"words\":\(block.words)",
            "\"link_chars\":\(block.linkChars)",
            "\"containers\":[" + block.containers.map(String.init).joined(separator: ",") + "]",
            "\"signatures\":" + JSON.array(block.signatures.map { String($0, radix: 16) }),
        ]
        if let source = page.source { fields.append("\"source\":" + JSON.string(source)) }
        if let split = page.split { fields.append("\"split\":" + JSON.string(split)) }
        return "{" + fields.joined(separator: ",") + "}"
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
