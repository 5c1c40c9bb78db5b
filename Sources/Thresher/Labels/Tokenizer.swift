/// Splits text into `\w+` tokens (letters, digits, underscore), as Python's `re` does with Unicode.
public enum Tokenizer {
    /// The tokens of a text, lower-cased unless `preservingCase` (the Zyte metric compares case).
    public static func tokens(_ text: String, preservingCase: Bool = false) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isWordScalar(scalar) {
                if preservingCase { current.append(scalar) } else {
                    current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            } else if !current.isEmpty {
                tokens.append(String(current))
                current.removeAll()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// 64-bit FNV-1a hashes of the lower-cased tokens: cheap to compare, collisions negligible.
    public static func hashes(_ text: String) -> [UInt64] {
        var hashes: [UInt64] = []
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var inToken = false
        for scalar in text.unicodeScalars {
            if isWordScalar(scalar) {
                let value = scalar.isASCII ? UInt64(scalar.value | (scalar.value >= 65 && scalar.value <= 90 ? 0x20 : 0))
                    : UInt64(scalar.properties.lowercaseMapping.unicodeScalars.first?.value ?? scalar.value)
                hash = (hash ^ value) &* 0x100_0000_01b3
                inToken = true
            } else if inToken {
                hashes.append(hash)
                hash = 0xcbf2_9ce4_8422_2325
                inToken = false
            }
        }
        if inToken { hashes.append(hash) }
        return hashes
    }

    /// `\w` in Python 3: a letter (category L*), anything numeric, or underscore.
    @inline(__always) static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95
        }
        let p = s.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return p.numericType != nil
        }
    }
}
