package import NIOCore

/// One unit a syslog stream or datagram carries.
package enum SyslogFrame: Sendable, Equatable {
    /// A message, without its framing (length prefix or trailing LF, CR or NUL).
    case message(ByteBuffer)
    /// A message longer than the limit: dropped, and counted as `overlong-line`.
    case overlong
    /// An octet-counted message cut off by the end of the stream: counted as `truncated-line`.
    case truncated
}

/// Cuts a TCP (or TLS) syslog stream into messages, as RFC 6587 describes: **octet counting** (`LEN SP MSG`, used
/// by RFC 5425 and by rsyslog's `TCP_Framing="octet-counted"`) or **non-transparent framing** (`MSG LF`, the
/// traditional one). The framing is decided per message, as rsyslog's receiver does: a message that starts with a
/// length, a space and `<` (the PRI every syslog message opens with) is octet-counted, anything else runs to the
/// next LF. Pure state: the NIO decoder (``SyslogFrameDecoder``) and the tests drive it.
package struct SyslogFramer: Sendable {
    /// The longest message kept; longer ones become ``SyslogFrame/overlong``.
    package let maximumLength: Int
    /// Bytes of an overlong octet-counted message still to drop.
    private var skipping = 0
    /// Inside an overlong LF-framed message: drop up to the next LF.
    private var discardingLine = false

    package init(maximumLength: Int = 64 * 1024) {
        self.maximumLength = max(16, maximumLength)
    }

    /// The next frame in `buffer` (whose reader index moves past it), or nil when more bytes are needed. At the end
    /// of the stream (`atEnd`) what is left is given as a last message.
    package mutating func next(_ buffer: inout ByteBuffer, atEnd: Bool = false) -> SyslogFrame? {
        if skipping > 0 {
            let n = min(skipping, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: n)
            skipping -= n
            if skipping > 0 { return nil }
        }
        if discardingLine {
            guard let lf = buffer.readableBytesView.firstIndex(of: 10) else {
                buffer.moveReaderIndex(to: buffer.writerIndex)
                return nil
            }
            buffer.moveReaderIndex(to: lf + 1)
            discardingLine = false
        }
        // Line ends, CRs and NULs between frames are framing, not messages.
        while let b = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), b == 10 || b == 13 || b == 0 {
            buffer.moveReaderIndex(forwardBy: 1)
        }
        guard buffer.readableBytes > 0 else { return nil }
        switch octetCount(buffer, atEnd: atEnd) {
        case .needMore:
            return nil
        case .counted(let length, let headerLength):
            // Trailing CR, LF and NUL are framing: a message is measured without them (a little slack here, the
            // exact check after trimming).
            if length > maximumLength + Self.trailerSlack {
                buffer.moveReaderIndex(forwardBy: headerLength)
                skipping = length
                let n = min(skipping, buffer.readableBytes)
                buffer.moveReaderIndex(forwardBy: n)
                skipping -= n
                return .overlong
            }
            guard buffer.readableBytes >= headerLength + length else {
                if atEnd {
                    buffer.moveReaderIndex(to: buffer.writerIndex)
                    return .truncated
                }
                return nil
            }
            let start = buffer.readerIndex + headerLength
            let message = Self.trimmed(buffer, start, length)
            buffer.moveReaderIndex(to: start + length)
            return message.readableBytes > maximumLength ? .overlong : .message(message)
        case .lineFramed:
            break
        }
        let start = buffer.readerIndex
        if let lf = buffer.readableBytesView.firstIndex(of: 10) {
            let message = Self.trimmed(buffer, start, lf - start)
            buffer.moveReaderIndex(to: lf + 1)
            return message.readableBytes > maximumLength ? .overlong : .message(message)
        }
        if buffer.readableBytes > maximumLength + Self.trailerSlack {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            discardingLine = true
            return .overlong
        }
        guard atEnd else { return nil }
        let message = Self.trimmed(buffer, start, buffer.readableBytes)
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return message.readableBytes > maximumLength ? .overlong : .message(message)
    }

    /// Trailing bytes (CR, NUL) allowed past the limit before a message is known to be overlong unread.
    private static let trailerSlack = 8

    private enum Framing {
        case needMore
        case counted(length: Int, headerLength: Int)
        case lineFramed
    }

    /// Whether the bytes at the reader index open an octet-counted message: 1–9 digits (no leading zero), a space,
    /// then `<`.
    private func octetCount(_ buffer: ByteBuffer, atEnd: Bool) -> Framing {
        let view = buffer.readableBytesView
        var i = view.startIndex
        var length = 0
        var digits = 0
        while i < view.endIndex, view[i] >= 48, view[i] <= 57 {
            if digits == 0, view[i] == 48 { return .lineFramed }
            length = length * 10 + Int(view[i] - 48)
            digits += 1
            if digits > 9 { return .lineFramed }
            i += 1
        }
        guard digits > 0 else { return .lineFramed }
        guard i < view.endIndex else { return atEnd ? .lineFramed : .needMore }
        guard view[i] == 32 else { return .lineFramed }
        guard i + 1 < view.endIndex else { return atEnd ? .lineFramed : .needMore }
        guard view[i + 1] == UInt8(ascii: "<") else { return .lineFramed }
        return .counted(length: length, headerLength: i + 1 - view.startIndex)
    }

    /// The message at `start` (absolute index, readable) of `length` bytes, without trailing CR, LF or NUL.
    private static func trimmed(_ buffer: ByteBuffer, _ start: Int, _ length: Int) -> ByteBuffer {
        var n = length
        while n > 0, let b = buffer.getInteger(at: start + n - 1, as: UInt8.self), b == 10 || b == 13 || b == 0 {
            n -= 1
        }
        return buffer.getSlice(at: start, length: n) ?? ByteBuffer()
    }
}

/// The NIO decoder for syslog over TCP and TLS: ``SyslogFramer`` in a channel pipeline.
package struct SyslogFrameDecoder: ByteToMessageDecoder {
    package typealias InboundOut = SyslogFrame
    private var framer: SyslogFramer

    package init(maximumLength: Int) { framer = SyslogFramer(maximumLength: maximumLength) }

    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = framer.next(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    package mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while let frame = framer.next(&buffer, atEnd: true) {
            context.fireChannelRead(wrapInboundOut(frame))
        }
        return .needMoreData
    }
}
