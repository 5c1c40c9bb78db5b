extension Scorer {
    /// Renames the blocks still labelled `boilerplate` that this scorer's model (a noise model) calls
    /// `clickbait` or `promo` with at least its threshold; `fired` hears of each. Only boilerplate is
    /// touched, so editorial text and comments stay as the page's model decided them.
    func nameNoise(_ labels: inout [Label], page: SegmentedPage, context: PageContext,
                   fired: ((Int, OutputPolicy.Rule) -> Void)? = nil) {
        let k = model.classes.count
        var start = 0
        // Features only for runs of boilerplate blocks: the page's other blocks keep their labels.
        while start < labels.count {
            guard labels[start] == .boilerplate else {
                start += 1
                continue
            }
            var end = start
            while end < labels.count && labels[end] == .boilerplate && end - start < Scorer.sliceRows { end += 1 }
            let probabilities = self.probabilities(FeatureExtractor.features(of: page, rows: start..<end, context: context))
            for i in start..<end {
                let row = probabilities[(i - start) * k..<(i - start + 1) * k]
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
