import Foundation

/// A self-contained HTML file (inline CSS and script, no network) that shows pages as Thresher cut and
/// labelled them: a list of pages, each opening to its blocks in page order, coloured by label with the
/// editorial probability as a bar; a block opens to its explanation.
///
/// Each page's data sits in its own `<script type="application/json">` element, which the browser does
/// not parse; the script parses and draws a page only when it is opened, so a report of a thousand
/// pages opens as fast as its list and its size grows linearly with its pages.
///
/// Keys of a page's JSON: `id`, `html` (whether it was HTML), `blocks`, `paths` (its distinct tag
/// paths); of a block: `t` text, `tag`, `pa` (its tag path, an index into `paths`), `cls` (class and
/// id tokens), `l` label and `g` gold label (indexes into the
/// report's `labels`), `p` final probabilities, `r` the regression's and `s` the sequence pass's
/// (indexes into `classes`), `x` the explanation: `a` runner-up label, `m` logit margin, `b` bias,
/// `up` and `dn` raising and lowering terms as [feature index, value, contribution], `o` the other
/// features' sum, `th` threshold, `in` inside the chosen region, `ru` output rules.
public struct VisualReport {
    /// The report's title (the document title and first heading).
    public var title: String
    /// The model's classes, the order of every block's probabilities.
    public var classes: [Label]
    /// The evaluation's figures and precision-recall curve (SVG), shown above the pages.
    public var figures: (report: Evaluator.Report, svg: String)?
    /// The pages, in the order they are shown.
    public var pages: [ReportPage] = []

    /// An empty report of pages scored by a model with `classes`.
    public init(title: String, classes: [Label]) {
        self.title = title
        self.classes = classes
    }

    /// Orders the pages worst first by token F1 (pages without gold last, then input order).
    public mutating func sortWorstFirst() {
        pages = pages.enumerated().sorted { a, b in
            switch (a.element.tokenF1, b.element.tokenF1) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// Writes the report to `path` through a temporary file, so a failed run leaves no half report.
    public func write(to path: String) throws {
        let writer = try LineWriter(path: path)
        try writer.writeRaw(head())
        for (n, page) in pages.enumerated() {
            try writer.writeRaw(summary(page, number: n))
            try writer.writeRaw("<script type=\"application/json\" id=\"d\(n)\">")
            try writer.write(bytes: page.json)
            try writer.writeRaw("</script>\n")
        }
        try writer.writeRaw("</main>\n<script>\n" + VisualReportAssets.script + "</script>\n</body>\n</html>\n")
        try writer.commit()
    }

    private func head() -> String {
        let all = Label.allCases
        let legend = all.enumerated().map { i, label in
            "<label class=\"chip L\(i)\"><input type=\"checkbox\" checked data-label=\"\(i)\"> \(label.rawValue)</label>"
        }.joined(separator: " ")
        let hiding = all.indices.map { "body.hide-L\($0) .b.L\($0)" }.joined(separator: ",") + "{display:none}"
        let meta = "{\"labels\":" + JSON.array(all.map(\.rawValue)) + ",\"classes\":" + JSON.array(classes.map(\.rawValue))
            + ",\"features\":" + JSON.array(FeatureSet.names) + "}"
        let gold = pages.contains { $0.disagreements != nil }
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(title))</title>
            <style>
            \(VisualReportAssets.style)\(hiding)
            </style>
            </head>
            <body>
            <header><h1>\(Self.escape(title))</h1>
            <p class="legend">\(legend)\(gold ? " <label class=\"chip\"><input type=\"checkbox\" id=\"only-miss\"> only blocks where gold and prediction disagree</label>" : "")</p>
            <p class="hint">\(pages.count) page\(pages.count == 1 ? "" : "s"). Open a page to see its blocks; click a block for why it got its label. The bar under a block is its editorial probability.</p>
            </header>
            <script type="application/json" id="meta">\(String(decoding: ReportPage.scriptSafe(Array(meta.utf8)), as: UTF8.self))</script>

            """
        if let figures { html += figuresSection(figures.report, svg: figures.svg) }
        return html + "<main>\n"
    }

    private func summary(_ page: ReportPage, number n: Int) -> String {
        let chips = zip(Label.allCases.indices, page.counts).filter { $0.1 > 0 }
            .map { "<span class=\"chip L\($0.0)\">\($0.1)</span>" }.joined(separator: " ")
        var figures = ""
        if let f1 = page.tokenF1 { figures += " <span class=\"f1\(f1 < 0.5 ? " misfire" : "")\">token F1 \(String(format: "%.3f", f1))</span>" }
        if let wrong = page.disagreements, wrong > 0 { figures += " <span class=\"miss-count\">\(wrong) disagree</span>" }
        return "<details class=\"page\" data-n=\"\(n)\"><summary><span class=\"n\">\(n + 1)</span> <span class=\"id\">\(Self.escape(page.id))</span> "
            + chips + figures + "</summary><div class=\"blocks\"></div></details>\n"
    }

    private func figuresSection(_ report: Evaluator.Report, svg: String) -> String {
        func f(_ value: Double) -> String { String(format: "%.3f", value) }
        var rows = "<tr><th></th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n"
        for label in report.confusion.presentLabels {
            let m = report.confusion.metrics(of: label)
            rows += "<tr><td>\(label.rawValue)</td><td>\(f(m.precision))</td><td>\(f(m.recall))</td><td>\(f(m.f1))</td><td>\(m.support)</td></tr>\n"
        }
        let b = report.editorialBlocks, w = report.editorialWords, t = report.tokens
        rows += "<tr class=\"sum\"><td>editorial, per block</td><td>\(f(b.precision))</td><td>\(f(b.recall))</td><td>\(f(b.f1))</td><td></td></tr>\n"
        rows += "<tr><td>editorial, per word</td><td>\(f(w.precision))</td><td>\(f(w.recall))</td><td>\(f(w.f1))</td><td></td></tr>\n"
        if t.pages > 0 { rows += "<tr><td>tokens (page means)</td><td>\(f(t.precision))</td><td>\(f(t.recall))</td><td>\(f(t.f1))</td><td></td></tr>\n" }
        return """
            <section class="figures"><div><h2>\(report.pages) pages, accuracy \(f(report.confusion.accuracy))</h2>
            <table>\(rows)</table><p>Pages below are sorted worst first by token F1.</p></div>
            <div class="curve">\(svg)</div></section>

            """
    }

    /// Text as HTML character data or an attribute value.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
