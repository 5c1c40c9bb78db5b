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
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
