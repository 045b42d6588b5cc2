import CanopyStore
import Foundation
import Hummingbird

/// Accepts one snapshot upload for the API and the portal alike: streams it to a private staging directory, records
/// the snapshot (`processing`), moves the files under its id, audits the upload and starts the report.
package struct SnapshotIntake: Sendable {
    let jobs: SnapshotJobs
    let uploadsDirectory: URL
    let formats: Set<String>
    let limits: UploadReceiver.Limits
    let clock: @Sendable () -> Int64

    /// What the sender asked for besides the files.
    struct Request: Sendable {
        var name: String?
        var format: String?
        /// For a raw body: the file's name (`filename` query parameter).
        var fileName: String?
    }

    /// Receives the body of `request` (multipart when its content type says so, raw otherwise) and starts the
    /// report. `csrfToken`: the portal's session token, which a multipart form must carry before its files.
    func accept(
        _ request: Hummingbird.Request,
        asked: Request,
        by actor: String,
        from sourceIP: String?,
        csrfToken: String? = nil
    ) async throws -> SnapshotSummary {
        try validate(asked.format)
        let staging = uploadsDirectory.appendingPathComponent("staging-" + PortalSecrets.generate())
        try FileManager.default.createDirectory(
            at: staging,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        var received: ReceivedUpload
        let receiver = UploadReceiver(directory: staging, limits: limits)
        do {
            if let boundary = request.headers[.contentType].flatMap(UploadReceiver.boundary(contentType:)) {
                received = try await receiver.receiveMultipart(request.body, boundary: boundary, csrfToken: csrfToken)
            } else if request.headers[.contentType]?.lowercased().hasPrefix("multipart/") == true {
                throw UploadError(.malformed, "a multipart upload needs a multipart/form-data boundary")
            } else {
                received = try await receiver.receiveRaw(request.body, fileName: asked.fileName ?? "upload.log")
            }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        let format = asked.format ?? received.fields["format"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            try validate(format)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        let givenName = (asked.name ?? received.fields["name"])?.trimmingCharacters(in: .whitespacesAndNewlines)
        let chosen = givenName.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultName(received.files)
        let name = String(chosen.prefix(200))
        let now = clock()
        let store = await jobs.store
        let summary = SnapshotSummary(
            name: name,
            createdAt: now,
            createdBy: actor,
            status: .processing,
            format: format,
            files: received.files.count,
            inputBytes: received.bytes
        )
        let id: Int64
        let directory: URL
        do {
            id = try await store.createSnapshot(summary)
            directory = try await jobs.makeDirectory(for: id)
            try FileManager.default.removeItem(at: directory)
            try FileManager.default.moveItem(at: staging, to: directory)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        received.files = received.files.map { file in
            var moved = file
            moved.path = directory.appendingPathComponent(URL(fileURLWithPath: file.path).lastPathComponent).path
            return moved
        }
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: actor,
                action: "snapshot.upload",
                target: name,
                detail: "id=\(id) files=\(received.files.count) bytes=\(received.bytes)"
                    + (format.map { " format=\($0)" } ?? ""),
                sourceIP: sourceIP
            )
        )
        await jobs.start(id: id, files: received.files, format: format, in: directory)
        var stored = summary
        stored.id = id
        return stored
    }

    /// Deletes a snapshot and its report, audited.
    static func delete(
        _ snapshot: SnapshotSummary,
        in store: any Store,
        by actor: String,
        from sourceIP: String?,
        now: Int64
    ) async throws {
        _ = try await store.deleteSnapshot(id: snapshot.id)
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: actor,
                action: "snapshot.delete",
                target: snapshot.name,
                detail: "id=\(snapshot.id)",
                sourceIP: sourceIP
            )
        )
    }

    private func validate(_ format: String?) throws {
        guard let format, !format.isEmpty else { return }
        guard formats.contains(format) else {
            throw UploadError(.malformed, "unknown format \(format); `canopy discover formats` lists them")
        }
    }

    /// "a.log" or "a.log and 2 more".
    static func defaultName(_ files: [ReceivedUpload.File]) -> String {
        guard let first = files.first?.name else { return "Upload" }
        return files.count == 1 ? first : "\(first) and \(files.count - 1) more"
    }
}
