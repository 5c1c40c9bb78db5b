import ArgumentParser
import Thresher

/// The options of the commands that apply a model: `--model` and `--threshold`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model file (default: the shipped Models/default-model.json).")
    var model: String?

    @Option(help: "Editorial probability a block needs to be editorial: lower for recall, higher for precision (default: the model's).")
    var threshold: Float?

    /// Loads the model; a model problem ends the command with exit code 3.
    func load() throws -> Model {
        try Model.load(model)
    }

    /// Scores every page of the inputs in parallel and hands each to `emit` in input order, writing to
    /// standard output; failures are reported and the summary ends the run.
    func scorePages(_ input: InputOptions, verb: String, emit: (ScoredPage, LineWriter, Int) throws -> Void) throws {
        let scorer = Scorer(try load())
        var summary = BatchSummary(verb: verb)
        let output = LineWriter()
        let progress = Progress(verb: verb)
        let reader = PageReader()
        let threshold = self.threshold
        let failures = try input.batch.run(input.sources(&summary), work: { scorer.score(try reader.read($0), threshold: threshold) }) { scored in
            try emit(scored, output, summary.done)
            summary.done += 1
            progress.tick(summary.done)
        }
        try output.commit()
        progress.end()
        summary.fail(failures)
        try summary.finish()
    }
}
