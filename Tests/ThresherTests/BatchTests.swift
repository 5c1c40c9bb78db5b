import Foundation
import XCTest
@testable import Thresher

final class BatchTests: XCTestCase {
    private func sources(_ count: Int) -> [PageSource] { (0..<count).map { .file(path: "page\($0).html") } }
    private static func number(_ source: PageSource) -> Int { Int(source.name.dropFirst(4).dropLast(5))! }

    /// Pages of very different cost still come out in input order, each once.
    func testResultsKeepInputOrderWithUnevenWork() throws {
        var seen: [Int] = []
        let failures = Batch(jobs: 3).run(sources(200), work: { source in
            let n = BatchTests.number(source)
            if n % 17 == 0 { usleep(3000) }
            return n
        }) { seen.append($0) }
        XCTAssertEqual(seen, Array(0..<200))
        XCTAssertTrue(failures.isEmpty)
    }

    /// Failures are collected and the batch goes on; with fail-fast it stops at the first in order.
    func testFailuresAndFailFast() throws {
        let work: @Sendable (PageSource) throws -> Int = { source in
            let n = BatchTests.number(source)
            if n % 10 == 3 { throw InputError(source.name, "bad page") }
            return n
        }
        var seen: [Int] = []
        let failures = try Batch(jobs: 2).run(sources(50), work: work) { seen.append($0) }
        XCTAssertEqual(failures.map(\.description).first, "page3.html: bad page")
        XCTAssertEqual(failures.count, 5)
        XCTAssertEqual(seen.count, 45)
        var early: [Int] = []
        let stopped = try Batch(jobs: 2, failFast: true).run(sources(50), work: work) { early.append($0) }
        XCTAssertEqual(stopped.count, 1)
        XCTAssertEqual(early, [0, 1, 2])
    }

    /// An error thrown while handing results on ends the run; the workers stop before `run` returns.
    func testEmitErrorStopsTheWorkers() {
        struct Full: Error {}
        XCTAssertThrowsError(try Batch(jobs: 2).run(sources(10_000), work: { BatchTests.number($0) }) { n in
            if n == 5 { throw Full() }
        })
    }

    /// With one job the work runs on the calling thread: no thread is started.
    func testOneJobRunsOnTheCallingThread() {
        let caller = pthread_self()
        var threads: [pthread_t] = []
        _ = Batch(jobs: 1).run(sources(5), work: { _ in pthread_self() }) { threads.append($0) }
        XCTAssertEqual(threads.count, 5)
        XCTAssertTrue(threads.allSatisfy { pthread_equal($0, caller) != 0 })
    }
}
