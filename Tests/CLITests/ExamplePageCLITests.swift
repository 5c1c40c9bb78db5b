import Foundation
import XCTest

/// The page `Scripts/demo` shows a new user first, labelled by the shipped model as a reader would label
/// it under the rules of `TrainingData/README.md`.
final class ExamplePageCLITests: XCTestCase {
    /// Every line of `Scripts/example-page.txt` with the label a reader gives it.
    static let expected: [(label: String, line: String)] = [
        ("boilerplate", "Home"), ("boilerplate", "World"), ("boilerplate", "Business"), ("boilerplate", "Science"),
        ("boilerplate", "Sport"),
        ("promo", "Subscribe"),  // a subscription offer (rule "Sign up")
        ("boilerplate", "Search"),
        ("boilerplate", "Science"),  // the section label over the headline
        ("editorial", "Harbour town trials tide-powered ferry as fuel prices bite"),
        ("boilerplate", "Marit Oyelaran, Coastal Desk"),
        ("boilerplate", "Published: 14 March 2026, 09:12 Updated: 14 March 2026, 11:40"),
        ("promo", "Share"), ("promo", "Tweet"), ("promo", "Email"),  // share controls (rule "Share")
        ("editorial", "The small ferry that links Kelvary harbour"),
        ("editorial", "The operator says the crossing"),
        ("clickbait", "Read more: Island schools to share one head teacher from September"),
        ("editorial", "\"We are not doing this to be fashionable,\""),
        ("editorial", "Engineers from the regional university"),
        ("promo", "Get our morning briefing"),
        ("editorial", "If the trial succeeds"),
        ("promo", "Sponsored: Compare fixed-rate energy deals in two minutes"),
        ("boilerplate", "Topics"), ("boilerplate", "Energy"), ("boilerplate", "Transport"), ("boilerplate", "Islands"),
        ("boilerplate", "Most read"),  // a teaser list's heading
        ("clickbait", "Watch: Seal pup rescued from fishing net by harbour crew"),
        ("clickbait", "Ten foods you should never keep in the fridge, according to chefs"),
        ("clickbait", "Why everyone in Kelvary is suddenly talking about the old lighthouse"),
        ("boilerplate", "Recommended for you"),
        ("clickbait", "Storm season forecast: what the long-range models say"),
        ("promo", "Follow us on Facebook and Instagram for more stories from the coast"),
        ("boilerplate", "About us"), ("boilerplate", "Contact"), ("boilerplate", "Privacy policy"),
        ("boilerplate", "Cookie settings"), ("boilerplate", "© 2026 The Coastal Courier"),
    ]

    func testTheExpectedLabelsNameEveryLineOfThePage() throws {
        let page = try String(contentsOf: CLI.repository.appendingPathComponent("Scripts/example-page.txt"), encoding: .utf8)
        let lines = page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, Self.expected.count)
        for (line, expected) in zip(lines, Self.expected) { XCTAssertTrue(line.hasPrefix(expected.line), "\(line) is not \(expected.line)") }
    }

    /// The target is every line; the shipped model gets 31 of 38 (BENCHMARKS.md, "Text scrapes from real
    /// pages": it loses the headline and names 5 of 11 teasers and calls to action wrongly), so the test
    /// holds that floor and all body paragraphs, and prints each line it still gets wrong.
    func testTheShippedModelLabelsTheExamplePageAsAReaderWould() throws {
        let run = try CLI.run(["score", "--format", "jsonl", "Scripts/example-page.txt"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let labels = run.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["label"] as? String
        }
        XCTAssertEqual(labels.count, Self.expected.count)
        var right = 0
        for (index, (label, expected)) in zip(labels, Self.expected).enumerated() {
            if label == expected.label { right += 1 } else { print("example page line \(index) (\(expected.line)): \(label), a reader says \(expected.label)") }
            // The article's body paragraphs (every editorial line after the headline) are all kept.
            if expected.label == "editorial" && index > 8 { XCTAssertEqual(label, "editorial", expected.line) }
        }
        XCTAssertGreaterThanOrEqual(right, 31, "lines labelled as a reader would")
    }
}
