/// Feature vectors of a page's blocks, one row per block, row-major.
public struct FeatureMatrix: Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [Float]

    /// A matrix of `rows` x `columns`, zero unless `values` are given.
    public init(rows: Int, columns: Int, values: [Float]? = nil) {
        self.rows = rows
        self.columns = columns
        self.values = values ?? [Float](repeating: 0, count: rows * columns)
    }

    /// One row, copied out.
    public func row(_ r: Int) -> ArraySlice<Float> { values[r * columns..<(r + 1) * columns] }
}
