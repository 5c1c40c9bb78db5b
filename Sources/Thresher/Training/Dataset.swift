import Dispatch

/// Labelled feature rows of many pages stacked into one matrix, with per-row sample weights.
public struct Dataset: Sendable {
    public var features: FeatureMatrix
    /// Label of each row.
    public var labels: [Label]
    /// Source (corpus) of each row's page.
    public var sources: [String]
    /// Page index of each row, and the number of pages.
    public var pageOfRow: [Int]
    public var pageCount: Int

    /// Computes the features of labelled pages (in parallel across pages) and stacks them in page order.
    public static func build(_ pages: [SegmentedPage], jobs: Int) -> Dataset {
        let matrices = Slots<FeatureMatrix>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, pages.count))) { worker in
            var p = worker
            while p < pages.count {
                matrices[p] = FeatureExtractor.features(of: pages[p])
                p += max(1, min(jobs, pages.count))
            }
        }
        var values: [Float] = []
        values.reserveCapacity(pages.reduce(0) { $0 + $1.blocks.count } * FeatureSet.dimension)
        var labels: [Label] = [], sources: [String] = [], pageOfRow: [Int] = []
        for (p, page) in pages.enumerated() {
            values += matrices[p]!.values
            labels += page.labels ?? []
            sources += [String](repeating: page.source ?? "other", count: page.blocks.count)
            pageOfRow += [Int](repeating: p, count: page.blocks.count)
        }
        return Dataset(features: FeatureMatrix(rows: labels.count, columns: FeatureSet.dimension, values: values),
                       labels: labels, sources: sources, pageOfRow: pageOfRow, pageCount: pages.count)
    }

    /// Keeps the rows whose label passes `isKept` (and their labels, sources and pages).
    public mutating func keep(where isKept: (Label) -> Bool) {
        let d = features.columns
        let rows = labels.indices.filter { isKept(labels[$0]) }
        var values: [Float] = []
        values.reserveCapacity(rows.count * d)
        for r in rows { values += features.values[r * d..<(r + 1) * d] }
        features = FeatureMatrix(rows: rows.count, columns: d, values: values)
        labels = rows.map { labels[$0] }
        sources = rows.map { sources[$0] }
        pageOfRow = rows.map { pageOfRow[$0] }
    }

    /// Sets `columns` to 0 in every row, so a model trained on the data gives them no weight.
    public mutating func clear(columns: [Int]) {
        let d = features.columns
        for r in 0..<features.rows { for j in columns { features.values[r * d + j] = 0 } }
    }

    /// Per-feature mean and 1/standard deviation (1 for a constant feature), in double precision.
    public func standardisation() -> (mean: [Float], scale: [Float]) {
        let d = features.columns, n = features.rows
        var sum = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        features.values.withUnsafeBufferPointer { x in
            for r in 0..<n {
                let row = x.baseAddress! + r * d
                for j in 0..<d {
                    let v = Double(row[j])
                    sum[j] += v
                    squares[j] += v * v
                }
            }
        }
        var mean = [Float](repeating: 0, count: d), scale = [Float](repeating: 1, count: d)
        for j in 0..<d where n > 0 {
            let m = sum[j] / Double(n)
            let variance = max(0, squares[j] / Double(n) - m * m)
            mean[j] = Float(m)
            scale[j] = variance > 1e-12 ? Float(1 / variance.squareRoot()) : 1
        }
        return (mean, scale)
    }

    /// Applies (x - mean) * scale to every row in place.
    public mutating func standardise(mean: [Float], scale: [Float]) {
        let d = features.columns
        features.values.withUnsafeMutableBufferPointer { x in
            for r in 0..<features.rows {
                let row = x.baseAddress! + r * d
                for j in 0..<d { row[j] = (row[j] - mean[j]) * scale[j] }
            }
        }
    }
}
