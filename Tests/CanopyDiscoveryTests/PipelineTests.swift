import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Testing

@Suite struct PipelineTests {
    @Test func lineSplitterHandlesChunkBoundariesCRLFAndOverlongLines() {
        let text = Array("a\r\nbb\n\(String(repeating: "x", count: 100))\nlast".utf8)
        for chunkSize in [1, 2, 5, 1000] {
            var splitter = LineSplitter(maximumLineLength: 50)
            var events: [String] = []
            let handle: (LineSplitter.Event) -> Void = { event in
                switch event {
                case .line(let bytes, let n): events.append("\(n):\(bytes.string)")
                case .overlong(let n): events.append("\(n):overlong")
                }
            }
            text.withUnsafeBufferPointer { all in
                var i = 0
                while i < all.count {
                    splitter.feed(all.sub(i..<min(all.count, i + chunkSize)), handle)
                    i += chunkSize
                }
            }
            splitter.finish(handle)
            #expect(events == ["1:a", "2:bb", "3:overlong", "4:last"], "chunk size \(chunkSize)")
        }
    }

    @Test func sessionCountsBinaryAndEmptyLinesWithoutCallingTheParser() {
        var session = ParsingSession(parser: SquidNativeParser(), context: ParseContext(), source: "x")
        [UInt8]([0x00, 0x01, 0x02]).withUnsafeBufferPointer { _ = session.consume(line: $0, number: 1) }
        [UInt8]([0x20, 0x20]).withUnsafeBufferPointer { _ = session.consume(line: $0, number: 2) }
        #expect(session.statistics.rejected[.binaryData]?.count == 1)
        #expect(session.statistics.ignored[.emptyLine]?.count == 1)
        #expect(session.statistics.rejected[.binaryData]?.firstLines.first?.line == 1)
    }

    @Test func sniffingReportsUnrecognizedInputWithClosestFormats() {
        var aggregator = DiscoveryAggregator(matcher: AppMatcher(catalog: TestCatalog.small()))
        var ingest = InputIngest(source: "noise", context: ParseContext())
        let noise = (0..<50).map { "lorem ipsum dolor \($0)\n" }.joined()
        Array(noise.utf8).withUnsafeBufferPointer { ingest.feed($0, into: &aggregator) }
        ingest.finish(into: &aggregator)
        guard case .unrecognized(let closest) = ingest.detection else {
            Issue.record("noise was read as a format")
            return
        }
        #expect(closest.count == min(3, BuiltinParsers.all.count))
    }

    @Test func everyStatisticsLineIsAccountedFor() {
        var aggregator = DiscoveryAggregator(matcher: AppMatcher(catalog: TestCatalog.small()))
        var ingest = InputIngest(source: "t", context: ParseContext())
        let text = DiscoveryReportTests.log + "\n\n\u{0}\u{1}garbage\n"
        Array(text.utf8).withUnsafeBufferPointer { ingest.feed($0, into: &aggregator) }
        ingest.finish(into: &aggregator)
        let s = ingest.statistics
        #expect(s.lines == s.records + s.ignoredCount + s.rejectedCount)
        #expect(s.lines == 9)
    }
}
