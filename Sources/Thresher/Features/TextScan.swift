/// One pass over a block's UTF-8 bytes that yields its word hashes and the counts behind its shape.
///
/// Works on bytes, not Characters, because feature extraction must cost little next to parsing:
/// ASCII is classified exactly, the general punctuation block (U+2000-U+206F: dashes, curly quotes,
/// bullets) and « » · count as punctuation, and any other non-ASCII scalar counts as a letter, which
/// is right for the scripts of our pages and cheap.
struct TextScan {
    /// FNV-1a hash of each word, ASCII letters lower-cased.
    var wordHashes: [UInt64] = []
    /// Characters (not bytes) in all words, and words of at most three characters.
    var wordCharacters = 0
    var shortWords = 0
    var letters = 0, upper = 0, digits = 0, punctuation = 0, sentenceEnds = 0, separators = 0, titled = 0
    /// Question and exclamation marks.
    var questionsOrExclamations = 0
    /// A hash of all the text's bytes (`TextScan.key`), to find exact repeats.
    var textKey: UInt64 = 0

    init(_ text: String) {
        var text = text
        text.withUTF8 {
            // At most one word per two bytes: one allocation instead of a growing array's several.
            wordHashes.reserveCapacity($0.count / 2 + 1)
            scan($0)
            textKey = TextScan.key($0)
        }
    }

    private mutating func scan(_ b: UnsafeBufferPointer<UInt8>) {
        var hash: UInt64 = TextScan.seed
        var length = 0
        var inWord = false
        var i = 0
        while i < b.count {
            let byte = b[i]
            var isWordByte = false
            var width = 1
            if byte >= 0x80 {
                if byte == 0xE2 && i + 2 < b.count && (b[i + 1] == 0x80 || b[i + 1] == 0x81) {
                    punctuation += 1
                    separators += 1
                    width = 3
                } else if byte == 0xC2 && i + 1 < b.count && (b[i + 1] == 0xAB || b[i + 1] == 0xBB || b[i + 1] == 0xB7) {
                    punctuation += 1
                    separators += 1
                    width = 2
                } else {
                    isWordByte = true
                    if byte & 0xC0 != 0x80 { letters += 1; length += 1 }
                }
            } else if byte >= 0x61 && byte <= 0x7A {
                isWordByte = true
                letters += 1
                length += 1
            } else if byte >= 0x41 && byte <= 0x5A {
                isWordByte = true
                letters += 1
                upper += 1
                if !inWord { titled += 1 }
                length += 1
            } else if byte >= 0x30 && byte <= 0x39 {
                isWordByte = true
                digits += 1
                length += 1
            } else if byte == 0x5F {
                isWordByte = true
            } else {
                switch byte {
                case 0x2E: punctuation += 1; sentenceEnds += 1
                case 0x21, 0x3F: punctuation += 1; sentenceEnds += 1; questionsOrExclamations += 1
                case 0x7C, 0x2F, 0x3E, 0x2D, 0x3A: punctuation += 1; separators += 1
                case 0x20: break
                default: punctuation += 1
                }
            }
            if isWordByte {
                let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                hash = (hash ^ UInt64(lowered)) &* TextScan.prime
                inWord = true
            } else if inWord {
                endWord(hash, length)
                hash = TextScan.seed
                length = 0
                inWord = false
            }
            i += width
        }
        if inWord { endWord(hash, length) }
    }

    private mutating func endWord(_ hash: UInt64, _ length: Int) {
        wordHashes.append(hash)
        wordCharacters += length
        if length <= 3 { shortWords += 1 }
    }

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    /// A hash of a text's bytes that reads eight at a time: a key for telling exact repeats, several
    /// times cheaper than FNV's one multiplication per byte.
    static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* prime
            i += 1
        }
        return h
    }

    /// `key` of a string's bytes.
    static func key(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { key($0) }
    }

    /// FNV-1a of a text's bytes: the hash `TextScan` gives a lower-case word, and a cheap exact-text key.
    static func hash(_ word: String) -> UInt64 {
        word.utf8.reduce(seed) { ($0 ^ UInt64($1)) &* prime }
    }
}
