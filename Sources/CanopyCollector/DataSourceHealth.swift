package import CanopyStore

/// Whether a data source is delivering, from when it last received something.
///
/// A source is **connected** while something arrived in the last 24 hours, **waiting** when it never received
/// anything and was created less than 24 hours ago, and **disconnected** otherwise. After 48 hours of silence (since
/// its last line, or since it was created) a system alert is raised, once per silence.
package struct DataSourceHealth: Sendable, Hashable, Codable {
    package enum Status: String, Sendable, Hashable, Codable {
        case connected, waiting, disconnected
    }

    /// How long a source may be silent before it shows as disconnected.
    package static let disconnectedAfter: Int64 = 24 * 3_600_000
    /// How long a source may be silent before a system alert is raised.
    package static let alertAfter: Int64 = 48 * 3_600_000

    package var status: Status
    /// Since when the source has been silent: its last line, or its creation when it never received one.
    package var silentSince: Int64
    /// Whether the silence has lasted long enough for a system alert.
    package var needsAlert: Bool

    package init(source: DataSource, intake: DataSourceIntake?, now: Int64) {
        let last = intake?.lastReceivedAt
        silentSince = last ?? source.createdAt
        let silence = now - silentSince
        if silence < Self.disconnectedAfter {
            status = last == nil ? .waiting : .connected
        } else {
            status = .disconnected
        }
        needsAlert = silence >= Self.alertAfter
    }

    /// The system alert for a silent source: its dedup key names the silence, so each silence raises one alert.
    package func alert(for source: DataSource, now: Int64) -> SystemAlert {
        let hours = (now - silentSince) / 3_600_000
        return SystemAlert(
            time: now,
            kind: "datasource.silent",
            severity: "medium",
            title: "Data source \(source.name) is disconnected",
            detail: "No log has arrived from data source \(source.name) (\(source.summary)) for \(hours) hours.",
            entity: "datasource:\(source.id)",
            dedupKey: "datasource.silent:\(source.id):\(silentSince)"
        )
    }
}
