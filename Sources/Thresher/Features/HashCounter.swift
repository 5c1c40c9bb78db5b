/// Counts of 64-bit hashes, by open addressing on the hash itself: the keys are hashes already, so
/// `Dictionary`'s SipHash would be wasted work on every block of every page.
struct HashCounter {
    private var keys: [UInt64]
    private var counts: [Int32]
    private let mask: Int

    /// A counter for up to `capacity` distinct keys.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        keys = [UInt64](repeating: 0, count: size)
        counts = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Counts one more `key`; returns how often it was counted before.
    @discardableResult
    mutating func add(_ key: UInt64) -> Int {
        let key = key == 0 ? 1 : key   // 0 marks an empty slot
        var slot = Int(truncatingIfNeeded: key >> 7) & mask
        while keys[slot] != key && keys[slot] != 0 { slot = (slot + 1) & mask }
        keys[slot] = key
        counts[slot] += 1
        return Int(counts[slot]) - 1
    }

    /// How often `key` was counted.
    func count(_ key: UInt64) -> Int {
        let key = key == 0 ? 1 : key
        var slot = Int(truncatingIfNeeded: key >> 7) & mask
        while keys[slot] != 0 {
            if keys[slot] == key { return Int(counts[slot]) }
            slot = (slot + 1) & mask
        }
        return 0
    }
}
