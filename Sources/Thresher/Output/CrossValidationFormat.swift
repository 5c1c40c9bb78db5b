import Foundation

/// A cross-validation's figures as a terminal table, as JSON, and its held-out extractions as JSONL.
public enum CrossValidationFormat {
    /// Pooled token figures of some pages with a bootstrap interval of their F1.
    public struct TokenSummary: Sendable {
        public var pages = 0
        public var precision = 0.0, recall = 0.0, f1 = 0.0
        /// 95% bootstrap interval of `f1` (1,000 resamples of the pages, fixed seed).
        public var low = 0.0, high = 0.0
        public var misfires = 0
        public var oracleRegionF1: Double?
        public var oracleRegionBlocksF1: Double?
        /// F1 and misfires of the same pages with the region decision left out of the output policy.
        public var withoutRegionF1: Double?
        public var withoutRegionMisfires: Int?
    }

    /// Token figures over `pages`.
    public static func tokens(_ pages: [CrossValidation.PageResult]) -> TokenSummary {
        var summary = TokenSummary()
        summary.pages = pages.count
        let metric = pooled(pages.map { ($0.precision, $0.recall) })
        (summary.precision, summary.recall, summary.f1) = (metric.precision, metric.recall, metric.f1)
        summary.misfires = pages.filter(\.isMisfire).count
        (summary.low, summary.high) = bootstrap(pages.map { ($0.precision, $0.recall) })
        let oracle = pages.compactMap(\.oracleRegion), oracleBlocks = pages.compactMap(\.oracleRegionBlocks)
        if !oracle.isEmpty { summary.oracleRegionF1 = pooled(oracle).f1 }
        if !oracleBlocks.isEmpty { summary.oracleRegionBlocksF1 = pooled(oracleBlocks).f1 }
        if pages.contains(where: { $0.withoutRegion != nil }) {
            let plain = pages.map { $0.withoutRegion ?? ($0.precision, $0.recall) }
            summary.withoutRegionF1 = pooled(plain).f1
            summary.withoutRegionMisfires = zip(pages, plain).filter { page, metric in
                page.hasGold && CrossValidation.PageResult.f1(metric.precision, metric.recall) < 0.5
            }.count
        }
        return summary
    }

    static func pooled(_ pages: [(precision: Double?, recall: Double?)]) -> ShingleMetric {
        var metric = ShingleMetric()
        for page in pages { metric.add(page) }
        return metric
    }

    /// The 2.5% and 97.5% quantiles of the pooled F1 over page resamples (a fixed-seed generator, so
    /// the interval is the same on every run).
    static func bootstrap(_ pages: [(precision: Double?, recall: Double?)], rounds: Int = 1000) -> (Double, Double) {
        guard !pages.isEmpty else { return (0, 0) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var f1s: [Double] = []
        for _ in 0..<rounds {
            var metric = ShingleMetric()
            for _ in pages.indices {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                metric.add(pages[Int((state >> 33) % UInt64(pages.count))])
            }
            f1s.append(metric.f1)
        }
        f1s.sort()
        return (f1s[rounds * 25 / 1000], f1s[rounds * 975 / 1000 - 1])
    }

    /// Per-source and per-fold lines, then the pooled table.
    public static func table(_ result: CrossValidation.Result, folds: Int, grouping: Folds.Grouping, threshold: Float, policy: OutputPolicy) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "   -  " }
        var lines = ["\(folds)-fold cross-validation by \(grouping.rawValue), \(result.pages.count) held-out pages"
                     + (result.regionModels.contains { $0 != nil } ? ", with the region model" : ", without a region model"), ""]
        lines.append("tokens (Zyte 4-gram)  pages   precision recall  F1      95% interval     misfires  oracle region (text / blocks)   without region (F1 / misfires)   editorial F1 block / word   comment F1")
        var groups = Dictionary(grouping: result.pages, by: \.source).sorted { $0.key < $1.key }.map { ($0.key, $0.value, result.bySource[$0.key]) }
        groups.append(("all", result.pages, result.pooled))
        for (name, pages, report) in groups {
            let t = tokens(pages)
            let comment = report?.confusion.metrics(of: .comment)
            lines.append(name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%5d   ", t.pages) + f(t.precision) + "    " + f(t.recall)
                         + "  " + f(t.f1) + "  [" + f(t.low) + ", " + f(t.high) + "]  " + String(format: "%5d", t.misfires) + "     "
                         + f(t.oracleRegionF1) + " / " + f(t.oracleRegionBlocksF1) + "                 "
                         + f(t.withoutRegionF1) + " / " + (t.withoutRegionMisfires.map { String(format: "%5d", $0) } ?? "   - ") + "                  "
                         + f(report?.editorialBlocks.f1) + " / " + f(report?.editorialWords.f1) + "         "
                         + (comment.map { $0.support > 0 ? f($0.f1) : "   -  " } ?? "   -  "))
        }
        lines.append("")
        for fold in 0..<result.perFold.count {
            let t = tokens(result.pages.filter { $0.fold == fold })
            let region = result.regionModels[fold].map { String(format: "region rule: confidence %.2f, inside %.2f, outside %.2f, sequence-pass boost %g", $0.confidence, $0.insideThreshold, $0.outsideThreshold, $0.smoothingBoost) } ?? "no region model"
            let report = result.perFold[fold]
            lines.append("fold \(fold + 1): \(t.pages) pages, token F1 " + f(t.f1) + ", misfires \(t.misfires), editorial F1 block / word "
                         + f(report.editorialBlocks.f1) + " / " + f(report.editorialWords.f1) + String(format: ", accuracy %.4f; ", report.confusion.accuracy) + region)
        }
        lines.append("")
        lines.append("pooled over all folds:")
        lines.append(ReportFormat.table(result.pooled, threshold: threshold, policy: policy))
        for (fold, report) in result.perFold.enumerated() {
            lines.append("")
            lines.append("fold \(fold + 1) of \(folds):")
            lines.append(ReportFormat.table(report, threshold: threshold, policy: policy))
        }
        return lines.joined(separator: "\n")
    }

    /// Every figure as one JSON object: per source, per fold, pooled, and each fold's region rule.
    public static func json(_ result: CrossValidation.Result, folds: Int, grouping: Folds.Grouping, policy: OutputPolicy) -> String {
        func tokenObject(_ t: TokenSummary) -> String {
            "{\"pages\":\(t.pages),\"precision\":\(t.precision),\"recall\":\(t.recall),\"f1\":\(t.f1),\"f1_interval\":[\(t.low),\(t.high)],\"misfires\":\(t.misfires)"
                + ",\"oracle_region_f1\":" + (t.oracleRegionF1.map { "\($0)" } ?? "null")
                + ",\"oracle_region_blocks_f1\":" + (t.oracleRegionBlocksF1.map { "\($0)" } ?? "null")
                + ",\"without_region_f1\":" + (t.withoutRegionF1.map { "\($0)" } ?? "null")
                + ",\"without_region_misfires\":" + (t.withoutRegionMisfires.map { "\($0)" } ?? "null") + "}"
        }
        func reportObject(_ report: Evaluator.Report?) -> String {
            guard let report else { return "null" }
            var fields = report.summary.keys.sorted().map { JSON.string($0) + ":" + JSON.number(report.summary[$0]!) }
            let comment = report.confusion.metrics(of: .comment)
            fields.append("\"comment_f1\":" + JSON.number(comment.f1))
            fields.append("\"comment_support\":\(comment.support)")
            fields.append("\"comment_as_editorial\":\(report.confusion.counts[Label.allCases.firstIndex(of: .comment)!][Label.allCases.firstIndex(of: .editorial)!])")
            return "{" + fields.joined(separator: ",") + "}"
        }
        let sources = Dictionary(grouping: result.pages, by: \.source).sorted { $0.key < $1.key }.map { name, pages in
            JSON.string(name) + ":{\"tokens\":" + tokenObject(tokens(pages)) + ",\"blocks\":" + reportObject(result.bySource[name]) + "}"
        }
        let perFold = result.perFold.indices.map { fold in
            "{\"tokens\":" + tokenObject(tokens(result.pages.filter { $0.fold == fold })) + ",\"blocks\":" + reportObject(result.perFold[fold])
                + ",\"region_rule\":" + (result.regionModels[fold].map { "{\"confidence\":\($0.confidence),\"inside_threshold\":\($0.insideThreshold),\"outside_threshold\":\($0.outsideThreshold),\"smoothing_boost\":\($0.smoothingBoost)}" } ?? "null") + "}"
        }
        let misfires = result.pages.filter(\.isMisfire).map { "{\"id\":" + JSON.string($0.id) + ",\"source\":" + JSON.string($0.source) + ",\"f1\":\($0.f1)}" }
        return "{\"folds\":\(folds),\"group_by\":" + JSON.string(grouping.rawValue)
            + ",\"output\":{\"threshold\":" + (policy.threshold.map { JSON.number($0) } ?? "null") + ",\"body_only\":\(policy.bodyOnly),\"fallback\":\(policy.fallback),\"region\":\(policy.usesRegion)}"
            + ",\"pooled\":{\"tokens\":" + tokenObject(tokens(result.pages)) + ",\"blocks\":" + reportObject(result.pooled) + "}"
            + ",\"sources\":{" + sources.joined(separator: ",") + "},\"per_fold\":[" + perFold.joined(separator: ",") + "]"
            + ",\"misfires\":[" + misfires.joined(separator: ",") + "]}\n"
    }

    /// One JSON line per held-out page: id, source, url, fold and the extracted text.
    public static func predictions(_ result: CrossValidation.Result) -> String {
        result.pages.map {
            "{\"id\":" + JSON.string($0.id) + ",\"source\":" + JSON.string($0.source) + ",\"url\":" + ($0.url.map(JSON.string) ?? "null")
                + ",\"fold\":\($0.fold + 1),\"f1\":\($0.f1),\"text\":" + JSON.string($0.text) + "}\n"
        }.joined()
    }
}
