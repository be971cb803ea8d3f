// AVX2 forms of the two convolution passes of Pillow's resize (Sources/Augment/ResampleKernels.swift holds the
// portable forms and the description of the arithmetic). Integer multiply-adds in 32-bit lanes: the same sums as
// the scalar loops, so the same bytes.
#include "VectorKernels.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2")))
#define HALF (1 << 21)
#define PRECISION 22

static inline uint8_t clip(int32_t sum) {
    int32_t value = sum >> PRECISION;
    return value < 0 ? 0 : (value > 255 ? 255 : (uint8_t)value);
}

/// One output pixel the scalar way (the row's edges, where a four-byte load could leave the row).
static inline void horizontal_pixel(const uint8_t *row, uint8_t *out, ptrdiff_t start, ptrdiff_t count,
                                    const int32_t *k) {
    int32_t s0 = HALF, s1 = HALF, s2 = HALF;
    const uint8_t *p = row + start * 3;
    for (ptrdiff_t t = 0; t < count; t++) {
        s0 += (int32_t)p[3 * t] * k[t];
        s1 += (int32_t)p[3 * t + 1] * k[t];
        s2 += (int32_t)p[3 * t + 2] * k[t];
    }
    out[0] = clip(s0);
    out[1] = clip(s1);
    out[2] = clip(s2);
}

/// One row of the horizontal pass, one output pixel per iteration, two taps per step: an 8-byte load at tap t holds
/// the RGB of taps t and t + 1 (and two bytes of t + 2), widened to eight 32-bit lanes and multiplied by that pixel's
/// pre-expanded weights (k[t] ×3, k[t+1] ×3, 0, 0); at the end lanes 3–5 are added onto lanes 0–2. Pixels whose
/// 8-byte reads could pass the row's end take the scalar loop. Always inlined, so that a constant `pairs` unrolls
/// the tap loop.
AVX2 static inline __attribute__((always_inline)) void horizontal_rgb_row(
    const uint8_t *row, ptrdiff_t input_width, uint8_t *out, ptrdiff_t output_width, const ptrdiff_t *starts,
    const ptrdiff_t *counts, const int32_t *taps, ptrdiff_t stride, const __m256i *weights, const ptrdiff_t pairs) {
    const __m256i half = _mm256_setr_epi32(HALF, HALF, HALF, 0, 0, 0, 0, 0);
    const __m256i upper = _mm256_setr_epi32(3, 4, 5, 6, 7, 7, 7, 7);
    for (ptrdiff_t x = 0; x < output_width; x++) {
        ptrdiff_t start = starts[x];
        if (start + 2 * pairs >= input_width) {
            horizontal_pixel(row, out + 3 * x, start, counts[x], taps + x * stride);
            continue;
        }
        const uint8_t *p = row + start * 3;
        const __m256i *w = weights + x * pairs;
        __m256i sum = half;
        for (ptrdiff_t t = 0; t < pairs; t++) {
            __m128i bytes = _mm_loadl_epi64((const __m128i *)(p + 6 * t));
            sum = _mm256_add_epi32(sum, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(bytes), w[t]));
        }
        sum = _mm256_add_epi32(sum, _mm256_permutevar8x32_epi32(sum, upper));
        __m256i shifted = _mm256_srai_epi32(sum, PRECISION);
        __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(shifted), _mm256_castsi256_si128(shifted));
        uint32_t pixel = (uint32_t)_mm_cvtsi128_si32(_mm_packus_epi16(words, words));
        // Four bytes where the next pixel follows (its first byte is written after this one), three at the end.
        if (x + 1 < output_width) {
            memcpy(out + 3 * x, &pixel, 4);
        } else {
            memcpy(out + 3 * x, &pixel, 3);
        }
    }
}

/// The horizontal pass: the expanded weight table is built once per call and serves every row; rows go through
/// `horizontal_rgb_row`, specialised for the common tap counts. The pairs cover the largest tap count of any output
/// pixel, not the table's stride (`2·ceil(support) + 1` reserves one or two taps more than any pixel uses: a third
/// of the work when downscaling by 1–2×); the taps past a pixel's count are 0.
AVX2 static void horizontal_rgb_avx2(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t input_width,
                                     ptrdiff_t rows, uint8_t *output, ptrdiff_t output_width,
                                     const ptrdiff_t *starts, const ptrdiff_t *counts, const int32_t *taps,
                                     ptrdiff_t stride) {
    ptrdiff_t widest = 1;
    for (ptrdiff_t x = 0; x < output_width; x++) widest = counts[x] > widest ? counts[x] : widest;
    const ptrdiff_t pairs = (widest + 1) / 2;
    __m256i *weights = aligned_alloc(32, (size_t)(output_width * pairs) * sizeof(__m256i) + 32);
    if (weights == NULL) abort();
    for (ptrdiff_t x = 0; x < output_width; x++) {
        const int32_t *k = taps + x * stride;
        for (ptrdiff_t p = 0; p < pairs; p++) {
            int32_t first = k[2 * p], second = 2 * p + 1 < widest ? k[2 * p + 1] : 0;
            weights[x * pairs + p] = _mm256_setr_epi32(first, first, first, second, second, second, 0, 0);
        }
    }
    for (ptrdiff_t y = 0; y < rows; y++) {
        const uint8_t *row = input + y * input_row_bytes;
        uint8_t *out = output + y * output_width * 3;
#define ROW(n) horizontal_rgb_row(row, input_width, out, output_width, starts, counts, taps, stride, weights, n)
        switch (pairs) {
        case 1: ROW(1); break;
        case 2: ROW(2); break;
        case 3: ROW(3); break;
        case 4: ROW(4); break;
        default: ROW(pairs); break;
        }
#undef ROW
    }
    free(weights);
}

/// Sixteen bytes per iteration, the taps inner, the sums in registers.
AVX2 static void vertical_avx2(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t row_bytes, uint8_t *output,
                               ptrdiff_t output_height, const ptrdiff_t *starts, const ptrdiff_t *counts,
                               const int32_t *taps, ptrdiff_t stride) {
    const __m256i half = _mm256_set1_epi32(HALF);
    for (ptrdiff_t y = 0; y < output_height; y++) {
        const uint8_t *first = input + starts[y] * input_row_bytes;
        const int32_t *k = taps + y * stride;
        ptrdiff_t count = counts[y];
        uint8_t *out = output + y * row_bytes;
        ptrdiff_t i = 0;
        for (; i + 16 <= row_bytes; i += 16) {
            __m256i low = half, high = half;
            for (ptrdiff_t t = 0; t < count; t++) {
                __m128i bytes = _mm_loadu_si128((const __m128i *)(first + t * input_row_bytes + i));
                __m256i weight = _mm256_set1_epi32(k[t]);
                low = _mm256_add_epi32(low, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(bytes), weight));
                high = _mm256_add_epi32(high, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_srli_si128(bytes, 8)), weight));
            }
            __m256i words = _mm256_packs_epi32(_mm256_srai_epi32(low, PRECISION), _mm256_srai_epi32(high, PRECISION));
            // packs works within 128-bit halves: words = l0..3 h0..3 | l4..7 h4..7; restore the order.
            words = _mm256_permute4x64_epi64(words, 0xD8);
            __m128i packed = _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
            _mm_storeu_si128((__m128i *)(out + i), packed);
        }
        for (; i < row_bytes; i++) {
            int32_t sum = HALF;
            for (ptrdiff_t t = 0; t < count; t++) sum += (int32_t)first[t * input_row_bytes + i] * k[t];
            out[i] = clip(sum);
        }
    }
}

void sgid_resample_horizontal_rgb(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t input_width,
                                  ptrdiff_t rows, uint8_t *output, ptrdiff_t output_width, const ptrdiff_t *starts,
                                  const ptrdiff_t *counts, const int32_t *taps, ptrdiff_t stride) {
    horizontal_rgb_avx2(input, input_row_bytes, input_width, rows, output, output_width, starts, counts, taps, stride);
}

void sgid_resample_vertical(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t row_bytes, uint8_t *output,
                            ptrdiff_t output_height, const ptrdiff_t *starts, const ptrdiff_t *counts,
                            const int32_t *taps, ptrdiff_t stride) {
    vertical_avx2(input, input_row_bytes, row_bytes, output, output_height, starts, counts, taps, stride);
}
#else
// No vector form on this architecture: sgid_vector_kernels_available() is 0 and Swift never calls these.
void sgid_resample_horizontal_rgb(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t input_width,
                                  ptrdiff_t rows, uint8_t *output, ptrdiff_t output_width, const ptrdiff_t *starts,
                                  const ptrdiff_t *counts, const int32_t *taps, ptrdiff_t stride) {
    (void)input; (void)input_row_bytes; (void)input_width; (void)rows; (void)output; (void)output_width;
    (void)starts; (void)counts; (void)taps; (void)stride;
    abort();
}

void sgid_resample_vertical(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t row_bytes, uint8_t *output,
                            ptrdiff_t output_height, const ptrdiff_t *starts, const ptrdiff_t *counts,
                            const int32_t *taps, ptrdiff_t stride) {
    (void)input; (void)input_row_bytes; (void)row_bytes; (void)output; (void)output_height; (void)starts;
    (void)counts; (void)taps; (void)stride;
    abort();
}
#endif
