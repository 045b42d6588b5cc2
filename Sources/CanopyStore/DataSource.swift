/// A configured feed of traffic logs for continuous Cloud Discovery: a syslog port (UDP, TCP or TLS) or a watched
/// folder, each with the one log format its devices send.
package struct DataSource: Sendable, Hashable, Codable {
    /// How the logs arrive.
    package enum Transport: String, Sendable, Hashable, Codable, CaseIterable {
        /// Syslog over UDP: one message a datagram.
        case udp
        /// Syslog over TCP: newline or octet-counting framing (RFC 6587), RFC 3164 or RFC 5424 messages.
        case tcp
        /// Syslog over TLS (RFC 5425): as TCP, inside TLS 1.2+.
        case tls
        /// Files dropped into a folder; each is read once, then moved to its `processed/` subfolder.
        case folder

        /// Whether the transport listens on a port (all but the folder).
        package var usesPort: Bool { self != .folder }
    }

    /// Given by the store (ignored when creating).
    package var id: Int64
    /// Unique, chosen by the admin ("hq-squid").
    package var name: String
    /// The parser id of the format its devices send (`squid.native`, `paloalto.traffic` …).
    package var format: String
    package var transport: Transport
    /// The port a syslog source listens on; nil for a folder.
    package var port: Int?
    /// The folder a folder source watches; nil for syslog.
    package var path: String?
    /// Who created it, and when (milliseconds since the epoch).
    package var createdBy: String
    package var createdAt: Int64

    /// Where and how it receives, for people: `tcp port 5514, format squid.native`.
    package var summary: String {
        "\(transport.rawValue) " + (port.map { "port \($0)" } ?? path.map { "folder \($0)" } ?? "")
            + ", format \(format)"
    }

    package init(
        id: Int64 = 0,
        name: String,
        format: String,
        transport: Transport,
        port: Int? = nil,
        path: String? = nil,
        createdBy: String,
        createdAt: Int64
    ) {
        self.id = id
        self.name = name
        self.format = format
        self.transport = transport
        self.port = port
        self.path = path
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// What a data source has received: every line is a record, ignored with a reason or rejected with a reason, so
/// `lines == records + ignored + rejected` always holds. Counters only grow; a delta is added with
/// ``Store/addIntake(_:to:)``.
package struct DataSourceIntake: Sendable, Hashable, Codable {
    /// Lines (syslog messages or file lines) received.
    package var lines: Int64
    /// Lines that became traffic records.
    package var records: Int64
    /// Well-formed lines that carry no traffic (headers, session starts …).
    package var ignored: Int64
    /// Lines that could not be read.
    package var rejected: Int64
    /// Bytes received (message bytes, without framing).
    package var bytes: Int64
    /// Ignored and rejected lines by reason code, as `ignored:<reason>` and `rejected:<reason>` keys.
    package var reasons: [String: Int64]
    /// When the last line arrived (milliseconds since the epoch); nil when nothing arrived yet.
    package var lastReceivedAt: Int64?

    package init(
        lines: Int64 = 0,
        records: Int64 = 0,
        ignored: Int64 = 0,
        rejected: Int64 = 0,
        bytes: Int64 = 0,
        reasons: [String: Int64] = [:],
        lastReceivedAt: Int64? = nil
    ) {
        self.lines = lines
        self.records = records
        self.ignored = ignored
        self.rejected = rejected
        self.bytes = bytes
        self.reasons = reasons
        self.lastReceivedAt = lastReceivedAt
    }

    /// Whether nothing was counted.
    package var isEmpty: Bool { lines == 0 && bytes == 0 && reasons.isEmpty && lastReceivedAt == nil }

    /// Adds `other`'s counters; the last received time is the later one.
    package mutating func add(_ other: DataSourceIntake) {
        lines += other.lines
        records += other.records
        ignored += other.ignored
        rejected += other.rejected
        bytes += other.bytes
        for (reason, count) in other.reasons { reasons[reason, default: 0] += count }
        if let time = other.lastReceivedAt { lastReceivedAt = max(lastReceivedAt ?? time, time) }
    }
}

/// An alert Canopy raises about itself (a data source gone silent …). Threat-protection alerts will share the table.
package struct SystemAlert: Sendable, Hashable, Codable {
    /// Milliseconds since the epoch.
    package var time: Int64
    /// What kind of alert (`datasource.silent`).
    package var kind: String
    /// `low`, `medium` or `high`.
    package var severity: String
    package var title: String
    package var detail: String
    /// What it is about (`datasource:3`).
    package var entity: String
    /// Raising an alert whose key is already stored does nothing: one alert per condition.
    package var dedupKey: String?
    /// `open` or `closed`.
    package var status: String

    package init(
        time: Int64,
        kind: String,
        severity: String,
        title: String,
        detail: String,
        entity: String,
        dedupKey: String? = nil,
        status: String = "open"
    ) {
        self.time = time
        self.kind = kind
        self.severity = severity
        self.title = title
        self.detail = detail
        self.entity = entity
        self.dedupKey = dedupKey
        self.status = status
    }
}

/// A system alert with the id the store gave it.
package struct StoredSystemAlert: Sendable, Hashable, Codable {
    package var id: Int64
    package var alert: SystemAlert

    package init(id: Int64, alert: SystemAlert) {
        self.id = id
        self.alert = alert
    }
}
