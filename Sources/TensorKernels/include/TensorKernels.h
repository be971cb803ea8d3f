// Float32 kernels of the Tensor module: channels-last (NHWC) convolution, normalisation and activations, and the
// OpenBLAS sgemm the rest goes through. Every kernel has an AVX-512, an AVX2+FMA and a portable form, chosen once at
// run time from the CPU (SGID_TENSOR_ISA=avx512|avx2|scalar forces one, for tests and comparisons). A kernel's
// result depends only on its inputs and the form chosen, never on threads: callers split work by images.
#ifndef SGID_TENSOR_KERNELS_H
#define SGID_TENSOR_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction sets a kernel form may use.
typedef enum { SGID_ISA_SCALAR = 0, SGID_ISA_AVX2 = 1, SGID_ISA_AVX512 = 2 } sgid_isa;

/// The form the kernels use in this process (the best the CPU has, unless SGID_TENSOR_ISA says otherwise).
sgid_isa sgid_tensor_isa(void);
/// Forces a form (tests); a form the CPU lacks is lowered to the best it has. Returns the form now in use.
sgid_isa sgid_tensor_set_isa(sgid_isa isa);

// ---- BLAS --------------------------------------------------------------------------------------------------------

/// Loads OpenBLAS (libopenblas.so.0) on first use, single-threaded unless OPENBLAS_NUM_THREADS is set, with the core
/// type matching the CPU's vector width when OPENBLAS_CORETYPE is unset (Debian's 0.3.21 does not recognise recent
/// Xeons and falls back to SSE3 kernels, a fifth of the speed). Returns 0 on success; otherwise `sgid_blas_error()`
/// says why.
int sgid_blas_load(void);
/// Why loading failed (a static string), or NULL.
const char *sgid_blas_error(void);
/// OpenBLAS's name for the kernels it runs ("SkylakeX", "Haswell", …), or "" before loading.
const char *sgid_blas_core(void);
/// Row-major C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, op = transpose when the flag is non-zero; lda, ldb,
/// ldc are the row strides of A, B and C as stored. Loads OpenBLAS on first use; aborts with the reason when it cannot
/// (callers that want a typed error call `sgid_blas_load` first).
void sgid_sgemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                float beta, float *c, int ldc);

// ---- Convolution ---------------------------------------------------------------------------------------------------

/// Direct convolution, channels-last, one image. `input` is inH × inW × cin, already zero-padded so that output pixel
/// (y, x) reads rows y·stride + ky and columns x·stride + kx (ky, kx < size). `weights` is size² × cin × cout
/// (tap-major, output channels innermost); `bias` has cout values or is NULL. `output` receives outH × outW pixels of
/// `cout` values each, `outputPixelStride` floats apart (≥ cout; larger writes into a wider, concatenated tensor).
/// Each output value is bias + Σ over taps (row-major) and input channels in order.
void sgid_conv2d_nhwc(const float *input, int inH, int inW, int cin, const float *weights, const float *bias, int size,
                      int stride, float *output, int outH, int outW, int cout, int outputPixelStride);

// ---- Normalisation and activations --------------------------------------------------------------------------------

/// GroupNorm over one channels-last image of `pixels` × `channels` values (`groups` divides `channels`): per group,
/// mean and variance (biased) over its pixels and channels, accumulated in double; y = (x − mean) / sqrt(var + eps)
/// · gamma[c] + beta[c]; then SiLU (y · sigmoid(y)) when `silu` is non-zero. `input` and `output` may be the same.
/// Values are read `inputPixelStride` and written `outputPixelStride` floats apart per pixel.
void sgid_group_norm_nhwc(const float *input, int pixels, int channels, int inputPixelStride, int groups, float eps,
                          const float *gamma, const float *beta, int silu, float *output, int outputPixelStride);
/// y = x · sigmoid(x), elementwise; may run in place.
void sgid_silu(const float *input, float *output, size_t count);
/// The exponential used by the SiLU kernels (relative error below 2e-7 over the float range), for tests.
void sgid_exp(const float *input, float *output, size_t count);
/// Row-wise softmax of a rows × columns matrix in place, scaled first: softmax(scale · x), computed as
/// exp(scale·x − max·scale) · (1 / Σ), the sum in double over 32 lanes of columns (lane = column mod 32), then in lane
/// order.
void sgid_softmax_rows(float *matrix, int rows, int columns, float scale);

// ---- Attention -----------------------------------------------------------------------------------------------------

/// Whether the fused head kernel takes these sizes (tokens and head features multiples of 16).
int sgid_attention_head_supported(int tokens, int headDim);
/// One attention head, fused: out[t][0:headDim] = softmax(scale · q[t] · Kᵀ) · V for every token t. q, k, v are the
/// head's first columns of rows `stride` floats apart; out rows are `outStride` apart; `scratch` holds
/// headDim × tokens + 8 × tokens floats. Scores are Σ_d in order, outputs Σ_j in order, both from zero.
void sgid_attention_head(const float *q, const float *k, const float *v, int tokens, int headDim, int stride, float scale,
                         float *out, int outStride, float *scratch);

#ifdef __cplusplus
}
#endif
#endif
