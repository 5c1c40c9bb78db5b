/// Writes labelled feature matrices in svmlight text format, so the same problem can be trained elsewhere.
public enum SVMLight {
    /// Writes the standardised features of `pages`; with a model, its standardisation and classes (a text
    /// scrape's rows standardised as the model's text model, when it has one, sees them).
    public static func write(_ pages: [SegmentedPage], model: Model?, jobs: Int, to path: String) throws {
        let data = standardised(pages, model: model, jobs: jobs)
        let classes = model?.classes ?? Label.allCases.filter(Set(data.labels).contains)
        let writer = try LineWriter(path: path)
        do {
            try writer.write("# thresher feature set version \(FeatureSet.version)")
            try writer.write("# classes: " + classes.map(\.rawValue).joined(separator: " "))
            try writer.write("# features: \(FeatureSet.dimension)")
            let d = data.features.columns
            for r in 0..<data.features.rows {
                guard let target = classes.firstIndex(of: data.labels[r]) else { continue }
                var line = "\(target)"
                for j in 0..<d {
                    let value = data.features.values[r * d + j]
                    if value != 0 { line += " \(j + 1):\(value)" }
                }
                try writer.write(line)
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The features of `pages` standardised with the statistics of these pages, or of the block model
    /// of `model` that scores each page.
    static func standardised(_ pages: [SegmentedPage], model: Model?, jobs: Int) -> Dataset {
        var data = Dataset.build(pages, jobs: jobs)
        guard let model else {
            let (mean, scale) = data.standardisation()
            data.standardise(mean: mean, scale: scale)
            return data
        }
        let d = data.features.columns
        for r in 0..<data.features.rows {
            let seenBy = pages[data.pageOfRow[r]].format == .text ? model.textModel ?? model : model
            for j in 0..<d { data.features.values[r * d + j] = (data.features.values[r * d + j] - seenBy.mean[j]) * seenBy.scale[j] }
        }
        return data
    }
}
