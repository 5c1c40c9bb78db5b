import ArgumentParser
import Thresher

/// The options of the commands that train models (`train`, `crossval`).
struct TrainingOptions: ParsableArguments {
    @Option(help: "Inverse regularisation strength, as scikit-learn's C.")
    var c: Double = 0.01

    @Option(help: "Class weights: none, balanced, or sqrt (the square root of balanced).")
    var classWeight: String = "sqrt"

    @Option(help: "Source weights: equal (each corpus counts the same) or none.")
    var sourceWeight: String = "equal"

    @Flag(inversion: .prefixedNo, help: "Smooth labels over each page's block sequence (a hidden Markov model pass).")
    var smoothing = true

    @Option(help: "L2 strength of the page-level region model.")
    var regionLambda = 1.0

    @Option(help: "Weight of a derived text scrape whose page has gold comments, when training on text scrapes (1: full weight).")
    var textCommentWeight = 1.0

    @Option(help: "Maximum optimiser iterations.")
    var maxIterations = 1000

    @Option(help: "Stop when the gradient norm falls below this fraction of its start.")
    var tolerance = 1e-5

    func validate() throws {
        guard c > 0 else { throw ValidationError("--c must be positive") }
        guard Trainer.ClassWeight(rawValue: classWeight) != nil else { throw ValidationError("--class-weight: none, balanced or sqrt") }
        guard Trainer.SourceWeight(rawValue: sourceWeight) != nil else { throw ValidationError("--source-weight: equal or none") }
        guard textCommentWeight >= 0 else { throw ValidationError("--text-comment-weight must be 0 or more") }
        guard regionLambda > 0 else { throw ValidationError("--region-lambda must be positive") }
    }

    /// A trainer with these options, running `jobs` pages in parallel.
    func trainer(jobs: Int) -> Trainer {
        var trainer = Trainer()
        trainer.c = c
        trainer.classWeight = Trainer.ClassWeight(rawValue: classWeight)!
        trainer.sourceWeight = Trainer.SourceWeight(rawValue: sourceWeight)!
        trainer.smoothing = smoothing
        trainer.regionLambda = regionLambda
        trainer.textCommentWeight = textCommentWeight
        trainer.maxIterations = maxIterations
        trainer.tolerance = tolerance
        trainer.jobs = jobs
        return trainer
    }
}
