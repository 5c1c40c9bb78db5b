import Foundation
import XCTest
@testable import Thresher

/// The noise model: what it trains on, that it only ever renames boilerplate, and its file fields.
final class NoiseModelTests: XCTestCase {
    /// The synthetic pages as HTML pages (one `<p>` per line); each has one promo line.
    private func htmlPages(count: Int = 6) -> [SegmentedPage] {
        TrainingTestPages.pages(count: count).map { page in
            var html = page
            html.format = .html
            html.blocks = page.blocks.map { Block(text: $0.text, tag: "p", index: $0.index) }
            return html
        }
    }

    /// The pages as a public corpus labels them: the promo line folded into boilerplate.
    private func folded(_ pages: [SegmentedPage]) -> [SegmentedPage] {
        pages.map { page in
            var page = page
            page.labels = page.labels!.map { $0 == .promo ? .boilerplate : $0 }
            return page
        }
    }

    func testTrainsOnTheNoiseBlocksOfMarkedHTMLPagesOnly() throws {
        let marked = htmlPages(count: 4)
        let unmarked = folded(htmlPages(count: 2)).map { page -> SegmentedPage in
            var page = page
            page.id = "unmarked-" + page.id
            return page
        }
        let text = TrainingTestPages.pages(count: 2)
        var trainer = Trainer()
        trainer.noiseThreshold = 0.6
        let noise = try trainer.trainNoiseModel(marked + unmarked + text)
        XCTAssertEqual(noise.classes, [.boilerplate, .promo], "editorial never reaches the noise model")
        XCTAssertEqual(noise.training.pages, marked.count, "only HTML pages that name a promo or teaser")
        let expected = marked.flatMap { $0.labels! }.filter { $0 != .editorial }
        XCTAssertEqual(noise.training.blocks, expected.count)
        XCTAssertEqual(noise.training.blocksPerClass, ["boilerplate": 20, "promo": 4])
        XCTAssertEqual(noise.threshold, 0.6)
        XCTAssertNil(noise.smoother)
        XCTAssertThrowsError(try trainer.trainNoiseModel(unmarked), "pages without marks give nothing to learn")
        // `train` with `noiseModel` and no pages of its own (crossval's folds) learns from the training pages.
        trainer.noiseModel = true
        trainer.regionFolds = 0
        XCTAssertEqual(try trainer.train(marked + unmarked).noiseModel?.training.pages, marked.count)
        trainer.noiseModel = false
        XCTAssertNil(try trainer.train(marked + unmarked).noiseModel)
    }

    func testAPagesTeasersAndPromosCountAsAtMostTheCap() {
        var trainer = Trainer()
        trainer.rareClassPageCap = 100
        let labels = [Label](repeating: .promo, count: 300) + [Label](repeating: .clickbait, count: 50) + [.boilerplate, .boilerplate]
        let data = Dataset(features: FeatureMatrix(rows: labels.count, columns: 1), labels: labels,
                           sources: [String](repeating: "a", count: labels.count), pageOfRow: [Int](repeating: 0, count: labels.count), pageCount: 1)
        let shares = trainer.capShares(data)
        XCTAssertEqual(shares[0], 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(shares[300], 1, "50 teasers stay under the cap")
        XCTAssertEqual(shares[351], 1, "boilerplate is never capped")
        trainer.rareClassPageCap = nil
        XCTAssertEqual(Set(trainer.capShares(data)), [1])
    }

    /// A main model that sees the promo lines as boilerplate (as the corpora label them) and a noise
    /// model trained on the marked pages.
    private func models() throws -> (main: Model, noise: Model, pages: [SegmentedPage]) {
        let pages = htmlPages()
        var trainer = Trainer()
        trainer.c = 1
        trainer.regionFolds = 0
        trainer.noiseModel = true
        trainer.noiseC = 1
        var main = try trainer.train(folded(pages), noisePages: pages)
        let noise = try XCTUnwrap(main.noiseModel)
        main.noiseModel = nil
        return (main, noise, pages)
    }

    func testNamesPromosAmongBoilerplateAndLeavesEveryOtherLabel() throws {
        let (main, noise, pages) = try models()
        var both = main
        both.noiseModel = noise
        var named = 0
        for page in pages {
            let plain = Scorer(main).score(page).labels
            let labels = Scorer(both).score(page).labels
            XCTAssertEqual(Scorer(both).score(page).probabilities, Scorer(main).score(page).probabilities)
            for (i, (before, after)) in zip(plain, labels).enumerated() where before != after {
                XCTAssertEqual(before, .boilerplate, "block \(i) of \(page.id): only boilerplate is renamed")
                XCTAssertEqual(after, page.labels![i], "block \(i) of \(page.id)")
                named += 1
            }
            XCTAssertEqual(plain.indices.filter { plain[$0] == .editorial }, labels.indices.filter { labels[$0] == .editorial })
        }
        XCTAssertEqual(named, pages.count, "each page's promo line is named")
        // Callers without the block model's features (cross-validation) get the same names.
        let scorer = Scorer(both)
        for page in pages {
            let (smoothed, context, raw, noise) = scorer.sequenceProbabilities(page, threshold: nil)
            XCTAssertNil(noise)
            let policy = OutputPolicy(usesRegion: false)
            XCTAssertEqual(scorer.decided(page, smoothed: smoothed, raw: raw, context: context, policy: policy).labels,
                           scorer.score(page, policy: policy).labels)
        }
        // `score --explain` says which step named it; a policy that names no teasers leaves them.
        let explained = Scorer(both).explained(pages[0], top: 1).explanations
        XCTAssertEqual(explained.filter { $0.rules.contains(OutputPolicy.Rule.noiseModel.rawValue) }.count, 1)
        let quiet = Scorer(both).score(pages[0], policy: OutputPolicy(namesTeasers: false)).labels
        XCTAssertEqual(quiet, Scorer(main).score(pages[0], policy: OutputPolicy(namesTeasers: false)).labels)
    }

    func testRoundTripsThroughTheModelFileWithItsOwnClasses() throws {
        var (main, noise, _) = try models()
        main.noiseModel = noise
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-noise-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile.write(main, to: path)
        let read = try XCTUnwrap(try ModelFile.read(path).noiseModel)
        XCTAssertEqual(read.classes, noise.classes)
        XCTAssertEqual(read.weights.map(\.bitPattern), noise.weights.map(\.bitPattern))
        XCTAssertEqual(read.threshold, noise.threshold)
        XCTAssertEqual(read.training.blocksPerClass, noise.training.blocksPerClass)
        XCTAssertEqual(ModelFile.encode(try ModelFile.read(path)), ModelFile.encode(main))
        // Editorial in a noise model could move editorial text: refused as damaged.
        let damaged = ModelFile.encode(main).replacingOccurrences(of: "\"classes\":[\"boilerplate\",\"promo\"]", with: "\"classes\":[\"editorial\",\"promo\"]")
        XCTAssertNotEqual(damaged, ModelFile.encode(main))
        try damaged.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ModelFile.read(path)) { error in
            XCTAssertTrue("\(error)".contains("noise_model.classes"), "\(error)")
        }
        // A model file without the field reads as a model without a noise model.
        main.noiseModel = nil
        try ModelFile.write(main, to: path)
        XCTAssertNil(try ModelFile.read(path).noiseModel)
    }
}
