/// Writes JSON values by hand: fixed key order, one object per line, no Foundation round trip.
public enum JSON {
    /// A JSON string literal, quoted and escaped; works on the UTF-8 bytes, which are valid already.
    public static func string(_ value: String) -> String {
        // Most texts need no escaping at all.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + value + "\"" }
        var out: [UInt8] = []
        append(string: value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON array of strings.
    public static func array(_ values: [String]) -> String {
        var out: [UInt8] = []
        append(array: values, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a JSON string literal to a byte buffer: the writers build whole lines as bytes, with no
    /// intermediate strings.
    public static func append(string value: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in value.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// Appends a JSON array of strings to a byte buffer.
    public static func append(array values: [String], to out: inout [UInt8]) {
        out.append(0x5B)
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(0x2C) }
            append(string: value, to: &out)
        }
        out.append(0x5D)
    }

    /// Appends text that needs no escaping (keys, punctuation, numbers) to a byte buffer.
    public static func append(raw text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A number with enough digits to read back the same Float.
    public static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// A number with enough digits to read back the same Double.
    public static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
