/// How the segmenter treats an element.
enum TagKind {
    /// Text inside stays in the surrounding block (`span`, `b`, ...).
    case inline
    /// An `<a>`: inline, and its characters count as link characters.
    case link
    /// A `<br>`: ends the current block.
    case lineBreak
    /// Not rendered as text (`script`, `style`, `head`, ...): skipped with everything inside.
    case skipped
    /// Every other element: its own text forms blocks, and its start and end cut blocks.
    case block

    /// The inline elements of the corpus's `blocks_gold` segmentation, so our blocks match the gold's.
    static let table: [String: TagKind] = {
        var table = [String: TagKind]()
        for tag in ["abbr", "acronym", "b", "bdi", "bdo", "big", "blink", "cite", "code", "data", "del", "dfn", "em",
                    "font", "i", "img", "ins", "kbd", "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp",
                    "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"] {
            table[tag] = .inline
        }
        for tag in ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head",
                    "title", "meta", "link", "base", "canvas", "audio", "video", "map", "param", "source", "track"] {
            table[tag] = .skipped
        }
        table["a"] = .link
        table["br"] = .lineBreak
        return table
    }()

    static func of(_ tag: String) -> TagKind { table[tag] ?? .block }
}
