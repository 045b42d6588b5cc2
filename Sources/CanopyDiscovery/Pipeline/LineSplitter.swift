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
        var start = 0
        let n = chunk.count
        while start < n {
            guard let nl = chunk.scan(for: 10, from: start) else {
                // No terminator in the rest of the chunk: carry it.
                if skippingOverlong { return }
                let piece = chunk.sub(start..<n)
                if carry.count + piece.count > maximumLineLength {
                    lineNumber += 1
                    body(.overlong(number: lineNumber))
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
                emit(chunk.sub(start..<nl), body)
            } else {
                carry.append(contentsOf: chunk.sub(start..<nl))
                if carry.count > maximumLineLength {
                    lineNumber += 1
                    body(.overlong(number: lineNumber))
                } else {
                    carry.withUnsafeBufferPointer { emit($0, body) }
                }
                carry.removeAll(keepingCapacity: true)
            }
            start = nl + 1
        }
    }

    /// Ends the stream: a last line without a terminator is emitted.
    package mutating func finish(_ body: (Event) -> Void) {
        if !carry.isEmpty {
            carry.withUnsafeBufferPointer { emit($0, body) }
            carry.removeAll()
        }
        skippingOverlong = false
    }

    private mutating func emit(_ line: Bytes, _ body: (Event) -> Void) {
        lineNumber += 1
        var l = line
        if l.count > 0, l[l.count - 1] == 13 { l = l.sub(0..<(l.count - 1)) }
        if l.count > maximumLineLength {
            body(.overlong(number: lineNumber))
            return
        }
        body(.line(l, number: lineNumber))
    }
}
