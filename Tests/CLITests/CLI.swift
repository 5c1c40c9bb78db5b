import Foundation
import XCTest

/// Runs the built `thresher` binary (from THRESHER_BIN, else the debug or release build).
enum CLI {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var binary: String {
        get throws {
            if let path = ProcessInfo.processInfo.environment["THRESHER_BIN"] { return path }
            for build in ["release", "debug"] {
                let path = repository.appendingPathComponent(".build/\(build)/thresher").path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            throw XCTSkip("no thresher binary: run Scripts/test, or swift build first")
        }
    }

    /// The result of one run: exit status, standard output and standard error.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `thresher` with arguments and optional standard input, from the repository folder.
    @discardableResult
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    removing unset: [String] = [], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repository
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter { !unset.contains($0.key) }
        // Output goes to files, so a large output can never fill a pipe and block the process.
        let folder = try temporaryFolder(removedAfter: nil)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// The path of a file under `../shared`, or a skip when it is absent.
    static func shared(_ relative: String) throws -> String {
        let path = repository.deletingLastPathComponent().appendingPathComponent("shared/\(relative)").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("../shared/\(relative) is absent: this test needs the shared corpora")
        }
        return path
    }

    /// A new empty folder for one test's files, removed when `test` ends (by the caller when `test` is nil).
    static func temporaryFolder(removedAfter test: XCTestCase?) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test?.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
