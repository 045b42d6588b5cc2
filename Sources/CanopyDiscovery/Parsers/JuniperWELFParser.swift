package import CanopyCore

/// WebTrends Enhanced Log Format (WELF) records, as Juniper SRX (UTM and security logs in `format welf`), Juniper/
/// Pulse Secure and other firewalls write them.
///
/// Per the WebTrends "WELF Reference" (and Juniper's "Understanding WELF Logging"): the record starts with
/// `id=firewall`, then `time="yyyy-m-d hh:mm:ss"`, `fw`, `pri`, and optional `proto`, `src`, `dst`, `dstname`,
/// `arg`, `op`, `result`, `sent` (bytes from the source to the destination), `rcvd` (from the destination to the
/// source), `user`. Records without a destination (system, VPN and admin events) are ignored as not traffic.
/// WELF is a multi-vendor format, so this parser is generic: vendor dialects (SonicWall, Stormshield) win ties.
package struct JuniperWELFParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "juniper.welf",
        product: "WebTrends Enhanced Log Format (Juniper and others)",
        summary: "WELF key=value records (id=firewall time=… fw=… pri=… proto src dst dstname arg op result sent "
            + "rcvd user) as defined by the WebTrends WELF Reference and emitted by Juniper SRX/Pulse Secure; "
            + "sent is client to server. Records without a destination are not traffic.",
        sample: "id=firewall time=\"2024-01-02 03:04:05\" fw=srx-edge pri=6 rule=3 proto=http src=10.0.0.5 "
            + "dst=162.125.1.18 dstname=www.dropbox.com arg=/home op=GET result=200 sent=812 rcvd=10240 user=alice",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action",
        ],
        isGeneric: true
    )

    private var pairs = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard let start = Self.recordStart(in: line) else { return .rejected(.notThisFormat) }
        let closed = pairs.scan(line.dropFirst(start))
        guard pairs.value(for: "id")?.equals("firewall") == true else { return .rejected(.notThisFormat) }
        let destination = pairs.value(for: "dst").flatMap { $0.isPlaceholder ? nil : $0 }
        let hostName = pairs.value(for: "dstname").flatMap { $0.isPlaceholder ? nil : $0 }
        let argument = pairs.value(for: "arg").flatMap { $0.isPlaceholder ? nil : $0 }
        guard destination != nil || hostName != nil || argument != nil else { return .ignored(.notTraffic) }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard let timeText = pairs.value(for: "time") else { return .rejected(.truncated) }
        guard let time = FirewallFields.looseDateTime(timeText) else { return .rejected(.badTimestamp) }
        record.time = time
        guard let source = pairs.value(for: "src"), !source.isPlaceholder else { return .rejected(.truncated) }
        if let reason = FirewallFields.setSource(source, in: &record) { return .rejected(reason) }
        if let destination, let reason = FirewallFields.setDestination(destination, in: &record) {
            return .rejected(reason)
        }
        guard record.apply(bytesUp: pairs.value(for: "sent"), bytesDown: pairs.value(for: "rcvd")) else {
            return .rejected(.badNumber)
        }
        if let user = pairs.value(for: "user") { record.apply(user: user) }
        applyRequest(host: hostName, argument: argument, to: &record, context: context)
        if let op = pairs.value(for: "op"), !op.isAllDigits { record.apply(method: op) }
        if let result = pairs.value(for: "result") { record.status = result.httpStatus }
        record.action = action()
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// Where `id=` opens the record: at the start (after `<PRI>`) or after a syslog envelope or tag.
    private static func recordStart(in line: Bytes) -> Int? {
        var from = 0
        while let i = line.index(of: "id=", from: from) {
            if i == 0 || line[i - 1] == 32 || line[i - 1] == UInt8(ascii: ">") { return i }
            from = i + 1
        }
        return nil
    }

    /// The host is `dstname`; `arg` is the path (joined to the host) or a whole URL (`host/path`, `http://…`).
    private func applyRequest(host: Bytes?, argument: Bytes?, to record: inout TrafficRecord, context: ParseContext) {
        if let host { record.apply(host: host) }
        guard let argument else { return }
        if argument[0] == UInt8(ascii: "/") {
            guard let host, context.capturesDetail else { return }
            let scheme = pairs.value(for: "proto").flatMap { FirewallFields.scheme(forService: $0) }
            record.url = FirewallFields.joinURL(scheme: scheme, host: host, path: argument)
        } else {
            record.apply(url: argument, context: context)
        }
    }

    /// WELF has no action field of its own; vendors add `action=` or `disposition=` (`Permit`, `Deny`, `block` …).
    private func action() -> TrafficAction? {
        guard let word = pairs.value(for: "action") ?? pairs.value(for: "disposition") else { return nil }
        return ActionWords.classify(word)
    }
}
