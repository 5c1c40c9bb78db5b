/// A model that cannot be used: missing, damaged, of another format, or for other features.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    /// The error of the model at `path`, for `reason`.
    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "model \(path): \(reason)" }
}
