import Foundation
import Thresher

/// Reads labelled pages for `train`, `features` and `evaluate`, reporting failed inputs.
enum LabelledInput {
    /// The labelled pages of the inputs, with `annotation`'s teaser and promo marks merged in and its
    /// half filters applied.
    static func read(_ input: InputOptions, annotation: AnnotationOptions? = nil, summary: inout BatchSummary) throws -> [SegmentedPage] {
        var pages: [SegmentedPage] = []
        let reader = PageReader(wantsLabels: true)
        var annotated = try annotation?.filter() ?? .none
        let failures = try input.batch.run(input.sources(&summary), work: { try reader.read($0) }) { page in
            guard let page = annotated.admit(page) else { return }
            pages.append(page)
            summary.done += 1
        }
        if let line = annotated.line { printError(line) }
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
