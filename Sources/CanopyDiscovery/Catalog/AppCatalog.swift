package import Foundation

/// The app catalog: apps, categories, risk-attribute definitions and curated facts.
///
/// Loaded from the four data files shipped in `Resources/catalog` (see docs/discovery.md for the schema) plus the
/// tenant's custom apps. Pure: callers pass the file contents.
package struct AppCatalog: Sendable {
    package private(set) var apps: [CatalogApp]
    package let categories: [CatalogCategory]
    package let attributes: [RiskAttribute]
    package private(set) var facts: [String: AppRiskFacts]
    private var indexByID: [String: Int]
    private let categoryByID: [String: CatalogCategory]

    package init(
        apps: [CatalogApp],
        categories: [CatalogCategory],
        attributes: [RiskAttribute],
        facts: [AppRiskFacts]
    ) {
        self.apps = apps
        self.categories = categories
        self.attributes = attributes
        var byApp: [String: AppRiskFacts] = [:]
        for f in facts { byApp[f.app] = f }
        self.facts = byApp
        var index: [String: Int] = [:]
        for (i, app) in apps.enumerated() where index[app.id] == nil { index[app.id] = i }
        self.indexByID = index
        var cats: [String: CatalogCategory] = [:]
        for c in categories { cats[c.id] = c }
        self.categoryByID = cats
    }

    /// The files a catalog is read from.
    package struct Files: Sendable {
        package var categories: Data
        package var apps: Data
        package var attributes: Data
        package var risk: Data

        package init(categories: Data, apps: Data, attributes: Data, risk: Data) {
            self.categories = categories
            self.apps = apps
            self.attributes = attributes
            self.risk = risk
        }
    }

    /// Decodes the catalog files.
    ///
    /// - Throws: ``CatalogError`` naming the file and line of the first entry that cannot be decoded.
    package static func load(_ files: Files) throws -> AppCatalog {
        let decoder = JSONDecoder()
        let categories: [CatalogCategory]
        do {
            categories = try decoder.decode([CatalogCategory].self, from: files.categories)
        } catch {
            throw CatalogError(file: "categories.json", line: nil, reason: "not a JSON array of categories")
        }
        let attributes: [RiskAttribute]
        do {
            attributes = try decoder.decode([RiskAttribute].self, from: files.attributes)
        } catch {
            throw CatalogError(file: "attributes.json", line: nil, reason: "not a JSON array of attribute definitions")
        }
        let apps = try decodeLines(CatalogApp.self, files.apps, file: "apps.jsonl", fast: CatalogApp.init(catalogLine:))
        let facts = try decodeLines(
            AppRiskFacts.self,
            files.risk,
            file: "risk.jsonl",
            fast: AppRiskFacts.init(catalogLine:)
        )
        return AppCatalog(apps: apps, categories: categories, attributes: attributes, facts: facts)
    }

    /// Decodes a JSON-lines file: each line with `fast` (``JSONCursor``, about 10× quicker than `JSONDecoder`);
    /// should a line not have the shape `fast` reads, the whole file with `JSONDecoder` as one JSON array (one
    /// decoder pass: a third of the time of a decoder call per line), and when that fails line by line, to name
    /// the bad line.
    private static func decodeLines<T: Decodable>(
        _ type: T.Type,
        _ data: Data,
        file: String,
        fast: (Bytes) throws(JSONCursor.Unexpected) -> T
    ) throws -> [T] {
        var lines: [Range<Int>] = []
        // One pass: note each non-empty line (for the fallback) and read it with `fast` until it refuses one.
        let decoded: [T]? = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var out: [T]? = []
            var start = 0
            while start < bytes.count {
                let end = bytes.index(of: 10, from: start) ?? bytes.count
                let line = bytes.sub(start..<end)
                if !line.trimmed.isEmpty {
                    lines.append(start..<end)
                    if out != nil {
                        if let value = try? fast(line) { out?.append(value) } else { out = nil }
                    }
                }
                start = end + 1
            }
            return out
        }
        if let decoded { return decoded }
        var array = Data()
        array.reserveCapacity(data.count + 2)
        array.append(UInt8(ascii: "["))
        for (n, line) in lines.enumerated() {
            if n > 0 { array.append(UInt8(ascii: ",")) }
            array.append(data[(data.startIndex + line.lowerBound)..<(data.startIndex + line.upperBound)])
        }
        array.append(UInt8(ascii: "]"))
        if let all = try? JSONDecoder().decode([T].self, from: array) { return all }
        return try decodeEachLine(type, data, file: file)
    }

    private static func decodeEachLine<T: Decodable>(_ type: T.Type, _ data: Data, file: String) throws -> [T] {
        let decoder = JSONDecoder()
        var out: [T] = []
        var lineNumber = 0
        for line in data.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            do {
                out.append(try decoder.decode(T.self, from: Data(line)))
            } catch {
                throw CatalogError(file: file, line: lineNumber, reason: "cannot decode this entry")
            }
        }
        return out
    }

    /// The app with this id.
    package func app(id: String) -> CatalogApp? {
        indexByID[id].map { apps[$0] }
    }

    /// The index of the app with this id in ``apps``.
    package func index(of id: String) -> Int? { indexByID[id] }

    package func category(id: String) -> CatalogCategory? { categoryByID[id] }

    /// Adds or replaces custom apps (a tenant's own apps). They win over catalog apps with the same id.
    package mutating func add(customApps: [CatalogApp]) {
        for var app in customApps {
            app.source = "custom"
            if let i = indexByID[app.id] {
                apps[i] = app
            } else {
                indexByID[app.id] = apps.count
                apps.append(app)
            }
        }
    }

    /// Case-insensitive search over id, name, vendor, category and domains; best matches first.
    package func search(_ text: String, limit: Int = 50) -> [CatalogApp] {
        let needle = text.lowercased()
        guard !needle.isEmpty else { return Array(apps.prefix(limit)) }
        var scored: [(Int, Int)] = []
        for (i, app) in apps.enumerated() {
            let name = app.name.lowercased()
            var rank = 0
            if app.id == needle || name == needle {
                rank = 100
            } else if name.hasPrefix(needle) || app.id.hasPrefix(needle) {
                rank = 80
            } else if name.contains(needle) {
                rank = 60
            } else if app.domains.contains(where: { $0 == needle || $0.hasPrefix(needle + ".") }) {
                rank = 50
            } else if app.domains.contains(where: { $0.contains(needle) }) {
                rank = 30
            } else if (app.vendor?.lowercased().contains(needle) ?? false) || app.category.contains(needle) {
                rank = 20
            }
            if rank > 0 { scored.append((rank, i)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : apps[$0.1].name < apps[$1.1].name }
        return scored.prefix(limit).map { apps[$0.1] }
    }
}

/// A catalog file that cannot be read.
package struct CatalogError: Error, Sendable, CustomStringConvertible {
    package var file: String
    package var line: Int?
    package var reason: String

    package var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
