// AVX2 form of Pillow's ImageEnhance.Color on packed RGB (Sources/Augment/Operations/Image+Enhance.swift,
// colorEnhancedRGB): per pixel the L24 luminance, then per channel gray + factor·(value − gray) in single precision,
// clamped and truncated; eight pixels per step, the same integer and float operations (-ffp-contract=off).
#include "VectorKernels.h"
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include "rgb8.h"

__attribute__((target("avx2"))) static void color_avx2(const uint8_t *input, ptrdiff_t pixels, uint8_t *output,
                                                       float factor) {
    // Bytes 0–7 of R, G and B (after packing to 16 bytes: R0–7 G0–7 | B0–7 …) interleaved back to R G B order.
    const __m128i interleave_low = _mm_setr_epi8(0, 8, -1, 1, 9, -1, 2, 10, -1, 3, 11, -1, 4, 12, -1, 5);
    const __m128i interleave_low_blue = _mm_setr_epi8(-1, -1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1);
    const __m128i interleave_high = _mm_setr_epi8(13, -1, 6, 14, -1, 7, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i interleave_high_blue = _mm_setr_epi8(-1, 5, -1, -1, 6, -1, -1, 7, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256 w = _mm256_set1_ps(factor), zero = _mm256_setzero_ps(), top = _mm256_set1_ps(255);
    ptrdiff_t i = 0;
    for (; i + 8 <= pixels; i += 8) {
        __m128i r8, g8, b8;
        sgid_split_rgb8(input + 3 * i, &r8, &g8, &b8);
        __m256i r = _mm256_cvtepu8_epi32(r8), g = _mm256_cvtepu8_epi32(g8), b = _mm256_cvtepu8_epi32(b8);
        __m256i gray = sgid_luminance8(r, g, b);
        __m256 base = _mm256_cvtepi32_ps(gray);
        __m256i out[3];
        __m256i channels[3] = {r, g, b};
        for (int c = 0; c < 3; c++) {
            __m256 v = _mm256_add_ps(base, _mm256_mul_ps(w, _mm256_cvtepi32_ps(_mm256_sub_epi32(channels[c], gray))));
            out[c] = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(v, zero), top));
        }
        // Pack each channel's eight results to bytes: rg = R0–7 G0–7, bb = B0–7 B0–7.
        __m256i rg16 = _mm256_packus_epi32(out[0], out[1]);        // per 128-bit half: R0–3 G0–3 | R4–7 G4–7
        rg16 = _mm256_permute4x64_epi64(rg16, 0xD8);               // R0–3 R4–7 | G0–3 G4–7
        __m128i rg = _mm_packus_epi16(_mm256_castsi256_si128(rg16), _mm256_extracti128_si256(rg16, 1));  // R0–7 G0–7
        __m256i bb16 = _mm256_packus_epi32(out[2], out[2]);
        bb16 = _mm256_permute4x64_epi64(bb16, 0xD8);
        __m128i bb = _mm_packus_epi16(_mm256_castsi256_si128(bb16), _mm256_extracti128_si256(bb16, 1));
        // rg: bytes 0–7 R0–7, 8–15 G0–7; bb: bytes 0–7 B0–7 (then B0–7 again).
        __m128i first = _mm_or_si128(_mm_shuffle_epi8(rg, interleave_low), _mm_shuffle_epi8(bb, interleave_low_blue));
        __m128i second = _mm_or_si128(_mm_shuffle_epi8(rg, interleave_high), _mm_shuffle_epi8(bb, interleave_high_blue));
        uint8_t *to = output + 3 * i;
        _mm_storeu_si128((__m128i *)to, first);
        _mm_storel_epi64((__m128i *)(to + 16), second);
    }
    for (; i < pixels; i++) {
        const uint8_t *p = input + 3 * i;
        int32_t gray = (int32_t)sgid_luminance1(p);
        float base = (float)gray;
        for (int c = 0; c < 3; c++) {
            float v = base + factor * (float)((int32_t)p[c] - gray);
            v = v < 0 ? 0 : (v > 255 ? 255 : v);
            output[3 * i + c] = (uint8_t)(int32_t)v;
        }
    }
}

void sgid_color_enhance_rgb(const uint8_t *input, ptrdiff_t pixels, uint8_t *output, float factor) {
    color_avx2(input, pixels, output, factor);
}
#else
void sgid_color_enhance_rgb(const uint8_t *input, ptrdiff_t pixels, uint8_t *output, float factor) {
    (void)input; (void)pixels; (void)output; (void)factor;
    abort();
}
#endif
