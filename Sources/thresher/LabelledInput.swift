import Foundation
import Thresher

/// Reads labelled pages for `train`, `features` and `evaluate`, reporting failed inputs.
enum LabelledInput {
    static func read(_ input: InputOptions, summary: inout BatchSummary) throws -> [SegmentedPage] {
        var pages: [SegmentedPage] = []
        let reader = PageReader(wantsLabels: true)
        let failures = try input.batch.run(input.sources(&summary), work: { try reader.read($0) }) { page in
            pages.append(page)
            summary.done += 1
        }
        summary.fail(failures)
        if input.failFast && summary.failed > 0 { try summary.finish() }
        return pages
    }
}

extension InputOptions {
    /// The same options for other inputs (dev data).
    func with(inputs: [String], split: String?) -> InputOptions {
        var copy = self
        copy.inputs = inputs
        copy.split = split
        return copy
    }
}
