/// A log format defined by the admin in YAML: CSV (with or without a header) or key-value, mapped to record fields.
///
/// ```yaml
/// id: acme.gateway
/// name: ACME secure web gateway
/// type: csv                      # or keyvalue
/// csv: { delimiter: ",", header: true }          # or columns: [time, src, …] when there is no header
/// keyvalue: { pairSeparator: " ", valueSeparator: "=" }
/// fields: { time: ts, timeFormat: "%Y-%m-%d %H:%M:%S", sourceIP: src, user: user, destinationHost: host,
///           bytesUp: sent, bytesDown: received, action: verdict }
/// blockedValues: [blocked, denied]
/// ```
/// A field names a column (CSV header name or `columns` entry, or a key for key-value) or a 1-based position
/// (`"#3"`). `date` + `timeOfDay` give separate date and time columns, joined with a space before `timeFormat`.
package struct CustomParserDefinition: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable {
        case csv
        case keyvalue
    }

    package struct CSVOptions: Sendable, Hashable, Codable {
        /// One character; `\t` or `tab` for tab. Default `,`.
        package var delimiter: String?
        /// The quote character; default `"`; empty for none.
        package var quote: String?
        /// Whether the first data line names the columns (default false).
        package var header: Bool?
        /// Column names when there is no header.
        package var columns: [String]?
    }

    package struct KeyValueOptions: Sendable, Hashable, Codable {
        /// Between pairs; default a space.
        package var pairSeparator: String?
        /// Between a key and its value; default `=`.
        package var valueSeparator: String?
    }

    /// Record field → column, key or `#position`.
    package struct Fields: Sendable, Hashable, Codable {
        package var time: String?
        package var date: String?
        package var timeOfDay: String?
        /// Layout of the time (see ``TimeFormat``); default `auto`.
        package var timeFormat: String?
        package var sourceIP: String?
        package var user: String?
        package var device: String?
        package var destinationHost: String?
        package var destinationIP: String?
        package var destinationPort: String?
        package var url: String?
        package var method: String?
        package var status: String?
        package var bytesUp: String?
        package var bytesDown: String?
        package var bytesTotal: String?
        package var userAgent: String?
        package var action: String?
    }

    package var id: String
    package var name: String?
    package var type: Kind
    package var csv: CSVOptions?
    package var keyvalue: KeyValueOptions?
    package var fields: Fields
    /// Values of the action field that mean blocked (case-insensitive). Other values mean allowed.
    package var blockedValues: [String]?
    /// Lines starting with this are comments (default `#`).
    package var commentPrefix: String?

    /// Problems that make the definition unusable, with the key they concern.
    package func problems() -> [String] {
        var out: [String] = []
        let idOK =
            id.contains(".")
            && id.utf8.allSatisfy {
                ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 95
            }
        if !idOK { out.append("id: lowercase vendor.format, e.g. acme.gateway") }
        if fields.time == nil && fields.date == nil { out.append("fields: a time (or date + timeOfDay) is required") }
        if (fields.date == nil) != (fields.timeOfDay == nil) { out.append("fields: date and timeOfDay go together") }
        if fields.destinationHost == nil && fields.destinationIP == nil && fields.url == nil {
            out.append("fields: one of destinationHost, destinationIP or url is required")
        }
        if TimeFormat(fields.timeFormat ?? "auto") == nil { out.append("fields.timeFormat: unknown % directive") }
        switch type {
        case .csv:
            let d = csv?.delimiter ?? ","
            if !(d.utf8.count == 1 || d == "\\t" || d == "tab") { out.append("csv.delimiter: one character") }
            if let q = csv?.quote, q.utf8.count > 1 { out.append("csv.quote: one character or empty") }
            if csv?.header != true {
                for (key, value) in columnReferences where !value.hasPrefix("#") {
                    if !(csv?.columns ?? []).contains(value) {
                        out.append("fields.\(key): '\(value)' is not in csv.columns (or use \"#N\", or header: true)")
                    }
                }
            }
        case .keyvalue:
            if let p = keyvalue?.pairSeparator, p.utf8.count != 1, p != "\\t" {
                out.append("keyvalue.pairSeparator: one character")
            }
            if let v = keyvalue?.valueSeparator, v.utf8.count != 1 {
                out.append("keyvalue.valueSeparator: one character")
            }
        }
        for (key, value) in columnReferences where value.hasPrefix("#") {
            if Int(value.dropFirst()).map({ $0 < 1 }) ?? true { out.append("fields.\(key): positions are #1, #2, …") }
        }
        return out
    }

    /// Every field that names a column, as (field, reference).
    package var columnReferences: [(String, String)] {
        let f = fields
        let all: [(String, String?)] = [
            ("time", f.time), ("date", f.date), ("timeOfDay", f.timeOfDay), ("sourceIP", f.sourceIP), ("user", f.user),
            ("device", f.device), ("destinationHost", f.destinationHost), ("destinationIP", f.destinationIP),
            ("destinationPort", f.destinationPort), ("url", f.url), ("method", f.method), ("status", f.status),
            ("bytesUp", f.bytesUp), ("bytesDown", f.bytesDown), ("bytesTotal", f.bytesTotal),
            ("userAgent", f.userAgent), ("action", f.action),
        ]
        return all.compactMap { k, v in v.map { (k, $0) } }
    }
}
