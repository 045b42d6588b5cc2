import Foundation

/// The benchmark's results as a Markdown section for docs/benchmarks.md.
struct BenchReport {
    struct Row {
        var format: String
        var parser: String
        var lines: Int
        var bytes: Int64
        var records = 0
        var oneCore: Measurement?
        var allCores: Measurement?
        var goaccess: Measurement?
        var mawk: Measurement?
    }

    var cores: Int
    var rows: [Row] = []
    var lookups: LookupResult?

    func markdown() -> String {
        func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
        var out = "| format | lines | MB | 1 core: M lines/s | MB/s | peak MB | \(cores) cores: M lines/s | MB/s | "
        out += "peak MB | GoAccess k lines/s | ×GoAccess | mawk M lines/s | ×mawk |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for r in rows {
            let mb = Double(r.bytes) / 1_048_576
            let one = r.oneCore.map { Double(r.lines) / $0.seconds } ?? 0
            let all = r.allCores.map { Double(r.lines) / $0.seconds } ?? 0
            let peak = Double(r.oneCore?.peakMemoryKB ?? 0) / 1024
            let peakAll = Double(r.allCores?.peakMemoryKB ?? 0) / 1024
            let ga = r.goaccess.map { Double(r.lines) / $0.seconds }
            let mk = r.mawk.map { Double(r.lines) / $0.seconds }
            out +=
                "| \(r.format) | \(r.lines) | \(f(mb, 0)) | \(f(one / 1e6)) | \(f(mb / (r.oneCore?.seconds ?? 1), 0)) | "
            out += "\(f(peak, 0)) | \(f(all / 1e6)) | \(f(mb / (r.allCores?.seconds ?? 1), 0)) | \(f(peakAll, 0)) | "
            out += "\(ga.map { f($0 / 1e3, 0) } ?? "–") | \(ga.map { f(one / $0, 1) + "×" } ?? "–") | "
            out += "\(mk.map { f($0 / 1e6) } ?? "–") | \(mk.map { f(one / $0, 2) + "×" } ?? "–") |\n"
        }
        if let lookups { out += "\n" + lookups.summary + "\n" }
        return out
    }
}
