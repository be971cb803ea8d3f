// AVX2 form of Pillow's RGB → L conversion (Sources/Augment/Operations/Image+Grayscale.swift, luminanceRGB):
// L = (R·19595 + G·38470 + B·7471 + 0x8000) >> 16 in 32-bit lanes, eight pixels per step: the same integers.
#include "VectorKernels.h"
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include "rgb8.h"

__attribute__((target("avx2"))) static void luminance_avx2(const uint8_t *input, ptrdiff_t pixels, uint8_t *output) {
    ptrdiff_t i = 0;
    for (; i + 8 <= pixels; i += 8) {
        __m128i r, g, b;
        sgid_split_rgb8(input + 3 * i, &r, &g, &b);
        __m256i l = sgid_luminance8(_mm256_cvtepu8_epi32(r), _mm256_cvtepu8_epi32(g), _mm256_cvtepu8_epi32(b));
        __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(l), _mm256_extracti128_si256(l, 1));
        _mm_storel_epi64((__m128i *)(output + i), _mm_packus_epi16(words, words));
    }
    for (; i < pixels; i++) {
        output[i] = (uint8_t)sgid_luminance1(input + 3 * i);
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
