import CanopyCore

/// Reads Zeek logs written as JSON, one object per line, shared by the four Zeek JSON parsers.
///
/// Zeek's JSON writer (`LogAscii::use_json = T`) writes each entry as a flat object whose keys are the log's field
/// names (`{"ts":1700000000.123456,"uid":"C…","id.orig_h":"10.0.0.5",…}`), leaves unset fields out (or writes
/// `null` with `LogAscii::json_include_unset_fields`), and writes `ts` as epoch seconds, epoch milliseconds or
/// ISO 8601 depending on `LogAscii::json_timestamps`. The json-streaming-logs package adds `_path` and `_write_ts`.
///
/// The log is `_path` when it names one of the four, otherwise it is told from the keys present
/// (``ZeekLogKind/marker(forKey:)``); an object of another log, or one without Zeek's `id.orig_h`/`id.resp_h`
/// keys, is rejected as ``ReasonCode/notThisFormat``.
struct ZeekJSONReader {
    private var scanner = FlatJSONScanner()
    /// For each ``ZeekField``, the index of its leaf in ``scanner``, or -1.
    private var leaves = [Int](repeating: -1, count: ZeekField.count)

    init() {}

    mutating func parse(
        _ line: Bytes,
        as kind: ZeekLogKind,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        let text = line.trimmed
        guard text.count > 0, text[0] == UInt8(ascii: "{") else { return .rejected(.notThisFormat) }
        guard scanner.scan(text) else { return .rejected(.badJSON) }
        for i in leaves.indices { leaves[i] = -1 }
        var evidence = ZeekLogKind.Evidence()
        var pathKind: ZeekLogKind?
        for i in 0..<scanner.count {
            let key = scanner.key(i)
            if let field = ZeekField.named(key), leaves[field.rawValue] < 0 { leaves[field.rawValue] = i }
            if key.equals("_path") {
                pathKind = ZeekLogKind.path(scanner.value(i))
            } else {
                evidence.note(key: key)
            }
        }
        guard leaves[ZeekField.originHost.rawValue] >= 0 || leaves[ZeekField.responderHost.rawValue] >= 0,
            (pathKind ?? evidence.kind) == kind
        else { return .rejected(.notThisFormat) }
        let values = Values(scanner: scanner, leaves: leaves)
        return ZeekRecordMapper.record(kind, from: values, into: &record, context: context)
    }

    /// One object's values, by ``ZeekField``.
    private struct Values: ZeekFieldValues {
        let scanner: FlatJSONScanner
        let leaves: [Int]

        func raw(_ field: ZeekField) -> Bytes? {
            let leaf = leaves[field.rawValue]
            guard leaf >= 0 else { return nil }
            let value = scanner.value(leaf)
            // `null` is an unset field (`LogAscii::json_include_unset_fields`).
            guard value.count > 0, !value.equals("null") else { return nil }
            return value
        }

        func withDecoded(_ field: ZeekField, _ body: (Bytes) -> Void) {
            guard let value = raw(field) else { return }
            guard value.index(of: UInt8(ascii: "\\")) != nil else {
                body(value)
                return
            }
            let decoded = Array(FlatJSONScanner.unescape(value).utf8)
            decoded.withUnsafeBufferPointer { body($0) }
        }
    }
}
