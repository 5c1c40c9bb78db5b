/// A read-only map from word hashes to small values, with open addressing on the hash itself: the
/// words are already FNV-hashed, so SipHash (what `Dictionary` and `Set` use) would be wasted work on
/// every word of every block.
struct WordTable {
    private var keys: [UInt64]
    private var values: [UInt16]
    private let mask: Int

    /// A table of `entries` (key 0 is not allowed; FNV gives it with negligible chance).
    init(_ entries: [UInt64: UInt16]) {
        var size = 16
        while size < entries.count * 4 { size *= 2 }
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt16](repeating: 0, count: size)
        mask = size - 1
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) where key != 0 {
            var slot = Int(truncatingIfNeeded: key >> 7) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
    }

    /// The value of a word, or 0 when it is not in the table.
    @inline(__always) func value(_ key: UInt64) -> UInt16 {
        var slot = Int(truncatingIfNeeded: key >> 7) & mask
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { return 0 }
            slot = (slot + 1) & mask
        }
    }
}
