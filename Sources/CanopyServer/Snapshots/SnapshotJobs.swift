import CanopyStore
import Foundation
import Logging
import ServiceLifecycle

/// The snapshot reports being built on this node. An upload is written to `DATA/uploads/<id>/`, marked complete,
/// processed in the background, and deleted once its report is stored (the report is kept, the raw logs are not).
///
/// On graceful shutdown the server first finishes the requests in flight (uploads included), then
/// ``SnapshotJobsService`` waits here until every report they started is stored. At start it picks up what a
/// stopped node left: complete uploads are processed again, interrupted ones are marked failed. Snapshots whose
/// files are on another node (PostgreSQL scale-out) are left to that node.
package actor SnapshotJobs {
    private let uploads: URL
    private let processor: SnapshotProcessor
    private let logger: Logger
    private var running: [Int64: Task<Void, Never>] = [:]

    static let completeMarker = ".complete"

    init(dataDirectory: String, processor: SnapshotProcessor, logger: Logger) {
        self.uploads = URL(fileURLWithPath: dataDirectory).appendingPathComponent("uploads")
        self.processor = processor
        self.logger = logger
    }

    var store: any Store { processor.store }

    /// A new, private directory for snapshot `id`'s files.
    func makeDirectory(for id: Int64) throws -> URL {
        let directory = uploads.appendingPathComponent(String(id))
        try FileManager.default.createDirectory(
            at: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        return directory
    }

    /// Starts building snapshot `id`'s report from its received files.
    func start(id: Int64, files: [ReceivedUpload.File], format: String?, in directory: URL) {
        _ = FileManager.default.createFile(
            atPath: directory.appendingPathComponent(Self.completeMarker).path,
            contents: nil
        )
        let processor = self.processor
        let logger = self.logger
        running[id] = Task {
            let completion: SnapshotCompletion
            do {
                completion = try await processor.process(files: files, format: format)
            } catch {
                logger.error("snapshot processing failed", metadata: ["snapshot": "\(id)", "error": "\(error)"])
                completion = SnapshotCompletion(
                    status: .failed,
                    format: format,
                    files: files.count,
                    inputBytes: files.reduce(0) { $0 + $1.bytes },
                    error: "the report could not be stored",
                    finishedAt: processor.clock(),
                    digest: nil,
                    report: nil
                )
            }
            do {
                _ = try await processor.store.finishSnapshot(id: id, completion)
                try? FileManager.default.removeItem(at: directory)
                logger.info(
                    "snapshot processed",
                    metadata: ["snapshot": "\(id)", "status": "\(completion.status.rawValue)"]
                )
            } catch {
                // The files stay, so the next start processes them again.
                logger.error("snapshot result not stored", metadata: ["snapshot": "\(id)", "error": "\(error)"])
            }
            self.finished(id)
        }
    }

    /// Marks a snapshot whose upload did not complete as failed and removes what was received.
    func abandon(id: Int64, reason: String, directory: URL?) async {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        let completion = SnapshotCompletion(
            status: .failed,
            format: nil,
            files: 0,
            inputBytes: 0,
            error: reason,
            finishedAt: processor.clock(),
            digest: nil,
            report: nil
        )
        _ = try? await processor.store.finishSnapshot(id: id, completion)
    }

    private func finished(_ id: Int64) { running[id] = nil }

    /// How many reports are being built.
    var inFlight: Int { running.count }

    /// Waits until every report started so far is stored.
    package func drain() async {
        while let (_, task) = running.first {
            await task.value
        }
    }

    /// Picks up this node's uploads left by a previous run.
    package func resume() async {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: uploads.path) else { return }
        for entry in entries {
            guard let id = Int64(entry) else {
                // A staging directory is an upload that never reached its snapshot.
                if entry.hasPrefix("staging-") { try? fm.removeItem(at: uploads.appendingPathComponent(entry)) }
                continue
            }
            let directory = uploads.appendingPathComponent(entry)
            guard let record = try? await processor.store.snapshot(id: id), record.summary.status == .processing else {
                try? fm.removeItem(at: directory)
                continue
            }
            guard fm.fileExists(atPath: directory.appendingPathComponent(Self.completeMarker).path) else {
                await abandon(id: id, reason: "the server stopped before the upload was complete", directory: directory)
                continue
            }
            let names = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }
            let files = names.sorted().map { name -> ReceivedUpload.File in
                let path = directory.appendingPathComponent(name).path
                let size = (try? fm.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
                // The stored name drops the `NN-` order prefix; the sender's exact name was not kept.
                return ReceivedUpload.File(name: String(name.dropFirst(3)), path: path, bytes: size)
            }
            logger.info("resuming snapshot processing", metadata: ["snapshot": "\(id)"])
            start(id: id, files: files, format: record.summary.format, in: directory)
        }
    }
}

/// Runs ``SnapshotJobs`` with the server: resumes left-over uploads at start, waits for reports in progress at
/// shutdown.
struct SnapshotJobsService: Service {
    let jobs: SnapshotJobs

    func run() async throws {
        await jobs.resume()
        try? await gracefulShutdown()
        await jobs.drain()
    }
}
