import CanopyServer
import Foundation
import Logging
import Synchronization
import Testing

/// Structured logs: one parseable JSON object a line, hostile text escaped, metadata kept.
@Suite struct JSONLogHandlerTests {
    @Test func eachEventIsOneJSONObjectWithItsMetadata() throws {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "canopy") { label in
            JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "node"] = "a"
        logger.notice(
            "retention deleted \"old\" rows\n<script>",
            metadata: ["count": "3", "list": .array(["x", "y"])]
        )
        let captured = lines.withLock { $0 }
        #expect(captured.count == 1 && captured[0].hasSuffix("}\n"))
        #expect(captured[0].filter { $0 == "\n" }.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(captured[0].utf8)) as? [String: String]
        )
        #expect(object["level"] == "notice" && object["label"] == "canopy")
        #expect(object["message"] == "retention deleted \"old\" rows\n<script>")
        #expect(object["count"] == "3" && object["node"] == "a")
        #expect(object["list"]?.contains("x") == true && object["list"]?.contains("y") == true)
        #expect(object["time"]?.contains("T") == true)
        #expect(!captured[0].contains("<script>"))  // Escaped as \u003c for HTML-safe embedding.
    }
}
