import CLibXML2

/// What a page says about itself outside its visible text: its `<title>` and the `articleBody` of its
/// JSON-LD, read from the skipped `head` and `script` elements. The region model compares candidates with them.
public struct PageMetadata: Sendable, Equatable {
    /// The `<title>` text, white space collapsed.
    public var title: String?
    /// The `articleBody` strings of the page's JSON-LD scripts, joined by blank lines.
    public var articleBody: String?

    /// Metadata; see the properties.
    public init(title: String? = nil, articleBody: String? = nil) {
        self.title = title
        self.articleBody = articleBody
    }

    /// At most this many bytes of JSON-LD are read per script: an article body is far shorter.
    static let scriptLimit = 1 << 20

    /// Reads a skipped element of a parsed tree: a `head` is searched for its `title` and JSON-LD scripts
    /// (one level down, as pages put them), a `script` elsewhere is read when it is JSON-LD. The SAX walk
    /// reads the same pieces as they stream past (`SAXWalk`).
    mutating func read(_ node: xmlNodePtr, tag: String) {
        if tag == "head" {
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE, let name = c.pointee.name {
                    let childTag = String(cString: name)
                    if childTag == "title", title == nil { title = PageMetadata.collapsed(PageMetadata.text(of: c)) }
                    if childTag == "script" { readScript(c) }
                }
                child = c.pointee.next
            }
        } else if tag == "script" {
            readScript(node)
        }
    }

    private mutating func readScript(_ node: xmlNodePtr) {
        guard PageMetadata.isJSONLD(type: ElementAttributes(node: node).value(of: "type")) else { return }
        readJSONLD(PageMetadata.text(of: node, limit: PageMetadata.scriptLimit))
    }

    /// Whether a script's `type` attribute says JSON-LD.
    static func isJSONLD(type: String?) -> Bool {
        type?.lowercased().contains("ld+json") ?? false
    }

    /// Adds the `articleBody` strings of a JSON-LD script's text.
    mutating func readJSONLD(_ bytes: [UInt8]) {
        guard let json = PageMetadata.collapsed(bytes) else { return }
        for body in PageMetadata.articleBodies(in: json) where !body.isEmpty {
            articleBody = articleBody.map { $0 + "\n\n" + body } ?? body
        }
    }

    /// At most this many bytes of a title are read.
    static let titleLimit = 4096

    /// The text of an element's direct children (text, and the content of comments and processing
    /// instructions, as libxml2 stores them), at most `limit` bytes.
    static func text(of node: xmlNodePtr, limit: Int = titleLimit) -> [UInt8] {
        var bytes: [UInt8] = []
        var child = node.pointee.children
        while let c = child, bytes.count < limit {
            if var p = c.pointee.content { while p.pointee != 0 && bytes.count < limit { bytes.append(p.pointee); p += 1 } }
            child = c.pointee.next
        }
        return bytes
    }

    /// Text with white space collapsed, or nil when none is left.
    static func collapsed(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return text.isEmpty ? nil : text
    }

    /// The string values of every `"articleBody"` key in a JSON text, unescaped; a scan rather than a
    /// parse, so that broken JSON (common in pages) still gives what it holds.
    static func articleBodies(in json: String) -> [String] {
        var bodies: [String] = []
        let bytes = Array(json.utf8), key = Array("\"articleBody\"".utf8)
        var i = 0
        while i + key.count <= bytes.count {
            guard bytes[i] == key[0], Array(bytes[i..<(i + key.count)]) == key else { i += 1; continue }
            i += key.count
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 || bytes[i] == 0x3A { i += 1 }
            guard i < bytes.count, bytes[i] == 0x22 else { continue }
            i += 1
            var value: [UInt8] = []
            while i < bytes.count, bytes[i] != 0x22 {
                if bytes[i] == 0x5C, i + 1 < bytes.count {  // a backslash escape
                    i += 1
                    switch bytes[i] {
                    case 0x6E, 0x72, 0x74: value.append(0x20)  // \n \r \t
                    case 0x75 where i + 4 < bytes.count:  // \uXXXX
                        if let code = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16), let scalar = Unicode.Scalar(code) {
                            value += Array(String(Character(scalar)).utf8)
                        }
                        i += 4
                    default: value.append(bytes[i])
                    }
                } else {
                    value.append(bytes[i])
                }
                i += 1
            }
            bodies.append(String(decoding: value, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        return bodies
    }
}
