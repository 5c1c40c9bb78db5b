import Foundation
import XCTest
@testable import Thresher

/// A folder of its own under the temporary directory, removed by the caller.
private func makeTemporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-modelfile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A model of the real dimension with seeded weights.
private func sampleModel(seed: UInt64 = 1, classes: [Label] = [.editorial, .boilerplate, .promo]) -> Model {
    var random = TrainingTestRandom(seed: seed)
    let d = FeatureSet.dimension, k = classes.count
    var summary = TrainingSummary()
    summary.pages = 12
    summary.blocks = 345
    summary.blocksPerClass = ["editorial": 100, "boilerplate": 200, "promo": 45]
    summary.pagesPerSource = ["alpha": 5, "beta": 7]
    summary.c = 0.01
    summary.classWeight = "sqrt"
    summary.sourceWeight = "equal"
    summary.iterations = 57
    summary.objective = 12.345678901234567
    summary.gradientNorm = 3.0000000000000004e-05
    summary.converged = true
    summary.seconds = 1.25
    summary.command = "thresher train --c 0.01 \"quoted\" \\ back\nslash ü"
    return Model(classes: classes,
                 mean: (0..<d).map { _ in Float(random.gaussian()) },
                 scale: (0..<d).map { _ in Float(random.uniform(0.01, 10)) },
                 weights: (0..<k * d).map { _ in Float(random.gaussian() * 0.3) },
                 bias: (0..<k).map { _ in Float(random.gaussian()) },
                 threshold: 0.4375, training: summary, devMetrics: ["editorial_f1": 0.8125, "accuracy": 0.1])
}

private func assertBitIdentical(_ a: [Float], _ b: [Float], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, name, file: file, line: line)
    for i in 0..<min(a.count, b.count) where a[i].bitPattern != b[i].bitPattern {
        XCTFail("\(name)[\(i)]: wrote \(a[i]) (0x\(String(a[i].bitPattern, radix: 16))), read \(b[i]) (0x\(String(b[i].bitPattern, radix: 16)))",
                file: file, line: line)
        return
    }
}

private func assertSameModel(_ read: Model, _ written: Model, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(read.classes, written.classes, file: file, line: line)
    XCTAssertEqual(read.featureSetVersion, written.featureSetVersion, file: file, line: line)
    assertBitIdentical(read.mean, written.mean, "mean", file: file, line: line)
    assertBitIdentical(read.scale, written.scale, "scale", file: file, line: line)
    assertBitIdentical(read.weights, written.weights, "weights", file: file, line: line)
    assertBitIdentical(read.bias, written.bias, "bias", file: file, line: line)
    assertBitIdentical([read.threshold], [written.threshold], "threshold", file: file, line: line)
    XCTAssertEqual(read.smoother == nil, written.smoother == nil, "smoothing", file: file, line: line)
    if let r = read.smoother, let w = written.smoother {
        func all(_ s: Smoother) -> [Float] { s.priors + s.transitions + s.boundaryTransitions + s.textTransitions + [s.htmlEmissionPower] }
        assertBitIdentical(all(r), all(w), "smoothing", file: file, line: line)
    }
    let r = read.training, w = written.training
    XCTAssertEqual(r.pages, w.pages, file: file, line: line)
    XCTAssertEqual(r.blocks, w.blocks, file: file, line: line)
    XCTAssertEqual(r.blocksPerClass, w.blocksPerClass, file: file, line: line)
    XCTAssertEqual(r.pagesPerSource, w.pagesPerSource, file: file, line: line)
    // The Doubles of the summary are compared to a few ulps here: see testTrainingSummaryDoublesReadBackBitForBit.
    func close(_ a: Double, _ b: Double, _ name: String) {
        XCTAssertEqual(a, b, accuracy: 8 * b.ulp, "\(name): read \(a), wrote \(b)", file: file, line: line)
    }
    close(r.c, w.c, "c")
    XCTAssertEqual(r.classWeight, w.classWeight, file: file, line: line)
    XCTAssertEqual(r.sourceWeight, w.sourceWeight, file: file, line: line)
    XCTAssertEqual(r.iterations, w.iterations, file: file, line: line)
    close(r.objective, w.objective, "objective")
    close(r.gradientNorm, w.gradientNorm, "gradient norm")
    XCTAssertEqual(r.converged, w.converged, file: file, line: line)
    close(r.seconds, w.seconds, "seconds")
    XCTAssertEqual(r.command, w.command, file: file, line: line)
    XCTAssertEqual(read.devMetrics.keys.sorted(), written.devMetrics.keys.sorted(), file: file, line: line)
    for (name, value) in written.devMetrics { close(read.devMetrics[name] ?? .nan, value, "dev metric \(name)") }
}

final class ModelFileTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func testRoundTripIsBitIdentical() throws {
        let model = sampleModel()
        let path = folder.appendingPathComponent("model.json").path
        try ModelFile.write(model, to: path)
        let read = try ModelFile.read(path)
        assertSameModel(read, model)
    }

    /// KNOWN FAILURE (source bug, ModelFile.read): the Doubles of `training` and `dev_metrics` come back a few
    /// ulps off, because swift-corelibs-foundation's JSONSerialization does not round decimal numbers correctly
    /// (it reads 12.345678901234567 as 12.345678901234564; JSONDecoder reads it right). So a model that is read
    /// and written again gives a different file.
    func testTrainingSummaryDoublesReadBackBitForBit() throws {
        let model = sampleModel()
        let path = folder.appendingPathComponent("summary.json").path
        try ModelFile.write(model, to: path)
        let read = try ModelFile.read(path)
        let pairs: [(String, Double, Double)] = [
            ("c", read.training.c, model.training.c), ("objective", read.training.objective, model.training.objective),
            ("gradient_norm", read.training.gradientNorm, model.training.gradientNorm),
            ("seconds", read.training.seconds, model.training.seconds),
        ] + model.devMetrics.keys.sorted().map { ("dev_metrics.\($0)", read.devMetrics[$0] ?? .nan, model.devMetrics[$0]!) }
        for (name, got, wrote) in pairs {
            XCTAssertEqual(got.bitPattern, wrote.bitPattern, "\(name): wrote \(wrote), read back \(got)")
        }
        // Writing what was read gives the same file.
        XCTAssertTrue(ModelFile.encode(read) == ModelFile.encode(model), "re-encoding a read model changes the file")
    }

    func testTextModelRoundTripsAndVersion2FilesReadWithoutOne() throws {
        var model = sampleModel()
        var text = sampleModel(seed: 3)
        text.training.command = "text model"
        text.devMetrics = ["line_f1": 0.5]
        model.textModel = text
        let path = folder.appendingPathComponent("text.json").path
        try ModelFile.write(model, to: path)
        let read = try ModelFile.read(path)
        assertSameModel(read, model)
        let readText = try XCTUnwrap(read.textModel, "the text model was not read back")
        assertSameModel(readText, text)
        XCTAssertNil(readText.textModel)
        // A version 2 file (before text models) reads as a model without one.
        let old = ModelFile.encode(sampleModel())
            .replacingOccurrences(of: "\"format_version\":\(ModelFile.formatVersion)", with: "\"format_version\":2")
            .replacingOccurrences(of: "\"text_model\":null,\n", with: "")
        try old.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertNil(try ModelFile.read(path).textModel)
        // A damaged text model names itself.
        let damaged = ModelFile.encode(model).replacingOccurrences(of: "\"threshold\":0.4375", with: "\"threshold\":\"x\"")
        try damaged.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ModelFile.read(path))
    }

    func testModelsWithoutEmissionPowerReadAsPlainEmissions() throws {
        var model = sampleModel(classes: [.editorial, .boilerplate])
        model.smoother = Smoother(transitions: [0.9, 0.1, 0.2, 0.8], boundaryTransitions: [0.5, 0.5, 0.5, 0.5],
                                  textTransitions: [0.7, 0.3, 0.3, 0.7], priors: [0.4, 0.6], htmlEmissionPower: 0.6)
        let path = folder.appendingPathComponent("power.json").path
        try ModelFile.write(model, to: path)
        assertSameModel(try ModelFile.read(path), model)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains(",\"html_emission_power\":0.6}"))
        // A file from before the field existed smooths as it did then.
        try text.replacingOccurrences(of: ",\"html_emission_power\":0.6", with: "").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ModelFile.read(path).smoother?.htmlEmissionPower, 1)
        try text.replacingOccurrences(of: "\"html_emission_power\":0.6", with: "\"html_emission_power\":-1").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ModelFile.read(path)) { XCTAssertTrue("\($0)".contains("html_emission_power")) }
    }

    func testRoundTripOfATrainedModelIsBitIdentical() throws {
        var model = try Trainer().train(TrainingTestPages.pages())
        model.training.command = "thresher train"
        let path = folder.appendingPathComponent("trained.json").path
        try ModelFile.write(model, to: path)
        let read = try ModelFile.read(path)
        assertSameModel(read, model)
    }

    /// Awkward Floats: negative zero, subnormals, the extremes, values needing nine digits, random bit patterns.
    func testRoundTripOfAwkwardFloatsIsBitIdentical() throws {
        var model = sampleModel(seed: 7)
        var random = TrainingTestRandom(seed: 77)
        let special: [Float] = [-0.0, 0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                                .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 0.1, 1.0 / 3, 16_777_216,
                                Float(bitPattern: 0x3F80_0001), Float(bitPattern: 0x0000_1234), 1e-38, 3.4e38, 1e-7]
        for (i, value) in special.enumerated() { model.weights[i] = value }
        for i in special.count..<model.weights.count {
            var value: Float
            repeat { value = Float(bitPattern: UInt32(truncatingIfNeeded: random.next())) } while !value.isFinite
            model.weights[i] = value
        }
        model.bias = [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        model.threshold = Float(bitPattern: 0x3F00_0001)
        let path = folder.appendingPathComponent("awkward.json").path
        try ModelFile.write(model, to: path)
        let read = try ModelFile.read(path)
        assertSameModel(read, model)
    }

    // MARK: refused files

    /// Writes `text` and checks that reading it throws a `ModelError` whose description holds `expected`.
    private func assertRefused(_ text: String, name: String, mentioning expected: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        try assertRefused(Data(text.utf8), name: name, mentioning: expected, file: file, line: line)
    }

    private func assertRefused(_ data: Data, name: String, mentioning expected: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let path = folder.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ModelFile.read(path), file: file, line: line) { error in
            guard let error = error as? ModelError else {
                return XCTFail("not a ModelError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.description.contains(expected), "\"\(error.description)\" does not mention \"\(expected)\"",
                          file: file, line: line)
        }
    }

    /// The unmodified text reads, so each refusal below is down to its one change.
    func testUnmodifiedEncodingReads() throws {
        let path = folder.appendingPathComponent("plain.json").path
        try Data(ModelFile.encode(sampleModel()).utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertNoThrow(try ModelFile.read(path))
    }

    func testFeatureSetVersionMismatchIsRefused() throws {
        let text = ModelFile.encode(sampleModel())
        let field = "\"feature_set_version\":\(FeatureSet.version)"
        XCTAssertTrue(text.contains(field))
        let changed = text.replacingOccurrences(of: field, with: "\"feature_set_version\":\(FeatureSet.version + 1)")
        try assertRefused(changed, name: "features.json", mentioning: "feature set version")
        try assertRefused(changed, name: "features2.json", mentioning: "\(FeatureSet.version + 1)")
    }

    func testFormatVersionMismatchIsRefused() throws {
        let text = ModelFile.encode(sampleModel())
        let field = "\"format_version\":\(ModelFile.formatVersion)"
        XCTAssertTrue(text.contains(field))
        let changed = text.replacingOccurrences(of: field, with: "\"format_version\":\(ModelFile.formatVersion + 1)")
        try assertRefused(changed, name: "format.json", mentioning: "format version")
    }

    func testTruncatedFileIsRefusedAsDamaged() throws {
        let data = Data(ModelFile.encode(sampleModel()).utf8)
        try assertRefused(data.prefix(data.count / 2), name: "truncated.json", mentioning: "damaged")
        try assertRefused(Data(), name: "empty.json", mentioning: "damaged")
    }

    func testNaNWeightIsRefusedAsDamaged() throws {
        let text = ModelFile.encode(sampleModel())
        let marker = "\"weights\":[\n["
        let start = try XCTUnwrap(text.range(of: marker)).upperBound
        let end = try XCTUnwrap(text[start...].firstIndex(of: ","))
        let changed = text.replacingCharacters(in: start..<end, with: "NaN")
        XCTAssertTrue(changed.contains("\"weights\":[\n[NaN,"))
        try assertRefused(changed, name: "nan.json", mentioning: "damaged")
    }

    func testNaNWrittenByAModelIsNotReadBack() throws {
        // A model with a NaN weight is written with `null` there, which reading refuses.
        var model = sampleModel()
        model.weights[5] = .nan
        try assertRefused(ModelFile.encode(model), name: "null.json", mentioning: "damaged")
    }

    func testMissingFileIsReported() {
        let path = folder.appendingPathComponent("absent.json").path
        XCTAssertThrowsError(try ModelFile.read(path)) { error in
            XCTAssertTrue(String(describing: error).contains("not found"), "\(error)")
        }
    }
}

final class ScorerTests: XCTestCase {
    /// A small model (the scorer only needs the dimension of the mean) with seeded parameters.
    private func smallModel(classes: [Label], d: Int, seed: UInt64, threshold: Float = 0.5) -> Model {
        var random = TrainingTestRandom(seed: seed)
        let k = classes.count
        return Model(classes: classes,
                     mean: (0..<d).map { _ in Float(random.gaussian()) },
                     scale: (0..<d).map { _ in Float(random.uniform(0.5, 2)) },
                     weights: (0..<k * d).map { _ in Float(random.gaussian()) },
                     bias: (0..<k).map { _ in Float(random.gaussian() * 0.5) },
                     threshold: threshold)
    }

    private func randomFeatures(rows: Int, columns: Int, seed: UInt64) -> FeatureMatrix {
        var random = TrainingTestRandom(seed: seed)
        return FeatureMatrix(rows: rows, columns: columns, values: (0..<rows * columns).map { _ in Float(2 * random.gaussian()) })
    }

    func testProbabilitiesSumToOneAndMatchStandardisedSoftmax() {
        let classes: [Label] = [.boilerplate, .editorial, .comment, .promo]
        let d = 7, k = classes.count, n = 60
        let model = smallModel(classes: classes, d: d, seed: 3)
        let features = randomFeatures(rows: n, columns: d, seed: 4)
        let p = Scorer(model).probabilities(features)
        XCTAssertEqual(p.count, n * k)
        for r in 0..<n {
            let row = p[r * k..<(r + 1) * k]
            XCTAssertEqual(row.reduce(0) { $0 + Double($1) }, 1, accuracy: 1e-5, "row \(r)")
            XCTAssertTrue(row.allSatisfy { $0 >= 0 && $0 <= 1 })
            // Reference in double: softmax(W ((x - mean) * scale) + b).
            let z = (0..<k).map { c in
                var s = Double(model.bias[c])
                for j in 0..<d {
                    let standard = (Double(features.values[r * d + j]) - Double(model.mean[j])) * Double(model.scale[j])
                    s += Double(model.weights[c * d + j]) * standard
                }
                return s
            }
            let top = z.max()!
            let e = z.map { exp($0 - top) }, sum = e.reduce(0, +)
            for c in 0..<k {
                XCTAssertEqual(Double(p[r * k + c]), e[c] / sum, accuracy: 1e-5, "row \(r) class \(c)")
            }
        }
    }

    func testProbabilitiesOfExtremeLogitsStayFinite() {
        let d = 3
        var model = smallModel(classes: [.editorial, .boilerplate], d: d, seed: 5)
        model.weights = [1000, 0, 0, -1000, 0, 0]
        model.mean = [0, 0, 0]
        model.scale = [1, 1, 1]
        let features = FeatureMatrix(rows: 2, columns: d, values: [50, 0, 0, -50, 0, 0])
        let p = Scorer(model).probabilities(features)
        XCTAssertTrue(p.allSatisfy(\.isFinite))
        XCTAssertEqual(p[0], 1, accuracy: 1e-6)
        XCTAssertEqual(p[3], 1, accuracy: 1e-6)
        XCTAssertEqual(Scorer(model).probabilities(FeatureMatrix(rows: 0, columns: d)), [])
    }

    func testLabelRespectsThreshold() {
        let classes: [Label] = [.boilerplate, .promo, .editorial, .comment]
        let d = 5, k = classes.count, n = 200
        let editorial = classes.firstIndex(of: .editorial)!
        for threshold: Float in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let model = smallModel(classes: classes, d: d, seed: 11, threshold: threshold)
            let scorer = Scorer(model)
            let p = scorer.probabilities(randomFeatures(rows: n, columns: d, seed: 12))
            var editorialCount = 0
            for r in 0..<n {
                let row = p[r * k..<(r + 1) * k]
                let expected: Label
                if row[r * k + editorial] >= threshold {
                    expected = .editorial
                } else {
                    let others = (0..<k).filter { $0 != editorial }
                    expected = classes[others.max { row[r * k + $0] < row[r * k + $1] }!]
                }
                if expected == .editorial { editorialCount += 1 }
                XCTAssertEqual(scorer.label(row), expected, "threshold \(threshold), row \(r): \(Array(row))")
                // An explicit threshold overrides the model's.
                XCTAssertEqual(scorer.label(row, threshold: 2), classes[(0..<k).filter { $0 != editorial }
                    .max { row[r * k + $0] < row[r * k + $1] }!])
                XCTAssertEqual(scorer.label(row, threshold: 0), .editorial)
            }
            XCTAssertGreaterThan(editorialCount, 0, "threshold \(threshold) exercises the editorial branch")
            XCTAssertLessThan(editorialCount, n, "threshold \(threshold) exercises the other branch")
        }
    }

    func testLabelOnHandMadeProbabilities() {
        let classes: [Label] = [.editorial, .boilerplate, .promo]
        let model = smallModel(classes: classes, d: 2, seed: 1, threshold: 0.4)
        let scorer = Scorer(model)
        // Editorial is the likeliest class but under the threshold: the likeliest other class wins.
        XCTAssertEqual(scorer.label([0.375, 0.3125, 0.3125][...], threshold: 0.5), .boilerplate)
        XCTAssertEqual(scorer.label([0.375, 0.25, 0.375][...], threshold: 0.5), .promo)
        // Exactly at the threshold counts as editorial; the model's own threshold applies by default.
        XCTAssertEqual(scorer.label([0.4, 0.5, 0.1][...]), .editorial)
        XCTAssertEqual(scorer.label([0.39, 0.5, 0.11][...]), .boilerplate)
        // A slice that does not start at 0 (as the scorer passes rows).
        let rows: [Float] = [0.9, 0.05, 0.05, 0.2, 0.1, 0.7]
        XCTAssertEqual(scorer.label(rows[3..<6]), .promo)
        XCTAssertEqual(scorer.label(rows[0..<3]), .editorial)
        // Without an editorial class the likeliest class wins, whatever the threshold.
        let noEditorial = Scorer(smallModel(classes: [.boilerplate, .comment], d: 2, seed: 2, threshold: 0.9))
        XCTAssertEqual(noEditorial.label([0.25, 0.75][...]), .comment)
        XCTAssertEqual(noEditorial.label([0.75, 0.25][...]), .boilerplate)
    }
}
