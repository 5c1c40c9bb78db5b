import ArgumentParser
import Thresher

/// `thresher features`: export the feature matrix in svmlight format.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write the standardised feature matrix and labels of labelled pages in svmlight format.",
        discussion: """
        Header lines start with '#': the feature-set version, '# classes: ...' (labels are 0-based indices \
        into this list) and '# features: N'. Features are standardised with the statistics of these pages, \
        or with those of --model when given (to export dev data as a model saw it; text scrapes as its text model \
        saw them). Indices are 1-based.
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var annotation: AnnotationOptions

    @Option(help: "The svmlight file to write.")
    var out: String

    @Option(help: "Standardise with this model's statistics (its text model's for text scrapes) and use its classes.")
    var model: String?

    func run() throws {
        var summary = BatchSummary(verb: "read")
        let pages = try LabelledInput.read(input, annotation: annotation, summary: &summary)
        let loaded = try model.map { try Model.load($0) }
        try SVMLight.write(pages, model: loaded, jobs: input.jobs, to: out)
        try summary.finish()
    }
}
