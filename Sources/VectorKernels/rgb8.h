// Shared by the RGB kernels: splitting eight packed RGB pixels (24 bytes) into their R, G and B bytes.
#ifndef SGID_VECTOR_RGB8_H
#define SGID_VECTOR_RGB8_H
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <stdint.h>

/// The R, G and B bytes of pixels 0–7 at `p` (24 bytes read), each in bytes 0–7 of its vector (the rest 0).
__attribute__((target("avx2"))) static inline void sgid_split_rgb8(const uint8_t *p, __m128i *red, __m128i *green,
                                                                   __m128i *blue) {
    // Byte positions of each channel within bytes 0–15 (low) and 8–23 (high); -1 gives 0.
    const __m128i red_low = _mm_setr_epi8(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i red_high = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i green_low = _mm_setr_epi8(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i green_high = _mm_setr_epi8(-1, -1, -1, -1, -1, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i blue_low = _mm_setr_epi8(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i blue_high = _mm_setr_epi8(-1, -1, -1, -1, -1, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1);
    __m128i low = _mm_loadu_si128((const __m128i *)p), high = _mm_loadu_si128((const __m128i *)(p + 8));
    *red = _mm_or_si128(_mm_shuffle_epi8(low, red_low), _mm_shuffle_epi8(high, red_high));
    *green = _mm_or_si128(_mm_shuffle_epi8(low, green_low), _mm_shuffle_epi8(high, green_high));
    *blue = _mm_or_si128(_mm_shuffle_epi8(low, blue_low), _mm_shuffle_epi8(high, blue_high));
}

/// Pillow's L24 luminance of eight pixels' channels (32-bit lanes): (R·19595 + G·38470 + B·7471 + 0x8000) >> 16.
__attribute__((target("avx2"))) static inline __m256i sgid_luminance8(__m256i r, __m256i g, __m256i b) {
    __m256i sum = _mm256_add_epi32(_mm256_add_epi32(_mm256_mullo_epi32(r, _mm256_set1_epi32(19595)),
                                                    _mm256_mullo_epi32(g, _mm256_set1_epi32(38470))),
                                   _mm256_add_epi32(_mm256_mullo_epi32(b, _mm256_set1_epi32(7471)),
                                                    _mm256_set1_epi32(0x8000)));
    return _mm256_srli_epi32(sum, 16);
}

/// L24 of one pixel (the kernels' tails).
static inline uint32_t sgid_luminance1(const uint8_t *p) {
    return ((uint32_t)p[0] * 19595 + (uint32_t)p[1] * 38470 + (uint32_t)p[2] * 7471 + 0x8000) >> 16;
}
#endif
#endif
