#ifndef ACCESSRISK_CSYSTEMMEMORY_SHIM_H
#define ACCESSRISK_CSYSTEMMEMORY_SHIM_H
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// Hands memory the allocator holds free (in every thread's arena) back to the system. glibc keeps what a worker
/// thread freed in that thread's arena, where it still counts as resident; elsewhere this does nothing.
static inline void accessrisk_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
#endif
