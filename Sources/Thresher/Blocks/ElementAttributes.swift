import CLibXML2

/// The attributes of one element as libxml2 hands them over: a tree node's property list, or the
/// NULL-terminated name/value array of a SAX start tag (valid only during that callback). Both walks of
/// `HTMLSegmenter` read attributes through this one type, so what they read cannot drift apart.
///
/// In both forms a value is nil for an attribute written without `=`, and libxml2 has already dropped
/// repeated attributes, so the two list the same pairs in the same order.
struct ElementAttributes {
    private enum Source {
        case node(xmlNodePtr)
        case array(UnsafeMutablePointer<UnsafePointer<xmlChar>?>?)
    }

    private let source: Source

    /// The attributes of a parsed tree's element.
    init(node: xmlNodePtr) {
        source = .node(node)
    }

    /// The attributes of a SAX start tag: name, value, name, value, ..., NULL (or no array at all).
    init(array: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        source = .array(array)
    }

    /// Calls `body` with each name and value in order until it returns false.
    @inline(__always)
    private func forEach(_ body: (UnsafePointer<xmlChar>, UnsafePointer<xmlChar>?) -> Bool) {
        switch source {
        case .node(let node):
            var attr = node.pointee.properties
            while let a = attr {
                // A tree attribute's value is the content of its one text child.
                if let name = a.pointee.name, !body(name, a.pointee.children?.pointee.content) { return }
                attr = a.pointee.next
            }
        case .array(let array):
            guard var p = array else { return }
            while let name = p[0] {
                if !body(name, p[1]) { return }
                p += 2
            }
        }
    }

    /// The value of the first attribute called `name`: "" when it has no value, nil when absent.
    func value(of name: String) -> String? {
        var found: String?
        forEach { attributeName, value in
            guard xmlStrEqual(attributeName, name) != 0 else { return true }
            found = value.map { String(cString: $0) } ?? ""
            return false
        }
        return found
    }

    /// `itemprop="articleBody"` or `role="main"`: the page's own word for where its content is.
    var declaresMain: Bool {
        var main = false
        forEach { name, value in
            guard let value else { return true }
            if xmlStrEqual(name, "itemprop") != 0 && xmlStrcasecmp(value, "articleBody") == 0 { main = true }
            if xmlStrEqual(name, "role") != 0 && xmlStrcasecmp(value, "main") == 0 { main = true }
            return !main
        }
        return main
    }

    /// Appends the `class` and `id` values, in attribute order and joined by a space, to `bytes` (the
    /// text `BlockBuilder` splits into tokens when a block needs them). An empty first value adds no space.
    func appendClassAndID(to bytes: inout [UInt8]) {
        let start = bytes.count
        forEach { name, value in
            if let value, xmlStrEqual(name, "class") != 0 || xmlStrEqual(name, "id") != 0 {
                if bytes.count > start { bytes.append(0x20) }
                var p = value
                while p.pointee != 0 { bytes.append(p.pointee); p += 1 }
            }
            return true
        }
    }

    /// FNV-1a `hash` continued over the first `class` value that has one.
    func hashingClass(into hash: UInt64) -> UInt64 {
        var hash = hash
        forEach { name, value in
            guard var p = value, xmlStrEqual(name, "class") != 0 else { return true }
            while p.pointee != 0 {
                hash = (hash ^ UInt64(p.pointee)) &* 0x100_0000_01b3
                p += 1
            }
            return false
        }
        return hash
    }
}
