import Foundation
import XCTest

/// Locates `../shared` beside the repository; tests that need it skip with a reason when it is absent.
enum SharedData {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let root = repository.deletingLastPathComponent().appendingPathComponent("shared")

    /// The path of a file under `../shared`, or a skip when it is missing.
    static func path(_ relative: String) throws -> String {
        let url = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared/\(relative) is absent: this test needs the shared corpora")
        }
        return url.path
    }
}
