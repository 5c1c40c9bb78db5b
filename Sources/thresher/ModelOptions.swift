import ArgumentParser
import Thresher

/// The options of the commands that apply a model: `--model` and how its probabilities become labels.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model file, or the name of a shipped model: default (Models/default-model.json) or headlines (Models/headlines-model.json, for lists of lone headlines). (default: default)")
    var model: String?

    @OptionGroup var policyOptions: PolicyOptions

    /// The output policy these options ask for.
    var policy: OutputPolicy { policyOptions.policy }

    /// The editorial threshold the user chose, if any.
    var threshold: Float? { policyOptions.threshold }

    /// Loads the model; a model problem ends the command with exit code 3.
    func load() throws -> Model {
        try Model.load(model)
    }

    /// Scores every page of the inputs in parallel and writes what `render` makes of each (its lines,
    /// newlines included; built by the worker that scored the page) to standard output in input order,
    /// `separator` between pages; failures are reported and the summary ends the run. `editorialOnly`
    /// (`extract`) skips the rules that only rename non-editorial blocks (the link rules).
    func scorePages(_ input: InputOptions, verb: String, separator: String = "", editorialOnly: Bool = false,
                    render: @escaping @Sendable (ScoredPage) -> [UInt8]) throws {
        try scorePages(input, verb: verb, separator: separator, explainTop: nil, editorialOnly: editorialOnly) { scored, _ in render(scored) }
    }

    /// `scorePages`, with each page's block explanations (`Scorer.explained`) when `explainTop` is given
    /// (empty otherwise).
    func scorePages(_ input: InputOptions, verb: String, separator: String = "", explainTop: Int?, editorialOnly: Bool = false,
                    render: @escaping @Sendable (ScoredPage, [BlockExplanation]) -> [UInt8]) throws {
        let scorer = Scorer(try load())
        var summary = BatchSummary(verb: verb)
        let output = LineWriter()
        output.eager = input.streams
        let progress = Progress(verb: verb)
        let reader = PageReader()
        var chosen = self.policy
        if editorialOnly { chosen.namesTeasers = false }
        let policy = chosen
        let failures = try input.batch.run(input.sources(&summary), work: {
            let page = try reader.read($0)
            if let top = explainTop {
                let (scored, explanations) = scorer.explained(page, policy: policy, top: top)
                return render(scored, explanations)
            }
            return render(scorer.score(page, policy: policy), [])
        }) { bytes in
            if summary.done > 0 && !separator.isEmpty { try output.writeRaw(separator) }
            try output.write(bytes: bytes)
            summary.done += 1
            progress.tick(summary.done)
        }
        try output.commit()
        progress.end()
        summary.fail(failures)
        try summary.finish()
    }
}
