// AVX2 form of the collator's RGB normalisation (Sources/Loader/Collator.swift, normalizePlanar): eight pixels per
// step, de-interleaved with byte shuffles, converted, multiplied and offset in single precision. The target has
// -ffp-contract=off, so the multiply and the add stay two roundings, as in Swift.
#include "VectorKernels.h"
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

__attribute__((target("avx2"))) static void normalize_avx2(const uint8_t *input, ptrdiff_t pixels, float *red,
                                                           float *green, float *blue, const float scale[3],
                                                           const float offset[3]) {
    // Byte positions of R, G and B of pixels 0–7 within bytes 0–15 (low) and 8–23 (high); -1 gives 0.
    const __m128i red_low = _mm_setr_epi8(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i red_high = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i green_low = _mm_setr_epi8(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i green_high = _mm_setr_epi8(-1, -1, -1, -1, -1, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i blue_low = _mm_setr_epi8(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i blue_high = _mm_setr_epi8(-1, -1, -1, -1, -1, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256 a0 = _mm256_set1_ps(scale[0]), a1 = _mm256_set1_ps(scale[1]), a2 = _mm256_set1_ps(scale[2]);
    const __m256 b0 = _mm256_set1_ps(offset[0]), b1 = _mm256_set1_ps(offset[1]), b2 = _mm256_set1_ps(offset[2]);
    ptrdiff_t i = 0;
    for (; i + 8 <= pixels; i += 8) {
        const uint8_t *p = input + 3 * i;
        __m128i low = _mm_loadu_si128((const __m128i *)p), high = _mm_loadu_si128((const __m128i *)(p + 8));
        __m128i r = _mm_or_si128(_mm_shuffle_epi8(low, red_low), _mm_shuffle_epi8(high, red_high));
        __m128i g = _mm_or_si128(_mm_shuffle_epi8(low, green_low), _mm_shuffle_epi8(high, green_high));
        __m128i b = _mm_or_si128(_mm_shuffle_epi8(low, blue_low), _mm_shuffle_epi8(high, blue_high));
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
