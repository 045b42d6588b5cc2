/// Cuts a stream of byte chunks into lines, with line numbers, in constant memory.
///
/// Handles LF and CRLF, a last line without a terminator, and lines longer than ``maximumLineLength``, which are
/// reported as overlong (and skipped to their end) rather than buffered.
package struct LineSplitter: Sendable {
    /// One event from the splitter.
    package enum Event {
        /// A complete line without its terminator, valid only during the callback.
        case line(Bytes, number: Int)
        /// A line longer than the limit; its content is dropped, its number counted.
        case overlong(number: Int)
    }

    package let maximumLineLength: Int
    private var carry: [UInt8] = []
    private var skippingOverlong = false
    private(set) package var lineNumber = 0

    package init(maximumLineLength: Int = 64 * 1024) {
        self.maximumLineLength = maximumLineLength
    }

    /// Feeds one chunk; calls `body` for every line completed by it.
    package mutating func feed(_ chunk: Bytes, _ body: (Event) -> Void) {
        feed(
            chunk,
            lines: { line, number, _ in body(.line(line, number: number)) },
            overlong: { body(.overlong(number: $0)) }
        )
    }

    /// Feeds one chunk; calls `lines` with every line completed by it, its number and whether it holds a control
    /// byte other than tab and CR (a binary line), and `overlong` with the number of every line over the limit.
    ///
    /// The hot path: one pass eight bytes at a time finds the end of the line and any control byte in it.
    @inline(__always)
    package mutating func feed(
        _ chunk: Bytes,
        lines: (Bytes, Int, _ binary: Bool) -> Void,
        overlong: (Int) -> Void
    ) {
        var start = 0
        let n = chunk.count
        while start < n {
            let (end, control) = Self.scanLine(chunk, from: start)
            guard let nl = end else {
                // No terminator in the rest of the chunk: carry it.
                if skippingOverlong { return }
                let piece = chunk.sub(start..<n)
                if carry.count + piece.count > maximumLineLength {
                    lineNumber += 1
                    overlong(lineNumber)
                    carry.removeAll(keepingCapacity: true)
                    skippingOverlong = true
                } else {
                    carry.append(contentsOf: piece)
                }
                return
            }
            if skippingOverlong {
                skippingOverlong = false
                start = nl + 1
                continue
            }
            if carry.isEmpty {
                emit(chunk.sub(start..<nl), binary: control, lines, overlong)
            } else {
                carry.append(contentsOf: chunk.sub(start..<nl))
                if carry.count > maximumLineLength {
                    lineNumber += 1
                    overlong(lineNumber)
                } else {
                    carry.withUnsafeBufferPointer { emit($0, binary: $0.containsBinary, lines, overlong) }
                }
                carry.removeAll(keepingCapacity: true)
            }
            start = nl + 1
        }
    }

    /// The index of the first LF at or after `from` (nil if none), and whether a control byte other than tab and CR
    /// comes before it. A word has a byte below 0x20 iff `(w - 0x20…) & ~w & 0x80…` is non-zero; only such words are
    /// looked at byte by byte.
    @inline(__always)
    private static func scanLine(_ chunk: Bytes, from: Int) -> (Int?, Bool) {
        guard let base = chunk.baseAddress else { return (nil, false) }
        let raw = UnsafeRawPointer(base)
        let n = chunk.count
        var control = false
        var i = from
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080 != 0 {
                for k in i..<(i + 8) where base[k] < 32 {
                    if base[k] == 10 { return (k, control) }
                    if base[k] != 9 && base[k] != 13 { control = true }
                }
            }
            i += 8
        }
        while i < n {
            let b = base[i]
            if b == 10 { return (i, control) }
            if b < 32 && b != 9 && b != 13 { control = true }
            i += 1
        }
        return (nil, control)
    }

    /// Ends the stream: a last line without a terminator is emitted.
    package mutating func finish(_ body: (Event) -> Void) {
        if !carry.isEmpty {
            carry.withUnsafeBufferPointer { line in
                emit(
                    line,
                    binary: line.containsBinary,
                    { line, number, _ in body(.line(line, number: number)) },
                    { body(.overlong(number: $0)) }
                )
            }
            carry.removeAll()
        }
        skippingOverlong = false
    }

    @inline(__always)
    private mutating func emit(
        _ line: Bytes,
        binary: Bool,
        _ lines: (Bytes, Int, Bool) -> Void,
        _ overlong: (Int) -> Void
    ) {
        lineNumber += 1
        var l = line
        if l.count > 0, l[l.count - 1] == 13 { l = l.sub(0..<(l.count - 1)) }
        if l.count > maximumLineLength {
            overlong(lineNumber)
            return
        }
        lines(l, lineNumber, binary)
    }
}
