import Foundation

/// The model file: one JSON object, readable with any JSON tool, written atomically.
///
/// Fields: `format` ("thresher-model"), `format_version`, `feature_set_version`, `dimension`,
/// `classes`, `threshold`, `mean`, `scale` (1/standard deviation), `weights` (one array per class, on
/// standardised features), `bias`, `smoothing` (class priors and transitions of the sequence pass, or
/// null), `training` (data summary, options, convergence), `dev_metrics`, `region` (the page-level
/// model, or null), `text_model` (the same block fields for text scrapes, or null) and `noise_model`
/// (the block fields of the model naming teasers and promos among boilerplate, or null).
/// Floats are written in their shortest exact form, so a model reads back bit for bit.
public enum ModelFile {
    public static let format = "thresher-model"
    /// 2: the page-level region model (`region`, with its own `version`) joined the file.
    /// 3: the text scrapes' own block model (`text_model`, the block fields again) joined it; version 2
    /// files are read as models without one.
    /// 4: the noise model (`noise_model`) joined it; older files are read as models without one.
    public static let formatVersion = 4
    static let oldestReadable = 2

    /// Writes a model to `path` through a temporary file and a rename.
    public static func write(_ model: Model, to path: String) throws {
        try LineWriter.write(encode(model), to: path)
    }

    /// The JSON text of a model, keys in a fixed order so equal models give equal files.
    public static func encode(_ model: Model) -> String {
        let block = blockFields(model)
        let fields = ["\"format\":" + JSON.string(format), "\"format_version\":\(formatVersion)",
                      "\"feature_set_version\":\(model.featureSetVersion)", "\"dimension\":\(model.dimension)",
                      "\"classes\":" + JSON.array(model.classes.map(\.rawValue))]
            + block.dropLast()
            + ["\"region\":" + (model.region.map(RegionModelFile.encode) ?? "null"),
               "\"text_model\":" + (model.textModel.map { "{\n" + blockFields($0).joined(separator: ",\n") + "\n}" } ?? "null"),
               "\"noise_model\":" + (model.noiseModel.map(noiseFields) ?? "null"),
               block.last!]
        return "{\n" + fields.joined(separator: ",\n") + "\n}\n"
    }

    /// The noise model's object: its classes (its own, unlike the text model's) and block fields.
    private static func noiseFields(_ model: Model) -> String {
        "{\n" + (["\"classes\":" + JSON.array(model.classes.map(\.rawValue))] + blockFields(model)).joined(separator: ",\n") + "\n}"
    }

    /// The fields of one block model (threshold, training, standardisation, bias, sequence pass,
    /// weights last): the main model's and the text model's.
    private static func blockFields(_ model: Model) -> [String] {
        func floats(_ values: ArraySlice<Float>) -> String { "[" + values.map { JSON.number($0) }.joined(separator: ",") + "]" }
        let d = model.dimension
        let rows = model.classes.indices.map { floats(model.weights[$0 * d..<($0 + 1) * d]) }
        let t = model.training
        let training = [
            "\"pages\":\(t.pages)", "\"blocks\":\(t.blocks)",
            "\"blocks_per_class\":" + object(t.blocksPerClass.mapValues { "\($0)" }),
            "\"pages_per_source\":" + object(t.pagesPerSource.mapValues { "\($0)" }),
            "\"c\":" + JSON.number(t.c), "\"class_weight\":" + JSON.string(t.classWeight),
            "\"source_weight\":" + JSON.string(t.sourceWeight), "\"iterations\":\(t.iterations)",
            "\"objective\":" + JSON.number(t.objective), "\"gradient_norm\":" + JSON.number(t.gradientNorm),
            "\"converged\":\(t.converged)", "\"seconds\":" + JSON.number(t.seconds), "\"command\":" + JSON.string(t.command),
        ]
        return [
            "\"threshold\":" + JSON.number(model.threshold),
            "\"training\":{" + training.joined(separator: ",") + "}",
            "\"dev_metrics\":" + object(model.devMetrics.mapValues { JSON.number($0) }),
            "\"mean\":" + floats(model.mean[...]), "\"scale\":" + floats(model.scale[...]),
            "\"bias\":" + floats(model.bias[...]),
            "\"smoothing\":" + (model.smoother.map { "{\"priors\":" + floats($0.priors[...]) + ",\"transitions\":" + floats($0.transitions[...]) + ",\"boundary_transitions\":" + floats($0.boundaryTransitions[...]) + ",\"text_transitions\":" + floats($0.textTransitions[...]) + ",\"html_emission_power\":" + JSON.number($0.htmlEmissionPower) + "}" } ?? "null"),
            "\"weights\":[\n" + rows.joined(separator: ",\n") + "]",
        ]
    }

    private static func object(_ values: [String: String]) -> String {
        "{" + values.keys.sorted().map { JSON.string($0) + ":" + values[$0]! }.joined(separator: ",") + "}"
    }

    /// Reads and checks a model file.
    public static func read(_ path: String) throws -> Model {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError(path, FileManager.default.fileExists(atPath: path) ? "cannot be read" : "file not found")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelError(path, "damaged: not a complete JSON object (truncated?)")
        }
        guard json["format"] as? String == format else { throw ModelError(path, "not a Thresher model file") }
        guard let version = json["format_version"] as? Int, (oldestReadable...formatVersion).contains(version) else {
            let older = (json["format_version"] as? Int).map { $0 < oldestReadable } ?? false
            throw ModelError(path, "model format version \(json["format_version"] ?? "?") is not supported (this thresher reads versions \(oldestReadable) to \(formatVersion)"
                             + (older ? "; the file predates the page-level region model: retrain it with `thresher train`)" : ")"))
        }
        guard let featureVersion = json["feature_set_version"] as? Int, featureVersion == FeatureSet.version else {
            throw ModelError(path, "trained on feature set version \(json["feature_set_version"] ?? "?"), this thresher computes version \(FeatureSet.version): retrain it")
        }
        guard json["dimension"] as? Int == FeatureSet.dimension else { throw ModelError(path, "damaged: dimension is not \(FeatureSet.dimension)") }
        guard let classNames = json["classes"] as? [String], !classNames.isEmpty else { throw ModelError(path, "damaged: no classes") }
        let classes = try classNames.map { name in
            guard let label = Label.named(name) else { throw ModelError(path, "unknown class \"\(name)\"") }
            return label
        }
        var model = try blockModel(json, classes: classes, path: path)
        if let text = json["text_model"] as? [String: Any] {
            model.textModel = try blockModel(text, classes: classes, path: path, name: "text_model.")
        } else if !(json["text_model"] is NSNull || json["text_model"] == nil) {
            throw ModelError(path, "damaged: `text_model` is neither an object nor null")
        }
        if let noise = json["noise_model"] as? [String: Any] {
            guard let names = noise["classes"] as? [String], case let noiseClasses = names.compactMap(Label.named),
                  noiseClasses.count == names.count, Set(noiseClasses).isSubset(of: Model.noiseClasses), noiseClasses.count >= 2 else {
                throw ModelError(path, "damaged: `noise_model.classes` must name two or more of boilerplate, clickbait and promo")
            }
            model.noiseModel = try blockModel(noise, classes: noiseClasses, path: path, name: "noise_model.")
        } else if !(json["noise_model"] is NSNull || json["noise_model"] == nil) {
            throw ModelError(path, "damaged: `noise_model` is neither an object nor null")
        }
        model.region = try RegionModelFile.decode(json["region"], path: path)
        // JSONSerialization rounds some decimals to a neighbouring Double on Linux; JSONDecoder is exact.
        if let record = try? JSONDecoder().decode(Record.self, from: data) {
            if let t = record.training { model.training = t.summary }
            model.devMetrics = record.dev_metrics ?? [:]
            if let t = record.text_model?.training { model.textModel?.training = t.summary }
            model.textModel?.devMetrics = record.text_model?.dev_metrics ?? [:]
            if let t = record.noise_model?.training { model.noiseModel?.training = t.summary }
        }
        return model
    }

    /// One block model's fields (`name` prefixes them in errors: the text model's are `text_model.`).
    private static func blockModel(_ json: [String: Any], classes: [Label], path: String, name: String = "") throws -> Model {
        let d = FeatureSet.dimension
        let mean = try floats(json["mean"], count: d, name: name + "mean", path: path)
        let scale = try floats(json["scale"], count: d, name: name + "scale", path: path)
        let bias = try floats(json["bias"], count: classes.count, name: name + "bias", path: path)
        guard let rows = json["weights"] as? [Any], rows.count == classes.count else {
            throw ModelError(path, "damaged: `\(name)weights` needs one row per class")
        }
        let weights = try rows.flatMap { try floats($0, count: d, name: name + "weights", path: path) }
        guard let threshold = (json["threshold"] as? NSNumber)?.floatValue, threshold.isFinite else {
            throw ModelError(path, "damaged: no \(name)threshold")
        }
        var model = Model(classes: classes, mean: mean, scale: scale, weights: weights, bias: bias, threshold: threshold)
        if let smoothing = json["smoothing"] as? [String: Any] {
            let k = classes.count
            let transitions = try floats(smoothing["transitions"], count: k * k, name: name + "transitions", path: path)
            // Models written before boundary transitions existed use one matrix for every HTML step.
            let boundary = smoothing["boundary_transitions"] == nil ? transitions
                : try floats(smoothing["boundary_transitions"], count: k * k, name: name + "boundary_transitions", path: path)
            model.smoother = Smoother(transitions: transitions, boundaryTransitions: boundary,
                                      textTransitions: try floats(smoothing["text_transitions"], count: k * k, name: name + "text_transitions", path: path),
                                      priors: try floats(smoothing["priors"], count: k, name: name + "priors", path: path),
                                      htmlEmissionPower: try emissionPower(smoothing["html_emission_power"], path: path))
        }
        return model
    }

    /// Models written before the emission power existed used plain emissions (power 1).
    private static func emissionPower(_ value: Any?, path: String) throws -> Float {
        guard let value else { return 1 }
        guard let power = (value as? NSNumber)?.floatValue, power.isFinite, power > 0 else {
            throw ModelError(path, "damaged: `html_emission_power` is not a positive number")
        }
        return power
    }

    private static func floats(_ value: Any?, count: Int, name: String, path: String) throws -> [Float] {
        guard let list = value as? [Any], list.count == count else { throw ModelError(path, "damaged: `\(name)` needs \(count) numbers") }
        return try list.map { item in
            guard let number = item as? NSNumber, case let float = number.floatValue, float.isFinite else {
                throw ModelError(path, "damaged: `\(name)` holds a value that is not a finite number (NaN?)")
            }
            return float
        }
    }

    /// The double-precision parts of the file, decoded exactly.
    private struct Record: Decodable {
        var training: Training?
        var dev_metrics: [String: Double]?
        var text_model: SubModel?
        var noise_model: SubModel?

        /// The text or noise model's double-precision parts.
        struct SubModel: Decodable {
            var training: Training?
            var dev_metrics: [String: Double]?
        }

        struct Training: Decodable {
            var pages, blocks, iterations: Int?
            var blocks_per_class, pages_per_source: [String: Int]?
            var c, objective, gradient_norm, seconds: Double?
            var class_weight, source_weight, command: String?
            var converged: Bool?

            var summary: TrainingSummary {
                var t = TrainingSummary()
                t.pages = pages ?? 0
                t.blocks = blocks ?? 0
                t.blocksPerClass = blocks_per_class ?? [:]
                t.pagesPerSource = pages_per_source ?? [:]
                t.c = c ?? 0
                t.classWeight = class_weight ?? ""
                t.sourceWeight = source_weight ?? ""
                t.iterations = iterations ?? 0
                t.objective = objective ?? 0
                t.gradientNorm = gradient_norm ?? 0
                t.converged = converged ?? false
                t.seconds = seconds ?? 0
                t.command = command ?? ""
                return t
            }
        }
    }
}
