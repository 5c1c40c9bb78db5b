import ArgumentParser
import Foundation
import Thresher

/// `thresher crossval`: how good a model trained on this data is on pages, and sites, it has not seen.
struct CrossvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossval",
        abstract: "Cross-validate training on labelled pages: each fold is scored by models trained without it.",
        discussion: "Folds are drawn by group (the URL's host by default), so a site is never on both sides of a fold. Each fold trains the block model on the other folds (and --also-train), fits the region model on the other folds' out-of-fold scores, and scores its pages as `evaluate` would.")

    @OptionGroup var input: InputOptions
    @OptionGroup var annotation: AnnotationOptions

    @Option(help: "Folds.")
    var folds = 5

    @Option(help: "What keeps pages together: page, site (the URL's host), source (corpus) or file.")
    var groupBy = "site"

    @Option(help: "Seed of the fold assignment.")
    var seed: UInt64 = 0

    @Option(parsing: .upToNextOption, help: "Labelled data added to every fold's training and never scored.")
    var alsoTrain: [String] = []

    @Option(help: "Write every figure as JSON to this file.")
    var json: String?

    @Option(help: "Write each held-out page's extracted text as JSONL (id, source, url, fold, f1, text) to this file.")
    var predictions: String?

    @Option(help: "Keep each fold's model and the ids of its held-out pages in this folder (fold-K.model.json, fold-K.pages.txt).")
    var keep: String?

    @Option(help: "Reuse the fold block models that --keep wrote to this folder (same inputs and folds): only the region model and the output policy are fitted again.")
    var reuse: String?

    @OptionGroup var training: TrainingOptions

    @Flag(help: "Train no region model (the page-level choice of the main region).")
    var noRegionModel = false

    @Flag(help: "Also train each fold's noise model (teasers and calls to action among boilerplate) on its training pages that name them; --annotations marks reach every model here.")
    var noiseModel = false

    @OptionGroup var policyOptions: PolicyOptions

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        guard Folds.Grouping(rawValue: groupBy) != nil else { throw ValidationError("--group-by: page, site, source or file") }
    }

    func run() throws {
        var summary = BatchSummary(verb: "read")
        let pages = try LabelledInput.read(input, annotation: annotation, summary: &summary)
        let extra = alsoTrain.isEmpty ? [] : try LabelledInput.read(input.with(inputs: alsoTrain, split: input.split), summary: &summary)
        var crossValidation = CrossValidation()
        crossValidation.folds = folds
        crossValidation.grouping = Folds.Grouping(rawValue: groupBy)!
        crossValidation.seed = seed
        crossValidation.trainer = training.trainer(jobs: input.jobs)
        crossValidation.trainer.regionFolds = noRegionModel ? 0 : folds
        crossValidation.trainer.noiseModel = noiseModel
        crossValidation.policy = policyOptions.policy
        if noRegionModel { crossValidation.policy.usesRegion = false }
        let result: CrossValidation.Result
        do {
            let line = Progress(verb: "")
            let blockModels = try reuse.map { try keptModels(in: $0, pages: pages, crossValidation: crossValidation) }
            result = try crossValidation.run(pages, alsoTrain: extra, blockModels: blockModels, progress: { line.end(); printError($0) }, iteration: { line.show($0) })
            line.end()
        } catch let error as TrainingError {
            printError("thresher: cannot cross-validate: \(error)")
            throw ExitStatus.someFailed
        }
        let grouping = crossValidation.grouping
        print(CrossValidationFormat.table(result, folds: folds, grouping: grouping, threshold: policyOptions.threshold ?? 0.5, policy: crossValidation.policy))
        if let json { try LineWriter.write(CrossValidationFormat.json(result, folds: folds, grouping: grouping, policy: crossValidation.policy), to: json) }
        if let predictions { try LineWriter.write(CrossValidationFormat.predictions(result), to: predictions) }
        if let keep { try keepFolds(result, in: keep) }
        try summary.finish()
    }

    /// The fold models `--keep` wrote, after checking that each was kept for the same held-out pages.
    private func keptModels(in folder: String, pages: [SegmentedPage], crossValidation: CrossValidation) throws -> [Model] {
        let folds = Folds(pages, count: crossValidation.folds, grouping: crossValidation.grouping, seed: crossValidation.seed)
        return try (0..<folds.count).map { fold in
            let name = (folder as NSString).appendingPathComponent("fold-\(fold + 1)")
            guard let list = try? String(contentsOfFile: name + ".pages.txt", encoding: .utf8) else {
                printError("thresher: \(name).pages.txt: cannot be read (is \(folder) a folder written by --keep?)")
                throw ExitStatus.usage
            }
            let kept = Set(list.split(separator: "\n").map(String.init))
            guard kept == Set(folds.split(fold).held.map { pages[$0].id }) else {
                printError("thresher: \(name).pages.txt: kept for other pages or folds than these inputs and options")
                throw ExitStatus.usage
            }
            return try ModelFile.read(name + ".model.json")
        }
    }

    /// Writes each fold's model and held-out page ids, so a fold can be rescored or inspected with `evaluate`.
    private func keepFolds(_ result: CrossValidation.Result, in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (fold, model) in result.models.enumerated() {
            let name = (folder as NSString).appendingPathComponent("fold-\(fold + 1)")
            try ModelFile.write(model, to: name + ".model.json")
            let ids = result.pages.filter { $0.fold == fold }.map(\.id)
            try LineWriter.write(ids.map { $0 + "\n" }.joined(), to: name + ".pages.txt")
        }
        printError("fold models and held-out page ids kept in \(folder)")
    }
}
