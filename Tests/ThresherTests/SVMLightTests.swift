import XCTest
@testable import Thresher

/// `thresher features --model`: each page's rows standardised as the block model that scores it sees them.
final class SVMLightTests: XCTestCase {
    func testTextScrapesAreStandardisedByTheTextModel() {
        let text = TrainingTestPages.pages(count: 1)[0]
        var html = text
        html.id = "html"
        html.format = .html
        html.blocks = text.blocks.map { Block(text: $0.text, tag: "p", index: $0.index) }
        let d = FeatureSet.dimension, classes = text.labels!.reduce(into: [Label]()) { if !$0.contains($1) { $0.append($1) } }
        func model(mean: Float, scale: Float) -> Model {
            Model(classes: classes, mean: [Float](repeating: mean, count: d), scale: [Float](repeating: scale, count: d),
                  weights: [Float](repeating: 0, count: classes.count * d), bias: [Float](repeating: 0, count: classes.count))
        }
        var main = model(mean: 0, scale: 1)
        main.textModel = model(mean: 1, scale: 2)
        let raw = Dataset.build([html, text], jobs: 1).features.values
        let exported = SVMLight.standardised([html, text], model: main, jobs: 1)
        let htmlValues = html.blocks.count * d
        XCTAssertEqual(Array(exported.features.values[..<htmlValues]), Array(raw[..<htmlValues]), "HTML rows: the main model's statistics")
        XCTAssertEqual(Array(exported.features.values[htmlValues...]), raw[htmlValues...].map { ($0 - 1) * 2 }, "text rows: the text model's")
        main.textModel = nil
        XCTAssertEqual(SVMLight.standardised([text], model: main, jobs: 1).features.values, Array(raw[htmlValues...]), "no text model: the main one")
    }
}
