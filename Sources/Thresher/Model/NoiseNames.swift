extension Scorer {
    /// Renames the blocks still labelled `boilerplate` that this scorer's model (a noise model) calls
    /// `clickbait` or `promo` with at least its threshold; `fired` hears of each. Only boilerplate is
    /// touched, so editorial text and comments stay as the page's model decided them. `probabilities`
    /// (blocks x this model's classes) are the model's for every block when the caller computed them
    /// with the block model's features; without them the features of the boilerplate runs are computed.
    func nameNoise(_ labels: inout [Label], page: SegmentedPage, context: PageContext, probabilities: [Float]? = nil,
                   fired: ((Int, OutputPolicy.Rule) -> Void)? = nil) {
        let k = model.classes.count
        var start = 0
        while start < labels.count {
            guard labels[start] == .boilerplate else {
                start += 1
                continue
            }
            var end = start
            while end < labels.count && labels[end] == .boilerplate && end - start < Scorer.sliceRows { end += 1 }
            // `rows` holds the probabilities of blocks `offset...`: the whole page's, or this run's.
            let rows: [Float], offset: Int
            if let probabilities {
                (rows, offset) = (probabilities, 0)
            } else {
                (rows, offset) = (self.probabilities(FeatureExtractor.features(of: page, rows: start..<end, context: context)), start)
            }
            for i in start..<end {
                let row = rows[(i - offset) * k..<(i - offset + 1) * k]
                let best = row.indices.max { row[$0] < row[$1] }!
                let label = model.classes[best - row.startIndex]
                if label != .boilerplate && row[best] >= model.threshold {
                    labels[i] = label
                    fired?(i, .noiseModel)
                }
            }
            start = end
        }
    }
}
