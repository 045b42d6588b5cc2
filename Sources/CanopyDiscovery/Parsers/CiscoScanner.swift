/// A forward-only cursor over an ASA/FTD message body: literals, words, numbers and `( … )` groups.
struct CiscoScanner {
    private let text: Bytes
    private var position = 0

    init(_ text: Bytes) { self.text = text }

    /// What is left after the cursor.
    var remaining: Bytes { text.dropFirst(position) }

    /// Consumes `literal` if the text continues with it.
    mutating func skip(_ literal: StaticString) -> Bool {
        guard remaining.hasPrefix(literal) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    mutating func skipSpaces() {
        while position < text.count, text[position] == 32 { position += 1 }
    }

    /// Reads up to the next space and the spaces after it.
    mutating func readWord() -> Bytes {
        let start = position
        while position < text.count, text[position] != 32 { position += 1 }
        let word = text.sub(start..<position)
        skipSpaces()
        return word
    }

    /// Skips one word; false if there was none.
    mutating func skipWord() -> Bool { !readWord().isEmpty }

    /// Reads decimal digits (not the spaces after them).
    mutating func readNumber() -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        while position < text.count, text[position] >= 48, text[position] <= 57, digits < 19 {
            value = value &* 10 &+ UInt64(text[position] - 48)
            digits += 1
            position += 1
        }
        return digits == 0 ? nil : value
    }

    /// Reads `iface:address/port`, where the interface name may hold spaces (`NP Identity Ifc`): up to the first
    /// colon, then to the next space or `(`. Without a colon before a space, `(` or `/`, up to a space or `(`.
    mutating func readEndpointToken() -> Bytes {
        let start = position
        var i = position
        var colon: Int?
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: ":") {
                colon = i
                break
            }
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "/") { break }
            i += 1
        }
        var end = colon.map { $0 + 1 } ?? start
        while end < text.count, text[end] != 32, text[end] != UInt8(ascii: "(") { end += 1 }
        position = end
        return text.sub(start..<end)
    }

    /// Whether the next byte is `byte`.
    func peek(_ byte: UInt8) -> Bool { position < text.count && text[position] == byte }

    /// Whether spaces and then `byte` follow.
    func peekAfterSpace(_ byte: UInt8) -> Bool {
        var i = position
        guard i < text.count, text[i] == 32 else { return false }
        while i < text.count, text[i] == 32 { i += 1 }
        return i < text.count && text[i] == byte
    }

    /// The inside of the `( … )` group after optional spaces, without consuming it.
    func peekSpacedGroup() -> Bytes? {
        var copy = self
        return copy.readGroup()
    }

    /// Reads a `( … )` group after optional spaces and returns its inside.
    mutating func readGroup() -> Bytes? {
        var i = position
        while i < text.count, text[i] == 32 { i += 1 }
        guard i < text.count, text[i] == UInt8(ascii: "("),
            let close = text.index(of: UInt8(ascii: ")"), from: i + 1)
        else { return nil }
        position = close + 1
        return text.sub((i + 1)..<close)
    }
}
