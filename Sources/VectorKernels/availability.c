// Whether the CPU runs the vector kernels: checked once, cached.
#include "VectorKernels.h"
#include <stdlib.h>
#include <string.h>

static int detect(void) {
    const char *disabled = getenv("SGID_DISABLE_VECTOR_KERNELS");
    if (disabled != NULL && strcmp(disabled, "1") == 0) return 0;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

int sgid_vector_kernels_available(void) {
    // Benign race: every thread computes the same value.
    static volatile int state = -1;
    int value = state;
    if (value < 0) {
        value = detect();
        state = value;
    }
    return value;
}
