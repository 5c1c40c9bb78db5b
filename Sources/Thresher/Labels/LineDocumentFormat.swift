import Foundation

/// Labelled line documents (`{"id", "lang", "lines": [...], "labels": [...]}` per line, as the
/// corpus's `lines/turku-train.jsonl`): each document becomes a labelled text scrape.
enum LineDocumentFormat {
    /// The documents as labelled pages, and one error per unusable line.
    static func read(_ lines: [Substring], name: String) -> ([PageSource], [InputError]) {
        var sources: [PageSource] = []
        var errors: [InputError] = []
        let source = (name as NSString).lastPathComponent.components(separatedBy: CharacterSet(charactersIn: "-.")).first
        for (number, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let place = "\(name):\(number + 1)"
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["id"] as? String, let texts = object["lines"] as? [String],
                  let names = object["labels"] as? [String], texts.count == names.count else {
                errors.append(InputError(place, "needs `id` and `lines` and `labels` of equal length"))
                continue
            }
            var blocks: [Block] = []
            var labels: [Label] = []
            var unknown: String?
            for (text, labelName) in zip(texts, names) {
                let collapsed = TextSegmenter.collapseWhitespace(Substring(text))
                guard !collapsed.isEmpty else { continue }
                guard let label = Label.named(labelName) else { unknown = labelName; break }
                blocks.append(Block(text: collapsed, tag: "line", index: blocks.count))
                labels.append(label)
            }
            if let unknown {
                errors.append(InputError(place, "unknown label \"\(unknown)\""))
                continue
            }
            sources.append(.labelled(SegmentedPage(id: id, source: source, split: object["split"] as? String, format: .text,
                                                   blocks: blocks, labels: labels, goldText: nil)))
        }
        return (sources, errors)
    }
}
