package import CanopyStore

/// A data source as an admin asks for it (API or CLI), checked before it is stored.
package struct DataSourceDraft: Sendable, Codable {
    package var name: String
    package var format: String
    package var transport: DataSource.Transport
    package var port: Int?
    package var path: String?

    package init(name: String, format: String, transport: DataSource.Transport, port: Int? = nil, path: String? = nil) {
        self.name = name
        self.format = format
        self.transport = transport
        self.port = port
        self.path = path
    }

    /// The data source to store, or the first thing wrong with the draft.
    ///
    /// - Parameters:
    ///   - existing: the stored sources (names are unique; a port is used by one UDP source and one TCP or TLS
    ///     source at most).
    ///   - formats: the parser ids a source may name.
    ///   - actor: who asks (kept as the source's creator).
    ///   - now: milliseconds since the epoch.
    /// - Returns: the source, ready for ``Store/createDataSource(_:)``.
    /// - Throws: ``CollectorError`` saying what is wrong, for the admin.
    package func validated(
        existing: [DataSource],
        formats: Set<String>,
        by actor: String,
        at now: Int64
    ) throws -> DataSource {
        guard (1...64).contains(name.utf8.count),
            name.utf8.allSatisfy({ b in
                (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 45 || b == 95 || b == 46
            })
        else { throw CollectorError("a name is 1–64 letters, digits, '-', '_' or '.'") }
        guard !existing.contains(where: { $0.name == name }) else {
            throw CollectorError("a data source named \(name) exists")
        }
        guard formats.contains(format) else {
            throw CollectorError("unknown format \(format) (canopy discover formats lists them)")
        }
        if transport.usesPort {
            guard let port, (1...65_535).contains(port) else {
                throw CollectorError("a syslog source needs a port 1–65535")
            }
            guard path == nil else { throw CollectorError("a syslog source has no folder") }
            let udp = transport == .udp
            if let other = existing.first(where: {
                $0.port == port && $0.transport.usesPort && ($0.transport == .udp) == udp
            }) {
                throw CollectorError("port \(port)/\(udp ? "udp" : "tcp") is used by data source \(other.name)")
            }
            return DataSource(
                name: name,
                format: format,
                transport: transport,
                port: port,
                createdBy: actor,
                createdAt: now
            )
        }
        guard let path, path.hasPrefix("/"), path.utf8.count <= 1_024, !path.split(separator: "/").contains("..") else {
            throw CollectorError("a folder source needs an absolute folder path")
        }
        guard port == nil else { throw CollectorError("a folder source has no port") }
        if let other = existing.first(where: { $0.path == path }) {
            throw CollectorError("folder \(path) is watched by data source \(other.name)")
        }
        return DataSource(name: name, format: format, transport: .folder, path: path, createdBy: actor, createdAt: now)
    }
}
