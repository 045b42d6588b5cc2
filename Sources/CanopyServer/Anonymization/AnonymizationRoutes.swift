import Foundation
import Hummingbird

/// `/api/v1/settings/anonymization` (is it on; turn it on or off) and `POST /api/v1/privacy/deanonymize` (resolve a
/// token, with a justification; audited).
enum AnonymizationRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/settings/anonymization": .readDiscovery,
        "PUT /api/v1/settings/anonymization": .manageDiscovery,
        "POST /api/v1/privacy/deanonymize": .managePrivacy,
    ]

    struct Setting: Codable {
        var enabled: Bool
    }

    struct ResolveBody: Codable {
        var token: String
        var justification: String
    }

    struct Resolved: Codable {
        var token: String
        var name: String
    }

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        anonymization: ServerAnonymization,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/settings/anonymization") { _, context -> Response in
            _ = try context.require(.readDiscovery)
            return try Response.json(Setting(enabled: try await anonymization.isEnabled()))
        }
        api.put("/settings/anonymization") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let setting: Setting
            do {
                setting = try await request.decode(as: Setting.self, context: context)
            } catch {
                throw APIError.badRequest(#"the body must be {"enabled": true|false}"#)
            }
            try await anonymization.set(
                enabled: setting.enabled,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(setting)
        }
        api.post("/privacy/deanonymize") { request, context -> Response in
            let principal = try context.require(.managePrivacy)
            let body: ResolveBody
            do {
                body = try await request.decode(as: ResolveBody.self, context: context)
            } catch {
                throw APIError.badRequest(#"the body must be {"token": "anon-…", "justification": "…"}"#)
            }
            let name = try await anonymization.resolve(
                body.token,
                justification: body.justification,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(Resolved(token: body.token, name: name))
        }
    }
}
