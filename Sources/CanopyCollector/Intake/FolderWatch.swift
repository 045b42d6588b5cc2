import Foundation

/// Which files of a watched folder are ready to read: a file is taken once its size has stayed the same for one
/// poll and it was last written at least `settle` ago, so that a file still being copied in is not read half.
/// Hidden files (a copy's temporary `.name`) and subfolders (`processed/`, `failed/`) are left alone.
package struct FolderWatch: Sendable {
    package let path: String
    package let settleMilliseconds: Int64
    /// Sizes seen at the previous poll, by file name.
    private var sizes: [String: UInt64] = [:]

    package init(path: String, settleMilliseconds: Int64 = 2_000) {
        self.path = path
        self.settleMilliseconds = settleMilliseconds
    }

    /// The files (full paths, sorted) ready to be read now.
    package mutating func poll(now: Int64) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: path) else { return [] }
        var ready: [String] = []
        var seen: [String: UInt64] = [:]
        for name in names.sorted() where !name.hasPrefix(".") {
            let full = (path as NSString).appendingPathComponent(name)
            guard let attributes = try? manager.attributesOfItem(atPath: full),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            let modified = (attributes[.modificationDate] as? Date).map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0
            seen[name] = size
            if sizes[name] == size, now - modified >= settleMilliseconds { ready.append(full) }
        }
        sizes = seen
        for file in ready { sizes.removeValue(forKey: (file as NSString).lastPathComponent) }
        return ready
    }

    /// Moves a file that was read to `processed/` (or `failed/` when it could not be read) beside it, keeping its
    /// name (a number is added when the name is taken). Returns where it went.
    @discardableResult
    package static func archive(_ file: String, failed: Bool = false) throws -> String {
        let manager = FileManager.default
        let folder = ((file as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(failed ? "failed" : "processed")
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = (file as NSString).lastPathComponent
        var target = (folder as NSString).appendingPathComponent(name)
        var n = 1
        while manager.fileExists(atPath: target) {
            n += 1
            target = (folder as NSString).appendingPathComponent("\(name).\(n)")
        }
        try manager.moveItem(atPath: file, toPath: target)
        return target
    }
}
