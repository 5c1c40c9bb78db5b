import Foundation

/// One page of a visual report (`thresher report`, `evaluate --report`): its blocks, labels,
/// probabilities and explanations as the compact JSON the report's script renders when the page is
/// opened, and the figures its summary line shows.
public struct ReportPage: Sendable {
    /// The page's id.
    public var id: String
    /// Blocks per predicted label, in `Label.allCases` order.
    public var counts: [Int]
    /// Blocks whose gold label differs from the prediction; nil for a page without gold.
    public var disagreements: Int?
    /// The token F1 of the page's extracted text against its gold text; nil without gold.
    public var tokenF1: Double?
    /// The page as JSON (see `VisualReport` for its keys), with every `<` escaped so that it can sit
    /// inside a `<script>` element.
    public var json: [UInt8]

    /// The report entry of a scored page and its block explanations (one per block, or none).
    public init(_ scored: ScoredPage, explanations: [BlockExplanation]) {
        let page = scored.page, k = scored.classes.count
        let all = Label.allCases
        func code(_ label: Label) -> String { String(all.firstIndex(of: label) ?? 0) }
        id = page.id
        counts = all.map { label in scored.labels.filter { $0 == label }.count }
        if let gold = page.labels {
            disagreements = zip(gold, scored.labels).filter { $0 != $1 }.count
            let tokens = ShingleMetric.page(gold: page.goldText ?? page.labelledEditorialText, predicted: scored.editorialText)
            let (p, r) = (tokens.precision ?? 0, tokens.recall ?? 0)
            tokenF1 = tokens.precision == nil && tokens.recall == nil ? nil : (p + r == 0 ? 0 : 2 * p * r / (p + r))
        }
        // A page's blocks share a few dozen tag paths: each is written once, in `paths`.
        var paths = PathTable()
        var out: [UInt8] = []
        out.reserveCapacity(page.blocks.count * 300)
        JSON.append(raw: "{\"id\":", to: &out)
        JSON.append(string: page.id, to: &out)
        JSON.append(raw: ",\"html\":\(page.format == .html),\"blocks\":[", to: &out)
        for (i, block) in page.blocks.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSON.append(raw: "{\"t\":", to: &out)
            JSON.append(string: block.text, to: &out)
            JSON.append(raw: ",\"tag\":", to: &out)
            JSON.append(string: block.tag, to: &out)
            JSON.append(raw: ",\"pa\":" + String(paths.index(block.path)), to: &out)
            JSON.append(raw: ",\"cls\":", to: &out)
            JSON.append(string: block.elementTokens.joined(separator: " "), to: &out)
            JSON.append(raw: ",\"l\":" + code(scored.labels[i]), to: &out)
            if let gold = page.labels { JSON.append(raw: ",\"g\":" + code(gold[i]), to: &out) }
            JSON.append(raw: ",\"p\":" + Self.numbers(scored.probabilities[i * k..<(i + 1) * k]), to: &out)
            if i < explanations.count { Self.append(explanations[i], classes: scored.classes, to: &out) }
            out.append(0x7D)
        }
        JSON.append(raw: "],\"paths\":", to: &out)
        JSON.append(array: paths.paths, to: &out)
        out.append(0x7D)
        json = Self.scriptSafe(out)
    }

    /// `"x"`: the explanation, with features as indexes into the report's feature-name table.
    private static func append(_ e: BlockExplanation, classes: [Label], to out: inout [UInt8]) {
        func terms(_ list: [BlockExplanation.Term]) -> String {
            "[" + list.map { "[\($0.index),\(significant($0.value)),\(significant($0.contribution))]" }.joined(separator: ",") + "]"
        }
        let inside = e.insideRegion.map { "\($0)" } ?? "null"
        JSON.append(raw: ",\"r\":" + numbers(e.regression[...]) + ",\"s\":" + numbers(e.sequence[...])
                    + ",\"x\":{\"a\":\(Label.allCases.firstIndex(of: e.runnerUp) ?? 0),\"m\":\(significant(e.margin)),\"b\":\(significant(e.bias))"
                    + ",\"up\":" + terms(e.raising) + ",\"dn\":" + terms(e.lowering) + ",\"o\":\(significant(e.rest))"
                    + ",\"th\":\(decimal(e.threshold)),\"in\":\(inside),\"ru\":", to: &out)
        JSON.append(array: e.rules, to: &out)
        out.append(0x7D)
    }

    /// Probabilities with three decimals: the report shows them, it does not reproduce them.
    private static func numbers(_ values: ArraySlice<Float>) -> String {
        "[" + values.map { decimal($0) }.joined(separator: ",") + "]"
    }

    /// A number with at most three decimals, trailing zeros dropped.
    static func decimal(_ value: Float) -> String {
        guard value.isFinite else { return "null" }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A number with three significant digits (`1.07`, `0.0315`, `1e-05`): the terms are shown, not summed.
    static func significant(_ value: Float) -> String {
        value.isFinite ? String(format: "%.3g", value) : "null"
    }

    /// The distinct tag paths of a page, in order of first use.
    private struct PathTable {
        var paths: [String] = []
        var numbers: [String: Int] = [:]

        mutating func index(_ path: String) -> Int {
            if let n = numbers[path] { return n }
            numbers[path] = paths.count
            paths.append(path)
            return paths.count - 1
        }
    }

    /// JSON with `<` written as `\u003c`, which only occurs inside strings: no `</script>` or `<!--` in
    /// a page's text can end or change the script element that holds it.
    static func scriptSafe(_ json: [UInt8]) -> [UInt8] {
        guard json.contains(0x3C) else { return json }
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 64)
        for byte in json {
            if byte == 0x3C { out += Array("\\u003c".utf8) } else { out.append(byte) }
        }
        return out
    }
}
