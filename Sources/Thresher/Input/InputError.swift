/// Why an input could not be read; its description is the one-line message a user sees.
public struct InputError: Error, CustomStringConvertible, Sendable {
    /// The input (path, page id, or `-`) that failed.
    public var input: String
    /// The cause, in a few words.
    public var reason: String

    /// The error of `input`, for `reason`.
    public init(_ input: String, _ reason: String) {
        self.input = input
        self.reason = reason
    }

    public var description: String { "\(input): \(reason)" }
}
