import CCanopyZlib
package import CanopyDiscovery

/// Streams gzip (and zlib) data through zlib's inflate, including concatenated gzip members.
///
/// A class because it owns a `z_stream` that must be ended exactly once; used by one reader at a time.
package final class GzipInflater {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 256 * 1024)
    private var ended = false

    /// - Throws: ``InputError`` if zlib cannot start.
    package init() throws {
        // 15 + 32: a window of 32 KiB, with automatic gzip or zlib header detection.
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw InputError(source: "gzip", reason: "zlib could not start") }
    }

    deinit {
        if !ended { inflateEnd(&stream) }
    }

    /// Inflates `input`, calling `sink` with every piece of output.
    ///
    /// - Throws: ``InputError`` when the data is not valid gzip.
    package func feed(_ input: Bytes, source: String, _ sink: (Bytes) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = UInt32(input.count)
        while stream.avail_in > 0 {
            let produced: Int
            let status: Int32
            (status, produced) = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let s = inflate(&stream, Z_NO_FLUSH)
                return (s, out.count - Int(stream.avail_out))
            }
            if produced > 0 { try output.withUnsafeBufferPointer { try sink($0.sub(0..<produced)) } }
            if status == Z_STREAM_END {
                // Another gzip member may follow.
                guard stream.avail_in > 0 else { return }
                inflateReset(&stream)
                continue
            }
            if status == Z_BUF_ERROR && produced == 0 { return }
            guard status == Z_OK else {
                throw InputError(source: source, reason: "not valid gzip data (zlib status \(status))")
            }
        }
    }
}
