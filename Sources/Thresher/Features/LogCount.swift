import Foundation

/// log(1 + n) of a count, the form most features take: a table for small counts (the very values
/// `log1pf` gives; a call costs more than the rest of some features), the function beyond it.
enum LogCount {
    static let table: [Float] = (0..<4096).map { log1pf(Float($0)) }

    @inline(__always) static func log1p(_ n: Int) -> Float {
        n >= 0 && n < 4096 ? table[n] : log1pf(Float(n))
    }
}
