import CanopyStore
import Foundation
import Hummingbird

/// The governance log's filters as a request gives them (`kind`, `action`, `status`, `target`, `from`/`to` as UTC
/// dates, `to` inclusive), shared by the API and the portal.
enum GovernanceQuery {
    /// The actions Canopy records so far, for the portal's filter and the API's description.
    static let actions = ["app.sanction", "app.unsanction", "app.tag", "app.untag", "blocklist.generate"]

    static func filter(_ request: Request) throws(APIError) -> GovernanceFilter {
        let q = request.uri.queryParameters
        func text(_ name: String) throws(APIError) -> String? {
            guard let value = q[Substring(name)].map(String.init), !value.isEmpty else { return nil }
            guard value.count <= 200 else { throw APIError.badRequest("\(name) is at most 200 characters") }
            return value
        }
        var filter = GovernanceFilter(kind: try text("kind"), action: try text("action"), target: try text("target"))
        if let status = try text("status") {
            guard let s = GovernanceEntry.Status(rawValue: status) else {
                throw APIError.badRequest(
                    "status is one of \(GovernanceEntry.Status.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            filter.status = s
        }
        do {
            if let from = try text("from") { filter.from = Int64(try DayRange.day(from)) * 86_400_000 }
            if let to = try text("to") { filter.to = (Int64(try DayRange.day(to)) + 1) * 86_400_000 }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("dates are YYYY-MM-DD")
        }
        if let from = filter.from, let to = filter.to, from >= to {
            throw APIError.badRequest("from must not be after to")
        }
        return filter
    }
}

extension GovernanceQuery {
    /// The entries `principal` may see: all of them, or for an app admin those about its apps (read in batches
    /// until `limit` are found or the log ends).
    static func entries(
        _ store: any Store,
        _ filter: GovernanceFilter,
        before: Int64?,
        limit: Int,
        for principal: Principal
    ) async throws -> [StoredGovernanceEntry] {
        guard principal.apps != nil else {
            return try await store.governanceEntries(filter, before: before, limit: limit)
        }
        var out: [StoredGovernanceEntry] = []
        var cursor = before
        while out.count < limit {
            let batch = try await store.governanceEntries(filter, before: cursor, limit: 500)
            out += batch.filter { $0.entry.kind == "app" && principal.covers($0.entry.target) }
            guard batch.count == 500, let last = batch.last else { break }
            cursor = last.id
        }
        return Array(out.prefix(limit))
    }
}

/// One governance entry as the API answers it.
struct GovernanceItem: Encodable {
    var id: Int64
    var time: Int64
    var kind: String
    var action: String
    var target: String
    var detail: String
    var status: String
    var initiatedBy: String
    var error: String?

    init(_ s: StoredGovernanceEntry) {
        (id, time, kind, action, target) = (s.id, s.entry.time, s.entry.kind, s.entry.action, s.entry.target)
        (detail, status, initiatedBy, error) = (
            s.entry.detail, s.entry.status.rawValue, s.entry.initiatedBy, s.entry.error
        )
    }

    static let csvHeader = ["id", "time", "kind", "action", "target", "detail", "status", "initiatedBy", "error"]

    var csvRow: [String] {
        [String(id), String(time), kind, action, target, detail, status, initiatedBy, error ?? ""]
    }
}
