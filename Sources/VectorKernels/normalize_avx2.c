// AVX2 form of the collator's RGB normalisation (Sources/Loader/Collator.swift, normalizePlanar): eight pixels per
// step, de-interleaved with byte shuffles, converted, multiplied and offset in single precision. The target has
// -ffp-contract=off, so the multiply and the add stay two roundings, as in Swift.
#include "VectorKernels.h"
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include "rgb8.h"

__attribute__((target("avx2"))) static void normalize_avx2(const uint8_t *input, ptrdiff_t pixels, float *red,
                                                           float *green, float *blue, const float scale[3],
                                                           const float offset[3]) {
    const __m256 a0 = _mm256_set1_ps(scale[0]), a1 = _mm256_set1_ps(scale[1]), a2 = _mm256_set1_ps(scale[2]);
    const __m256 b0 = _mm256_set1_ps(offset[0]), b1 = _mm256_set1_ps(offset[1]), b2 = _mm256_set1_ps(offset[2]);
    ptrdiff_t i = 0;
    for (; i + 8 <= pixels; i += 8) {
        __m128i r, g, b;
        sgid_split_rgb8(input + 3 * i, &r, &g, &b);
        __m256 rf = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(r));
        __m256 gf = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(g));
        __m256 bf = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b));
        _mm256_storeu_ps(red + i, _mm256_add_ps(_mm256_mul_ps(rf, a0), b0));
        _mm256_storeu_ps(green + i, _mm256_add_ps(_mm256_mul_ps(gf, a1), b1));
        _mm256_storeu_ps(blue + i, _mm256_add_ps(_mm256_mul_ps(bf, a2), b2));
    }
    for (; i < pixels; i++) {
        red[i] = (float)input[3 * i] * scale[0] + offset[0];
        green[i] = (float)input[3 * i + 1] * scale[1] + offset[1];
        blue[i] = (float)input[3 * i + 2] * scale[2] + offset[2];
    }
}

void sgid_normalize_planar_rgb(const uint8_t *input, ptrdiff_t pixels, float *red, float *green, float *blue,
                               const float scale[3], const float offset[3]) {
    normalize_avx2(input, pixels, red, green, blue, scale, offset);
}
#else
void sgid_normalize_planar_rgb(const uint8_t *input, ptrdiff_t pixels, float *red, float *green, float *blue,
                               const float scale[3], const float offset[3]) {
    (void)input; (void)pixels; (void)red; (void)green; (void)blue; (void)scale; (void)offset;
    abort();
}
#endif
