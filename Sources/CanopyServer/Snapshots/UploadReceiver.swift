import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// How many files and bytes one snapshot upload may bring (20 files, as the reference product; 8 GiB in all).
package struct UploadLimits: Sendable {
    package var files: Int
    package var bytes: Int64

    package init(files: Int = 20, bytes: Int64 = 8 << 30) {
        self.files = files
        self.bytes = bytes
    }
}

/// What an upload brought: its files on disk and the form's fields.
struct ReceivedUpload: Sendable {
    struct File: Sendable, Hashable {
        /// The name the client gave (shown in the report), never used as a path.
        var name: String
        /// Where it was written.
        var path: String
        var bytes: Int64
    }

    var files: [File] = []
    /// Text fields of a multipart form (`name`, `format`, `_csrf`, …), first value of each.
    var fields: [String: String] = [:]

    var bytes: Int64 { files.reduce(0) { $0 + $1.bytes } }
}

/// Why an upload was refused; the message is for a human and names the limit that was hit.
struct UploadError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case malformed
        case tooManyFiles
        case tooLarge
        case forbidden
        case storage
    }

    var kind: Kind
    var description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// Streams a log upload to a directory chunk by chunk — a multipart form (`files` parts, plus text fields) or a raw
/// body (one file, plain, gzip or zip) — so a multi-gigabyte log never sits in memory.
///
/// Limits: at most ``Limits/files`` files and ``Limits/bytes`` bytes in all; a text field is at most 4 KiB. When
/// `csrfToken` is given, a multipart form must carry it in a `_csrf` field *before* its first file (browsers send
/// fields in form order), so no file byte is written for a forged request.
struct UploadReceiver {
    typealias Limits = UploadLimits

    static let fieldLimit = 4_096

    let directory: URL
    let limits: Limits

    /// Receives a raw body as one file named `fileName`.
    func receiveRaw(_ body: RequestBody, fileName: String) async throws -> ReceivedUpload {
        let sink = try FileSink(directory: directory, index: 0, name: fileName)
        do {
            for try await chunk in body {
                guard sink.bytes + Int64(chunk.readableBytes) <= limits.bytes else {
                    throw UploadError(.tooLarge, "the upload is larger than \(limits.bytes) bytes")
                }
                try sink.write(chunk)
            }
            try sink.close()
        } catch {
            sink.discard()
            throw error
        }
        guard sink.bytes > 0 else { throw UploadError(.malformed, "the body is empty") }
        return ReceivedUpload(files: [sink.file], fields: [:])
    }

    /// Receives a `multipart/form-data` body with the given boundary.
    func receiveMultipart(
        _ body: RequestBody,
        boundary: String,
        csrfToken: String? = nil
    ) async throws -> ReceivedUpload {
        let state = MultipartState(directory: directory, limits: limits, csrfToken: csrfToken)
        var stream = MultipartStream(boundary: boundary)
        do {
            for try await chunk in body {
                let events: [MultipartStream.Event]
                do {
                    events = try stream.feed(chunk.readableBytesView)
                } catch let error as MultipartStream.Malformed {
                    throw UploadError(.malformed, "the multipart body is malformed: \(error)")
                }
                for event in events {
                    state.handle(event)
                    if let failure = state.failure { throw failure }
                }
            }
            guard stream.isComplete else {
                throw UploadError(.malformed, "the multipart body ended before its closing boundary")
            }
        } catch {
            state.discardAll()
            throw error
        }
        guard !state.upload.files.isEmpty else {
            state.discardAll()
            throw UploadError(.malformed, "the form has no file (send them as `files` parts)")
        }
        return state.upload
    }

    /// The `boundary` parameter of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }
}

/// The parts of a multipart upload as they stream in; the first failure is kept and ends the upload.
private final class MultipartState {
    let directory: URL
    let limits: UploadReceiver.Limits
    let csrfToken: String?

    var upload = ReceivedUpload()
    var failure: UploadError?
    private var csrfSeen = false
    private var sink: FileSink?
    private var field: (name: String, value: [UInt8])?

    init(directory: URL, limits: UploadReceiver.Limits, csrfToken: String?) {
        self.directory = directory
        self.limits = limits
        self.csrfToken = csrfToken
    }

    func handle(_ event: MultipartStream.Event) {
        guard failure == nil else { return }
        switch event {
        case .part(let headers): startPart(headers)
        case .content(let bytes): content(bytes)
        case .partEnd: partComplete()
        }
    }

    private func content(_ bytes: [UInt8]) {
        if let sink {
            guard upload.bytes + sink.bytes + Int64(bytes.count) <= limits.bytes else {
                fail(.tooLarge, "the upload is larger than \(limits.bytes) bytes")
                return
            }
            do { try sink.write(bytes) } catch { fail(.storage, "the upload could not be written to disk") }
        } else if field != nil {
            guard (field?.value.count ?? 0) + bytes.count <= UploadReceiver.fieldLimit else {
                fail(.malformed, "a form field is longer than \(UploadReceiver.fieldLimit) bytes")
                return
            }
            field?.value += bytes
        }
    }

    private func partComplete() {
        if let sink {
            do {
                try sink.close()
                if sink.bytes > 0 { upload.files.append(sink.file) } else { sink.discard() }
            } catch {
                fail(.storage, "the upload could not be written to disk")
            }
        } else if let field {
            let value = String(decoding: field.value, as: UTF8.self)
            if field.name == "_csrf" { csrfSeen = csrfToken.map { PortalSecrets.equal(value, $0) } ?? false }
            if upload.fields[field.name] == nil { upload.fields[field.name] = value }
        }
        sink = nil
        field = nil
    }

    /// Decides from its headers what the part is: a text field, a file to write, or something to skip.
    private func startPart(_ headers: [(name: String, value: String)]) {
        let disposition = headers.first { $0.name.lowercased() == "content-disposition" }?.value ?? ""
        let parameters = Self.parameters(disposition)
        guard let name = parameters["name"] else {
            fail(.malformed, "a form part has no Content-Disposition name")
            return
        }
        guard let fileName = parameters["filename"] else {
            field = (name, [])
            return
        }
        // A file input left empty is sent as a part with an empty file name and no content.
        if fileName.isEmpty || name != "files" { return }
        if csrfToken != nil, !csrfSeen {
            fail(.forbidden, "the form's _csrf field must come before its files")
            return
        }
        guard upload.files.count < limits.files else {
            fail(.tooManyFiles, "a snapshot takes at most \(limits.files) files")
            return
        }
        do {
            sink = try FileSink(directory: directory, index: upload.files.count, name: fileName)
        } catch {
            fail(.storage, "the upload could not be written to disk")
        }
    }

    private func fail(_ kind: UploadError.Kind, _ message: String) {
        if failure == nil { failure = UploadError(kind, message) }
        sink?.discard()
        sink = nil
    }

    func discardAll() {
        sink?.discard()
        for file in upload.files { try? FileManager.default.removeItem(atPath: file.path) }
        upload.files = []
    }

    /// `form-data; name="files"; filename="a.log"` → `["name": "files", "filename": "a.log"]`.
    static func parameters(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        var rest = Substring(value)
        // Skip the disposition type.
        guard let semicolon = rest.firstIndex(of: ";") else { return out }
        rest = rest[rest.index(after: semicolon)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var parsed = ""
            if rest.first == "\"" {
                // Browsers send `"` as %22 and a backslash as itself (WHATWG HTML's form encoding, RFC 7578 §4.2),
                // so there are no backslash escapes to undo: `C:\logs\a.log` stays a Windows path.
                rest = rest.dropFirst()
                let end = rest.firstIndex(of: "\"") ?? rest.endIndex
                parsed = String(rest[..<end]).replacingOccurrences(of: "%22", with: "\"")
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                parsed = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            if out[key] == nil { out[key] = parsed }
        }
        return out
    }
}

/// One uploaded file being written: `DIR/<index>-<safe name>`, mode 0600.
private final class FileSink {
    let file0: (name: String, path: String)
    private let handle: FileHandle
    private(set) var bytes: Int64 = 0
    private var closed = false

    var file: ReceivedUpload.File { ReceivedUpload.File(name: file0.name, path: file0.path, bytes: bytes) }

    init(directory: URL, index: Int, name: String) throws {
        let display = FileSink.displayName(name)
        let path = directory.appendingPathComponent(String(format: "%02d-", index) + FileSink.safeName(display)).path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw UploadError(.storage, "the upload could not be written to disk") }
        self.file0 = (display, path)
        self.handle = handle
    }

    func write(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
        bytes += Int64(buffer.readableBytes)
    }

    func write(_ chunk: [UInt8]) throws {
        try chunk.withUnsafeBytes { try handle.write(contentsOf: $0) }
        bytes += Int64(chunk.count)
    }

    func close() throws {
        guard !closed else { return }
        closed = true
        try handle.close()
    }

    func discard() {
        try? close()
        try? FileManager.default.removeItem(atPath: file0.path)
    }

    /// The last path component of what the client sent (browsers may send `C:\logs\a.log`), at most 200 bytes.
    static func displayName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200))
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "upload.log" : cleaned
    }

    /// Letters, digits, `.`, `-` and `_` only: the name on disk can never leave the directory.
    static func safeName(_ name: String) -> String {
        let kept = name.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return scalar.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "_"
        }
        let text = String(kept.prefix(100))
        return text.hasPrefix(".") ? "_" + text.dropFirst() : text
    }
}
