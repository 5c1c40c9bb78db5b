import Foundation

/// An evaluation report as a terminal table, as JSON, and its precision-recall curve as SVG.
public enum ReportFormat {
    /// The report as lines of text for a terminal; `threshold` is the one `policy` resolved to.
    public static func table(_ report: Evaluator.Report, threshold: Float, policy: OutputPolicy = OutputPolicy()) -> String {
        var lines: [String] = []
        let labels = report.confusion.presentLabels
        let output = (policy.bodyOnly ? ", body only" : "") + (policy.fallback ? "" : ", no fallback") + (policy.namesTeasers ? "" : ", no link rules")
        lines.append("\(report.pages) pages, \(report.curvePoints.count) blocks, editorial threshold \(f(Double(threshold), 2))" + output)
        lines.append("")
        lines.append(pad("class", 12) + pad("precision", 11) + pad("recall", 9) + pad("F1", 8) + "support")
        for label in labels {
            let m = report.confusion.metrics(of: label)
            lines.append(pad(label.rawValue, 12) + pad(f(m.precision), 11) + pad(f(m.recall), 9) + pad(f(m.f1), 8) + "\(m.support)")
        }
        let macro = report.confusion.macro
        lines.append(pad("macro", 12) + pad(f(macro.precision), 11) + pad(f(macro.recall), 9) + pad(f(macro.f1), 8))
        lines.append("accuracy \(f(report.confusion.accuracy))")
        lines.append("")
        lines.append("confusion (rows gold, columns predicted)")
        lines.append(pad("", 12) + labels.map { pad(String($0.rawValue.prefix(10)), 12) }.joined())
        for gold in labels {
            let g = Label.allCases.firstIndex(of: gold)!
            lines.append(pad(gold.rawValue, 12) + labels.map { pad("\(report.confusion.counts[g][Label.allCases.firstIndex(of: $0)!])", 12) }.joined())
        }
        lines.append("")
        lines.append("editorial vs rest" + String(repeating: " ", count: 6) + pad("precision", 11) + pad("recall", 9) + "F1")
        for (name, counts) in [("per block", report.editorialBlocks), ("per word", report.editorialWords)] {
            lines.append(pad("  " + name, 23) + pad(f(counts.precision), 11) + pad(f(counts.recall), 9) + f(counts.f1))
        }
        let t = report.tokens
        lines.append(pad("  tokens (Zyte 4-gram)", 23) + pad(f(t.precision), 11) + pad(f(t.recall), 9) + f(t.f1) + "   over \(t.pages) pages")
        let o = report.openings
        if o.pages > 0 {
            lines.append("text scrapes: headline kept in \(o.headlinesKept) of \(o.pages), first paragraph (next editorial line of "
                         + "\(ScrapeOpenings.leadMinimumWords)+ words) in \(o.leadsKept) of \(o.leadPages)")
        }
        return lines.joined(separator: "\n")
    }

    /// Every figure, the output policy they were measured under, and the curve's points as one JSON object.
    public static func json(_ report: Evaluator.Report, curve: PrecisionRecallCurve, threshold: Float, policy: OutputPolicy = OutputPolicy()) -> String {
        var classes: [String] = []
        for label in report.confusion.presentLabels {
            let m = report.confusion.metrics(of: label)
            classes.append(JSON.string(label.rawValue) + ":{\"precision\":\(m.precision),\"recall\":\(m.recall),\"f1\":\(m.f1),\"support\":\(m.support)}")
        }
        let confusion = report.confusion.presentLabels.map { gold in
            JSON.string(gold.rawValue) + ":{" + report.confusion.presentLabels.map { predicted in
                JSON.string(predicted.rawValue) + ":\(report.confusion.counts[Label.allCases.firstIndex(of: gold)!][Label.allCases.firstIndex(of: predicted)!])"
            }.joined(separator: ",") + "}"
        }
        let summary = report.summary.keys.sorted().map { JSON.string($0) + ":" + JSON.number(report.summary[$0]!) }
        let points = curve.points.map { "{\"threshold\":\($0.threshold),\"precision\":\($0.precision),\"recall\":\($0.recall)}" }
        let output = "{\"threshold\":" + JSON.number(threshold) + ",\"body_only\":\(policy.bodyOnly),\"fallback\":\(policy.fallback),\"link_rules\":\(policy.namesTeasers)}"
        return "{\"pages\":\(report.pages),\"blocks\":\(report.curvePoints.count),\"output\":" + output + ",\"summary\":{" + summary.joined(separator: ",")
            + "},\"classes\":{" + classes.joined(separator: ",") + "},\"confusion\":{" + confusion.joined(separator: ",")
            + "},\"token_pages\":\(report.tokens.pages),\"precision_recall_curve\":[" + points.joined(separator: ",") + "]}\n"
    }

    /// The editorial precision-recall curve as an SVG image, with the operating point marked.
    public static func svg(_ curve: PrecisionRecallCurve, operatingPoint: (precision: Double, recall: Double), threshold: Float) -> String {
        let size = 400.0, margin = 50.0
        func x(_ recall: Double) -> Double { margin + recall * size }
        func y(_ precision: Double) -> Double { margin + (1 - precision) * size }
        let path = curve.points.map { "\(f(x($0.recall), 1)),\(f(y($0.precision), 1))" }.joined(separator: " ")
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(size + 2 * margin))" height="\(Int(size + 2 * margin))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <rect x="\(margin)" y="\(margin)" width="\(size)" height="\(size)" fill="none" stroke="#888"/>
        <text x="\(margin + size / 2)" y="\(margin + size + 35)" text-anchor="middle">recall (editorial blocks)</text>
        <text x="15" y="\(margin + size / 2)" text-anchor="middle" transform="rotate(-90 15 \(margin + size / 2))">precision</text>
        <text x="\(margin + size / 2)" y="30" text-anchor="middle">editorial precision-recall over the threshold</text>

        """
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg += "<text x=\"\(f(x(tick), 1))\" y=\"\(margin + size + 15)\" text-anchor=\"middle\">\(f(tick, 1))</text>\n"
            svg += "<text x=\"\(margin - 5)\" y=\"\(f(y(tick) + 4, 1))\" text-anchor=\"end\">\(f(tick, 1))</text>\n"
        }
        svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\"/>\n"
        svg += "<circle cx=\"\(f(x(operatingPoint.recall), 1))\" cy=\"\(f(y(operatingPoint.precision), 1))\" r=\"5\" fill=\"#d62728\"/>\n"
        svg += "<text x=\"\(f(x(operatingPoint.recall) - 8, 1))\" y=\"\(f(y(operatingPoint.precision) + 18, 1))\" text-anchor=\"end\" fill=\"#d62728\">threshold \(f(Double(threshold), 2))</text>\n"
        return svg + "</svg>\n"
    }

    private static func f(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
    private static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
}
