import Foundation
import XCTest
@testable import Thresher

/// The region model inside the model file: round trip, versions, and its effect on labels.
final class RegionModelFileTests: XCTestCase {
    func model(region: RegionModel?) -> Model {
        let d = FeatureSet.dimension
        var model = Model(classes: [.editorial, .boilerplate], mean: [Float](repeating: 0, count: d), scale: [Float](repeating: 1, count: d),
                          weights: [Float](repeating: 0, count: 2 * d), bias: [0, 0])
        model.region = region
        return model
    }

    var region: RegionModel {
        let d = RegionFeatures.dimension
        var region = RegionModel(mean: (0..<d).map { Double($0) / 7 }, scale: [Double](repeating: 1.5, count: d),
                                 weights: (0..<d).map { sin(Double($0)) }, confidence: 0.6, insideThreshold: 0.3, outsideThreshold: 0.9)
        region.smoothingBoost = 4
        region.training.pages = 12
        region.training.folds = 5
        return region
    }

    func testRegionModelRoundTrips() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-region-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("m.json").path
        try ModelFile.write(model(region: region), to: path)
        let read = try XCTUnwrap(try ModelFile.read(path).region)
        XCTAssertEqual(read.weights.count, RegionFeatures.dimension)
        for (a, b) in zip(read.weights, region.weights) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertEqual(read.confidence, 0.6)
        XCTAssertEqual(read.outsideThreshold, 0.9)
        XCTAssertEqual(read.training.folds, 5)
        XCTAssertEqual(read.smoothingBoost, 4)
        // A file written before the sequence-pass boost existed reads with the pass as it was.
        let before = folder.appendingPathComponent("before.json").path
        try ModelFile.encode(model(region: region)).replacingOccurrences(of: ",\"smoothing_boost\":[0-9.]+", with: "", options: .regularExpression)
            .write(toFile: before, atomically: true, encoding: .utf8)
        XCTAssertEqual(try XCTUnwrap(try ModelFile.read(before).region).smoothingBoost, 1)
        XCTAssertEqual(ModelFile.encode(try ModelFile.read(path)), ModelFile.encode(model(region: read)))
    }

    func testOtherRegionVersionsAndOlderFilesAreRefusedClearly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-region-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = ModelFile.encode(model(region: region))
        let newer = folder.appendingPathComponent("newer.json").path
        try text.replacingOccurrences(of: "\"region\":{\"version\":\(RegionModel.version)", with: "\"region\":{\"version\":99").write(toFile: newer, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ModelFile.read(newer)) { XCTAssertTrue("\($0)".contains("region model version 99"), "\($0)") }
        let older = folder.appendingPathComponent("older.json").path
        try text.replacingOccurrences(of: "\"format_version\":\(ModelFile.formatVersion)", with: "\"format_version\":1").write(toFile: older, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ModelFile.read(older)) { XCTAssertTrue("\($0)".contains("predates the page-level region model"), "\($0)") }
    }

    func testAConfidentRegionMovesTheThresholds() {
        let m = model(region: region)
        let inside = RegionChoice(region: Region(blocks: 2..<4, element: 0), probability: 0.8, candidates: 3)
        XCTAssertEqual(OutputPolicy().thresholds(blocks: 5, region: inside, model: m), [0.9, 0.9, 0.3, 0.3, 0.9])
        var unsure = inside
        unsure.probability = 0.5
        XCTAssertEqual(OutputPolicy().thresholds(blocks: 5, region: unsure, model: m), [Float](repeating: 0.5, count: 5))
        let whole = RegionChoice(region: Region(blocks: 0..<5, element: nil), probability: 0.99, candidates: 3)
        XCTAssertEqual(OutputPolicy().thresholds(blocks: 5, region: whole, model: m), [Float](repeating: 0.5, count: 5))
        XCTAssertEqual(OutputPolicy(threshold: 0.6).thresholds(blocks: 5, region: inside, model: m).map { ($0 * 100).rounded() / 100 },
                       [1, 1, 0.4, 0.4, 1], "a user's threshold shifts both")
    }
}
