import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/discovery/snapshots`: upload logs for a snapshot report (multipart or raw body, plain, gzip or zip),
/// list the reports, read one, delete one.
enum SnapshotRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/discovery/snapshots": .readDiscovery,
        "POST /api/v1/discovery/snapshots": .manageDiscovery,
        "GET /api/v1/discovery/snapshots/{id}": .readDiscovery,
        "DELETE /api/v1/discovery/snapshots/{id}": .manageDiscovery,
    ]

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        intake: SnapshotIntake,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.post("/discovery/snapshots") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let q = request.uri.queryParameters
            let asked = SnapshotIntake.Request(
                name: q["name"].map(String.init),
                format: q["format"].map(String.init),
                fileName: q["filename"].map(String.init)
            )
            let summary: SnapshotSummary
            do {
                summary = try await intake.accept(
                    request,
                    asked: asked,
                    by: principal.name,
                    from: context.clientAddress
                )
            } catch let error as UploadError {
                throw APIError(error)
            }
            var response = try Response.json(SnapshotItem(summary), status: .accepted)
            response.headers[.location] = "/api/v1/discovery/snapshots/\(summary.id)"
            return response
        }
        api.get("/discovery/snapshots") { request, context -> Response in
            _ = try context.require(.readDiscovery)
            let query = try ListQuery(request)
            let page = try await store.snapshots(before: try query.beforeID(), limit: query.limit + 1)
            let items = page.prefix(query.limit).map(SnapshotItem.init)
            let next = page.count > query.limit ? items.last.map { ListQuery.cursor(beforeID: $0.id) } : nil
            return try query.respond(Array(items), next: next, csvHeader: SnapshotItem.csvHeader) { $0.csvRow }
        }
        api.get("/discovery/snapshots/:id") { _, context -> Response in
            _ = try context.require(.readDiscovery)
            let id = try snapshotID(context)
            guard let record = try await store.snapshot(id: id) else { throw notFound }
            // The stored report is JSON already: it goes out as it is, inside the envelope.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var body = ByteBuffer(string: #"{"report":"#)
            body.writeBytes(record.report ?? Data("null".utf8))
            body.writeString(#","snapshot":"#)
            body.writeBytes(try encoder.encode(SnapshotItem(record.summary)))
            body.writeString("}")
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: body)
            )
        }
        api.delete("/discovery/snapshots/:id") { _, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let id = try snapshotID(context)
            guard let record = try await store.snapshot(id: id) else { throw notFound }
            guard record.summary.status != .processing else {
                throw APIError(.conflict, "conflict", "the snapshot is still being processed")
            }
            try await SnapshotIntake.delete(
                record.summary,
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }

    static let notFound = APIError(.notFound, "not-found", "there is no such snapshot")

    static func snapshotID(_ context: CanopyRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.badRequest("a snapshot id is a positive number")
        }
        return id
    }
}

extension APIError {
    /// An upload refused: 400 malformed, 413 too large or too many files, 403 forged, 500 disk trouble.
    init(_ error: UploadError) {
        switch error.kind {
        case .malformed: self = .badRequest(error.description)
        case .tooManyFiles, .tooLarge: self.init(.contentTooLarge, "too-large", error.description)
        case .forbidden: self.init(.forbidden, "forbidden", error.description)
        case .storage: self.init(.internalServerError, "internal", error.description)
        }
    }
}

/// One snapshot in the API (its report is fetched on its own).
struct SnapshotItem: Encodable {
    var id: Int64
    var name: String
    var createdAt: Int64
    var createdBy: String
    var status: String
    var format: String?
    var files: Int
    var inputBytes: Int64
    var error: String?
    var finishedAt: Int64?
    var digest: SnapshotDigest?

    init(_ s: SnapshotSummary) {
        (id, name, createdAt, createdBy, status) = (s.id, s.name, s.createdAt, s.createdBy, s.status.rawValue)
        (format, files, inputBytes, error, finishedAt) = (s.format, s.files, s.inputBytes, s.error, s.finishedAt)
        digest = s.digest.flatMap { try? JSONDecoder().decode(SnapshotDigest.self, from: $0) }
    }

    static let csvHeader = [
        "id", "name", "createdAt", "createdBy", "status", "format", "files", "inputBytes", "records", "rejected",
        "apps", "error",
    ]

    var csvRow: [String] {
        [
            String(id), name, String(createdAt), createdBy, status, format ?? "", String(files), String(inputBytes),
            digest.map { String($0.records) } ?? "", digest.map { String($0.rejected) } ?? "",
            digest.map { String($0.apps) } ?? "", error ?? "",
        ]
    }
}
