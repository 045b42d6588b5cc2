package import CanopyDiscovery
import Foundation
import Glibc
import ZIPFoundation

/// One readable stream of log lines: a plain file, a .gz file, a member of a .zip, or standard input.
package struct LogInput: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        case plain
        case gzip
        /// A member of a zip archive (itself plain or gzip).
        case zipMember(String, gzipped: Bool)
        case standardInput
    }

    /// The file path ("-" for stdin).
    package var path: String
    package var kind: Kind

    /// The name used in reports and diagnostics.
    package var name: String {
        switch kind {
        case .plain, .gzip: path
        case .zipMember(let member, _): "\(path)!\(member)"
        case .standardInput: "stdin"
        }
    }

    /// Expands paths into inputs: directories recursively (sorted, hidden files skipped), archives into members,
    /// "-" into standard input.
    ///
    /// - Throws: ``InputError`` for a path that does not exist or an archive that cannot be opened.
    package static func expand(_ paths: [String]) throws -> [LogInput] {
        var out: [LogInput] = []
        let fm = FileManager.default
        for path in paths {
            if path == "-" {
                out.append(LogInput(path: "-", kind: .standardInput))
                continue
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(source: path, reason: "no such file or directory")
            }
            if isDirectory.boolValue {
                guard let walker = fm.enumerator(atPath: path) else {
                    throw InputError(source: path, reason: "cannot list the directory")
                }
                var files: [String] = []
                while let next = walker.nextObject() as? String {
                    if next.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                    let full = (path as NSString).appendingPathComponent(next)
                    var dir: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { files.append(full) }
                }
                out += try expand(files.sorted())
                continue
            }
            let magic = try readMagic(path)
            if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                out += try zipMembers(path)
            } else if magic.starts(with: [0x1F, 0x8B]) {
                out.append(LogInput(path: path, kind: .gzip))
            } else {
                out.append(LogInput(path: path, kind: .plain))
            }
        }
        return out
    }

    /// Streams the decompressed bytes of this input in chunks.
    ///
    /// - Throws: ``InputError`` on read or decompression errors.
    package func read(chunkSize: Int = 1 << 20, _ sink: (Bytes) throws -> Void) throws {
        switch kind {
        case .plain:
            try Self.readFile(path, chunkSize: chunkSize, sink: sink)
        case .gzip:
            let inflater = try GzipInflater()
            try Self.readFile(path, chunkSize: chunkSize) { try inflater.feed($0, source: name, sink) }
        case .standardInput:
            try Self.readDescriptor(STDIN_FILENO, source: name, chunkSize: chunkSize, sink: sink)
        case .zipMember(let member, let gzipped):
            let archive: Archive
            do {
                archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            } catch {
                throw InputError(source: path, reason: "cannot open the zip archive")
            }
            guard let entry = archive[member] else { throw InputError(source: name, reason: "member not found") }
            let inflater = gzipped ? try GzipInflater() : nil
            do {
                _ = try archive.extract(entry, bufferSize: chunkSize, skipCRC32: false) { data in
                    try data.withUnsafeBytes { raw in
                        let bytes = raw.bindMemory(to: UInt8.self)
                        if let inflater { try inflater.feed(bytes, source: name, sink) } else { try sink(bytes) }
                    }
                }
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError(source: name, reason: "cannot extract the zip member (corrupt archive?)")
            }
        }
    }

    /// The size on disk, for progress and for splitting plain files across cores; nil when unknown.
    package var fileSize: Int64? {
        guard kind == .plain || kind == .gzip else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value
    }

    /// Reads `path` from byte `start` up to `end` (the end of the file when nil) in chunks, through one buffer that
    /// is reused for every chunk (no allocation per read).
    static func readFile(
        _ path: String,
        chunkSize: Int,
        from start: Int64 = 0,
        to end: Int64? = nil,
        sink: (Bytes) throws -> Void
    ) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(source: path, reason: "cannot open the file for reading") }
        defer { close(fd) }
        if start > 0, lseek(fd, off_t(start), SEEK_SET) < 0 {
            throw InputError(source: path, reason: "cannot seek in the file")
        }
        try readDescriptor(fd, source: path, chunkSize: chunkSize, limit: end.map { $0 - start }, sink: sink)
    }

    /// Reads a descriptor to its end (or `limit` bytes) in chunks through one reused buffer.
    static func readDescriptor(
        _ fd: Int32,
        source: String,
        chunkSize: Int,
        limit: Int64? = nil,
        sink: (Bytes) throws -> Void
    ) throws {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var remaining = limit ?? Int64.max
        while remaining > 0 {
            let want = Int(min(Int64(chunkSize), remaining))
            let n = Glibc.read(fd, buffer.baseAddress, want)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: source, reason: "read error (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            remaining -= Int64(n)
            try sink(UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    private static func readMagic(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(source: path, reason: "cannot open the file for reading (permissions?)")
        }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: 4)) ?? Data())
    }

    private static func zipMembers(_ path: String) throws -> [LogInput] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw InputError(source: path, reason: "cannot open the zip archive")
        }
        return archive.filter { $0.type == .file }
            .map(\.path)
            .filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") || $0 == "__MACOSX" } }
            .sorted()
            .map { LogInput(path: path, kind: .zipMember($0, gzipped: $0.hasSuffix(".gz"))) }
    }
}
