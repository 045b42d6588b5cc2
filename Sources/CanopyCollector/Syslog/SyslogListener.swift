package import CanopyStore
package import NIOCore
import NIOPosix
package import NIOSSL
import Synchronization

/// The bound syslog port of one data source (UDP, TCP or TLS) and its open connections.
package final class SyslogListener: Sendable {
    private let channel: any Channel
    private let connections: Connections

    private init(channel: any Channel, connections: Connections) {
        self.channel = channel
        self.connections = connections
    }

    /// The port actually bound (useful when the source asked for port 0).
    package var port: Int? { channel.localAddress?.port }

    /// Binds the source's port on `host` and feeds what arrives to `intake`.
    ///
    /// - Parameters:
    ///   - source: the data source (`udp`, `tcp` or `tls`, with a port).
    ///   - host: the address to bind.
    ///   - intake: where its messages go.
    ///   - tls: the server TLS context, required for a `tls` source.
    ///   - maximumLength: the longest message kept (longer ones are counted as `overlong-line`).
    ///   - clock: milliseconds since the epoch (the time messages are received at).
    ///   - group: the event loops that serve it.
    /// - Returns: the running listener.
    /// - Throws: ``CollectorError`` when the source has no port, or a TLS source no context; NIO's error when the
    ///   port cannot be bound.
    package static func start(
        source: DataSource,
        host: String,
        intake: SourceIntake,
        tls: NIOSSLContext?,
        maximumLength: Int,
        clock: @escaping @Sendable () -> Int64,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SyslogListener {
        guard let port = source.port else { throw CollectorError("data source \(source.name) has no port") }
        switch source.transport {
        case .udp:
            let channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                .channelOption(.datagramVectorReadMessageCount, value: 64)
                .channelOption(.maxMessagesPerRead, value: 64)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            SyslogDatagramHandler(intake: intake, maximumLength: maximumLength, clock: clock)
                        )
                    }
                }
                .bind(host: host, port: port).get()
            return SyslogListener(channel: channel, connections: Connections())
        case .tcp, .tls:
            if source.transport == .tls, tls == nil {
                throw CollectorError("data source \(source.name) needs a TLS certificate")
            }
            let tlsContext = source.transport == .tls ? tls : nil
            let connections = Connections()
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(
                    .recvAllocator,
                    value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16_384, maximum: 1 << 20)
                )
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tlsContext { try pipeline.addHandler(NIOSSLServerHandler(context: tlsContext)) }
                        try pipeline.addHandler(ByteToMessageHandler(SyslogFrameDecoder(maximumLength: maximumLength)))
                        try pipeline.addHandler(SyslogStreamHandler(intake: intake, clock: clock))
                        connections.insert(channel)
                    }
                }
                .bind(host: host, port: port).get()
            return SyslogListener(channel: channel, connections: connections)
        case .folder:
            throw CollectorError("data source \(source.name) is a folder, not a syslog port")
        }
    }

    /// Stops listening and closes the open connections (what they delivered is already in the intake).
    package func stop() async {
        try? await channel.close()
        for connection in connections.all() { try? await connection.close() }
    }

    /// The open connections of a TCP or TLS listener.
    private final class Connections: Sendable {
        private let open = Mutex<[ObjectIdentifier: any Channel]>([:])

        func insert(_ channel: any Channel) {
            let id = ObjectIdentifier(channel)
            open.withLock { $0[id] = channel }
            channel.closeFuture.whenComplete { [self] _ in _ = open.withLock { $0.removeValue(forKey: id) } }
        }

        func all() -> [any Channel] { open.withLock { Array($0.values) } }
    }
}
