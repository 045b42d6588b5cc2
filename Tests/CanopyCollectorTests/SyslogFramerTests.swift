import CanopyCollector
import CanopyCore
import NIOCore
import Testing

/// RFC 6587 framing of syslog streams: LF framing, octet counting, both mixed, overlong and truncated messages, and
/// the same frames however the bytes are cut into reads.
@Suite struct SyslogFramerTests {
    /// A frame as the tests compare it: a message's text, or what went wrong.
    enum Frame: Equatable, CustomStringConvertible {
        case message(String)
        case overlong
        case truncated

        init(_ frame: SyslogFrame) {
            switch frame {
            case .message(let buffer): self = .message(String(buffer: buffer))
            case .overlong: self = .overlong
            case .truncated: self = .truncated
            }
        }

        var description: String {
            switch self {
            case .message(let text): "message(\(text.debugDescription))"
            case .overlong: "overlong"
            case .truncated: "truncated"
            }
        }
    }

    /// Calls `next` until it gives nil: the frames the bytes in `buffer` hold so far.
    static func drain(_ framer: inout SyslogFramer, _ buffer: inout ByteBuffer, atEnd: Bool = false) -> [Frame] {
        var frames = [Frame]()
        while let frame = framer.next(&buffer, atEnd: atEnd) { frames.append(Frame(frame)) }
        return frames
    }

    /// The frames of `pieces` appended one after another to one buffer, with `next` drained after each, then the
    /// end of the stream; also whether every byte was consumed at the end.
    static func frames(pieces: [[UInt8]], maximumLength: Int = 64 * 1024) -> (frames: [Frame], consumed: Bool) {
        var framer = SyslogFramer(maximumLength: maximumLength)
        var buffer = ByteBuffer()
        var frames = [Frame]()
        for piece in pieces {
            buffer.writeBytes(piece)
            frames += drain(&framer, &buffer)
        }
        frames += drain(&framer, &buffer, atEnd: true)
        return (frames, buffer.readableBytes == 0)
    }

    /// The frames of `bytes` given at once.
    static func frames(_ bytes: [UInt8], maximumLength: Int = 64 * 1024) -> [Frame] {
        frames(pieces: [bytes], maximumLength: maximumLength).frames
    }

    static func frames(_ text: String, maximumLength: Int = 64 * 1024) -> [Frame] {
        frames(Array(text.utf8), maximumLength: maximumLength)
    }

    /// The frames of `bytes` given one byte at a time.
    static func dripFed(_ bytes: [UInt8], maximumLength: Int = 64 * 1024) -> [Frame] {
        frames(pieces: bytes.map { [$0] }, maximumLength: maximumLength).frames
    }

    /// An octet-counted frame: the message's byte count, a space, the message.
    static func counted(_ message: String) -> String { "\(message.utf8.count) \(message)" }

    static let squidLine =
        "1767225600.985 90 10.1.1.16 TCP_MISS/200 5120 GET https://www.dropbox.com/home alice HIER_DIRECT/1.2.3.4 text/html"

    // MARK: LF framing

    @Test func lineFramingGivesEveryMessageOfOneBuffer() {
        #expect(
            Self.frames("<13>one\n<13>two\n<13>three\n")
                == [.message("<13>one"), .message("<13>two"), .message("<13>three")]
        )
    }

    @Test func lineFramingTrimsCarriageReturnsAndTrailingNULs() {
        #expect(
            Self.frames("<13>one\r\n<13>two\0\n<13>three\r\0\n")
                == [.message("<13>one"), .message("<13>two"), .message("<13>three")]
        )
    }

    @Test func blankLinesBetweenFramesAreNotMessages() {
        #expect(Self.frames("\n\n<13>one\n\r\n\n\0\n<13>two\n\n") == [.message("<13>one"), .message("<13>two")])
        #expect(Self.frames("\n\r\n\0") == [])
    }

    @Test func aMessageSplitAcrossTwoReadsComesOutOnceWhole() {
        var framer = SyslogFramer()
        var buffer = ByteBuffer()
        buffer.writeString("<13>first\n<13>sec")
        #expect(Self.drain(&framer, &buffer) == [.message("<13>first")])
        buffer.writeString("ond half\n<13>third\n")
        #expect(Self.drain(&framer, &buffer) == [.message("<13>second half"), .message("<13>third")])
        #expect(Self.drain(&framer, &buffer, atEnd: true) == [])
        #expect(buffer.readableBytes == 0)
    }

    @Test func anUnterminatedLastMessageIsGivenAtTheEnd() {
        var framer = SyslogFramer()
        var buffer = ByteBuffer()
        buffer.writeString("<13>one\n<13>last")
        #expect(Self.drain(&framer, &buffer) == [.message("<13>one")])
        #expect(Self.drain(&framer, &buffer, atEnd: true) == [.message("<13>last")])
        #expect(buffer.readableBytes == 0)
    }

    // MARK: Octet counting

    @Test func octetCountedFramesBackToBack() {
        let stream = Self.counted("<13>one") + Self.counted("<14>two words") + Self.counted("<15>three")
        #expect(Self.frames(stream) == [.message("<13>one"), .message("<14>two words"), .message("<15>three")])
    }

    @Test func octetCountedFramesDripFedGiveTheSameFramesAsAtOnce() {
        let stream = Array(
            (Self.counted("<13>one") + Self.counted("<165>1 2026-12-02T11:00:00Z host app - - - hello")
                + Self.counted("<15>three")).utf8
        )
        let expected: [Frame] = [
            .message("<13>one"), .message("<165>1 2026-12-02T11:00:00Z host app - - - hello"), .message("<15>three"),
        ]
        #expect(Self.frames(stream) == expected)
        #expect(Self.dripFed(stream) == expected)
    }

    @Test func mixedOctetCountedAndLineFramedStreamsDripFedGiveTheSameFramesAsAtOnce() {
        let text =
            Self.counted("<13>counted one") + "<14>framed one\n" + Self.counted("<15>counted\ntwo") + "\n"
            + Self.squidLine + "\n" + Self.counted("<16>counted three") + "<17>framed last"
        let stream = Array(text.utf8)
        let expected: [Frame] = [
            .message("<13>counted one"), .message("<14>framed one"), .message("<15>counted\ntwo"),
            .message(Self.squidLine), .message("<16>counted three"), .message("<17>framed last"),
        ]
        #expect(Self.frames(stream) == expected)
        #expect(Self.dripFed(stream) == expected)
    }

    @Test func aLineFeedInsideAnOctetCountedFrameStaysInTheMessage() {
        #expect(
            Self.frames(Self.counted("<13>line one\nline two") + Self.counted("<13>next"))
                == [.message("<13>line one\nline two"), .message("<13>next")]
        )
    }

    @Test func aDigitLeadingLineNotFollowedByAPRIIsLineFramed() {
        let stream = Array((Self.squidLine + "\n" + "12 not a length\n" + "42\n").utf8)
        let expected: [Frame] = [.message(Self.squidLine), .message("12 not a length"), .message("42")]
        #expect(Self.frames(stream) == expected)
        #expect(Self.dripFed(stream) == expected)
    }

    @Test func aLeadingZeroIsNotALength() {
        #expect(Self.frames("07 <13>abcdef\n") == [.message("07 <13>abcdef")])
    }

    // MARK: Overlong and truncated

    @Test func anOverlongLineIsDroppedOnceAndTheNextMessageIsIntact() {
        let long = "<13>" + String(repeating: "x", count: 100)
        #expect(Self.frames(long + "\n<13>next\n", maximumLength: 32) == [.overlong, .message("<13>next")])
    }

    @Test func trailingCarriageReturnsAndNULsDoNotCountAgainstTheLimit() {
        let message = "<13>456789abcdef"  // exactly 16 bytes
        #expect(Self.frames(message + "\r\n<13>x\n", maximumLength: 16) == [.message(message), .message("<13>x")])
        var buffer = ByteBuffer(string: message + "\0\0\0")
        var framer = SyslogFramer(maximumLength: 16)
        #expect(Self.drain(&framer, &buffer, atEnd: true) == [.message(message)])
        #expect(Self.frames("18 " + message + "\r\n", maximumLength: 16) == [.message(message)])
        #expect(Self.frames(message + "x\r\n", maximumLength: 16) == [.overlong])
    }

    @Test func anOverlongLineArrivingInPiecesIsDroppedOnce() {
        let long = Array(("<13>" + String(repeating: "x", count: 100)).utf8)
        var pieces = stride(from: 0, to: long.count, by: 10).map { Array(long[$0..<min($0 + 10, long.count)]) }
        pieces.append(Array("\n<13>next\n".utf8))
        let result = Self.frames(pieces: pieces, maximumLength: 32)
        #expect(result.frames == [.overlong, .message("<13>next")])
        #expect(result.consumed)
        #expect(Self.dripFed(Array(long) + Array("\n<13>next\n".utf8), maximumLength: 32) == result.frames)
    }

    @Test func aLineOfExactlyTheMaximumLengthIsKept() {
        let line = "<13>" + String(repeating: "y", count: 28)
        #expect(Self.frames(line + "\n", maximumLength: 32) == [.message(line)])
        #expect(Self.dripFed(Array((line + "\n").utf8), maximumLength: 32) == [.message(line)])
    }

    @Test func anOverlongOctetCountedFrameIsSkippedAndTheNextFrameIsIntact() {
        let long = "<13>" + String(repeating: "z", count: 100)
        let stream = Self.counted(long) + Self.counted("<13>next")
        #expect(Self.frames(stream, maximumLength: 32) == [.overlong, .message("<13>next")])
    }

    @Test func anOverlongOctetCountedBodyArrivingInPiecesIsSkipped() {
        let long = Array(Self.counted("<13>" + String(repeating: "z", count: 100)).utf8)
        var pieces = stride(from: 0, to: long.count, by: 7).map { Array(long[$0..<min($0 + 7, long.count)]) }
        pieces.append(Array(Self.counted("<13>next").utf8))
        let result = Self.frames(pieces: pieces, maximumLength: 32)
        #expect(result.frames == [.overlong, .message("<13>next")])
        #expect(result.consumed)
        #expect(Self.dripFed(pieces.flatMap { $0 }, maximumLength: 32) == result.frames)
    }

    @Test func aTruncatedOctetCountedFrameAtTheEndIsTruncated() {
        var framer = SyslogFramer()
        var buffer = ByteBuffer()
        buffer.writeString(Self.counted("<13>whole") + "40 <13>cut off")
        #expect(Self.drain(&framer, &buffer) == [.message("<13>whole")])
        #expect(Self.drain(&framer, &buffer, atEnd: true) == [.truncated])
        #expect(buffer.readableBytes == 0)
    }

    // MARK: Properties

    /// Bytes that make framing decisions likely: digits, spaces, `<`, LF, CR, NUL and letters, with now and then
    /// a well-formed octet-counted frame.
    static func syslogishBytes(_ rng: inout SplitMix64) -> [UInt8] {
        let alphabet = Array("0123456789  <<>\n\n\r\0ab".utf8)
        var bytes = [UInt8]()
        let count = rng.below(300)
        while bytes.count < count {
            switch rng.below(10) {
            case 0: bytes += Array(Self.counted("<13>m\(rng.below(1000))").utf8)
            case 1: bytes.append(UInt8(truncatingIfNeeded: rng.next()))
            default: bytes.append(alphabet[rng.below(alphabet.count)])
            }
        }
        return bytes
    }

    /// `bytes` cut at random points.
    static func randomPieces(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [[UInt8]] {
        var pieces = [[UInt8]]()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 1 + rng.below(40))
            pieces.append(Array(bytes[start..<end]))
            start = end
        }
        return pieces
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func framesDoNotDependOnHowTheBytesAreCut(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<250 {
            let bytes =
                rng.below(2) == 0
                ? Self.syslogishBytes(&rng) : (0..<rng.below(300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let maximumLength = [16, 40, 64 * 1024][rng.below(3)]
            let whole = Self.frames(pieces: [bytes], maximumLength: maximumLength)
            let cut = Self.frames(pieces: Self.randomPieces(bytes, &rng), maximumLength: maximumLength)
            #expect(whole.consumed, "bytes left over at the end for \(bytes)")
            #expect(cut.consumed, "bytes left over at the end for \(bytes) cut in pieces")
            #expect(whole.frames == cut.frames, "frames differ for \(bytes)")
        }
    }

    @Test(arguments: [UInt64(5), 6])
    func dripFeedingArbitraryBytesGivesTheSameFramesAsAtOnce(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<150 {
            let bytes = Self.syslogishBytes(&rng)
            let maximumLength = [16, 40, 64 * 1024][rng.below(3)]
            #expect(
                Self.frames(bytes, maximumLength: maximumLength) == Self.dripFed(bytes, maximumLength: maximumLength),
                "frames differ for \(bytes)"
            )
        }
    }
}
