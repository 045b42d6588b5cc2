/// The Zeek log columns Canopy reads, by their Zeek names: the one name table shared by the TSV (`#fields`) and
/// JSON (object keys) parsers of every Zeek log.
///
/// Names and meanings are those of the `Info` records in Zeek's `base/protocols/{http,ssl,conn,dns}/main.zeek`;
/// `id.*` is the connection 4-tuple (`conn_id`) every one of these logs carries.
enum ZeekField: Int, CaseIterable, Sendable {
    /// `ts`: time of the first packet / the request.
    case ts
    /// `id.orig_h`: the originator (client) address.
    case originHost
    /// `id.resp_h`: the responder (server) address.
    case responderHost
    /// `id.resp_p`: the responder port (for ICMP in conn.log: the ICMP code).
    case responderPort
    /// conn `proto`: `tcp`, `udp`, `icmp` or `unknown_transport`.
    case transport
    /// http `method`.
    case method
    /// http `host`: the value of the Host header.
    case host
    /// http `uri`: the request target as sent.
    case uri
    /// http `status_code`.
    case statusCode
    /// http `user_agent`.
    case userAgent
    /// http `request_body_len`: uncompressed body bytes sent by the client.
    case requestBodyLength
    /// http `response_body_len`: uncompressed body bytes sent by the server.
    case responseBodyLength
    /// http `username` (Basic authentication).
    case username
    /// ssl `server_name`: the TLS SNI.
    case serverName
    /// conn `orig_bytes`: payload bytes sent by the originator.
    case originBytes
    /// conn `resp_bytes`: payload bytes sent by the responder.
    case responderBytes
    /// dns `query`: the name asked for.
    case query

    /// How many fields there are: the size of a column or leaf table.
    static let count = allCases.count

    /// The field a Zeek column or key names, or nil for a column Canopy does not read.
    static func named(_ name: Bytes) -> ZeekField? {
        switch name.count {
        case 2: return name.equals("ts") ? .ts : nil
        case 3: return name.equals("uri") ? .uri : nil
        case 4: return name.equals("host") ? .host : nil
        case 5:
            if name.equals("proto") { return .transport }
            return name.equals("query") ? .query : nil
        case 6: return name.equals("method") ? .method : nil
        case 8: return name.equals("username") ? .username : nil
        case 9:
            guard name.hasPrefix("id.") else { return nil }
            if name.equals("id.orig_h") { return .originHost }
            if name.equals("id.resp_h") { return .responderHost }
            return name.equals("id.resp_p") ? .responderPort : nil
        case 10:
            if name.equals("user_agent") { return .userAgent }
            if name.equals("orig_bytes") { return .originBytes }
            return name.equals("resp_bytes") ? .responderBytes : nil
        case 11:
            if name.equals("status_code") { return .statusCode }
            return name.equals("server_name") ? .serverName : nil
        case 16: return name.equals("request_body_len") ? .requestBodyLength : nil
        case 17: return name.equals("response_body_len") ? .responseBodyLength : nil
        default: return nil
        }
    }
}
