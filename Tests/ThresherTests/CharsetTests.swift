import XCTest
@testable import Thresher

final class CharsetTests: XCTestCase {
    func testDeclaredWindows1252() {
        let bytes = Array("<html><head><meta charset=\"windows-1252\"></head><body><p>caf".utf8) + [0xE9, 0x20, 0x80, 0x35] + Array("</p></body></html>".utf8)
        XCTAssertTrue(Charset.decode(bytes, sniffHTML: true).contains("café €5"))
    }

    /// Every byte decodes to its windows-1252 character (the five undefined ones to C1 controls).
    func testWindows1252EveryByte() {
        let bytes = (0...255).map { UInt8($0) }
        let expected = String(String.UnicodeScalarView(bytes.map { b in
            Unicode.Scalar(b >= 0x80 && b <= 0x9F ? Charset.cp1252High[Int(b) - 0x80] : UInt32(b))!
        }))
        XCTAssertEqual(Charset.decodeWindows1252(bytes), expected)
        XCTAssertEqual(Charset.decodeWindows1252([0x80, 0x93, 0x94, 0xE9]), "\u{20AC}\u{201C}\u{201D}\u{E9}")
    }

    func testUndeclaredUTF8WithOneInvalidByte() {
        let text = "Müller schrieb über Käse, Brötchen und grüne Äpfel; Straße"
        var bytes = Array("<p>\(text)</p>".utf8)
        bytes.insert(0xFF, at: 10)
        let decoded = Charset.decode(bytes, sniffHTML: true)
        XCTAssertTrue(decoded.contains("Brötchen und grüne Äpfel; Straße"), decoded)
        XCTAssertTrue(decoded.contains("\u{FFFD}"))
    }

    func testUTF8LabelledLatin1KeepsUTF8() {
        let bytes = Array("<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><p>naïve café</p>".utf8)
        XCTAssertTrue(Charset.decode(bytes, sniffHTML: true).contains("naïve café"))
    }

    func testUTF16WithByteOrderMark() {
        let text = "<p>Grüße aus Zürich</p>"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] as [UInt8] }
        let big: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] as [UInt8] }
        XCTAssertEqual(Charset.decode(little, sniffHTML: true), text)
        XCTAssertEqual(Charset.decode(big, sniffHTML: true), text)
    }

    func testDeclarationAfterLongInlineScript() {
        let script = "<script>" + String(repeating: "var x = 'padding';\n", count: 600) + "</script>"
        XCTAssertGreaterThan(script.utf8.count, 10_000)
        let bytes = Array("<html><head>\(script)<meta charset=\"koi8-r\"></head><body><p>".utf8) + [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4] + Array("</p>".utf8)
        XCTAssertTrue(Charset.decode(bytes, sniffHTML: true).contains("Привет"))
    }

    func testLegacyLabelWithoutUTF8UsesDeclaredCharset() {
        let bytes = Array("<meta charset=\"iso-8859-2\"><p>".utf8) + [0xB1, 0xE6] + Array("</p>".utf8)
        XCTAssertTrue(Charset.decode(bytes, sniffHTML: true).contains("ąć"))
    }

    func testNULBytesAreRemoved() {
        XCTAssertEqual(Charset.decode(Array("a\0b".utf8), sniffHTML: false), "ab")
    }
}
