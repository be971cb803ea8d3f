// AVX2 form of Pillow's RGB → L conversion (Sources/Augment/Operations/Image+Grayscale.swift, luminanceRGB):
// L = (R·19595 + G·38470 + B·7471 + 0x8000) >> 16 in 32-bit lanes, eight pixels per step: the same integers.
#include "VectorKernels.h"
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

__attribute__((target("avx2"))) static void luminance_avx2(const uint8_t *input, ptrdiff_t pixels, uint8_t *output) {
    // Byte positions of R, G and B of pixels 0–7 within bytes 0–15 (low) and 8–23 (high); -1 gives 0.
    const __m128i red_low = _mm_setr_epi8(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i red_high = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i green_low = _mm_setr_epi8(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i green_high = _mm_setr_epi8(-1, -1, -1, -1, -1, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i blue_low = _mm_setr_epi8(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i blue_high = _mm_setr_epi8(-1, -1, -1, -1, -1, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i wr = _mm256_set1_epi32(19595), wg = _mm256_set1_epi32(38470), wb = _mm256_set1_epi32(7471);
    const __m256i rounding = _mm256_set1_epi32(0x8000);
    ptrdiff_t i = 0;
    for (; i + 8 <= pixels; i += 8) {
        const uint8_t *p = input + 3 * i;
        __m128i low = _mm_loadu_si128((const __m128i *)p), high = _mm_loadu_si128((const __m128i *)(p + 8));
        __m256i r = _mm256_cvtepu8_epi32(_mm_or_si128(_mm_shuffle_epi8(low, red_low), _mm_shuffle_epi8(high, red_high)));
        __m256i g = _mm256_cvtepu8_epi32(_mm_or_si128(_mm_shuffle_epi8(low, green_low), _mm_shuffle_epi8(high, green_high)));
        __m256i b = _mm256_cvtepu8_epi32(_mm_or_si128(_mm_shuffle_epi8(low, blue_low), _mm_shuffle_epi8(high, blue_high)));
        __m256i sum = _mm256_add_epi32(_mm256_add_epi32(_mm256_mullo_epi32(r, wr), _mm256_mullo_epi32(g, wg)),
                                       _mm256_add_epi32(_mm256_mullo_epi32(b, wb), rounding));
        __m256i l = _mm256_srli_epi32(sum, 16);  // 0…255
        __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(l), _mm256_extracti128_si256(l, 1));
        _mm_storel_epi64((__m128i *)(output + i), _mm_packus_epi16(words, words));
    }
    for (; i < pixels; i++) {
        const uint8_t *p = input + 3 * i;
        output[i] = (uint8_t)(((uint32_t)p[0] * 19595 + (uint32_t)p[1] * 38470 + (uint32_t)p[2] * 7471 + 0x8000) >> 16);
    }
}

void sgid_luminance_rgb(const uint8_t *input, ptrdiff_t pixels, uint8_t *output) {
    luminance_avx2(input, pixels, output);
}
#else
void sgid_luminance_rgb(const uint8_t *input, ptrdiff_t pixels, uint8_t *output) {
    (void)input; (void)pixels; (void)output;
    abort();
}
#endif
