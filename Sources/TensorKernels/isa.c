// Which form of the kernels runs: chosen once from the CPU, or forced by SGID_TENSOR_ISA / sgid_tensor_set_isa.
#include "TensorKernels.h"
#include "isa_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static _Atomic int chosen = -1;

static sgid_isa best_available(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma")) {
        return SGID_ISA_AVX512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SGID_ISA_AVX2;
    return SGID_ISA_SCALAR;
}

sgid_isa sgid_tensor_set_isa(sgid_isa isa) {
    sgid_isa best = best_available();
    sgid_isa use = isa > best ? best : isa;
    atomic_store(&chosen, (int)use);
    return use;
}

sgid_isa sgid_tensor_isa(void) {
    int value = atomic_load(&chosen);
    if (value >= 0) return (sgid_isa)value;
    sgid_isa wanted = best_available();
    const char *forced = getenv("SGID_TENSOR_ISA");
    if (forced != NULL) {
        if (strcmp(forced, "scalar") == 0) wanted = SGID_ISA_SCALAR;
        else if (strcmp(forced, "avx2") == 0) wanted = SGID_ISA_AVX2;
    }
    return sgid_tensor_set_isa(wanted);
}
