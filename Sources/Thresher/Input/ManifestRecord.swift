import Foundation

/// One line of a corpus manifest (`../shared/corpus/README.md`): a page file and its gold.
public struct ManifestRecord: Sendable {
    public var id: String
    public var source: String?
    public var split: String?
    public var lang: String?
    /// The gzipped page, as an absolute path (resolved against the manifest's folder).
    public var htmlPath: String
    public var mainText: String?
    public var commentsText: String?
    public var blocksGold: [(text: String, label: String)]?

    /// Parses one manifest line; `base` is the manifest's folder.
    public static func parse(_ line: Substring, base: String, allowOutside: Bool) throws -> ManifestRecord {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw ManifestError("not a JSON object")
        }
        guard let id = object["id"] as? String, !id.isEmpty else { throw ManifestError("no `id`") }
        guard let html = object["html"] as? String, !html.isEmpty else { throw ManifestError("record \(id) has no `html` path") }
        let path = try resolve(html, base: base, allowOutside: allowOutside)
        var blocksGold: [(text: String, label: String)]?
        if let list = object["blocks_gold"] as? [[String: Any]] {
            blocksGold = list.compactMap { item in
                guard let text = item["text"] as? String, let label = item["label"] as? String else { return nil }
                return (text, label)
            }
        }
        return ManifestRecord(id: id, source: object["source"] as? String, split: object["split"] as? String,
                              lang: object["lang"] as? String, htmlPath: path, mainText: object["main_text"] as? String,
                              commentsText: object["comments_text"] as? String, blocksGold: blocksGold)
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
    public var gold: Gold? {
        if let blocksGold { return .blocks(blocksGold) }
        if let mainText { return .text(main: mainText, comments: commentsText) }
        return nil
    }
}

/// A manifest line that cannot be used.
struct ManifestError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
