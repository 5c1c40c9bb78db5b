/// Writes JSON values by hand: fixed key order, one object per line, no Foundation round trip.
public enum JSON {
    /// A JSON string literal, quoted and escaped.
    public static func string(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON array of strings.
    public static func array(_ values: [String]) -> String {
        "[" + values.map(string).joined(separator: ",") + "]"
    }

    /// A number with enough digits to read back the same Float.
    public static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// A number with enough digits to read back the same Double.
    public static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
