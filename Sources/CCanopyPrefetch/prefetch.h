// Cache prefetch hints for the aggregation hot path (Swift has no prefetch intrinsic).
#ifndef CANOPY_PREFETCH_H
#define CANOPY_PREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for writing, so that the miss overlaps other work.
static inline void canopy_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
