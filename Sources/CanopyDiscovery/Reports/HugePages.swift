import Glibc

/// Transparent huge pages for large hash tables.
enum HugePages {
    /// Two MiB: the x86-64 and arm64 huge page size.
    static let size = 2 << 20

    /// Asks the kernel to back the whole huge pages inside `buffer` with huge pages (`MADV_HUGEPAGE`), when the
    /// buffer spans at least one. Advice only: without THP support nothing changes. Call before the memory is
    /// first touched, so that the pages are huge from their first fault.
    static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count >= 2 * size, let base = buffer.baseAddress else { return }
        let start = (UInt(bitPattern: base) + UInt(size - 1)) & ~UInt(size - 1)
        let end = (UInt(bitPattern: base) + UInt(buffer.count)) & ~UInt(size - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, Int(end - start), MADV_HUGEPAGE)
    }
}
