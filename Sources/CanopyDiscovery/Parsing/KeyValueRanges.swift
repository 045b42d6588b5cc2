/// The key and value ranges a scanner found in one line (``CEFMessage``, ``LEEFMessage``, ``KeyValueScanner``,
/// ``FlatJSONScanner``), with lookups that compare key bytes in place and allocate nothing (STYLE.md §15).
///
/// The arrays are reused from line to line: ``reset(_:)`` keeps their capacity.
// @unchecked: `base` points into the line being parsed and is only read during the parse call that set it; the
// ranges are owned by one scanner value and never shared between threads while in use.
struct KeyValueRanges: @unchecked Sendable {
    /// The line the ranges index into.
    private(set) var base = Bytes(start: nil, count: 0)
    private var keys: [Range<Int>] = []
    private var values: [Range<Int>] = []

    init() {
        keys.reserveCapacity(64)
        values.reserveCapacity(64)
    }

    /// How many pairs there are.
    var count: Int { keys.count }

    /// Forgets every pair and indexes into `line` from now on.
    mutating func reset(_ line: Bytes) {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        base = line
    }

    mutating func append(key: Range<Int>, value: Range<Int>) {
        keys.append(key)
        values.append(value)
    }

    /// The key of pair `index`.
    func key(_ index: Int) -> Bytes { base.sub(keys[index]) }

    /// The value of pair `index`.
    func value(_ index: Int) -> Bytes { base.sub(values[index]) }

    /// The value of the first pair whose key is `key`.
    func value(for key: StaticString) -> Bytes? {
        guard let i = index(of: key) else { return nil }
        return value(i)
    }

    /// The index of the first pair whose key is `key`.
    func index(of key: StaticString) -> Int? {
        index(of: Bytes(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// The index of the first pair whose key is `key`, for keys known only at run time.
    func index(of key: [UInt8]) -> Int? {
        key.withUnsafeBufferPointer { index(of: $0) }
    }

    private func index(of key: Bytes) -> Int? {
        let n = key.count
        outer: for i in 0..<keys.count {
            let r = keys[i]
            guard r.count == n else { continue }
            for k in 0..<n where base[r.lowerBound + k] != key[k] { continue outer }
            return i
        }
        return nil
    }
}
