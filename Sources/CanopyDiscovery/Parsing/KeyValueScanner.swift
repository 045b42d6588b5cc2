/// Reads `key=value` pairs (FortiGate, SonicWall, Juniper, Check Point, Stormshield, WatchGuard, WELF …) into
/// reused ranges, without allocating per line.
///
/// Values may be double-quoted (`msg="a b"`), with backslash-escaped quotes inside. Keys are compared
/// byte-for-byte, so `value(for:)` with a `StaticString` costs no allocation.
package struct KeyValueScanner: Sendable {
    /// The byte between pairs (space for most, `;` or `|` for some, tab for LEEF).
    package var pairSeparator: UInt8
    /// The byte between a key and its value (`=` or `:`).
    package var keyValueSeparator: UInt8
    /// Whether runs of several separators count as one.
    package var collapsesSeparators: Bool

    private var pairs = KeyValueRanges()
    private var escaped: [Bool] = []

    package init(
        pairSeparator: UInt8 = 32,
        keyValueSeparator: UInt8 = UInt8(ascii: "="),
        collapsesSeparators: Bool = true
    ) {
        self.pairSeparator = pairSeparator
        self.keyValueSeparator = keyValueSeparator
        self.collapsesSeparators = collapsesSeparators
        escaped.reserveCapacity(64)
    }

    package var count: Int { pairs.count }

    /// Scans `line`. Tokens without a key-value separator are skipped.
    ///
    /// - Returns: false if a quoted value is not closed (pairs before it are kept).
    @discardableResult
    package mutating func scan(_ line: Bytes) -> Bool {
        pairs.reset(line)
        escaped.removeAll(keepingCapacity: true)
        let n = line.count
        var i = 0
        while i < n {
            while i < n, line[i] == pairSeparator || (pairSeparator == 32 && line[i] == 9) { i += 1 }
            // With `;` or `|` between pairs, spaces after the separator (`a:"1"; b:"2"`) are not part of the key.
            if pairSeparator != 32 { while i < n, line[i] == 32 { i += 1 } }
            if i >= n { break }
            // Key.
            let keyStart = i
            while i < n, line[i] != keyValueSeparator, line[i] != pairSeparator { i += 1 }
            if i >= n || line[i] == pairSeparator {
                continue  // A bare token: not a pair.
            }
            var keyEnd = i
            while keyEnd > keyStart, line[keyEnd - 1] == 32 { keyEnd -= 1 }
            i += 1  // Past the separator.
            if keyValueSeparator == UInt8(ascii: ":") || pairSeparator != 32 {
                while i < n, line[i] == 32 { i += 1 }
            }
            if i < n, line[i] == UInt8(ascii: "\"") {
                var j = i + 1
                var hadEscape = false
                while j < n, line[j] != UInt8(ascii: "\"") {
                    if line[j] == UInt8(ascii: "\\"), j + 1 < n {
                        hadEscape = true
                        j += 1
                    }
                    j += 1
                }
                if j >= n {
                    pairs.append(key: keyStart..<keyEnd, value: (i + 1)..<n)
                    escaped.append(hadEscape)
                    return false
                }
                pairs.append(key: keyStart..<keyEnd, value: (i + 1)..<j)
                escaped.append(hadEscape)
                i = j + 1
                // Skip anything up to the next separator.
                while i < n, line[i] != pairSeparator { i += 1 }
            } else {
                let valueStart = i
                while i < n, line[i] != pairSeparator { i += 1 }
                var valueEnd = i
                if pairSeparator != 32 { while valueEnd > valueStart, line[valueEnd - 1] == 32 { valueEnd -= 1 } }
                pairs.append(key: keyStart..<keyEnd, value: valueStart..<valueEnd)
                escaped.append(false)
            }
            if !collapsesSeparators, i < n { i += 1 }
        }
        return true
    }

    /// The key of pair `index`.
    package func key(_ index: Int) -> Bytes { pairs.key(index) }

    /// The raw value of pair `index` (quotes removed, escapes kept).
    package func value(_ index: Int) -> Bytes { pairs.value(index) }

    /// The value of pair `index` as a string with escapes removed; nil for placeholders.
    package func string(_ index: Int) -> String? {
        let v = value(index)
        if v.isPlaceholder { return nil }
        return escaped[index] ? Escapes.unescapeQuotes(v) : v.string
    }

    /// The raw value for the first pair with this key.
    package func value(for key: StaticString) -> Bytes? {
        pairs.value(for: key)
    }

    /// The value for the first pair with this key as a string; nil if absent or a placeholder.
    package func string(for key: StaticString) -> String? {
        guard let i = indexOf(key) else { return nil }
        return string(i)
    }

    /// The index of the first pair whose key equals `key`.
    package func indexOf(_ key: StaticString) -> Int? { pairs.index(of: key) }

    /// The index of the first pair whose key equals `key`, for keys known only at run time.
    package func indexOf(bytes key: [UInt8]) -> Int? { pairs.index(of: key) }
}
