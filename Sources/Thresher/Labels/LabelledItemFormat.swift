import Foundation

/// Labelled item lists (`label<TAB>text` per line, as the corpus's `clickbait/headlines-train.tsv`):
/// each line is an item of its own (a headline, a snippet), read as a one-block text page. A line with
/// an empty label or no tab is an unlabelled item: `score` and `extract` take it, `train` and
/// `evaluate` report it as unlabelled.
///
/// A `.labels.tsv` file has the same lines but is one page (a scrape, its lines in page order); any
/// other `.tsv` file is a list of independent items, so that `thresher evaluate` measures each alone.
enum LabelledItemFormat {
    /// The items as labelled pages (ids `FILE:LINE`, source the file name up to its first `-` or `.`),
    /// and one error per unusable line.
    static func read(_ data: Data, name: String) -> ([PageSource], [InputError]) {
        var sources: [PageSource] = []
        var errors: [InputError] = []
        let source = (name as NSString).lastPathComponent.components(separatedBy: CharacterSet(charactersIn: "-.")).first
        let text = Charset.decode([UInt8](data), sniffHTML: false)
        for (number, row) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !row.allSatisfy(\.isWhitespace) {
            let place = "\(name):\(number + 1)"
            let tab = row.firstIndex(of: "\t")
            let labelName = tab.map { row[..<$0].trimmingCharacters(in: .whitespaces) } ?? ""
            let label = Label.named(labelName)
            guard label != nil || labelName.isEmpty else {
                errors.append(InputError(place, "unknown label \"\(labelName)\""))
                continue
            }
            let item = TextSegmenter.collapseWhitespace(tab.map { row[row.index(after: $0)...] } ?? row[...])
            guard !item.isEmpty else {
                errors.append(InputError(place, "no text after the label"))
                continue
            }
            sources.append(.labelled(SegmentedPage(id: place, source: source, format: .text,
                                                   blocks: [Block(text: item, tag: "line", index: 0)], labels: label.map { [$0] }, goldText: nil)))
        }
        if sources.isEmpty && errors.isEmpty { errors.append(InputError(name, "no labelled lines")) }
        return (sources, errors)
    }
}
