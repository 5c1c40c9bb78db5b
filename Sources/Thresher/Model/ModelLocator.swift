import Foundation

/// Finds the default model shipped in `Models/`, wherever the binary is run from.
public enum ModelLocator {
    /// The file name of the default model.
    public static let defaultName = "default-model.json"

    /// THRESHER_MODEL if set; else `default-model.json` beside the executable, in `../share/thresher`,
    /// or in a `Models/` folder of the executable's folder or any folder above it (a build in the
    /// repository finds the repository's `Models/`).
    public static func defaultModelPath() -> String? {
        if let path = ProcessInfo.processInfo.environment["THRESHER_MODEL"], !path.isEmpty { return path }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let executableURL = Bundle.main.executableURL?.resolvingSymlinksInPath() ?? executable
        var folder = executableURL.deletingLastPathComponent()
        let candidates = [folder.appendingPathComponent(defaultName),
                          folder.deletingLastPathComponent().appendingPathComponent("share/thresher/\(defaultName)")]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Models/\(defaultName)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// Loads the model at `path`, or the default model when `path` is nil.
    public static func load(_ path: String?) throws -> Model {
        if let path { return try ModelFile.read(path) }
        guard let found = defaultModelPath() else {
            throw ModelError(defaultName, "no default model found (looked beside the executable and in Models/ above it); give --model")
        }
        return try ModelFile.read(found)
    }
}
