/// A bounded, direct-mapped cache from a destination host name to what the aggregator decided for it: the catalog
/// lookup (longest suffix over every label) and, for hosts no rule matches, the unknown destination id.
///
/// Logs name few distinct hosts many times, so one seeded hash of the whole name and one compare replace a hash
/// per label and a probe per label in the catalog's index. The cache has a fixed number of entries: a log with
/// millions of distinct hosts only evicts, it never grows memory; a miss falls back to the full lookup.
struct HostMemo: Sendable {
    /// What a host resolved to: an app index (≥ 0), ``localName``, or ``unknown(_:)`` encoding an unknown
    /// destination id.
    typealias Value = Int32

    /// A single-label or internal name (`.local`, `.corp` …): never an app.
    static let localName: Value = -1

    /// The value of a host no rule matches, with its unknown destination id.
    static func unknown(_ id: Int32) -> Value { -2 - id }

    /// The unknown destination id of a value below ``localName``.
    static func unknownID(_ value: Value) -> Int32 { -2 - value }

    private struct Entry: Sendable {
        var hash: UInt64 = 0
        var host: String? = nil
        var value: Value = 0
    }

    private var entries: [Entry]
    private let mask: Int
    private let seed = UInt64.random(in: 0...UInt64.max)

    /// - Parameter capacity: the number of entries, rounded up to a power of two.
    init(capacity: Int = 8192) {
        var size = 1
        while size < capacity { size <<= 1 }
        entries = [Entry](repeating: Entry(), count: size)
        mask = size - 1
    }

    /// Where `host` is remembered: its entry and hash, and its value if the entry holds it.
    @inline(__always)
    func find(_ host: String) -> (value: Value?, slot: Int, hash: UInt64) {
        var text = host
        let h = text.withUTF8 { TextHash.hash($0, seed) }
        let i = Int(truncatingIfNeeded: h) & mask
        if entries[i].hash == h, let cached = entries[i].host, cached == host { return (entries[i].value, i, h) }
        return (nil, i, h)
    }

    /// Remembers `value` for `host` in the entry ``find(_:)`` named, evicting whatever was there.
    mutating func remember(_ host: String, value: Value, slot: Int, hash: UInt64) {
        entries[slot] = Entry(hash: hash, host: host, value: value)
    }
}
