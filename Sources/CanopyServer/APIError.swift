package import Hummingbird

/// The one error body every API route answers with: `{"error":{"code":"…","message":"…"}}`.
package struct APIError: Error, HTTPResponseError, Sendable {
    package var status: HTTPResponse.Status
    /// A stable, machine-readable code (`unauthorized`, `forbidden`, `bad-request`, `not-found`).
    package var code: String
    /// For a human; never echoes secrets.
    package var message: String
    package var extraHeaders: HTTPFields = [:]

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    package static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, "unauthorized", message)
        error.extraHeaders = [.wwwAuthenticate: #"Bearer realm="canopy""#]
        return error
    }

    package static func forbidden(_ permission: Permission) -> APIError {
        APIError(.forbidden, "forbidden", "this token's role does not allow \(permission.rawValue)")
    }

    package static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad-request", message) }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        let body = #"{"error":{"code":"\#(JSON.escape(code))","message":"\#(JSON.escape(message))"}}"#
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Minimal JSON string escaping for hand-built bodies.
enum JSON {
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"  // Safe inside HTML too.
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    out +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
