import CanopyCore
import CanopyServer
import Testing

/// The streaming multipart reader: RFC 2046 framing, the same parts however the body is cut into chunks, and a
/// clear error (never a trap) for any mangled body.
@Suite struct MultipartStreamTests {
    static let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

    static let body = Array(
        ("preamble to ignore\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nweek 48\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.log\"\r\n"
            + "Content-Type: text/plain\r\n\r\nline one\r\nline two --\(boundary.prefix(10)) not a boundary\r\n\r\n"
            + "--\(boundary)  \r\n\r\nno headers\r\n"
            + "--\(boundary)--\r\nepilogue to ignore").utf8
    )

    /// Events merged so content pieces compare whole.
    static func parts(_ events: [MultipartStream.Event]) -> [(headers: [String], content: String)] {
        var out: [(headers: [String], content: String)] = []
        for event in events {
            switch event {
            case .part(let headers): out.append((headers.map { "\($0.name)=\($0.value)" }, ""))
            case .content(let bytes): out[out.count - 1].content += String(decoding: bytes, as: UTF8.self)
            case .partEnd: break
            }
        }
        return out
    }

    @Test func partsHeadersAndContentComeOutAsSent() throws {
        var stream = MultipartStream(boundary: Self.boundary)
        let events = try stream.feed(Self.body)
        try stream.finish()
        let parts = Self.parts(events)
        #expect(parts.count == 3)
        #expect(parts[0].headers == [#"Content-Disposition=form-data; name="name""#])
        #expect(parts[0].content == "week 48")
        #expect(parts[1].headers.count == 2)
        #expect(parts[1].content == "line one\r\nline two --\(Self.boundary.prefix(10)) not a boundary\r\n")
        #expect(parts[2].headers.isEmpty)
        #expect(parts[2].content == "no headers")
        #expect(events.filter { $0 == .partEnd }.count == 3)
    }

    @Test func anyChunkingGivesTheSameParts() throws {
        var whole = MultipartStream(boundary: Self.boundary)
        let expected = Self.parts(try whole.feed(Self.body))
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            var stream = MultipartStream(boundary: Self.boundary)
            var events: [MultipartStream.Event] = []
            var at = 0
            while at < Self.body.count {
                let n = min(Self.body.count - at, Int.random(in: 1...40, using: &rng))
                events += try stream.feed(Self.body[at..<(at + n)])
                at += n
            }
            try stream.finish()
            let parts = Self.parts(events)
            #expect(parts.map(\.headers) == expected.map(\.headers))
            #expect(parts.map(\.content) == expected.map(\.content))
        }
    }

    @Test func aBodyCutShortIsAnErrorAtTheEnd() throws {
        var stream = MultipartStream(boundary: Self.boundary)
        _ = try stream.feed(Self.body.prefix(150))
        #expect(throws: MultipartStream.Malformed.self) { try stream.finish() }
        var headers = MultipartStream(boundary: "b")
        #expect(throws: MultipartStream.Malformed.self) {
            _ = try headers.feed(Array("--b\r\nNot a header\r\n\r\nx\r\n--b--".utf8))
        }
        var high = MultipartStream(boundary: "b")
        #expect(throws: MultipartStream.Malformed.self) {
            _ = try high.feed([0x2D, 0x2D, 0x62, 0x0D, 0x0A, 0xC3, 0xA9, 0x3A, 0x20, 0x78, 0x0D, 0x0A, 0x0D, 0x0A])
        }
        var long = MultipartStream(boundary: "b")
        #expect(throws: MultipartStream.Malformed.self) {
            _ = try long.feed(Array(("--b\r\nX-Long: " + String(repeating: "a", count: 9_000)).utf8))
        }
    }

    /// Random damage — bytes flipped (high bytes included), cut, boundaries inserted — ends in parts or a
    /// `Malformed` error, never a trap.
    @Test func mangledBodiesNeverTrap() {
        var rng = SplitMix64(seed: 0xBAD)
        for round in 0..<3_000 {
            var body = Self.body
            for _ in 0..<Int.random(in: 1...10, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: body[Int.random(in: 0..<body.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1: body = Array(body.prefix(Int.random(in: 1...body.count, using: &rng)))
                case 2:
                    body.insert(
                        contentsOf: Array("\r\n--\(Self.boundary)".utf8),
                        at: Int.random(in: 0...body.count, using: &rng)
                    )
                default: body.insert(0x0D, at: Int.random(in: 0...body.count, using: &rng))
                }
            }
            var stream = MultipartStream(boundary: Self.boundary)
            do {
                var at = 0
                while at < body.count {
                    let n = min(body.count - at, Int.random(in: 1...64, using: &rng))
                    _ = try stream.feed(body[at..<(at + n)])
                    at += n
                }
                try stream.finish()
            } catch {
                #expect(error is MultipartStream.Malformed, "round \(round)")
            }
        }
    }
}
