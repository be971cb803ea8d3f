// One attention head, fused: for 8 queries at a time, their scores against every key (kept in cache), the row
// softmax's exponentials, and the weighted sum of the values, without the tokens × tokens matrix (4 MB for a 32 × 32
// image) going through memory. Each score is Σ_d q·k over the head's features in order; each output value
// (Σ_j e_j·v_j over the keys in order) × (1 / Σ_j e_j), the normalisation applied once per output as flash attention
// does; fused multiply-adds from zero; every form gives the same bits.
#include "TensorKernels.h"
#include "isa_internal.h"
#include "activation_internal.h"

#include <immintrin.h>

/// Scores of `rows` queries (q rows `stride` apart) against keys given transposed (kt: headDim × tokens).
SGID_AVX512 static void scores_avx512(const float *q, int stride, int rows, const float *kt, int tokens, int headDim,
                                      float *scores) {
    for (int r0 = 0; r0 < rows; r0 += 4) {
        int j = 0;
        for (; j + 64 <= tokens; j += 64) {
            __m512 acc[4][4];
            for (int r = 0; r < 4; r++)
                for (int n = 0; n < 4; n++) acc[r][n] = _mm512_setzero_ps();
            for (int d = 0; d < headDim; d++) {
                const float *row = kt + (ptrdiff_t)d * tokens + j;
                __m512 k0 = _mm512_loadu_ps(row), k1 = _mm512_loadu_ps(row + 16), k2 = _mm512_loadu_ps(row + 32),
                       k3 = _mm512_loadu_ps(row + 48);
                for (int r = 0; r < 4; r++) {
                    __m512 qb = _mm512_set1_ps(q[(ptrdiff_t)(r0 + r) * stride + d]);
                    acc[r][0] = _mm512_fmadd_ps(qb, k0, acc[r][0]);
                    acc[r][1] = _mm512_fmadd_ps(qb, k1, acc[r][1]);
                    acc[r][2] = _mm512_fmadd_ps(qb, k2, acc[r][2]);
                    acc[r][3] = _mm512_fmadd_ps(qb, k3, acc[r][3]);
                }
            }
            for (int r = 0; r < 4; r++)
                for (int n = 0; n < 4; n++) _mm512_storeu_ps(scores + (ptrdiff_t)(r0 + r) * tokens + j + 16 * n, acc[r][n]);
        }
        for (; j < tokens; j += 16) {
            __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
            for (int d = 0; d < headDim; d++) {
                __m512 kv = _mm512_loadu_ps(kt + (ptrdiff_t)d * tokens + j);
                for (int r = 0; r < 4; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(q[(ptrdiff_t)(r0 + r) * stride + d]), kv, acc[r]);
            }
            for (int r = 0; r < 4; r++) _mm512_storeu_ps(scores + (ptrdiff_t)(r0 + r) * tokens + j, acc[r]);
        }
    }
}

/// out[r][0:headDim] = Σ_j p[r][j] · v[j][0:headDim] for 8 rows.
SGID_AVX512 static void values_avx512(const float *p, int tokens, const float *v, int stride, int headDim, float *out,
                                      int outStride, const float *inverse) {
    for (int c = 0; c < headDim; c += 32) {
        int width = headDim - c >= 32 ? 2 : 1;
        __m512 acc[8][2];
        for (int r = 0; r < 8; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
        for (int j = 0; j < tokens; j++) {
            const float *row = v + (ptrdiff_t)j * stride + c;
            __m512 v0 = _mm512_loadu_ps(row), v1 = width == 2 ? _mm512_loadu_ps(row + 16) : _mm512_setzero_ps();
            for (int r = 0; r < 8; r++) {
                __m512 pb = _mm512_set1_ps(p[(ptrdiff_t)r * tokens + j]);
                acc[r][0] = _mm512_fmadd_ps(pb, v0, acc[r][0]);
                if (width == 2) acc[r][1] = _mm512_fmadd_ps(pb, v1, acc[r][1]);
            }
        }
        for (int r = 0; r < 8; r++) {
            __m512 scale = _mm512_set1_ps(inverse[r]);
            _mm512_storeu_ps(out + (ptrdiff_t)r * outStride + c, _mm512_mul_ps(acc[r][0], scale));
            if (width == 2) _mm512_storeu_ps(out + (ptrdiff_t)r * outStride + c + 16, _mm512_mul_ps(acc[r][1], scale));
        }
    }
}

SGID_AVX2 static void scores_avx2(const float *q, int stride, int rows, const float *kt, int tokens, int headDim, float *scores) {
    for (int r0 = 0; r0 < rows; r0 += 4) {
        for (int j = 0; j < tokens; j += 16) {
            __m256 acc[4][2];
            for (int r = 0; r < 4; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
            for (int d = 0; d < headDim; d++) {
                const float *row = kt + (ptrdiff_t)d * tokens + j;
                __m256 k0 = _mm256_loadu_ps(row), k1 = _mm256_loadu_ps(row + 8);
                for (int r = 0; r < 4; r++) {
                    __m256 qb = _mm256_set1_ps(q[(ptrdiff_t)(r0 + r) * stride + d]);
                    acc[r][0] = _mm256_fmadd_ps(qb, k0, acc[r][0]);
                    acc[r][1] = _mm256_fmadd_ps(qb, k1, acc[r][1]);
                }
            }
            for (int r = 0; r < 4; r++) {
                _mm256_storeu_ps(scores + (ptrdiff_t)(r0 + r) * tokens + j, acc[r][0]);
                _mm256_storeu_ps(scores + (ptrdiff_t)(r0 + r) * tokens + j + 8, acc[r][1]);
            }
        }
    }
}

SGID_AVX2 static void values_avx2(const float *p, int tokens, const float *v, int stride, int headDim, float *out, int outStride,
                                  const float *inverse) {
    for (int half = 0; half < 8; half += 4) {
        for (int c = 0; c < headDim; c += 16) {
            __m256 acc[4][2];
            for (int r = 0; r < 4; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
            for (int j = 0; j < tokens; j++) {
                const float *row = v + (ptrdiff_t)j * stride + c;
                __m256 v0 = _mm256_loadu_ps(row), v1 = _mm256_loadu_ps(row + 8);
                for (int r = 0; r < 4; r++) {
                    __m256 pb = _mm256_set1_ps(p[(ptrdiff_t)(half + r) * tokens + j]);
                    acc[r][0] = _mm256_fmadd_ps(pb, v0, acc[r][0]);
                    acc[r][1] = _mm256_fmadd_ps(pb, v1, acc[r][1]);
                }
            }
            for (int r = 0; r < 4; r++) {
                __m256 scale = _mm256_set1_ps(inverse[half + r]);
                _mm256_storeu_ps(out + (ptrdiff_t)(half + r) * outStride + c, _mm256_mul_ps(acc[r][0], scale));
                _mm256_storeu_ps(out + (ptrdiff_t)(half + r) * outStride + c + 8, _mm256_mul_ps(acc[r][1], scale));
            }
        }
    }
}

static void scores_scalar(const float *q, int stride, int rows, const float *kt, int tokens, int headDim, float *scores) {
    for (int r = 0; r < rows; r++) {
        for (int j = 0; j < tokens; j++) {
            float sum = 0.0f;
            for (int d = 0; d < headDim; d++) sum = __builtin_fmaf(q[(ptrdiff_t)r * stride + d], kt[(ptrdiff_t)d * tokens + j], sum);
            scores[(ptrdiff_t)r * tokens + j] = sum;
        }
    }
}

static void values_scalar(const float *p, int tokens, const float *v, int stride, int headDim, float *out, int outStride,
                          const float *inverse) {
    for (int r = 0; r < 8; r++) {
        for (int c = 0; c < headDim; c++) {
            float sum = 0.0f;
            for (int j = 0; j < tokens; j++) sum = __builtin_fmaf(p[(ptrdiff_t)r * tokens + j], v[(ptrdiff_t)j * stride + c], sum);
            out[(ptrdiff_t)r * outStride + c] = sum * inverse[r];
        }
    }
}

int sgid_attention_head_supported(int tokens, int headDim) { return tokens % 16 == 0 && headDim % 16 == 0 && tokens > 0; }

void sgid_attention_head(const float *q, const float *k, const float *v, int tokens, int headDim, int stride, float scale,
                         float *out, int outStride, float *scratch) {
    float *kt = scratch, *scores = scratch + (ptrdiff_t)headDim * tokens;
    for (int j = 0; j < tokens; j++)
        for (int d = 0; d < headDim; d++) kt[(ptrdiff_t)d * tokens + j] = k[(ptrdiff_t)j * stride + d];
    sgid_isa isa = sgid_tensor_isa();
    for (int r0 = 0; r0 < tokens; r0 += 8) {
        const float *queries = q + (ptrdiff_t)r0 * stride;
        if (isa == SGID_ISA_AVX512) scores_avx512(queries, stride, 8, kt, tokens, headDim, scores);
        else if (isa == SGID_ISA_AVX2) scores_avx2(queries, stride, 8, kt, tokens, headDim, scores);
        else scores_scalar(queries, stride, 8, kt, tokens, headDim, scores);
        float inverse[8];
        for (int r = 0; r < 8; r++) inverse[r] = sgid_softmax_row_unnormalized(scores + (ptrdiff_t)r * tokens, tokens, scale);
        float *target = out + (ptrdiff_t)r0 * outStride;
        if (isa == SGID_ISA_AVX512) values_avx512(scores, tokens, v, stride, headDim, target, outStride, inverse);
        else if (isa == SGID_ISA_AVX2) values_avx2(scores, tokens, v, stride, headDim, target, outStride, inverse);
        else values_scalar(scores, tokens, v, stride, headDim, target, outStride, inverse);
    }
}
