import CanopyDiscovery
import CanopyTesting
import Foundation
import Testing

/// docs/discovery.md carries generated sections; they must match the code (re-generate with
/// `canopy docs formats --update docs/discovery.md`, or run the tests with CANOPY_RECORD_GOLDEN=1).
@Suite struct ReferenceDocsTests {
    @Test func generatedSectionsAreFresh() throws {
        let url = FixturePaths.repositoryRoot.appendingPathComponent("docs/discovery.md")
        let document = try String(contentsOf: url, encoding: .utf8)
        var updated = document
        for (section, content) in [("FORMATS", ReferenceDocs.formats()), ("FIELDS", ReferenceDocs.fields())] {
            updated = try #require(
                ReferenceDocs.replacing(section, in: updated, with: content),
                "\(section) markers missing"
            )
        }
        if Golden.isRecording {
            try updated.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            updated == document,
            "docs/discovery.md is stale: run `canopy docs formats --update docs/discovery.md` (and fields)"
        )
    }
}
