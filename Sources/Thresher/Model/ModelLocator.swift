import Foundation

/// Finds the models shipped in `Models/` (`default`, `headlines`), wherever the binary is run from.
public enum ModelLocator {
    /// The name of the model used when none is given.
    public static let defaultModel = "default"
    /// The file name of the default model.
    public static let defaultName = fileName(of: defaultModel)

    /// The file a shipped model of this name is kept in: `NAME-model.json`.
    public static func fileName(of name: String) -> String { "\(name)-model.json" }

    /// Whether `argument` of `--model` names a shipped model rather than a file: a bare lower-case word
    /// (letters, digits, hyphens) that is not an existing file.
    public static func isShippedName(_ argument: String) -> Bool {
        !argument.isEmpty && argument.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && !FileManager.default.fileExists(atPath: argument)
    }

    /// THRESHER_MODEL if set; else the default model's path (see `shippedModelPath`).
    public static func defaultModelPath() -> String? {
        if let path = ProcessInfo.processInfo.environment["THRESHER_MODEL"], !path.isEmpty { return path }
        return shippedModelPath(defaultModel)
    }

    /// `NAME-model.json` beside the executable, in `../share/thresher`, or in a `Models/` folder of the
    /// executable's folder or any folder above it (a build in the repository finds the repository's `Models/`).
    public static func shippedModelPath(_ name: String) -> String? {
        let file = fileName(of: name)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let executableURL = Bundle.main.executableURL?.resolvingSymlinksInPath() ?? executable
        var folder = executableURL.deletingLastPathComponent()
        let candidates = [folder.appendingPathComponent(file),
                          folder.deletingLastPathComponent().appendingPathComponent("share/thresher/\(file)")]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Models/\(file)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// Loads the model `argument` names (a file, or a shipped model such as `headlines`), or the
    /// default model when it is nil.
    public static func load(_ argument: String?) throws -> Model {
        guard let argument else {
            guard let found = defaultModelPath() else {
                throw ModelError(defaultName, "no default model found (looked beside the executable and in Models/ above it); give --model")
            }
            return try ModelFile.read(found)
        }
        guard isShippedName(argument) else { return try ModelFile.read(argument) }
        guard let found = shippedModelPath(argument) else {
            throw ModelError(argument, "is neither a model file nor a shipped model (no \(fileName(of: argument)) beside the executable or in Models/ above it)")
        }
        return try ModelFile.read(found)
    }
}
