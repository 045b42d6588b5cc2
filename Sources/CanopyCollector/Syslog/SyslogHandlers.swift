import NIOCore

/// Hands the frames of one TCP or TLS connection to the data source's intake, one batch per socket read.
final class SyslogStreamHandler: ChannelInboundHandler {
    typealias InboundIn = SyslogFrame

    private let intake: SourceIntake
    private let clock: @Sendable () -> Int64
    private var batch: [SyslogFrame] = []

    init(intake: SourceIntake, clock: @escaping @Sendable () -> Int64) {
        self.intake = intake
        self.clock = clock
        batch.reserveCapacity(256)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        batch.append(unwrapInboundIn(data))
        if batch.count >= 4096 { deliver() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        deliver()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deliver()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS handshake failure or a reset: what arrived is kept, the connection ends.
        deliver()
        context.close(promise: nil)
    }

    private func deliver() {
        guard !batch.isEmpty else { return }
        intake.ingest(batch, at: clock())
        batch.removeAll(keepingCapacity: true)
    }
}

/// Hands syslog datagrams (RFC 5426: one message a datagram; a datagram holding several LF-separated lines gives
/// one message a line) to the data source's intake.
final class SyslogDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let intake: SourceIntake
    private let clock: @Sendable () -> Int64
    private let maximumLength: Int
    private var batch: [SyslogFrame] = []

    init(intake: SourceIntake, maximumLength: Int, clock: @escaping @Sendable () -> Int64) {
        self.intake = intake
        self.maximumLength = maximumLength
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data).data
        var framer = SyslogFramer(maximumLength: maximumLength)
        while let frame = framer.next(&buffer, atEnd: true) { batch.append(frame) }
        if batch.count >= 4096 { deliver() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        deliver()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors and the like do not end a UDP listener.
    }

    private func deliver() {
        guard !batch.isEmpty else { return }
        intake.ingest(batch, at: clock())
        batch.removeAll(keepingCapacity: true)
    }
}
