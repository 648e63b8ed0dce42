#ifndef ACCESSRISK_CSYSTEMMEMORY_SHIM_H
#define ACCESSRISK_CSYSTEMMEMORY_SHIM_H
#if defined(__GLIBC__) || defined(__linux__)
#include <fcntl.h>
#include <malloc.h>
#endif

/// Hands memory the allocator holds free (in every thread's arena) back to the system. glibc keeps what a worker
/// thread freed in that thread's arena, where it still counts as resident; elsewhere this does nothing.
static inline void accessrisk_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

/// Has glibc's malloc serve large blocks (up to 32 MiB) from the heap instead of fresh mappings, and grow the heap
/// 64 MiB at a time: a large block freed is then reused by the next one instead of being unmapped and its pages
/// faulted in (and zeroed) again. Elsewhere this does nothing.
static inline void accessrisk_reuse_large_blocks(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TOP_PAD, 64 * 1024 * 1024);
#endif
}

/// Asks the processor to start loading the cache line at `address` (a hint: any address is allowed, none faults).
static inline void accessrisk_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Turns direct I/O (Linux's O_DIRECT: writes go from the caller's buffer to the device, past the page cache) on or
/// off for an open file. Returns 0 when done; -1 where the system or the file system has no direct I/O.
static inline int accessrisk_set_direct_io(int fd, int on) {
#if defined(__linux__) && (defined(O_DIRECT) || defined(__O_DIRECT))
#if defined(O_DIRECT)
    const int direct = O_DIRECT;
#else
    const int direct = __O_DIRECT;
#endif
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, on ? (flags | direct) : (flags & ~direct));
#else
    (void)fd;
    (void)on;
    return -1;
#endif
}
#endif
