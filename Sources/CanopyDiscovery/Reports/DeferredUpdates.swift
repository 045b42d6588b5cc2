/// A small FIFO of (app, user) cell updates waiting for their table entry to arrive in the cache.
///
/// The (app, user) table outgrows the cache; one prefetch right before the update does not hide the miss. The
/// aggregator prefetches an entry when a record arrives and applies the update `depth` records later, so several
/// misses overlap (memory-level parallelism) instead of stalling one after another.
struct DeferredUpdates: Sendable {
    /// One record's update of an (app, user) cell and of the app's source IPs.
    struct Update: Sendable {
        var key: UInt64 = 0
        var app: Int32 = 0
        var ip: Int32 = -1
        var up: Int64 = 0
        var down: Int64 = 0
        var total: Int64 = 0
        /// Milliseconds since the epoch; `Int64.min` when the record has no time.
        var time: Int64 = .min
        var blocked = false
    }

    /// How many updates wait: the prefetch distance.
    static let depth = 16

    private var ring = [Update](repeating: Update(), count: depth)
    private var head = 0
    private(set) var count = 0

    /// Queues `update`; returns the oldest one when the queue was full (to be applied now).
    @inline(__always)
    mutating func push(_ update: Update) -> Update? {
        if count < Self.depth {
            ring[(head + count) & (Self.depth - 1)] = update
            count += 1
            return nil
        }
        let oldest = ring[head]
        ring[head] = update
        head = (head + 1) & (Self.depth - 1)
        return oldest
    }

    /// Removes and returns every queued update, oldest first.
    mutating func drain() -> [Update] {
        let out = (0..<count).map { ring[(head + $0) & (Self.depth - 1)] }
        head = 0
        count = 0
        return out
    }
}
