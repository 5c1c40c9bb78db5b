import ArgumentParser
import Thresher

/// The `--model` option of the commands that apply a model.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model file (default: the shipped Models/default-model.json).")
    var model: String?

    /// Loads the model; a model problem ends the command with exit code 3.
    func load() throws -> Model {
        try Model.load(model)
    }
}
