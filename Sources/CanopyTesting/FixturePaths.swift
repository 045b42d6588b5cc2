package import Foundation

/// Where test fixtures and the shared interop data live.
package enum FixturePaths {
    /// The repository root, found from this file's path.
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/CanopyDiscoveryTests/Fixtures`.
    package static let discoveryFixtures = repositoryRoot.appendingPathComponent("Tests/CanopyDiscoveryTests/Fixtures")

    /// `../shared/data` beside the checkout, or nil when absent (tests that need it then skip, saying so).
    package static var sharedData: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Parser ids named in `CANOPY_PARSER` (comma-separated), to run the conformance suite for a few parsers only.
    package static var parserFilter: Set<String>? {
        guard let v = ProcessInfo.processInfo.environment["CANOPY_PARSER"], !v.isEmpty else { return nil }
        return Set(v.split(separator: ",").map(String.init))
    }
}
