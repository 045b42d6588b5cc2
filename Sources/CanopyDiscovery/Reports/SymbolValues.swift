/// A value per symbol of a ``FieldSymbols`` table, stored on the symbol's first record: what an aggregator derives
/// from a host or user name (its app, its user id), found again by index instead of by hashing the name.
struct SymbolValues: Sendable {
    /// No value stored yet; never a stored value.
    private static let unset = Int32.min
    private var values: [Int32] = []

    /// The value stored for `symbol` (≥ 0), if any.
    @inline(__always)
    func value(of symbol: Int32) -> Int32? {
        let s = Int(symbol)
        guard s < values.count else { return nil }
        let v = values[s]
        return v == Self.unset ? nil : v
    }

    /// Stores `value` (not `Int32.min`) for `symbol` (≥ 0).
    mutating func store(_ value: Int32, for symbol: Int32) {
        let s = Int(symbol)
        if s >= values.count { values.append(contentsOf: repeatElement(Self.unset, count: s + 1 - values.count)) }
        values[s] = value
    }
}
