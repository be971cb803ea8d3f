// AVX2 form of Pillow's bilinear and bicubic affine sampling for packed RGB (the Swift kernels are in
// Sources/Augment/Operations/InterpolationKernels.swift and AffineGeometry+Interpolated.swift). Four output pixels
// per step, one per 64-bit lane, every double operation the same as the scalar code's, in the same order (the target
// is compiled with -ffp-contract=off), so every byte is the scalar code's and therefore Pillow's.
#include "VectorKernels.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2")))

/// The source image and its limits.
typedef struct {
    const uint8_t *pixels;
    int width, height, row_bytes;
    int last_load;  // the largest byte offset a 4-byte load may start at
} source_t;

/// The clamp-and-truncate store of one filtered value.
static inline uint8_t to_byte(double v) { return v <= 0 ? 0 : (v >= 255 ? 255 : (uint8_t)v); }

static inline int clampi(int v, int low, int high) { return v < low ? low : (v > high ? high : v); }

/// Pillow's BICUBIC macro on four bytes, the coefficients in integers (exact, as in double precision).
static inline double cubic_bytes(int i1, int i2, int i3, int i4, double d) {
    int p2 = i3 - i1, p3 = 2 * (i1 - i2) + i3 - i4, p4 = i2 - i1 - i3 + i4;
    return (double)i2 + d * ((double)p2 + d * ((double)p3 + d * (double)p4));
}

/// Pillow's BICUBIC macro in its order.
static inline double cubic_doubles(double v1, double v2, double v3, double v4, double d) {
    double p1 = v2, p2 = -v1 + v3, p3 = 2 * (v1 - v2) + v3 - v4, p4 = -v1 + v2 - v3 + v4;
    return p1 + d * (p2 + d * (p3 + d * p4));
}

/// One output pixel the scalar way, for lanes whose loads could pass the end of the image.
static void sample_scalar(const source_t *s, double x, double y, int bicubic, uint8_t *to) {
    int fx = x < 0 ? -1 : (int)x, fy = y < 0 ? -1 : (int)y;
    double dx = x - (double)fx, dy = y - (double)fy;
    const uint8_t *p = s->pixels;
    if (!bicubic) {
        int x0 = clampi(fx, 0, s->width - 1) * 3, x1 = clampi(fx + 1, 0, s->width - 1) * 3;
        const uint8_t *r0 = p + clampi(fy, 0, s->height - 1) * s->row_bytes;
        const uint8_t *r1 = p + clampi(fy + 1, 0, s->height - 1) * s->row_bytes;
        for (int c = 0; c < 3; c++) {
            double a0 = r0[x0 + c], b0 = r0[x1 + c], a1 = r1[x0 + c], b1 = r1[x1 + c];
            double top = a0 + (b0 - a0) * dx, bottom = a1 + (b1 - a1) * dx;
            to[c] = to_byte(top + (bottom - top) * dy);
        }
        return;
    }
    int xs[4], w = s->width - 1, h = s->height - 1;
    for (int k = 0; k < 4; k++) xs[k] = clampi(fx - 1 + k, 0, w) * 3;
    const uint8_t *rows[4];
    for (int k = 0; k < 4; k++) rows[k] = p + clampi(fy - 1 + k, 0, h) * s->row_bytes;
    for (int c = 0; c < 3; c++) {
        double v[4];
        for (int k = 0; k < 4; k++)
            v[k] = cubic_bytes(rows[k][xs[0] + c], rows[k][xs[1] + c], rows[k][xs[2] + c], rows[k][xs[3] + c], dx);
        to[c] = to_byte(cubic_doubles(v[0], v[1], v[2], v[3], dy));
    }
}

/// Four 4-byte loads (R, G, B and the next byte) at byte offsets; `valid` lanes only (others read nothing).
AVX2 static inline __m128i gather(const source_t *s, __m128i offsets, __m128i valid) {
    return _mm_mask_i32gather_epi32(_mm_setzero_si128(), (const int *)s->pixels, offsets, valid, 1);
}

/// Channel c of gathered pixels, as doubles.
AVX2 static inline __m256d channel(__m128i pixels, int c) {
    __m128i shifted = c == 0 ? pixels : (c == 1 ? _mm_srli_epi32(pixels, 8) : _mm_srli_epi32(pixels, 16));
    return _mm256_cvtepi32_pd(_mm_and_si128(shifted, _mm_set1_epi32(0xFF)));
}

/// The four horizontal taps (12 contiguous bytes) of each lane at byte offsets `first_tap`, transposed to one vector
/// per channel whose lanes hold that lane's four tap bytes (tap k in byte k).
AVX2 static inline void load_row_taps(const uint8_t *input, __m128i first_tap, __m128i taps_of[3]) {
    const __m128i channel_major = _mm_setr_epi8(0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, -1, -1, -1, -1);
    int offsets[4];
    _mm_storeu_si128((__m128i *)offsets, first_tap);
    __m128i lane[4];
    for (int l = 0; l < 4; l++)
        lane[l] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(input + offsets[l])), channel_major);
    __m128i t0 = _mm_unpacklo_epi32(lane[0], lane[1]), t1 = _mm_unpacklo_epi32(lane[2], lane[3]);
    __m128i t2 = _mm_unpackhi_epi32(lane[0], lane[1]), t3 = _mm_unpackhi_epi32(lane[2], lane[3]);
    taps_of[0] = _mm_unpacklo_epi64(t0, t1);
    taps_of[1] = _mm_unpackhi_epi64(t0, t1);
    taps_of[2] = _mm_unpacklo_epi64(t2, t3);
}

/// Tap k (byte k) of transposed taps, as doubles.
AVX2 static inline __m256d tap(__m128i taps, int k) {
    __m128i shifted = k == 0 ? taps : (k == 1 ? _mm_srli_epi32(taps, 8) : (k == 2 ? _mm_srli_epi32(taps, 16) : taps));
    if (k == 3) return _mm256_cvtepi32_pd(_mm_srli_epi32(taps, 24));
    return _mm256_cvtepi32_pd(_mm_and_si128(shifted, _mm_set1_epi32(0xFF)));
}

AVX2 static inline __m256d neg(__m256d v) { return _mm256_xor_pd(v, _mm256_set1_pd(-0.0)); }

/// BICUBIC on four lanes, in the macro's order.
AVX2 static inline __m256d cubic4(__m256d v1, __m256d v2, __m256d v3, __m256d v4, __m256d d) {
    __m256d p2 = _mm256_add_pd(neg(v1), v3);
    __m256d p3 = _mm256_sub_pd(_mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(2), _mm256_sub_pd(v1, v2)), v3), v4);
    __m256d p4 = _mm256_add_pd(_mm256_sub_pd(_mm256_add_pd(neg(v1), v2), v3), v4);
    return _mm256_add_pd(v2, _mm256_mul_pd(d, _mm256_add_pd(p2, _mm256_mul_pd(d, _mm256_add_pd(p3, _mm256_mul_pd(d, p4))))));
}

/// Clamp to 0…255 and truncate, four lanes.
AVX2 static inline __m128i to_bytes4(__m256d v) {
    v = _mm256_min_pd(_mm256_max_pd(v, _mm256_setzero_pd()), _mm256_set1_pd(255));
    return _mm256_cvttpd_epi32(v);
}

AVX2 static inline __m128i clamp4(__m128i v, int high) {
    return _mm_min_epi32(_mm_max_epi32(v, _mm_setzero_si128()), _mm_set1_epi32(high));
}

AVX2 static void affine_rgb_avx2(const uint8_t *input, int width, int height, uint8_t *output, int out_width,
                                 int out_height, const double m[6], int bicubic) {
    source_t s = {input, width, height, width * 3, width * height * 3 - 4};
    const int padded = (out_width + 3) & ~3;
    double *terms = aligned_alloc(32, (size_t)padded * 2 * sizeof(double) + 64);
    if (terms == NULL) abort();
    double *col_x = terms, *col_y = terms + padded;
    for (int x = 0; x < padded; x++) {
        double cx = (double)x + 0.5;
        col_x[x] = m[0] * cx;
        col_y[x] = m[3] * cx;
    }
    const __m256d zero = _mm256_setzero_pd(), half = _mm256_set1_pd(0.5);
    const __m256d w = _mm256_set1_pd((double)width), h = _mm256_set1_pd((double)height);
    const __m256d c_term = _mm256_set1_pd(m[2]), f_term = _mm256_set1_pd(m[5]);
    const __m128i row_bytes = _mm_set1_epi32(s.row_bytes), three = _mm_set1_epi32(3);
    const __m128i last_load = _mm_set1_epi32(s.last_load);
    for (int y = 0; y < out_height; y++) {
        double cy = (double)y + 0.5;
        const __m256d row_x = _mm256_set1_pd(m[1] * cy), row_y = _mm256_set1_pd(m[4] * cy);
        uint8_t *out_row = output + (size_t)y * out_width * 3;
        for (int x = 0; x < out_width; x += 4) {
            int lanes = out_width - x < 4 ? out_width - x : 4;
            __m256d sx = _mm256_add_pd(_mm256_add_pd(_mm256_load_pd(col_x + x), row_x), c_term);
            __m256d sy = _mm256_add_pd(_mm256_add_pd(_mm256_load_pd(col_y + x), row_y), f_term);
            __m256d inside = _mm256_and_pd(_mm256_and_pd(_mm256_cmp_pd(sx, zero, _CMP_GE_OQ), _mm256_cmp_pd(sx, w, _CMP_LT_OQ)),
                                           _mm256_and_pd(_mm256_cmp_pd(sy, zero, _CMP_GE_OQ), _mm256_cmp_pd(sy, h, _CMP_LT_OQ)));
            int mask = _mm256_movemask_pd(inside) & ((1 << lanes) - 1);
            if (mask == 0) continue;
            __m256d xs = _mm256_sub_pd(sx, half), ys = _mm256_sub_pd(sy, half);
            // Pillow's FLOOR of a position ≥ −½ (outside lanes: any value, clamped below before use).
            __m256d flx = _mm256_floor_pd(_mm256_blendv_pd(zero, xs, inside));
            __m256d fly = _mm256_floor_pd(_mm256_blendv_pd(zero, ys, inside));
            __m128i fx = _mm256_cvttpd_epi32(flx), fy = _mm256_cvttpd_epi32(fly);
            __m256d dx = _mm256_sub_pd(xs, _mm256_cvtepi32_pd(fx)), dy = _mm256_sub_pd(ys, _mm256_cvtepi32_pd(fy));
            // The inside mask as four 32-bit lanes (the low halves of the 64-bit ones).
            __m128i valid = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
                _mm256_castpd_si256(inside), _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6)));
            valid = _mm_and_si128(valid, _mm_setr_epi32(lanes > 0 ? -1 : 0, lanes > 1 ? -1 : 0, lanes > 2 ? -1 : 0,
                                                        lanes > 3 ? -1 : 0));
            int dy_zero = (_mm256_movemask_pd(_mm256_cmp_pd(dy, zero, _CMP_EQ_OQ)) & mask) == mask;
            int dx_zero = (_mm256_movemask_pd(_mm256_cmp_pd(dx, zero, _CMP_EQ_OQ)) & mask) == mask;
            const int taps = bicubic ? 4 : 2, first = bicubic ? -1 : 0;
            __m128i cols[4], rows[4];
            for (int k = 0; k < taps; k++) {
                cols[k] = _mm_mullo_epi32(clamp4(_mm_add_epi32(fx, _mm_set1_epi32(first + k)), width - 1), three);
                rows[k] = _mm_mullo_epi32(clamp4(_mm_add_epi32(fy, _mm_set1_epi32(first + k)), height - 1), row_bytes);
            }
            // Lanes whose loads could pass the image's end go the scalar way.
            __m128i far = _mm_add_epi32(rows[taps - 1], cols[taps - 1]);
            int unsafe = _mm_movemask_ps(_mm_castsi128_ps(_mm_and_si128(_mm_cmpgt_epi32(far, last_load), valid)));
            __m128i vector_lanes = _mm_andnot_si128(_mm_cmpgt_epi32(far, last_load), valid);
            __m256d result[3];
            // With a zero fraction on an axis the scalar code's result is the other axis's interpolation alone
            // (the full formula gives the same value); only the taps that matter are loaded.
            if (!bicubic) {
                if (dy_zero) {
                    __m128i p0 = gather(&s, _mm_add_epi32(rows[0], cols[0]), vector_lanes);
                    __m128i p1 = gather(&s, _mm_add_epi32(rows[0], cols[1]), vector_lanes);
                    for (int c = 0; c < 3; c++) {
                        __m256d a0 = channel(p0, c), b0 = channel(p1, c);
                        result[c] = _mm256_add_pd(a0, _mm256_mul_pd(_mm256_sub_pd(b0, a0), dx));
                    }
                } else if (dx_zero) {
                    __m128i p0 = gather(&s, _mm_add_epi32(rows[0], cols[0]), vector_lanes);
                    __m128i p1 = gather(&s, _mm_add_epi32(rows[1], cols[0]), vector_lanes);
                    for (int c = 0; c < 3; c++) {
                        __m256d top = channel(p0, c), bottom = channel(p1, c);
                        result[c] = _mm256_add_pd(top, _mm256_mul_pd(_mm256_sub_pd(bottom, top), dy));
                    }
                } else {
                    __m128i p00 = gather(&s, _mm_add_epi32(rows[0], cols[0]), vector_lanes);
                    __m128i p01 = gather(&s, _mm_add_epi32(rows[0], cols[1]), vector_lanes);
                    __m128i p10 = gather(&s, _mm_add_epi32(rows[1], cols[0]), vector_lanes);
                    __m128i p11 = gather(&s, _mm_add_epi32(rows[1], cols[1]), vector_lanes);
                    for (int c = 0; c < 3; c++) {
                        __m256d a0 = channel(p00, c), b0 = channel(p01, c), a1 = channel(p10, c), b1 = channel(p11, c);
                        __m256d top = _mm256_add_pd(a0, _mm256_mul_pd(_mm256_sub_pd(b0, a0), dx));
                        __m256d bottom = _mm256_add_pd(a1, _mm256_mul_pd(_mm256_sub_pd(b1, a1), dx));
                        result[c] = _mm256_add_pd(top, _mm256_mul_pd(_mm256_sub_pd(bottom, top), dy));
                    }
                }
            } else {
                // Lanes whose four tap columns need no clamping and whose 16-byte row loads stay in the image read
                // each row's taps as 12 contiguous bytes (one load per lane) instead of gathering tap by tap.
                __m128i interior_x = _mm_and_si128(_mm_cmpgt_epi32(fx, _mm_set1_epi32(0)),
                                                   _mm_cmplt_epi32(fx, _mm_set1_epi32(width - 2)));
                __m128i interior_y = _mm_and_si128(_mm_cmpgt_epi32(fy, _mm_set1_epi32(0)),
                                                   _mm_cmplt_epi32(fy, _mm_set1_epi32(height - 2)));
                __m128i limit = _mm_set1_epi32(s.last_load + 4 - 16);
                int all_lanes = mask == 15;
                if (dy_zero) {
                    __m128i first_tap = _mm_add_epi32(rows[1], cols[0]);
                    __m128i ok = _mm_andnot_si128(_mm_cmpgt_epi32(first_tap, limit), interior_x);
                    if (all_lanes && _mm_movemask_ps(_mm_castsi128_ps(ok)) == 15) {
                        __m128i taps_of[3];
                        load_row_taps(input, first_tap, taps_of);
                        for (int c = 0; c < 3; c++)
                            result[c] = cubic4(tap(taps_of[c], 0), tap(taps_of[c], 1), tap(taps_of[c], 2), tap(taps_of[c], 3), dx);
                    } else {
                        __m128i p[4];
                        for (int k = 0; k < 4; k++) p[k] = gather(&s, _mm_add_epi32(rows[1], cols[k]), vector_lanes);
                        for (int c = 0; c < 3; c++)
                            result[c] = cubic4(channel(p[0], c), channel(p[1], c), channel(p[2], c), channel(p[3], c), dx);
                    }
                } else if (dx_zero) {
                    __m128i p[4];
                    for (int k = 0; k < 4; k++) p[k] = gather(&s, _mm_add_epi32(rows[k], cols[1]), vector_lanes);
                    for (int c = 0; c < 3; c++)
                        result[c] = cubic4(channel(p[0], c), channel(p[1], c), channel(p[2], c), channel(p[3], c), dy);
                } else {
                    __m256d v[3][4];
                    __m128i first_tap = _mm_add_epi32(rows[0], cols[0]);
                    __m128i last_row = _mm_add_epi32(first_tap, _mm_set1_epi32(3 * s.row_bytes));
                    __m128i ok = _mm_andnot_si128(_mm_cmpgt_epi32(last_row, limit), _mm_and_si128(interior_x, interior_y));
                    if (all_lanes && _mm_movemask_ps(_mm_castsi128_ps(ok)) == 15) {
                        for (int r = 0; r < 4; r++) {
                            __m128i taps_of[3];
                            load_row_taps(input, _mm_add_epi32(first_tap, _mm_set1_epi32(r * s.row_bytes)), taps_of);
                            for (int c = 0; c < 3; c++)
                                v[c][r] = cubic4(tap(taps_of[c], 0), tap(taps_of[c], 1), tap(taps_of[c], 2),
                                                 tap(taps_of[c], 3), dx);
                        }
                    } else {
                        for (int r = 0; r < 4; r++) {
                            __m128i p[4];
                            for (int k = 0; k < 4; k++) p[k] = gather(&s, _mm_add_epi32(rows[r], cols[k]), vector_lanes);
                            for (int c = 0; c < 3; c++)
                                v[c][r] = cubic4(channel(p[0], c), channel(p[1], c), channel(p[2], c), channel(p[3], c), dx);
                        }
                    }
                    for (int c = 0; c < 3; c++) result[c] = cubic4(v[c][0], v[c][1], v[c][2], v[c][3], dy);
                }
            }
            __m128i red = to_bytes4(result[0]), green = to_bytes4(result[1]), blue = to_bytes4(result[2]);
            uint8_t *first_out = out_row + (size_t)x * 3;
            if (mask == 15 && !unsafe) {
                // Four whole pixels: R | G << 8 | B << 16 per lane, the fourth bytes squeezed out, 12 bytes stored.
                __m128i packed = _mm_or_si128(red, _mm_or_si128(_mm_slli_epi32(green, 8), _mm_slli_epi32(blue, 16)));
                packed = _mm_shuffle_epi8(packed, _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1));
                _mm_storel_epi64((__m128i *)first_out, packed);
                uint32_t tail = (uint32_t)_mm_extract_epi32(packed, 2);
                memcpy(first_out + 8, &tail, 4);
                continue;
            }
            int bytes[3][4];
            _mm_storeu_si128((__m128i *)bytes[0], red);
            _mm_storeu_si128((__m128i *)bytes[1], green);
            _mm_storeu_si128((__m128i *)bytes[2], blue);
            double xs_lanes[4], ys_lanes[4];
            if (unsafe) {
                _mm256_storeu_pd(xs_lanes, xs);
                _mm256_storeu_pd(ys_lanes, ys);
            }
            for (int lane = 0; lane < lanes; lane++) {
                if (!(mask >> lane & 1)) continue;
                uint8_t *to = out_row + (size_t)(x + lane) * 3;
                if (unsafe >> lane & 1) {
                    sample_scalar(&s, xs_lanes[lane], ys_lanes[lane], bicubic, to);
                } else {
                    to[0] = (uint8_t)bytes[0][lane];
                    to[1] = (uint8_t)bytes[1][lane];
                    to[2] = (uint8_t)bytes[2][lane];
                }
            }
        }
    }
    free(terms);
}

void sgid_affine_rgb(const uint8_t *input, ptrdiff_t width, ptrdiff_t height, uint8_t *output, ptrdiff_t out_width,
                     ptrdiff_t out_height, const double matrix[6], int bicubic) {
    affine_rgb_avx2(input, (int)width, (int)height, output, (int)out_width, (int)out_height, matrix, bicubic);
}
#else
void sgid_affine_rgb(const uint8_t *input, ptrdiff_t width, ptrdiff_t height, uint8_t *output, ptrdiff_t out_width,
                     ptrdiff_t out_height, const double matrix[6], int bicubic) {
    (void)input; (void)width; (void)height; (void)output; (void)out_width; (void)out_height; (void)matrix; (void)bicubic;
    abort();
}
#endif
