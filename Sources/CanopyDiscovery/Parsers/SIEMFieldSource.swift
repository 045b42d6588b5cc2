import CanopyCore

/// Anything that looks a field up by its key: a CEF extension, LEEF attributes, key-value pairs, JSON leaves.
///
/// Lets one vendor mapping (Check Point's native field names, which Log Exporter writes into its syslog, CEF and
/// LEEF output alike) read all of them.
protocol SIEMFieldSource {
    /// The raw value of `key` (escapes kept), or nil when the key is absent.
    func value(for key: StaticString) -> Bytes?
    /// The value of `key` with the format's escapes resolved; nil when absent or a placeholder.
    func string(for key: StaticString) -> String?
}

extension CEFMessage: SIEMFieldSource {}
extension LEEFMessage: SIEMFieldSource {}
extension KeyValueScanner: SIEMFieldSource {}
extension FlatJSONScanner: SIEMFieldSource {}
