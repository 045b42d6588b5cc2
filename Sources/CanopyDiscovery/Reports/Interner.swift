/// Gives each distinct value a dense integer id, so aggregate keys stay small and hash fast.
package struct Interner<Value: Hashable & Sendable>: Sendable {
    package private(set) var values: [Value] = []
    private var ids: [Value: Int32] = [:]

    package init() {}

    package var count: Int { values.count }

    /// The id of `value`, adding it if new.
    @inline(__always)
    package mutating func id(_ value: Value) -> Int32 {
        if let id = ids[value] { return id }
        let id = Int32(values.count)
        values.append(value)
        ids[value] = id
        return id
    }
}
