/// Walks the blank-separated fields of a line one by one, without storing their ranges: for fixed-layout formats
/// that read their fields in order (Squid native).
package struct FieldCursor {
    private let line: Bytes
    private var position = 0

    package init(_ line: Bytes) { self.line = line }

    /// The next field (runs of spaces and tabs separate fields), or nil at the end of the line.
    @inline(__always)
    package mutating func next() -> Bytes? {
        let n = line.count
        var i = position
        while i < n, line[i] == 32 || line[i] == 9 { i += 1 }
        guard i < n else {
            position = n
            return nil
        }
        let end = WordScan.firstBlank(in: line, from: i + 1)
        position = end
        return line.sub(i..<end)
    }
}
