import Foundation

/// A progress line on standard error, shown only when it is a terminal.
final class Progress {
    private let verb: String
    private let enabled = isatty(STDERR_FILENO) != 0
    private var last = Date()

    init(verb: String) {
        self.verb = verb
    }

    /// Redraws the line at most a few times a second.
    func tick(_ done: Int) {
        guard enabled, Date().timeIntervalSince(last) > 0.25 else { return }
        last = Date()
        writeStandardError("\r\(done) pages \(verb)")
    }

    /// Shows `text` as the progress line, at most a few times a second.
    func show(_ text: String) {
        guard enabled, Date().timeIntervalSince(last) > 0.25 else { return }
        last = Date()
        writeStandardError("\r\u{1B}[K\(text)")
    }

    func end() {
        if enabled { writeStandardError("\r\u{1B}[K") }
    }
}
