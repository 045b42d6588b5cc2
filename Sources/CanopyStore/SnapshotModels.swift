package import Foundation

/// Where a snapshot report is: its logs are being read, its report is stored, or no report could be built.
package enum SnapshotStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case processing
    case ready
    case failed
}

/// A snapshot report as lists show it: what was uploaded, by whom, and how it went — without the report itself.
package struct SnapshotSummary: Sendable, Hashable {
    /// Given by the store; ignored by ``Store/createSnapshot(_:)``.
    package var id: Int64
    package var name: String
    /// Milliseconds since the epoch.
    package var createdAt: Int64
    /// The admin or API token name that uploaded the logs.
    package var createdBy: String
    package var status: SnapshotStatus
    /// The log format asked for, or the one(s) sniffing chose (comma-separated); nil when none was found.
    package var format: String?
    /// How many files were uploaded.
    package var files: Int
    /// How many bytes were uploaded (as sent: compressed files count compressed).
    package var inputBytes: Int64
    /// Why no report could be built, for a human (never log content).
    package var error: String?
    /// When processing ended, in milliseconds since the epoch; nil while processing.
    package var finishedAt: Int64?
    /// A small JSON digest of the outcome (files, totals, parse statistics) that lists show; opaque to the store.
    package var digest: Data?

    package init(
        id: Int64 = 0,
        name: String,
        createdAt: Int64,
        createdBy: String,
        status: SnapshotStatus = .processing,
        format: String? = nil,
        files: Int = 0,
        inputBytes: Int64 = 0,
        error: String? = nil,
        finishedAt: Int64? = nil,
        digest: Data? = nil
    ) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.status = status
        self.format = format
        self.files = files
        self.inputBytes = inputBytes
        self.error = error
        self.finishedAt = finishedAt
        self.digest = digest
    }
}

/// A snapshot with its report (the `DiscoveryReport` JSON, nil unless the snapshot is ready).
package struct SnapshotRecord: Sendable, Hashable {
    package var summary: SnapshotSummary
    package var report: Data?

    package init(summary: SnapshotSummary, report: Data?) {
        self.summary = summary
        self.report = report
    }
}

/// How processing a snapshot ended, for ``Store/finishSnapshot(id:_:)``.
package struct SnapshotCompletion: Sendable, Hashable {
    /// `ready` or `failed`.
    package var status: SnapshotStatus
    package var format: String?
    package var files: Int
    package var inputBytes: Int64
    package var error: String?
    package var finishedAt: Int64
    package var digest: Data?
    package var report: Data?

    package init(
        status: SnapshotStatus,
        format: String?,
        files: Int,
        inputBytes: Int64,
        error: String?,
        finishedAt: Int64,
        digest: Data?,
        report: Data?
    ) {
        self.status = status
        self.format = format
        self.files = files
        self.inputBytes = inputBytes
        self.error = error
        self.finishedAt = finishedAt
        self.digest = digest
        self.report = report
    }
}
