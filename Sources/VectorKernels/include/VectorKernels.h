// Vector kernels for CPUs that have wider instructions than the baseline the Swift modules are compiled for
// (x86-64 with SSE2 only). Each kernel computes exactly what its portable Swift counterpart computes (the same
// integer arithmetic, so the same bytes); Swift calls it only when `sgid_vector_kernels_available()` says the CPU
// runs it, and keeps its own loop otherwise.
#ifndef SGID_VECTOR_KERNELS_H
#define SGID_VECTOR_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU runs the kernels below (x86-64 with AVX2, not disabled by SGID_DISABLE_VECTOR_KERNELS=1 in the
/// environment), 0 otherwise. Decided once per process.
int sgid_vector_kernels_available(void);

/// Pillow's horizontal convolution pass for packed 3-channel rows, 22-bit fixed point (accumulator starts at 2^21,
/// result clamp(sum >> 22, 0, 255)).
/// - input: the first source row; rows are input_row_bytes apart, input_width pixels wide.
/// - output: rows × output_width × 3 bytes, rows packed.
/// - starts[x], counts[x]: first source pixel and tap count of output pixel x; taps[x * stride + t] its taps
///   (taps past counts[x] are 0).
void sgid_resample_horizontal_rgb(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t input_width,
                                  ptrdiff_t rows, uint8_t *output, ptrdiff_t output_width, const ptrdiff_t *starts,
                                  const ptrdiff_t *counts, const int32_t *taps, ptrdiff_t stride);

/// Pillow's vertical convolution pass over row segments of row_bytes bytes (any channel count): output row y is
/// clamp((2^21 + Σ_t taps[y * stride + t] · input row (starts[y] + t)) >> 22, 0, 255) byte by byte.
/// - input: the first byte of the segment in source row 0; rows are input_row_bytes apart.
/// - output: output_height × row_bytes bytes, rows packed.
void sgid_resample_vertical(const uint8_t *input, ptrdiff_t input_row_bytes, ptrdiff_t row_bytes, uint8_t *output,
                            ptrdiff_t output_height, const ptrdiff_t *starts, const ptrdiff_t *counts,
                            const int32_t *taps, ptrdiff_t stride);

/// Interleaved RGB bytes to three normalised float planes: red[i] = (float)in[3i] * scale[0] + offset[0], and so
/// on, a multiplication then an addition (never fused), as the Swift loop computes them.
void sgid_normalize_planar_rgb(const uint8_t *input, ptrdiff_t pixels, float *red, float *green, float *blue,
                               const float scale[3], const float offset[3]);

/// Pillow's RGB → L: output[i] = (R·19595 + G·38470 + B·7471 + 0x8000) >> 16 of packed RGB input.
void sgid_luminance_rgb(const uint8_t *input, ptrdiff_t pixels, uint8_t *output);

/// Pillow's affine `transform` of packed RGB with the bilinear (bicubic = 0) or bicubic (a = −1) filter: every output
/// pixel whose position (m0·(x+½) + m1·(y+½) + m2, m3·(x+½) + m4·(y+½) + m5) lies inside the input gets the
/// filtered value of the edge-clamped neighbours, in double precision as Pillow computes it; other pixels are left
/// as they are (the caller fills them). The image must be below 2^31 bytes.
void sgid_affine_rgb(const uint8_t *input, ptrdiff_t width, ptrdiff_t height, uint8_t *output, ptrdiff_t out_width,
                     ptrdiff_t out_height, const double matrix[6], int bicubic);

/// Pillow's ImageEnhance.Color on packed RGB: gray = L24 luminance, each channel clamp(gray + factor·(value − gray))
/// in single precision, truncated.
void sgid_color_enhance_rgb(const uint8_t *input, ptrdiff_t pixels, uint8_t *output, float factor);
#endif
