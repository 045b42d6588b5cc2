package import CanopyCore

/// Chooses a parser for an input by trying every parser on its first lines (format auto-detection).
package enum FormatSniffer {
    /// How one parser did on the sample.
    package struct Candidate: Sendable, Codable, Hashable {
        package let parserID: String
        package let records: Int
        package let rejected: Int
        package let ignored: Int
        /// Records over lines that were not ignored: 0–1.
        package let confidence: Double
        /// Non-empty fields per record on average: breaks ties between formats that both read the lines.
        package let fieldsPerRecord: Double
        /// Rejected lines that had this format's shape but a bad field (not `not-this-format`): how close a
        /// parser came on an input nothing could read.
        package let nearMisses: Int
        package let isGeneric: Bool
    }

    /// How many lines are sampled.
    package static let sampleLines = 200

    /// Ranks every parser on the sample lines, best first.
    package static func rank(
        sample: [[UInt8]],
        parsers: [ParserFactory] = BuiltinParsers.factories,
        context: ParseContext = ParseContext()
    ) -> [Candidate] {
        var candidates: [Candidate] = []
        for factory in parsers {
            var session = ParsingSession(parser: factory.makeParser(), context: context, source: "sample")
            var fieldCount = 0
            for (index, line) in sample.enumerated() {
                line.withUnsafeBufferPointer { buffer in
                    if let record = session.consume(line: buffer, number: index + 1) {
                        fieldCount += record.filledFieldCount
                    }
                }
            }
            let s = session.statistics
            let considered = s.records + s.rejectedCount
            candidates.append(
                Candidate(
                    parserID: factory.descriptor.id,
                    records: s.records,
                    rejected: s.rejectedCount,
                    ignored: s.ignoredCount,
                    confidence: considered == 0 ? 0 : Double(s.records) / Double(considered),
                    fieldsPerRecord: s.records == 0 ? 0 : Double(fieldCount) / Double(s.records),
                    nearMisses: s.rejected.filter {
                        $0.key != .notThisFormat && $0.key != .binaryData && $0.key != .missingHeader
                    }
                    .reduce(0) { $0 + $1.value.count },
                    isGeneric: factory.descriptor.isGeneric
                )
            )
        }
        // A parser must read at least half as many lines as the best reader (one that calls every line "not
        // traffic" cannot win on parse rate alone); among those: parse rate, specific over generic, fields per
        // record, lines read, and registry order.
        let most = candidates.map(\.records).max() ?? 0
        return candidates.enumerated().sorted { a, b in
            let x = a.element
            let y = b.element
            if x.records == 0, y.records == 0 {
                return x.nearMisses != y.nearMisses ? x.nearMisses > y.nearMisses : a.offset < b.offset
            }
            let xEnough = x.records * 2 >= most
            let yEnough = y.records * 2 >= most
            if xEnough != yEnough { return xEnough }
            if abs(x.confidence - y.confidence) > 0.001 { return x.confidence > y.confidence }
            if x.isGeneric != y.isGeneric { return !x.isGeneric }
            if abs(x.fieldsPerRecord - y.fieldsPerRecord) > 0.01 { return x.fieldsPerRecord > y.fieldsPerRecord }
            if x.records != y.records { return x.records > y.records }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension TrafficRecord {
    /// How many fields are set: a measure of how much a parser understood.
    package var filledFieldCount: Int {
        var n = 0
        if time != nil { n += 1 }
        if sourceIP != nil { n += 1 }
        if user != nil { n += 1 }
        if device != nil { n += 1 }
        if destinationHost != nil { n += 1 }
        if destinationIP != nil { n += 1 }
        if destinationPort != nil { n += 1 }
        if url != nil { n += 1 }
        if method != nil { n += 1 }
        if status != nil { n += 1 }
        if bytesUp != nil { n += 1 }
        if bytesDown != nil { n += 1 }
        if bytesTotal != nil { n += 1 }
        if action != nil { n += 1 }
        if userAgent != nil { n += 1 }
        return n
    }
}
