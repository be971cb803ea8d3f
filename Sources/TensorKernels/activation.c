// The exponential, SiLU and row softmax. Every form computes the same operations in the same order (fused
// multiply-adds included), so the AVX-512, AVX2 and portable forms give the same bits.
#include "TensorKernels.h"
#include "isa_internal.h"
#include "activation_internal.h"

#include <immintrin.h>
#include <math.h>

// exp(x) = 2^n · e^r, n = round(x / ln 2), r = x − n·ln 2 (ln 2 split in two for accuracy), e^r by a degree-6
// polynomial on |r| ≤ ln 2 / 2 (Cephes' expf coefficients). x is clamped to [-87.33, 88.02] so that 2^n stays a
// normal float: below, results are within 2^-126 of zero; above, e^88.02.
#define EXP_LOW -87.3365402f
#define EXP_HIGH 88.0296936f
#define LOG2E 1.44269504088896341f
#define LN2_HIGH 0.693359375f
#define LN2_LOW -2.12194440e-4f
#define P0 1.9875691500e-4f
#define P1 1.3981999507e-3f
#define P2 8.3334519073e-3f
#define P3 4.1665795894e-2f
#define P4 1.6666665459e-1f
#define P5 5.0000001201e-1f

float sgid_exp_scalar(float x) {
    x = fminf(fmaxf(x, EXP_LOW), EXP_HIGH);
    float n = nearbyintf(x * LOG2E);
    float r = fmaf(-n, LN2_HIGH, x);
    r = fmaf(-n, LN2_LOW, r);
    float z = r * r;
    float y = fmaf(P0, r, P1);
    y = fmaf(y, r, P2);
    y = fmaf(y, r, P3);
    y = fmaf(y, r, P4);
    y = fmaf(y, r, P5);
    y = fmaf(y, z, r);
    y = y + 1.0f;
    union { uint32_t bits; float value; } scale = {.bits = (uint32_t)((int32_t)n + 127) << 23};
    return y * scale.value;
}

SGID_AVX512 __m512 sgid_exp512(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(EXP_LOW)), _mm512_set1_ps(EXP_HIGH));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_HIGH), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_LOW), r);
    __m512 z = _mm512_mul_ps(r, r);
    __m512 y = _mm512_fmadd_ps(_mm512_set1_ps(P0), r, _mm512_set1_ps(P1));
    y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(P2));
    y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(P3));
    y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(P4));
    y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(P5));
    y = _mm512_fmadd_ps(y, z, r);
    y = _mm512_add_ps(y, _mm512_set1_ps(1.0f));
    __m512i bits = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
    return _mm512_mul_ps(y, _mm512_castsi512_ps(bits));
}

SGID_AVX2 __m256 sgid_exp256(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(EXP_LOW)), _mm256_set1_ps(EXP_HIGH));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HIGH), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LOW), r);
    __m256 z = _mm256_mul_ps(r, r);
    __m256 y = _mm256_fmadd_ps(_mm256_set1_ps(P0), r, _mm256_set1_ps(P1));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P2));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P3));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P4));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P5));
    y = _mm256_fmadd_ps(y, z, r);
    y = _mm256_add_ps(y, _mm256_set1_ps(1.0f));
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}

float sgid_silu_scalar(float x) { return x / (1.0f + sgid_exp_scalar(-x)); }

SGID_AVX512 __m512 sgid_silu512(__m512 x) {
    __m512 e = sgid_exp512(_mm512_sub_ps(_mm512_setzero_ps(), x));
    return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

SGID_AVX2 __m256 sgid_silu256(__m256 x) {
    __m256 e = sgid_exp256(_mm256_sub_ps(_mm256_setzero_ps(), x));
    return _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

SGID_AVX512 static void exp_avx512(const float *input, float *output, size_t count, int silu) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512 x = _mm512_loadu_ps(input + i);
        _mm512_storeu_ps(output + i, silu ? sgid_silu512(x) : sgid_exp512(x));
    }
    for (; i < count; i++) output[i] = silu ? sgid_silu_scalar(input[i]) : sgid_exp_scalar(input[i]);
}

SGID_AVX2 static void exp_avx2(const float *input, float *output, size_t count, int silu) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 x = _mm256_loadu_ps(input + i);
        _mm256_storeu_ps(output + i, silu ? sgid_silu256(x) : sgid_exp256(x));
    }
    for (; i < count; i++) output[i] = silu ? sgid_silu_scalar(input[i]) : sgid_exp_scalar(input[i]);
}

static void exp_any(const float *input, float *output, size_t count, int silu) {
    switch (sgid_tensor_isa()) {
    case SGID_ISA_AVX512: exp_avx512(input, output, count, silu); break;
    case SGID_ISA_AVX2: exp_avx2(input, output, count, silu); break;
    default:
        for (size_t i = 0; i < count; i++) output[i] = silu ? sgid_silu_scalar(input[i]) : sgid_exp_scalar(input[i]);
    }
}

void sgid_exp(const float *input, float *output, size_t count) { exp_any(input, output, count, 0); }

void sgid_silu(const float *input, float *output, size_t count) { exp_any(input, output, count, 1); }

// Softmax of one row: max (exact in any order), y = fma(x, scale, −max·scale), exp, the sum in double in 32 lanes
// (lane l takes the columns ≡ l mod 32, in order; total = lane 0 + … + lane 31: independent chains for the vector
// forms), then y · (1 / sum).

static void softmax_tail(const float *values, int from, int columns, double *lanes) {
    for (int c = from; c < columns; c++) lanes[c % 32] += values[c];
}

static float softmax_inverse(const double *lanes) {
    double sum = 0;
    for (int l = 0; l < 32; l++) sum += lanes[l];
    return (float)(1.0 / sum);
}

/// exp(scale·x − max·scale) in place and 1 / Σ, or (with `normalize`) the normalised values.
SGID_AVX512 static float softmax_avx512(float *values, int columns, float scale, int normalize) {
    int full = columns / 32 * 32;
    __m512 top = _mm512_set1_ps(-INFINITY);
    for (int c = 0; c + 16 <= columns; c += 16) top = _mm512_max_ps(top, _mm512_loadu_ps(values + c));
    float largest = _mm512_reduce_max_ps(top);
    for (int c = columns / 16 * 16; c < columns; c++) largest = fmaxf(largest, values[c]);
    float shift = largest * scale;
    __m512 vscale = _mm512_set1_ps(scale), vshift = _mm512_set1_ps(-shift);
    __m512d l0 = _mm512_setzero_pd(), l1 = _mm512_setzero_pd(), l2 = _mm512_setzero_pd(), l3 = _mm512_setzero_pd();
    for (int c = 0; c < full; c += 32) {
        __m512 a = sgid_exp512(_mm512_fmadd_ps(_mm512_loadu_ps(values + c), vscale, vshift));
        __m512 b = sgid_exp512(_mm512_fmadd_ps(_mm512_loadu_ps(values + c + 16), vscale, vshift));
        _mm512_storeu_ps(values + c, a);
        _mm512_storeu_ps(values + c + 16, b);
        l0 = _mm512_add_pd(l0, _mm512_cvtps_pd(_mm512_castps512_ps256(a)));
        l1 = _mm512_add_pd(l1, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1))));
        l2 = _mm512_add_pd(l2, _mm512_cvtps_pd(_mm512_castps512_ps256(b)));
        l3 = _mm512_add_pd(l3, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(b), 1))));
    }
    for (int c = full; c < columns; c++) values[c] = sgid_exp_scalar(__builtin_fmaf(values[c], scale, -shift));
    double lanes[32];
    _mm512_storeu_pd(lanes, l0);
    _mm512_storeu_pd(lanes + 8, l1);
    _mm512_storeu_pd(lanes + 16, l2);
    _mm512_storeu_pd(lanes + 24, l3);
    softmax_tail(values, full, columns, lanes);
    float inverse = softmax_inverse(lanes);
    if (normalize) {
        __m512 vinverse = _mm512_set1_ps(inverse);
        int c = 0;
        for (; c + 16 <= columns; c += 16) _mm512_storeu_ps(values + c, _mm512_mul_ps(_mm512_loadu_ps(values + c), vinverse));
        for (; c < columns; c++) values[c] *= inverse;
    }
    return inverse;
}

SGID_AVX2 static float softmax_avx2(float *values, int columns, float scale, int normalize) {
    int full = columns / 32 * 32;
    __m256 top = _mm256_set1_ps(-INFINITY);
    for (int c = 0; c + 8 <= columns; c += 8) top = _mm256_max_ps(top, _mm256_loadu_ps(values + c));
    float parts[8];
    _mm256_storeu_ps(parts, top);
    float largest = -INFINITY;
    for (int l = 0; l < 8; l++) largest = fmaxf(largest, parts[l]);
    for (int c = columns / 8 * 8; c < columns; c++) largest = fmaxf(largest, values[c]);
    float shift = largest * scale;
    __m256 vscale = _mm256_set1_ps(scale), vshift = _mm256_set1_ps(-shift);
    __m256d lanesVector[8];
    for (int l = 0; l < 8; l++) lanesVector[l] = _mm256_setzero_pd();
    for (int c = 0; c < full; c += 32) {
        for (int part = 0; part < 4; part++) {
            __m256 y = sgid_exp256(_mm256_fmadd_ps(_mm256_loadu_ps(values + c + 8 * part), vscale, vshift));
            _mm256_storeu_ps(values + c + 8 * part, y);
            lanesVector[2 * part] = _mm256_add_pd(lanesVector[2 * part], _mm256_cvtps_pd(_mm256_castps256_ps128(y)));
            lanesVector[2 * part + 1] = _mm256_add_pd(lanesVector[2 * part + 1], _mm256_cvtps_pd(_mm256_extractf128_ps(y, 1)));
        }
    }
    for (int c = full; c < columns; c++) values[c] = sgid_exp_scalar(__builtin_fmaf(values[c], scale, -shift));
    double lanes[32];
    for (int l = 0; l < 8; l++) _mm256_storeu_pd(lanes + 4 * l, lanesVector[l]);
    softmax_tail(values, full, columns, lanes);
    float inverse = softmax_inverse(lanes);
    if (normalize) {
        __m256 vinverse = _mm256_set1_ps(inverse);
        int c = 0;
        for (; c + 8 <= columns; c += 8) _mm256_storeu_ps(values + c, _mm256_mul_ps(_mm256_loadu_ps(values + c), vinverse));
        for (; c < columns; c++) values[c] *= inverse;
    }
    return inverse;
}

static float softmax_scalar(float *values, int columns, float scale, int normalize) {
    float largest = -INFINITY;
    for (int c = 0; c < columns; c++) largest = fmaxf(largest, values[c]);
    float shift = largest * scale;
    double lanes[32] = {0};
    for (int c = 0; c < columns; c++) {
        values[c] = sgid_exp_scalar(__builtin_fmaf(values[c], scale, -shift));
        lanes[c % 32] += values[c];
    }
    float inverse = softmax_inverse(lanes);
    if (normalize) {
        for (int c = 0; c < columns; c++) values[c] *= inverse;
    }
    return inverse;
}

float sgid_softmax_row_unnormalized(float *values, int columns, float scale) {
    switch (sgid_tensor_isa()) {
    case SGID_ISA_AVX512: return softmax_avx512(values, columns, scale, 0);
    case SGID_ISA_AVX2: return softmax_avx2(values, columns, scale, 0);
    default: return softmax_scalar(values, columns, scale, 0);
    }
}

void sgid_softmax_rows(float *matrix, int rows, int columns, float scale) {
    sgid_isa isa = sgid_tensor_isa();
    for (int row = 0; row < rows; row++) {
        float *values = matrix + (ptrdiff_t)row * columns;
        if (isa == SGID_ISA_AVX512) softmax_avx512(values, columns, scale, 1);
        else if (isa == SGID_ISA_AVX2) softmax_avx2(values, columns, scale, 1);
        else softmax_scalar(values, columns, scale, 1);
    }
}
