import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Shared set-up and helpers of the bad-input tests on the built binary.
class BadInputTestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try CLI.temporaryFolder(removedAfter: nil)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: Helpers

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    func write(_ name: String, _ data: Data) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    func temporaryFiles() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
    }

    func replacing(_ pattern: String, in text: String, with replacement: String) throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: replacement)
    }

    func gzipped(_ text: String) throws -> Data { try gzipped(Data(text.utf8)) }

    func gzipped(_ data: Data) throws -> Data {
        let plain = try write("plain-\(UUID().uuidString)", data)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        // -n: no file name in the header, so the deflate data starts at byte 10.
        let run = try Child.run(["-c", "-n", "-9", plain], executable: "/bin/gzip")
        XCTAssertEqual(run.status, 0)
        return run.stdout
    }

    /// A small model trained once for the tests that need one.
    func tinyModel() throws -> String {
        let data = folder.appendingPathComponent("tiny-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let a = data.appendingPathComponent("a.labels.tsv").path, b = data.appendingPathComponent("b.labels.tsv").path
        try Data("""
        editorial\tThe council approved the new budget on Tuesday after a long debate.
        boilerplate\tHome | News | Sport | Contact
        editorial\tMembers said the plan would fund schools and roads for years to come.
        boilerplate\tCopyright 2024 Example News. All rights reserved.

        """.utf8).write(to: URL(fileURLWithPath: a))
        try Data("""
        editorial\tThe mayor said the vote was a turning point for the city and its people.
        boilerplate\tSubscribe to our newsletter
        boilerplate\tPrivacy policy | Terms of use
        editorial\tCritics argued that the spending was far too high for a small town.

        """.utf8).write(to: URL(fileURLWithPath: b))
        let model = data.appendingPathComponent("model.json").path
        let run = try Child.run(["train", a, b, "--out", model])
        XCTAssertEqual(run.status, 0, run.stderr)
        return model
    }

    /// Checks a run failed on exactly these inputs, one clean line each, then the summary line.
    func assertFailures(_ run: Child.Result, _ failures: [(input: String, cause: String)], done: Int, verb: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.status, failures.isEmpty ? 0 : 1, run.stderr, file: file, line: line)
        assertClean(run, file: file, line: line)
        let lines = run.stderrLines
        XCTAssertEqual(lines.count, failures.count + 1, run.stderr, file: file, line: line)
        for (message, failure) in zip(lines, failures) {
            XCTAssertTrue(message.hasPrefix("thresher: ") && message.contains(failure.input) && message.contains(failure.cause),
                          "expected \(failure.input): \(failure.cause), got \(message)", file: file, line: line)
        }
        XCTAssertEqual(lines.last, "\(done) pages \(verb), \(failures.count) failed", file: file, line: line)
    }

    /// No crash, trap or stack trace: every standard-error line is a message or a summary.
    func assertClean(_ run: Child.Result, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(run.signal, "killed by signal \(run.signal ?? 0)", file: file, line: line)
        for marker in ["Fatal error", "Stack dump", "Backtrace", "backtrace", "Segmentation", "Illegal instruction", "SIGSEGV", "0x0000"] {
            XCTAssertFalse(run.stderr.contains(marker), "stderr shows a crash: \(run.stderr.prefix(2000))", file: file, line: line)
        }
        for message in run.stderrLines {
            let isMessage = message.hasPrefix("thresher: ") || message.hasPrefix("Error: ") || message.hasPrefix("Usage: ")
            let isReport = message.contains(" pages ") || message.hasPrefix("trained on ") || message.hasPrefix("model written to ")
            XCTAssertTrue(isMessage || isReport, "unexpected stderr line: \(message)", file: file, line: line)
        }
    }
}

/// A child process started with posix_spawn and reaped with wait4, which gives its peak resident size.
struct Child {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    let capturesStdout: Bool
    let stdinWriter: Int32?

    struct Result {
        var status: Int32
        /// The signal that ended the process, if one did.
        var signal: Int32?
        var stdout: Data
        var stderr: String
        /// Peak resident set size in kB (`ru_maxrss`). It includes the test process's own size at the
        /// spawn (posix_spawn shares our memory until exec); `highWaterKB` does not.
        var peakKB: Int
        /// The process's own peak resident size in kB (`VmHWM`, read while it ran; 0 when not seen).
        var highWaterKB = 0

        var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
        var stdoutLines: [String] { stdoutString.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// Runs thresher (or `executable`) to its end; standard input is `stdin`, or empty.
    static func run(_ arguments: [String], stdin: Data? = nil, stdoutPath: String? = nil, executable: String? = nil,
                    timeout: TimeInterval = 60) throws -> Result {
        var inputPath = "/dev/null"
        var inputFile: String?
        if let stdin {
            inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-stdin-\(UUID().uuidString)").path
            try stdin.write(to: URL(fileURLWithPath: inputFile!))
            inputPath = inputFile!
        }
        defer { if let inputFile { try? FileManager.default.removeItem(atPath: inputFile) } }
        let child = try start(arguments, stdinPath: inputPath, stdoutPath: stdoutPath, executable: executable)
        return try child.wait(timeout: timeout)
    }

    static func start(_ arguments: [String], stdinPath: String = "/dev/null", holdStandardInput: Bool = false,
                      stdoutPath: String? = nil, executable: String? = nil) throws -> Child {
        let binary = try executable ?? CLI.binary
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let out = stdoutPath ?? scratch.appendingPathComponent("stdout").path
        let err = scratch.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if holdStandardInput {
            guard pipe(&pipeEnds) == 0 else { throw POSIXError(.EIO) }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | (stdoutPath == nil ? O_TRUNC : 0), 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        if holdStandardInput { close(pipeEnds[0]) }
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return Child(pid: pid, stdoutPath: out, stderrPath: err, capturesStdout: stdoutPath == nil,
                     stdinWriter: holdStandardInput ? pipeEnds[1] : nil)
    }

    /// Waits for the process (killing it after `timeout` seconds, which fails the run as a hang).
    func wait(timeout: TimeInterval) throws -> Result {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var usage = rusage()
        var hung = false
        var highWater = 0
        while true {
            highWater = max(highWater, Child.highWaterKB(pid))
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw POSIXError(.ECHILD) }
            if Date() > deadline && !hung {
                hung = true
                kill(pid, SIGKILL)
            }
            usleep(10_000)
        }
        if let stdinWriter { close(stdinWriter) }
        let scratch = URL(fileURLWithPath: stderrPath).deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdout = capturesStdout ? try Data(contentsOf: URL(fileURLWithPath: stdoutPath)) : Data()
        let stderr = String(decoding: try Data(contentsOf: URL(fileURLWithPath: stderrPath)), as: UTF8.self)
        XCTAssertFalse(hung, "the process did not end within \(timeout) s (a hang)")
        let signaled = status & 0x7F
        return Result(status: signaled == 0 ? (status >> 8) & 0xFF : 128 + signaled, signal: signaled == 0 ? nil : signaled,
                      stdout: stdout, stderr: stderr, peakKB: usage.ru_maxrss, highWaterKB: highWater)
    }

    /// `VmHWM` of a running process in kB, from /proc (0 when it cannot be read).
    static func highWaterKB(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}

/// A small seeded generator, so generated test data is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

extension String {
    /// The text of data that is valid UTF-8, else nil.
    init?(validatingUTF8Data data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
