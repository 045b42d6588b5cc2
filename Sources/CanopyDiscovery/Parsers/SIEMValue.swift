import CanopyCore

/// Reading of optional, typed fields: a placeholder is absent, a value of the wrong shape is invalid.
enum SIEMValue {
    /// What an optional field held.
    enum Read<Value> {
        /// Not logged, or a placeholder (`-`, `NA`, `None` …).
        case absent
        case value(Value)
        /// Present but not of the field's type: the line is rejected.
        case invalid
    }

    /// An IP address. `0.0.0.0` and `::` (written when no server was contacted) count as absent.
    static func address(_ raw: Bytes?) -> Read<IPAddress> {
        guard let raw else { return .absent }
        let v = raw.trimmed
        if v.isPlaceholder { return .absent }
        guard let ip = IPAddress(bytes: v) else { return .invalid }
        return ip.bits == 0 ? .absent : .value(ip)
    }

    /// A non-negative byte count.
    static func count(_ raw: Bytes?) -> Read<Int64> {
        guard let raw else { return .absent }
        let v = raw.trimmed
        if v.isPlaceholder { return .absent }
        guard let n = v.decimal else { return .invalid }
        return .value(n)
    }

    /// A port 1–65535; `0` means no port was logged.
    static func port(_ raw: Bytes?) -> Read<Int> {
        guard let raw else { return .absent }
        let v = raw.trimmed
        if v.isPlaceholder { return .absent }
        guard let p = v.port else { return .invalid }
        return p == 0 ? .absent : .value(p)
    }

    /// Calls `body` with the value of `key`, escapes resolved, as bytes; not at all when absent or a placeholder.
    static func withText(_ source: some SIEMFieldSource, _ key: StaticString, _ body: (Bytes) -> Void) {
        guard let raw = source.value(for: key), !raw.trimmed.isPlaceholder else { return }
        guard raw.index(of: UInt8(ascii: "\\")) != nil, let text = source.string(for: key) else {
            body(raw.trimmed)
            return
        }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { body(Bytes($0).trimmed) }
    }

    // MARK: Setters (each returns false when the raw value is present but malformed)

    /// Sets the source address from `raw`; false when it is present but not an address.
    static func setSource(_ raw: Bytes?, in record: inout TrafficRecord) -> Bool {
        switch SIEMValue.address(raw) {
        case .absent: return true
        case .value(let ip):
            record.sourceIP = ip
            return true
        case .invalid: return false
        }
    }

    /// Sets the destination address from `raw`; false when it is present but not an address.
    static func setDestinationAddress(_ raw: Bytes?, in record: inout TrafficRecord) -> Bool {
        switch SIEMValue.address(raw) {
        case .absent: return true
        case .value(let ip):
            record.destinationIP = ip
            return true
        case .invalid: return false
        }
    }

    /// Sets the destination port from `raw` unless one is set; false when it is present but not a port.
    static func setDestinationPort(_ raw: Bytes?, in record: inout TrafficRecord) -> Bool {
        switch SIEMValue.port(raw) {
        case .absent: return true
        case .value(let p):
            if record.destinationPort == nil { record.destinationPort = p }
            return true
        case .invalid: return false
        }
    }

    /// Sets one byte counter from `raw`; false when it is present but not a number.
    static func setBytes(
        _ counter: WritableKeyPath<TrafficRecord, Int64?>,
        _ raw: Bytes?,
        in record: inout TrafficRecord
    ) -> Bool {
        switch SIEMValue.count(raw) {
        case .absent: return true
        case .value(let n):
            record[keyPath: counter] = n
            return true
        case .invalid: return false
        }
    }

    /// Sets the HTTP status when `raw` is a status code (a `0` or a word such as `success` is not one).
    static func setStatus(_ raw: Bytes?, in record: inout TrafficRecord) {
        guard let raw, let s = raw.trimmed.httpStatus else { return }
        record.status = s
    }

    /// Sets the device name, unless it is a placeholder or an address.
    static func setDevice(_ raw: Bytes?, in record: inout TrafficRecord) {
        guard let raw else { return }
        let v = raw.trimmed
        guard !v.isPlaceholder, IPAddress(bytes: v) == nil else { return }
        record.device = v.string
    }
}
