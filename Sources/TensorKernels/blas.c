// OpenBLAS, loaded with dlopen so that its core type can be chosen before its constructor runs: Debian's 0.3.21
// picks its SSE3 "Prescott" kernels on CPUs it does not know (Sapphire/Emerald Rapids among them), a fifth of what
// the CPU's AVX-512 kernels reach. When OPENBLAS_CORETYPE is unset it is set from the CPU's vector width; when
// OPENBLAS_NUM_THREADS is unset OpenBLAS runs single-threaded (the Tensor module splits work by images itself).
#include "TensorKernels.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*sgemm_function)(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a,
                               int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef char *(*corename_function)(void);
typedef void (*threads_function)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sgemm_function sgemm;
static const char *core = "";
static const char *failure;

static void load(void) {
    __builtin_cpu_init();
    if (getenv("OPENBLAS_CORETYPE") == NULL) {
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
            && __builtin_cpu_supports("avx512dq")) {
            setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
        } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
            setenv("OPENBLAS_CORETYPE", "Haswell", 0);
        }
    }
    int single = getenv("OPENBLAS_NUM_THREADS") == NULL && getenv("OMP_NUM_THREADS") == NULL;
    if (single) setenv("OPENBLAS_NUM_THREADS", "1", 0);
    void *handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) handle = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        failure = "OpenBLAS (libopenblas.so.0) is not installed: apt-get install libopenblas-dev (scripts/setup.sh does)";
        return;
    }
    sgemm = (sgemm_function)dlsym(handle, "cblas_sgemm");
    if (sgemm == NULL) {
        failure = "libopenblas.so.0 has no cblas_sgemm";
        return;
    }
    corename_function name = (corename_function)dlsym(handle, "openblas_get_corename");
    if (name != NULL) core = name();
    threads_function threads = (threads_function)dlsym(handle, "openblas_set_num_threads");
    if (threads != NULL && single) threads(1);
}

int sgid_blas_load(void) {
    pthread_once(&once, load);
    return sgemm != NULL ? 0 : -1;
}

const char *sgid_blas_error(void) { return failure; }

const char *sgid_blas_core(void) { return core; }

void sgid_sgemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                float beta, float *c, int ldc) {
    if (sgemm == NULL && sgid_blas_load() != 0) {
        fprintf(stderr, "sgid: %s\n", failure);
        abort();
    }
    // CBLAS: 101 = row-major, 111 = no transpose, 112 = transpose.
    sgemm(101, transA ? 112 : 111, transB ? 112 : 111, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
