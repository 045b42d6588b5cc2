import CanopyDiscovery
import HTTPTypes
import Hummingbird

/// An error answered with a small HTML page (the portal's counterpart of ``APIError``). The message is escaped.
struct PortalError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static func forbidden(_ permission: Permission) -> PortalError {
        PortalError(.forbidden, "Your role does not allow this (\(permission.rawValue)).")
    }

    /// An API message as a sentence for a portal page.
    static func sentence(_ message: String) -> String {
        (message.first.map { String($0).uppercased() + message.dropFirst() } ?? message) + "."
    }

    static let csrf = PortalError(
        .forbidden,
        "The form expired or did not come from this portal. Go back, reload the page and try again."
    )

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Canopy — \(status.code)</title>\
            <link rel="stylesheet" href="/static/portal.css"></head><body class="error-page"><main>\
            <h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1><p>\(HTML.escape(message))</p>\
            <p><a href="/">Back to the dashboard</a></p></main></body></html>
            """
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// The portal's pages share their checks with the API (``AdminChanges``, ``IPRangeChanges``, ``CustomAppChanges`` …),
/// which throw ``APIError``: on a page, such an error is shown as the portal's error page — same status, its message
/// as a sentence — instead of the API's JSON body.
struct PortalAPIErrorPages: RouterMiddleware {
    typealias Context = CanopyRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw PortalError(error.status, PortalError.sentence(error.message))
        }
    }
}
