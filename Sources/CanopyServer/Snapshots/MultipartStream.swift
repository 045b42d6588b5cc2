/// A streaming `multipart/form-data` reader (RFC 7578 over RFC 2046): feed it the body chunk by chunk as it
/// arrives, and it hands back each part's headers, its content in pieces, and its end — holding no more than a chunk
/// plus one delimiter in memory, whatever the part's size.
///
/// Hand-written rather than taken from multipart-kit: its 4.x parser traps (index out of range) on a header-name
/// byte ≥ 0x80, which our fuzz test found; a malformed upload must be a 400, never a crashed server.
package struct MultipartStream: Sendable {
    package enum Event: Sendable, Equatable {
        /// A part begins; its header fields, names as sent.
        case part(headers: [(name: String, value: String)])
        /// Some of the current part's content.
        case content([UInt8])
        /// The current part is complete.
        case partEnd

        package static func == (lhs: Event, rhs: Event) -> Bool {
            switch (lhs, rhs) {
            case (.part(let a), .part(let b)): a.map(\.name) == b.map(\.name) && a.map(\.value) == b.map(\.value)
            case (.content(let a), .content(let b)): a == b
            case (.partEnd, .partEnd): true
            default: false
            }
        }
    }

    package struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// The largest header block of one part.
    package static let headerLimit = 8_192

    private enum State {
        case preamble
        /// Just after a delimiter: `--` ends the body, CRLF starts a part.
        case afterDelimiter
        case headers
        case content
        case epilogue
    }

    private let delimiter: [UInt8]
    private var pending: [UInt8]
    private var start = 0
    private var state = State.preamble
    private var inPart = false

    /// Whether the closing delimiter was read.
    package var isComplete: Bool { state == .epilogue }

    package init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may open the body without a CRLF before it.
        pending = [0x0D, 0x0A]
    }

    /// Reads the next chunk of the body.
    package mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [Event] {
        if state == .epilogue { return [] }
        compact()
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        while try step(&events) {}
        return events
    }

    /// Ends the body; throws when it stopped before the closing delimiter.
    package func finish() throws {
        guard state == .epilogue else {
            throw Malformed(description: "the multipart body ended before its closing boundary")
        }
    }

    /// One move of the state machine; false when it needs more bytes.
    private mutating func step(_ events: inout [Event]) throws -> Bool {
        switch state {
        case .preamble, .content:
            if let at = find(delimiter) {
                if state == .content, at > start { events.append(.content(Array(pending[start..<at]))) }
                start = at + delimiter.count
                state = .afterDelimiter
                return true
            }
            // Keep what could be the beginning of a delimiter split across chunks.
            let safeEnd = max(start, pending.count - (delimiter.count - 1))
            if state == .content, safeEnd > start { events.append(.content(Array(pending[start..<safeEnd]))) }
            start = safeEnd
            return false
        case .afterDelimiter:
            var i = start
            // Transport padding (RFC 2046 §5.1.1) before the CRLF.
            while i < pending.count, pending[i] == 0x20 || pending[i] == 0x09 { i += 1 }
            guard i + 1 < pending.count else { return false }
            if pending[start] == 0x2D, start + 1 < pending.count, pending[start + 1] == 0x2D {
                if inPart { events.append(.partEnd) }
                inPart = false
                state = .epilogue
                start = pending.count
                return false
            }
            guard pending[i] == 0x0D, pending[i + 1] == 0x0A else {
                throw Malformed(description: "a boundary is not followed by a line break")
            }
            if inPart { events.append(.partEnd) }
            start = i + 2
            state = .headers
            return true
        case .headers:
            // A part without headers: the empty line comes at once.
            let end: Int
            if pending.count - start >= 2, pending[start] == 0x0D, pending[start + 1] == 0x0A {
                end = start
            } else if let at = find([0x0D, 0x0A, 0x0D, 0x0A]) {
                end = at + 2
            } else {
                guard pending.count - start <= Self.headerLimit else {
                    throw Malformed(description: "a part's headers are longer than \(Self.headerLimit) bytes")
                }
                return false
            }
            guard end - start <= Self.headerLimit else {
                throw Malformed(description: "a part's headers are longer than \(Self.headerLimit) bytes")
            }
            let headers = try Self.headers(pending[start..<end])
            events.append(.part(headers: headers))
            inPart = true
            start = end + 2
            state = .content
            return true
        case .epilogue:
            return false
        }
    }

    /// The first occurrence of `needle` at or after `start`.
    private func find(_ needle: [UInt8]) -> Int? {
        let first = needle[0]
        var i = start
        let last = pending.count - needle.count
        while i <= last {
            if pending[i] == first {
                var j = 1
                while j < needle.count, pending[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Drops consumed bytes once they are most of the buffer.
    private mutating func compact() {
        guard start > 0, start * 2 >= pending.count else { return }
        pending.removeFirst(start)
        start = 0
    }

    /// `Name: value` lines, each ending in CRLF; names are RFC 9110 tokens, values are read as UTF-8.
    private static func headers(_ block: ArraySlice<UInt8>) throws -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        var lineStart = block.startIndex
        var i = block.startIndex
        while i < block.endIndex {
            guard block[i] == 0x0D else {
                i += 1
                continue
            }
            guard i + 1 < block.endIndex, block[i + 1] == 0x0A else {
                throw Malformed(description: "a part header line does not end in CRLF")
            }
            let line = block[lineStart..<i]
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy(isTokenByte)
            else { throw Malformed(description: "a part header is not `Name: value`") }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            var value = line[(colon + 1)...]
            while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
            while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
            out.append((name, String(decoding: value, as: UTF8.self)))
            i += 2
            lineStart = i
        }
        return out
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
