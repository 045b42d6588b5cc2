import Foundation
import Glibc

/// The data directory of `canopy serve` (`--data`, default `./canopy-data`): the SQLite database and the master key.
///
/// Created on first start with mode 0700; the master key is 32 random bytes in `master.key`, mode 0600, written
/// once (never overwritten) and kept outside the database: secrets in the database (connector credentials,
/// anonymization keys) are encrypted under it, so a copy of the database alone does not reveal them.
package struct ServerDataDirectory: Sendable {
    package let path: String

    /// The SQLite database file.
    package var databasePath: String { path + "/canopy.sqlite" }
    /// The master key file.
    package var masterKeyPath: String { path + "/master.key" }

    /// Creates the directory (0700) if it does not exist.
    package init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ServerError("\(path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ServerError("cannot create the data directory \(path)")
        }
    }

    /// Creates the database file (empty, mode 0600) if missing, so that SQLite's own files (`-wal`, `-shm`, which
    /// copy the database's mode) are private to the server's user too.
    package func ensurePrivateDatabaseFile() throws {
        let fd = open(databasePath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            throw ServerError("cannot create \(databasePath)")
        }
    }

    /// The master key, created (32 random bytes, mode 0600) if there is none yet.
    ///
    /// - Returns: the key and whether it was created now.
    package func masterKey() throws -> (key: [UInt8], created: Bool) {
        if let existing = FileManager.default.contents(atPath: masterKeyPath) {
            guard existing.count == 32 else {
                throw ServerError("\(masterKeyPath) is not a 32-byte key (refusing to replace it)")
            }
            return (Array(existing), false)
        }
        var key = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in key.indices { key[i] = generator.next() }
        // O_EXCL: two processes starting at once never both write a key.
        let fd = open(masterKeyPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { return try masterKey() }
            throw ServerError("cannot create \(masterKeyPath)")
        }
        defer { close(fd) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, 32) }
        guard written == 32, fsync(fd) == 0 else { throw ServerError("cannot write \(masterKeyPath)") }
        return (key, true)
    }
}

/// A server start-up failure, said plainly.
package struct ServerError: Error, CustomStringConvertible, Sendable {
    package var description: String

    package init(_ description: String) { self.description = description }
}
