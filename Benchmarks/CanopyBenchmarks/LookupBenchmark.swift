import CanopyDiscovery
import Foundation

/// Domain → app lookups on one core over the shipped catalog, and how long building the matcher takes.
struct LookupResult {
    var apps: Int
    var rules: Int
    var buildMilliseconds: Double
    var lookupsPerSecond: Double
    var hits: Int

    var summary: String {
        "catalog: \(apps) apps, \(rules) rules; matcher built in \(String(format: "%.1f", buildMilliseconds)) ms; "
            + "\(String(format: "%.2f", lookupsPerSecond / 1e6)) M lookups/s on one core (\(hits) hits)"
    }
}

func lookupBenchmark(catalogDirectory: String, count: Int) throws -> LookupResult {
    let dir = URL(fileURLWithPath: catalogDirectory)
    func read(_ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }
    let catalog = try AppCatalog.load(
        AppCatalog.Files(
            categories: try read("categories.json"),
            apps: try read("apps.jsonl"),
            attributes: try read("attributes.json"),
            risk: try read("risk.jsonl")
        )
    )
    let buildStart = DispatchTime.now().uptimeNanoseconds
    let matcher = AppMatcher(catalog: catalog)
    let buildNanos = DispatchTime.now().uptimeNanoseconds - buildStart
    // A realistic mix: catalog hosts, their subdomains, and misses.
    var hosts: [[UInt8]] = []
    for (i, app) in catalog.apps.prefix(2000).enumerated() {
        guard let d = app.domains.first else { continue }
        hosts.append(Array(d.utf8))
        hosts.append(Array("www.\(d)".utf8))
        hosts.append(Array("api-\(i).eu.\(d)".utf8))
        hosts.append(Array("cdn\(i).unknown-\(i).example.net".utf8))
    }
    var hits = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var done = 0
    while done < count {
        for h in hosts {
            let found = h.withUnsafeBufferPointer { matcher.lookup(bytes: $0) }
            if found != nil { hits += 1 }
        }
        done += hosts.count
    }
    let nanos = DispatchTime.now().uptimeNanoseconds - start
    return LookupResult(
        apps: catalog.apps.count,
        rules: matcher.ruleCount,
        buildMilliseconds: Double(buildNanos) / 1e6,
        lookupsPerSecond: Double(done) / (Double(nanos) / 1e9),
        hits: hits
    )
}
