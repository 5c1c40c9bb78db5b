import ArgumentParser
import Foundation
import Thresher

/// The `thresher` command line: a thin layer that parses arguments and calls the library.
@main
struct ThresherCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thresher",
        abstract: "Separate the editorial text of web pages from navigation, promos, teasers and comments.",
        discussion: """
        Exit codes: 0 all inputs done; 1 some inputs failed (the others were processed); \
        2 usage error; 3 model problem.
        """,
        subcommands: [BlocksCommand.self, LabelCommand.self, FeaturesCommand.self, TrainCommand.self, CrossvalCommand.self,
                      ScoreCommand.self, ExtractCommand.self, EvaluateCommand.self, ReportCommand.self]
    )

    static func main() {
        BLAS.useOneThreadUnlessSet()
        TemporaryFiles.installSignalHandlers()
        // A closed output pipe (`thresher extract - | head`) shows as EPIPE on write, handled below,
        // instead of a signal that kills the process with status 141.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as ExitStatus {
            Foundation.exit(failure.code)
        } catch let error as ModelError {
            printError("thresher: \(error)")
            Foundation.exit(ExitStatus.modelProblem.code)
        } catch let error as OutputError where error.closed {
            Foundation.exit(0)
        } catch let error as OutputError {
            printError("thresher: \(error)")
            Foundation.exit(ExitStatus.someFailed.code)
        } catch let error as InputError {
            printError("thresher: \(error)")
            Foundation.exit(ExitStatus.someFailed.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            // Every other ArgumentParser error is a usage error.
            Foundation.exit(ExitStatus.usage.code)
        }
    }
}

/// The documented exit codes.
struct ExitStatus: Error {
    let code: Int32
    static let someFailed = ExitStatus(code: 1)
    static let usage = ExitStatus(code: 2)
    static let modelProblem = ExitStatus(code: 3)
}

/// Writes one line to standard error.
func printError(_ message: String) {
    writeStandardError(message + "\n")
}

/// Writes text to standard error, ignoring failure: with SIGPIPE ignored (see `main`), FileHandle's write
/// traps on a closed pipe (`2>&1 | head`), and a message nobody reads is no reason to crash.
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return }
        offset += written
    }
}
