import XCTest
@testable import Thresher

final class TextSegmenterTests: XCTestCase {
    func testLineEndings() {
        let blocks = TextSegmenter.blocks(of: "one\r\ntwo\rthree\n\n  four  five \n")
        XCTAssertEqual(blocks.map(\.text), ["one", "two", "three", "four five"])
        XCTAssertEqual(blocks.map(\.index), [0, 1, 2, 3])
        XCTAssertEqual(blocks[3].words, 2)
    }

    func testSeedPageGivesThirtySixBlocks() throws {
        let path = try SharedData.path("seed/seed-page.txt")
        let page = try PageReader().read(.file(path: path))
        XCTAssertEqual(page.blocks.count, 36)
        XCTAssertEqual(page.format, .text)
    }
}
