import CanopyCore

/// Check Point's native log field names, which Log Exporter writes into all its formats: as `key:"value";` pairs
/// in syslog, and next to the standard keys in CEF and LEEF (Check Point "Log Exporter" guide and "Log Fields"
/// reference).
///
/// - `time` (epoch seconds), `src`, `dst`, `service` (the destination port), `resource` (the URL, logged by URL
///   Filtering and Application Control), `src_user_name` (else `user`), `src_machine_name` (the device).
/// - bytes: `client_inbound_bytes` (from the client into the gateway: up) and `client_outbound_bytes` (from the
///   gateway out to the client: down), else `sent_bytes` (up) and `received_bytes` (down); `bytes` is the total.
/// - `action`: Accept, Allow, Bypass, Detect, Inform, Encrypt and Decrypt let the connection through; Drop,
///   Reject, Block, Prevent, Deny and Redirect (to a UserCheck page) stop it. Ask has no fixed outcome. Key Install,
///   Update, Log In/Out and Install Policy are management events: not traffic.
///
/// `appi_name` (the application) has no record field.
enum CheckPointFields {
    /// Whether the fields name a connection (a source, destination or resource).
    static func carriesTraffic(_ f: some SIEMFieldSource) -> Bool {
        f.value(for: "src") != nil || f.value(for: "dst") != nil || f.value(for: "resource") != nil
    }

    /// Fills what the record still lacks from the native fields.
    ///
    /// - Returns: the rejection reason when a present value is malformed, else nil.
    static func fill(_ r: inout TrafficRecord, from f: some SIEMFieldSource, context: ParseContext) -> ReasonCode? {
        if r.time == nil, let raw = f.value(for: "time"), !raw.trimmed.isPlaceholder {
            guard let t = SIEMTimestamp.parse(raw, defaultYear: context.defaultYear) else { return .badTimestamp }
            r.time = t
        }
        if r.sourceIP == nil {
            guard SIEMValue.setSource(f.value(for: "src"), in: &r) else { return .badAddress }
        }
        if r.destinationIP == nil {
            guard SIEMValue.setDestinationAddress(f.value(for: "dst"), in: &r) else { return .badAddress }
        }
        if r.destinationPort == nil, let service = f.value(for: "service"), service.trimmed.isAllDigits {
            guard SIEMValue.setDestinationPort(service, in: &r) else { return .badNumber }
        }
        if r.bytesUp == nil {
            guard
                SIEMValue.setBytes(
                    \.bytesUp,
                    f.value(for: "client_inbound_bytes") ?? f.value(for: "sent_bytes"),
                    in: &r
                )
            else { return .badNumber }
        }
        if r.bytesDown == nil {
            guard
                SIEMValue.setBytes(
                    \.bytesDown,
                    f.value(for: "client_outbound_bytes") ?? f.value(for: "received_bytes"),
                    in: &r
                )
            else { return .badNumber }
        }
        if r.bytesTotal == nil {
            guard SIEMValue.setBytes(\.bytesTotal, f.value(for: "bytes"), in: &r) else { return .badNumber }
        }
        if r.url == nil { SIEMValue.withText(f, "resource") { r.apply(url: $0, context: context) } }
        if r.user == nil { SIEMValue.withText(f, "src_user_name") { r.apply(user: $0) } }
        if r.user == nil { SIEMValue.withText(f, "user") { r.apply(user: $0) } }
        if r.device == nil { SIEMValue.setDevice(f.value(for: "src_machine_name"), in: &r) }
        return nil
    }

    /// The action a Check Point action word stands for; nil for words with no fixed outcome.
    static func action(_ word: Bytes) -> TrafficAction? {
        let w = word.trimmed
        let allowed: [StaticString] = ["accept", "allow", "bypass", "detect", "inform", "encrypt", "decrypt"]
        let blocked: [StaticString] = ["drop", "reject", "block", "prevent", "deny", "redirect"]
        if allowed.contains(where: { w.equalsCaseInsensitive($0) }) { return .allowed }
        if blocked.contains(where: { w.equalsCaseInsensitive($0) }) { return .blocked }
        return nil
    }

    /// Whether an action word names a management event rather than a connection.
    static func isManagementAction(_ word: Bytes) -> Bool {
        let w = word.trimmed
        let words: [StaticString] = [
            "key install", "update", "log in", "log out", "failed log in", "install policy", "uninstall policy",
            "login", "logout",
        ]
        return words.contains { w.equalsCaseInsensitive($0) }
    }
}
