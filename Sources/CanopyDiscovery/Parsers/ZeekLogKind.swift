/// The Zeek logs Canopy reads, and how to tell them apart when a line or header does not say.
///
/// A TSV log names itself in `#path`; JSON written by the json-streaming-logs package carries `_path`. Zeek's own
/// JSON writer does neither, so the kind is then told from the column or key names: every log has names no other
/// Zeek log uses (``marker(forKey:)``).
enum ZeekLogKind: UInt8, Sendable {
    case http
    case ssl
    case conn
    case dns

    /// The kind a `#path` / `_path` value names, or nil for another log (`x509`, `notice`, a custom path …).
    static func path(_ name: Bytes) -> ZeekLogKind? {
        switch name.count {
        case 3:
            if name.equals("ssl") { return .ssl }
            return name.equals("dns") ? .dns : nil
        case 4:
            if name.equals("http") { return .http }
            return name.equals("conn") ? .conn : nil
        default: return nil
        }
    }

    /// The ``FieldCatalog`` ids a parser of this log can emit (``ZeekRecordMapper`` sets exactly these).
    var emittedFields: [String] {
        switch self {
        case .http:
            return [
                "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
                "http.method", "http.status", "net.bytes_up", "net.bytes_down", "http.user_agent",
            ]
        case .ssl: return ["time", "net.src_ip", "net.dst_host", "net.dst_ip", "net.dst_port"]
        case .conn: return ["time", "net.src_ip", "net.dst_ip", "net.dst_port", "net.bytes_up", "net.bytes_down"]
        // A DNS record's destination is the name asked for; `net.dst_ip` only when that name is an IP literal.
        case .dns: return ["time", "net.src_ip", "net.dst_host", "net.dst_ip"]
        }
    }

    /// What a column or key name says about the log it belongs to.
    enum Marker {
        /// A name only this log uses.
        case kind(ZeekLogKind)
        /// A name of another Zeek log that shares names with these four: sip (`call_id`), smtp (`mailfrom`),
        /// quic (`client_initial_dcid`), files (`fuid`).
        case foreign
    }

    /// The log a column or key name belongs to, or nil for a name several logs share (`ts`, `uid`, `id.*`,
    /// `proto`, `version`, `host`, `user_agent`, `trans_depth`, `history` …).
    static func marker(forKey key: Bytes) -> Marker? {
        switch key.count {
        case 2:
            if key.equals("AA") || key.equals("TC") || key.equals("RD") || key.equals("RA") { return .kind(.dns) }
        case 3:
            if key.equals("uri") { return .kind(.http) }
        case 4:
            if key.equals("TTLs") { return .kind(.dns) }
            if key.equals("fuid") || key.equals("helo") { return .foreign }
        case 5:
            if key.equals("query") || key.equals("qtype") || key.equals("rcode") { return .kind(.dns) }
            if key.equals("curve") { return .kind(.ssl) }
        case 6:
            if key.equals("qclass") { return .kind(.dns) }
            if key.equals("method") { return .kind(.http) }
            if key.equals("cipher") { return .kind(.ssl) }
            if key.equals("rcptto") { return .foreign }
        case 7:
            if key.equals("answers") { return .kind(.dns) }
            if key.equals("resumed") { return .kind(.ssl) }
            if key.equals("call_id") { return .foreign }
        case 8:
            if key.equals("rejected") { return .kind(.dns) }
            if key.equals("mailfrom") { return .foreign }
        case 9:
            if key.equals("orig_pkts") || key.equals("resp_pkts") { return .kind(.conn) }
        case 10:
            if key.equals("qtype_name") || key.equals("rcode_name") { return .kind(.dns) }
            if key.equals("status_msg") { return .kind(.http) }
            if key.equals("last_alert") { return .kind(.ssl) }
            if key.equals("conn_state") || key.equals("orig_bytes") || key.equals("resp_bytes") {
                return .kind(.conn)
            }
            if key.equals("seen_bytes") || key.equals("request_to") { return .foreign }
        case 11:
            if key.equals("qclass_name") { return .kind(.dns) }
            if key.equals("status_code") { return .kind(.http) }
            if key.equals("established") || key.equals("ssl_history") || key.equals("server_name") {
                return .kind(.ssl)
            }
            if key.equals("server_scid") || key.equals("total_bytes") { return .foreign }
        case 12:
            if key.equals("request_from") { return .foreign }
        case 13:
            if key.equals("next_protocol") { return .kind(.ssl) }
            if key.equals("orig_ip_bytes") || key.equals("resp_ip_bytes") { return .kind(.conn) }
        case 14:
            if key.equals("cert_chain_fps") { return .kind(.ssl) }
            if key.equals("tunnel_parents") { return .kind(.conn) }
        case 15:
            if key.equals("resp_mime_types") || key.equals("orig_mime_types") { return .kind(.http) }
            if key.equals("client_protocol") { return .foreign }
        case 16:
            if key.equals("request_body_len") { return .kind(.http) }
            if key.equals("cert_chain_fuids") || key.equals("sni_matches_cert") { return .kind(.ssl) }
        case 17:
            if key.equals("response_body_len") { return .kind(.http) }
            if key.equals("validation_status") { return .kind(.ssl) }
        case 19:
            if key.equals("client_initial_dcid") { return .foreign }
        default:
            break
        }
        return nil
    }

    /// The names seen in one header or object, and the one log they point to.
    struct Evidence {
        private var kinds: UInt8 = 0
        private var foreign = false

        init() {}

        /// Takes one column or key name into account.
        mutating func note(key: Bytes) {
            switch ZeekLogKind.marker(forKey: key) {
            case .kind(let k): kinds |= 1 << k.rawValue
            case .foreign: foreign = true
            case nil: break
            }
        }

        /// The log every marker points to; nil when there is none, several, or one of another log.
        var kind: ZeekLogKind? {
            guard !foreign, kinds != 0, kinds & (kinds - 1) == 0 else { return nil }
            return ZeekLogKind(rawValue: UInt8(kinds.trailingZeroBitCount))
        }
    }
}
