package import CanopyCore

/// Counts of what happened to every input line: nothing silently vanishes.
package struct ParseStatistics: Sendable, Codable, Hashable {
    /// How many lines of one reason, and where the first of them were.
    package struct Tally: Sendable, Codable, Hashable {
        package var count: Int = 0
        /// The first few places (source and line) where this reason occurred.
        package var firstLines: [Diagnostic] = []
    }

    /// How many first locations each reason keeps.
    package static let keptLocations = 5

    package var lines = 0
    package var bytes: Int64 = 0
    package var records = 0
    /// Well-formed lines without traffic (headers, comments, other event types), by reason.
    package var ignored: [ReasonCode: Tally] = [:]
    /// Lines that could not be read, by reason.
    package var rejected: [ReasonCode: Tally] = [:]

    package init() {}

    package var ignoredCount: Int { ignored.values.reduce(0) { $0 + $1.count } }
    package var rejectedCount: Int { rejected.values.reduce(0) { $0 + $1.count } }

    /// Records over records + rejected lines (ignored lines do not count against a parser).
    package var parseRate: Double {
        let denominator = records + rejectedCount
        return denominator == 0 ? 0 : Double(records) / Double(denominator)
    }

    package mutating func countIgnored(_ reason: ReasonCode, source: String, line: Int) {
        Self.add(&ignored, reason, source, line)
    }

    package mutating func countRejected(_ reason: ReasonCode, source: String, line: Int) {
        Self.add(&rejected, reason, source, line)
    }

    /// Adds another input's statistics (several files into one report).
    package mutating func merge(_ other: ParseStatistics) {
        lines += other.lines
        bytes += other.bytes
        records += other.records
        for (k, v) in other.ignored { Self.merge(&ignored, k, v) }
        for (k, v) in other.rejected { Self.merge(&rejected, k, v) }
    }

    private static func add(_ map: inout [ReasonCode: Tally], _ reason: ReasonCode, _ source: String, _ line: Int) {
        var tally = map[reason] ?? Tally()
        tally.count += 1
        if tally.firstLines.count < keptLocations {
            tally.firstLines.append(Diagnostic(reason: reason, source: source, line: line))
        }
        map[reason] = tally
    }

    private static func merge(_ map: inout [ReasonCode: Tally], _ reason: ReasonCode, _ other: Tally) {
        var tally = map[reason] ?? Tally()
        tally.count += other.count
        for d in other.firstLines where tally.firstLines.count < keptLocations { tally.firstLines.append(d) }
        map[reason] = tally
    }
}
