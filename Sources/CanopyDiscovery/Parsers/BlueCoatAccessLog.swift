import CanopyCore

/// What the two Blue Coat / Symantec ProxySG parsers share: how to tell an ELFF access log from other W3C logs,
/// the allow/block decision, and the built-in `bcreportermain_v1` column lists for logs that arrive without their
/// `#Fields:` directive (syslog).
///
/// ProxySG writes its access log in ELFF, W3C extended format with Blue Coat field names (ProxySG "Access Logging"
/// guide, "ELFF-compatible format codes"): `s-action` (the cache/proxy result, `TCP_DENIED`, `TCP_TUNNELED` …),
/// `sc-filter-result` (`OBSERVED`, `PROXIED`, `DENIED`), `x-exception-id` (`policy_denied` …), `cs-host`,
/// `cs-uri-scheme`, `cs-uri-port`, `cs-uri-path`, `cs-uri-query`, `cs-auth-group`, `cs-categories` …. `s-ip` is the
/// proxy itself, never the destination. `sc-bytes` is what the proxy sent the client (down), `cs-bytes` what the
/// client sent (up). `date` and `time` are UTC.
enum BlueCoatAccessLog {
    /// Columns only ProxySG logs: at least one must be present for a log to be read as Blue Coat.
    static let signature: [W3CExtendedLog.Field] = [.proxyAction, .filterResult, .exceptionID]

    /// `bcreportermain_v1` as SGOS 7.x writes it (the layout Elastic's `proxysg` integration reads): these 29 fields,
    /// then 13 threat, application and ICAP fields that Canopy does not read and that older releases leave out.
    static let reporterMainV1 = W3CExtendedLog.Columns(
        names: [
            "date", "time", "time-taken", "c-ip", "cs-username", "cs-auth-group", "s-supplier-name", "s-supplier-ip",
            "s-supplier-country", "s-supplier-failures", "x-exception-id", "sc-filter-result", "cs-categories",
            "cs(Referer)", "sc-status", "s-action", "cs-method", "rs(Content-Type)", "cs-uri-scheme", "cs-host",
            "cs-uri-port", "cs-uri-path", "cs-uri-query", "cs-uri-extension", "cs(User-Agent)", "s-ip", "sc-bytes",
            "cs-bytes", "x-virus-id",
        ],
        optionalTrailing: 13
    )

    /// `bcreportermain_v1` of SGOS 5 and 6: no `s-supplier-*` fields; the two application fields were added in 6.x.
    static let reporterMainV1Legacy = W3CExtendedLog.Columns(
        names: [
            "date", "time", "time-taken", "c-ip", "cs-username", "cs-auth-group", "x-exception-id",
            "sc-filter-result", "cs-categories", "cs(Referer)", "sc-status", "s-action", "cs-method",
            "rs(Content-Type)", "cs-uri-scheme", "cs-host", "cs-uri-port", "cs-uri-path", "cs-uri-query",
            "cs-uri-extension", "cs(User-Agent)", "s-ip", "sc-bytes", "cs-bytes", "x-virus-id",
        ],
        optionalTrailing: 2
    )

    /// Whether the columns are a ProxySG access log's.
    static func isBlueCoat(_ columns: W3CExtendedLog.Columns) -> Bool {
        columns.hasAny(signature)
    }

    /// Whether `b` starts with an ELFF `date` field (`yyyy-mm-dd `), as every ProxySG access-log format does.
    static func startsWithEntry(_ b: Bytes) -> Bool {
        b.count > 10 && b[10] == 32 && W3CExtendedLog.day(b.sub(0..<10)) != nil
    }

    /// Whether `b` is a `sc-filter-result` value.
    static func isFilterResult(_ b: Bytes) -> Bool {
        b.equalsCaseInsensitive("observed") || b.equalsCaseInsensitive("proxied") || b.equalsCaseInsensitive("denied")
    }

    /// Allowed or blocked: `sc-filter-result` when logged (`DENIED` is blocked, `OBSERVED` and `PROXIED` allowed),
    /// else an `x-exception-id` ending in `denied` (`policy_denied`, `content_filter_denied` …) or an `s-action`
    /// naming a denial (`TCP_DENIED`) is blocked, and any other `s-action` allowed.
    static func action(_ log: W3CExtendedLog, line: Bytes) -> TrafficAction? {
        if let result = log.present(.filterResult, in: line) {
            if result.equalsCaseInsensitive("denied") { return .blocked }
            if result.equalsCaseInsensitive("observed") || result.equalsCaseInsensitive("proxied") { return .allowed }
        }
        if let exception = log.present(.exceptionID, in: line), exception.count >= 6,
            exception.sub((exception.count - 6)..<exception.count).equalsCaseInsensitive("denied")
        {
            return .blocked
        }
        if let proxyAction = log.present(.proxyAction, in: line) {
            return proxyAction.index(of: "DENIED") != nil ? .blocked : .allowed
        }
        return nil
    }

    /// A record from the last line `log` split, with the Blue Coat action.
    static func record(
        _ log: W3CExtendedLog,
        line: Bytes,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        let outcome = log.record(line, into: &record, context: context, serverIsDestination: false)
        guard outcome == .record else { return outcome }
        record.action = action(log, line: line)
        return .record
    }

    /// The fields both parsers can emit.
    static let emittedFields = [
        "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
        "http.method", "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action",
        "http.user_agent",
    ]
}
