/// Signed feature hashing: a stable 64-bit hash picks a bucket and a sign, so collisions cancel out
/// on average instead of piling up. Stable across runs and machines (no per-process seed).
enum FeatureHash {
    /// FNV-1a over the UTF-8 bytes, with a namespace byte so groups do not share hashes.
    @inline(__always) static func hash(_ text: Substring, namespace: UInt8) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(namespace)
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        // FNV's low bits mix poorly; fold the high half in.
        return h ^ (h >> 29) ^ (h >> 47)
    }

    /// Adds +1 or -1 to one of `buckets` slots starting at `offset` in `row`.
    @inline(__always) static func add(_ text: Substring, namespace: UInt8, buckets: Int, offset: Int, weight: Float = 1,
                                      to row: UnsafeMutablePointer<Float>) {
        let h = hash(text, namespace: namespace)
        let bucket = Int(h % UInt64(buckets))
        row[offset + bucket] += (h >> 63) == 0 ? weight : -weight
    }
}
