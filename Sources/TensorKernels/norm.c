// GroupNorm over a channels-last image, optionally followed by SiLU. Statistics: per channel, Σx and Σx² over the
// pixels in double (pixel order), then per group over its channels (channel order); mean = Σx / n, variance =
// Σx² / n − mean² (biased, as torch.nn.GroupNorm). Then y = x · scale[c] + shift[c] with scale = gamma[c] /
// sqrt(var + eps) and shift = beta[c] − mean · scale, one fused multiply-add per value, and SiLU. Every form gives
// the same bits.
#include "TensorKernels.h"
#include "activation_internal.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

SGID_AVX512 static void moments_avx512(const float *input, int pixels, int channels, int stride, double *sum, double *squares) {
    int c = 0;
    for (; c + 8 <= channels; c += 8) {
        __m512d s = _mm512_setzero_pd(), q = _mm512_setzero_pd();
        for (int p = 0; p < pixels; p++) {
            __m512d x = _mm512_cvtps_pd(_mm256_loadu_ps(input + (ptrdiff_t)p * stride + c));
            s = _mm512_add_pd(s, x);
            q = _mm512_fmadd_pd(x, x, q);
        }
        _mm512_storeu_pd(sum + c, s);
        _mm512_storeu_pd(squares + c, q);
    }
    for (; c < channels; c++) {
        double s = 0, q = 0;
        for (int p = 0; p < pixels; p++) {
            double x = input[(ptrdiff_t)p * stride + c];
            s += x;
            q = fma(x, x, q);
        }
        sum[c] = s;
        squares[c] = q;
    }
}

SGID_AVX2 static void moments_avx2(const float *input, int pixels, int channels, int stride, double *sum, double *squares) {
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
        __m256d s = _mm256_setzero_pd(), q = _mm256_setzero_pd();
        for (int p = 0; p < pixels; p++) {
            __m256d x = _mm256_cvtps_pd(_mm_loadu_ps(input + (ptrdiff_t)p * stride + c));
            s = _mm256_add_pd(s, x);
            q = _mm256_fmadd_pd(x, x, q);
        }
        _mm256_storeu_pd(sum + c, s);
        _mm256_storeu_pd(squares + c, q);
    }
    for (; c < channels; c++) {
        double s = 0, q = 0;
        for (int p = 0; p < pixels; p++) {
            double x = input[(ptrdiff_t)p * stride + c];
            s += x;
            q = fma(x, x, q);
        }
        sum[c] = s;
        squares[c] = q;
    }
}

static void moments_scalar(const float *input, int pixels, int channels, int stride, double *sum, double *squares) {
    for (int c = 0; c < channels; c++) {
        double s = 0, q = 0;
        for (int p = 0; p < pixels; p++) {
            double x = input[(ptrdiff_t)p * stride + c];
            s += x;
            q = fma(x, x, q);
        }
        sum[c] = s;
        squares[c] = q;
    }
}

SGID_AVX512 static void apply_avx512(const float *input, int pixels, int channels, int inStride, const float *scale,
                                     const float *shift, int silu, float *output, int outStride) {
    for (int p = 0; p < pixels; p++) {
        const float *x = input + (ptrdiff_t)p * inStride;
        float *y = output + (ptrdiff_t)p * outStride;
        int c = 0;
        for (; c + 16 <= channels; c += 16) {
            __m512 v = _mm512_fmadd_ps(_mm512_loadu_ps(x + c), _mm512_loadu_ps(scale + c), _mm512_loadu_ps(shift + c));
            _mm512_storeu_ps(y + c, silu ? sgid_silu512(v) : v);
        }
        for (; c < channels; c++) {
            float v = fmaf(x[c], scale[c], shift[c]);
            y[c] = silu ? sgid_silu_scalar(v) : v;
        }
    }
}

SGID_AVX2 static void apply_avx2(const float *input, int pixels, int channels, int inStride, const float *scale,
                                 const float *shift, int silu, float *output, int outStride) {
    for (int p = 0; p < pixels; p++) {
        const float *x = input + (ptrdiff_t)p * inStride;
        float *y = output + (ptrdiff_t)p * outStride;
        int c = 0;
        for (; c + 8 <= channels; c += 8) {
            __m256 v = _mm256_fmadd_ps(_mm256_loadu_ps(x + c), _mm256_loadu_ps(scale + c), _mm256_loadu_ps(shift + c));
            _mm256_storeu_ps(y + c, silu ? sgid_silu256(v) : v);
        }
        for (; c < channels; c++) {
            float v = fmaf(x[c], scale[c], shift[c]);
            y[c] = silu ? sgid_silu_scalar(v) : v;
        }
    }
}

void sgid_group_norm_nhwc(const float *input, int pixels, int channels, int inputPixelStride, int groups, float eps,
                          const float *gamma, const float *beta, int silu, float *output, int outputPixelStride) {
    double stack[2 * 512];
    double *sum = channels <= 512 ? stack : malloc(sizeof(double) * 2 * (size_t)channels);
    double *squares = sum + channels;
    float scaleStack[2 * 512];
    float *scale = channels <= 512 ? scaleStack : malloc(sizeof(float) * 2 * (size_t)channels);
    float *shift = scale + channels;
    sgid_isa isa = sgid_tensor_isa();
    if (isa == SGID_ISA_AVX512) moments_avx512(input, pixels, channels, inputPixelStride, sum, squares);
    else if (isa == SGID_ISA_AVX2) moments_avx2(input, pixels, channels, inputPixelStride, sum, squares);
    else moments_scalar(input, pixels, channels, inputPixelStride, sum, squares);
    int perGroup = channels / groups;
    double count = (double)pixels * perGroup;
    for (int g = 0; g < groups; g++) {
        double s = 0, q = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
            s += sum[c];
            q += squares[c];
        }
        double mean = s / count;
        double variance = fmax(q / count - mean * mean, 0.0);
        double inverse = 1.0 / sqrt(variance + (double)eps);
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
            double factor = inverse * gamma[c];
            scale[c] = (float)factor;
            shift[c] = (float)(beta[c] - mean * factor);
        }
    }
    if (isa == SGID_ISA_AVX512) apply_avx512(input, pixels, channels, inputPixelStride, scale, shift, silu, output, outputPixelStride);
    else if (isa == SGID_ISA_AVX2) apply_avx2(input, pixels, channels, inputPixelStride, scale, shift, silu, output, outputPixelStride);
    else {
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < channels; c++) {
                float v = fmaf(input[(ptrdiff_t)p * inputPixelStride + c], scale[c], shift[c]);
                output[(ptrdiff_t)p * outputPixelStride + c] = silu ? sgid_silu_scalar(v) : v;
            }
        }
    }
    if (sum != stack) free(sum);
    if (scale != scaleStack) free(scale);
}
