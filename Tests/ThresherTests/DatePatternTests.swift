import XCTest
@testable import Thresher

final class DatePatternTests: XCTestCase {
    func testTimesAndDatesAreFound() {
        XCTAssertEqual(DatePattern.find(in: "2 days ago at 08:49 am").time, true)
        XCTAssertEqual(DatePattern.find(in: "Monday November 18, 2019 7:45 am PST").time, true)
        XCTAssertEqual(DatePattern.find(in: "Monday November 18, 2019 7:45 am PST").date, true, "a year alone is a date")
        XCTAssertEqual(DatePattern.find(in: "05/10/2018 - Publicado por: Clarissa Borba").date, true)
        XCTAssertEqual(DatePattern.find(in: "date 2021-08-03 .").date, true)
        XCTAssertEqual(DatePattern.find(in: "Am 25.09.18 um 9 Uhr").date, true)
    }

    func testOtherNumbersAreNot() {
        for text in ["Version 1.2.3 fixes the bug", "Call 192.168.1.1", "Rated 4.5 of 5", "Score 3-1 at half time",
                     "Model X2019A", "It costs 2500 dollars", "Page 12345", "Published: Updated:"] {
            let found = DatePattern.find(in: text)
            XCTAssertFalse(found.time || found.date, text)
        }
    }
}
