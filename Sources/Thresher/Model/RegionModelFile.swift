import Foundation

/// The `region` object of a model file: the region model's weights, standardisation, decision rule
/// and fit, under a version of its own (`RegionModel.version`).
enum RegionModelFile {
    /// The JSON object of a region model, keys in a fixed order.
    static func encode(_ model: RegionModel) -> String {
        func doubles(_ values: [Double]) -> String { "[" + values.map { JSON.number($0) }.joined(separator: ",") + "]" }
        let t = model.training
        let training = [
            "\"pages\":\(t.pages)", "\"candidates\":\(t.candidates)", "\"folds\":\(t.folds)", "\"lambda\":" + JSON.number(t.lambda),
            "\"iterations\":\(t.iterations)", "\"objective\":" + JSON.number(t.objective),
            "\"gradient_norm\":" + JSON.number(t.gradientNorm), "\"converged\":\(t.converged)",
            "\"accuracy\":" + JSON.number(t.accuracy), "\"seconds\":" + JSON.number(t.seconds),
        ]
        return "{\"version\":\(RegionModel.version),\"features\":" + JSON.array(RegionFeatures.names)
            + ",\"confidence\":" + JSON.number(model.confidence) + ",\"inside_threshold\":" + JSON.number(model.insideThreshold)
            + ",\"outside_threshold\":" + JSON.number(model.outsideThreshold)
            + ",\"smoothing_boost\":" + JSON.number(model.smoothingBoost)
            + ",\"training\":{" + training.joined(separator: ",") + "}"
            + ",\"mean\":" + doubles(model.mean) + ",\"scale\":" + doubles(model.scale) + ",\"weights\":" + doubles(model.weights) + "}"
    }

    /// The region model of a file's `region` value; nil for null or a missing field.
    static func decode(_ value: Any?, path: String) throws -> RegionModel? {
        guard let value, !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw ModelError(path, "damaged: `region` is not an object") }
        guard let version = object["version"] as? Int, version == RegionModel.version else {
            throw ModelError(path, "region model version \(object["version"] ?? "?") is not supported (this thresher reads version \(RegionModel.version)): retrain it")
        }
        let d = RegionFeatures.dimension
        guard object["features"] as? [String] == RegionFeatures.names else {
            throw ModelError(path, "damaged: the region model's `features` are not this thresher's")
        }
        func numbers(_ name: String, count: Int) throws -> [Double] {
            guard let list = object[name] as? [Any], list.count == count else { throw ModelError(path, "damaged: region `\(name)` needs \(count) numbers") }
            return try list.map {
                guard let n = ($0 as? NSNumber)?.doubleValue, n.isFinite else { throw ModelError(path, "damaged: region `\(name)` holds a value that is not a finite number") }
                return n
            }
        }
        func number(_ name: String) throws -> Float {
            guard let n = (object[name] as? NSNumber)?.floatValue, n.isFinite else { throw ModelError(path, "damaged: region `\(name)` is not a number") }
            return n
        }
        var model = RegionModel(mean: try numbers("mean", count: d), scale: try numbers("scale", count: d), weights: try numbers("weights", count: d),
                                confidence: try number("confidence"), insideThreshold: try number("inside_threshold"),
                                outsideThreshold: try number("outside_threshold"))
        // Files written before the boost existed leave the sequence pass as it was.
        if object["smoothing_boost"] != nil { model.smoothingBoost = try number("smoothing_boost") }
        guard model.smoothingBoost > 0 else { throw ModelError(path, "damaged: region `smoothing_boost` must be positive") }
        if let t = object["training"] as? [String: Any] {
            model.training.pages = t["pages"] as? Int ?? 0
            model.training.candidates = t["candidates"] as? Int ?? 0
            model.training.folds = t["folds"] as? Int ?? 0
            model.training.lambda = (t["lambda"] as? NSNumber)?.doubleValue ?? 0
            model.training.iterations = t["iterations"] as? Int ?? 0
            model.training.objective = (t["objective"] as? NSNumber)?.doubleValue ?? 0
            model.training.gradientNorm = (t["gradient_norm"] as? NSNumber)?.doubleValue ?? 0
            model.training.converged = t["converged"] as? Bool ?? false
            model.training.accuracy = (t["accuracy"] as? NSNumber)?.doubleValue ?? 0
            model.training.seconds = (t["seconds"] as? NSNumber)?.doubleValue ?? 0
        }
        return model
    }
}
