// Direct convolution, channels-last, one image (see TensorKernels.h). The vector forms keep a tile of PX output pixels
// × NC vectors of output channels in registers and, for every tap and input channel, broadcast one input value per
// pixel against a vector of weights: the FMAs outnumber the loads, and nothing is copied into an im2col buffer.
// Every form accumulates each output value in the same order (bias, then taps row-major, then input channels).
// Output channels beyond the last multiple of 16 (a 1- or 3-channel output convolution) go through the lane kernel
// instead: the products are accumulated in 16 lanes (lane l takes the input channels ≡ l mod 16, taps outer), and
// the output is bias + lane 0 + … + lane 15, in that order; every form computes that too.
#include "TensorKernels.h"
#include "isa_internal.h"

#include <immintrin.h>
#include <stdlib.h>

/// What a tile kernel needs: where its pixels' inputs start, how to step between them, the taps, the weights.
typedef struct {
    const float *input;      // input of the tile's first pixel at tap (0, 0)
    ptrdiff_t pixelStep;     // floats between the inputs of neighbouring output pixels (stride × cin)
    const ptrdiff_t *taps;   // offset of each tap from the pixel's (0, 0) input
    int tapCount;
    int cin;
    const float *weights;    // taps × cin × cout, at the tile's first output channel
    int cout;                // row length of the weights
    const float *bias;       // at the tile's first output channel, or NULL
    float *output;           // the tile's first pixel, first channel
    ptrdiff_t outputStride;  // floats between output pixels
} tile_job;

#define UNROLL _Pragma("clang loop unroll(full)")

#define DEFINE_TILE(NAME, TARGET, VEC, WIDTH, LOAD, STORE, ZERO, SET1, FMA, PX, NC)                                   \
    TARGET static void NAME(const tile_job *job) {                                                                   \
        VEC acc[PX][NC];                                                                                              \
        UNROLL for (int n = 0; n < NC; n++) {                                                                         \
            VEC start = job->bias != NULL ? LOAD(job->bias + WIDTH * n) : ZERO();                                     \
            UNROLL for (int p = 0; p < PX; p++) acc[p][n] = start;                                                    \
        }                                                                                                             \
        const ptrdiff_t step = job->pixelStep;                                                                        \
        for (int t = 0; t < job->tapCount; t++) {                                                                     \
            const float *x = job->input + job->taps[t];                                                               \
            const float *w = job->weights + (ptrdiff_t)t * job->cin * job->cout;                                      \
            for (int ci = 0; ci < job->cin; ci++) {                                                                   \
                VEC wv[NC];                                                                                           \
                UNROLL for (int n = 0; n < NC; n++) wv[n] = LOAD(w + (ptrdiff_t)ci * job->cout + WIDTH * n);          \
                UNROLL for (int p = 0; p < PX; p++) {                                                                 \
                    VEC xb = SET1(x[p * step + ci]);                                                                  \
                    UNROLL for (int n = 0; n < NC; n++) acc[p][n] = FMA(xb, wv[n], acc[p][n]);                        \
                }                                                                                                     \
            }                                                                                                         \
        }                                                                                                             \
        UNROLL for (int p = 0; p < PX; p++) {                                                                         \
            UNROLL for (int n = 0; n < NC; n++) STORE(job->output + p * job->outputStride + WIDTH * n, acc[p][n]);    \
        }                                                                                                             \
    }

#define DEFINE_512(PX, NC)                                                                                            \
    DEFINE_TILE(tile512_##PX##_##NC, SGID_AVX512, __m512, 16, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_setzero_ps, \
                _mm512_set1_ps, _mm512_fmadd_ps, PX, NC)
#define DEFINE_256(PX, NC)                                                                                            \
    DEFINE_TILE(tile256_##PX##_##NC, SGID_AVX2, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_setzero_ps,    \
                _mm256_set1_ps, _mm256_fmadd_ps, PX, NC)

// AVX-512 (32 registers): PX × NC accumulators + NC weights + 1 broadcast ≤ 30; the largest tiles are the fastest
// measured on 16-, 32- and 64-channel layers (more pixels per tile stopped paying off at 16 for one vector).
DEFINE_512(16, 1) DEFINE_512(8, 1) DEFINE_512(4, 1) DEFINE_512(2, 1) DEFINE_512(1, 1)
DEFINE_512(12, 2) DEFINE_512(8, 2) DEFINE_512(4, 2) DEFINE_512(2, 2) DEFINE_512(1, 2)
DEFINE_512(6, 4) DEFINE_512(4, 4) DEFINE_512(2, 4) DEFINE_512(1, 4)
// AVX2 (16 registers): ≤ 15.
DEFINE_256(6, 2) DEFINE_256(4, 2) DEFINE_256(2, 2) DEFINE_256(1, 2)
DEFINE_256(2, 4) DEFINE_256(1, 4)

typedef void (*tile_function)(const tile_job *);

/// Tile kernels of one channel-block width, largest pixel count first, ending with 1 pixel.
typedef struct {
    int channels;  // output channels per tile (NC × vector width)
    int count;
    int pixels[6];
    tile_function functions[6];
} tile_family;

static const tile_family families512[] = {
    {64, 4, {6, 4, 2, 1}, {tile512_6_4, tile512_4_4, tile512_2_4, tile512_1_4}},
    {32, 5, {12, 8, 4, 2, 1}, {tile512_12_2, tile512_8_2, tile512_4_2, tile512_2_2, tile512_1_2}},
    {16, 5, {16, 8, 4, 2, 1}, {tile512_16_1, tile512_8_1, tile512_4_1, tile512_2_1, tile512_1_1}},
};
static const tile_family families256[] = {
    {32, 2, {2, 1}, {tile256_2_4, tile256_1_4}},
    {16, 4, {6, 4, 2, 1}, {tile256_6_2, tile256_4_2, tile256_2_2, tile256_1_2}},
};

/// One output row with the vector tiles: channel blocks as wide as fit, pixels in the largest tiles that fit.
static void row_vector(const tile_family *families, int familyCount, const float *inputRow, int cin, int stride,
                       const ptrdiff_t *taps, int tapCount, const float *weights, const float *bias, float *outputRow,
                       int outW, int channels, int cout, int outputPixelStride) {
    int channel = 0;
    for (int f = 0; f < familyCount; f++) {
        const tile_family *family = &families[f];
        while (channels - channel >= family->channels) {
            int x = 0;
            for (int size = 0; size < family->count; size++) {
                while (outW - x >= family->pixels[size]) {
                    tile_job job = {
                        .input = inputRow + (ptrdiff_t)x * stride * cin, .pixelStep = (ptrdiff_t)stride * cin,
                        .taps = taps, .tapCount = tapCount, .cin = cin, .weights = weights + channel, .cout = cout,
                        .bias = bias != NULL ? bias + channel : NULL,
                        .output = outputRow + (ptrdiff_t)x * outputPixelStride + channel, .outputStride = outputPixelStride,
                    };
                    family->functions[size](&job);
                    x += family->pixels[size];
                }
            }
            channel += family->channels;
        }
    }
}

/// The portable form, one output row, the first `channels` output channels: the same sums in the same order.
static void row_scalar(const float *inputRow, int cin, int stride, const ptrdiff_t *taps, int tapCount,
                       const float *weights, const float *bias, float *outputRow, int outW, int channels, int cout,
                       int outputPixelStride) {
    for (int x = 0; x < outW; x++) {
        const float *pixel = inputRow + (ptrdiff_t)x * stride * cin;
        float *out = outputRow + (ptrdiff_t)x * outputPixelStride;
        for (int co = 0; co < channels; co++) {
            float sum = bias != NULL ? bias[co] : 0.0f;
            for (int t = 0; t < tapCount; t++) {
                const float *in = pixel + taps[t];
                const float *w = weights + (ptrdiff_t)t * cin * cout + co;
                for (int ci = 0; ci < cin; ci++) sum = __builtin_fmaf(in[ci], w[(ptrdiff_t)ci * cout], sum);
            }
            out[co] = sum;
        }
    }
}

/// Weights of output channel `co` repacked tap-major with input channels contiguous, for the lane kernel.
static void repack_channel(const float *weights, int tapCount, int cin, int cout, int co, float *out) {
    for (int t = 0; t < tapCount; t++) {
        for (int ci = 0; ci < cin; ci++) out[(ptrdiff_t)t * cin + ci] = weights[((ptrdiff_t)t * cin + ci) * cout + co];
    }
}

/// bias + lane 0 + … + lane 15, in that order.
static float lane_total(const float *lanes, const float *bias, int co) {
    float sum = bias != NULL ? bias[co] : 0.0f;
    for (int l = 0; l < 16; l++) sum += lanes[l];
    return sum;
}

SGID_AVX512 static void lanes_avx512(const float *pixel, const ptrdiff_t *taps, int tapCount, int cin, const float *w, float *lanes) {
    __m512 acc = _mm512_setzero_ps();
    int full = cin / 16 * 16;
    __mmask16 mask = (__mmask16)((1u << (cin - full)) - 1u);
    for (int t = 0; t < tapCount; t++) {
        const float *x = pixel + taps[t], *wt = w + (ptrdiff_t)t * cin;
        for (int ci = 0; ci < full; ci += 16) acc = _mm512_fmadd_ps(_mm512_loadu_ps(x + ci), _mm512_loadu_ps(wt + ci), acc);
        if (full < cin) acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, x + full), _mm512_maskz_loadu_ps(mask, wt + full), acc);
    }
    _mm512_storeu_ps(lanes, acc);
}

SGID_AVX2 static void lanes_avx2(const float *pixel, const ptrdiff_t *taps, int tapCount, int cin, const float *w, float *lanes) {
    __m256 low = _mm256_setzero_ps(), high = _mm256_setzero_ps();
    int full = cin / 16 * 16;
    float xs[16], ws[16];
    for (int t = 0; t < tapCount; t++) {
        const float *x = pixel + taps[t], *wt = w + (ptrdiff_t)t * cin;
        for (int ci = 0; ci < full; ci += 16) {
            low = _mm256_fmadd_ps(_mm256_loadu_ps(x + ci), _mm256_loadu_ps(wt + ci), low);
            high = _mm256_fmadd_ps(_mm256_loadu_ps(x + ci + 8), _mm256_loadu_ps(wt + ci + 8), high);
        }
        if (full < cin) {
            for (int l = 0; l < 16; l++) {
                xs[l] = full + l < cin ? x[full + l] : 0.0f;
                ws[l] = full + l < cin ? wt[full + l] : 0.0f;
            }
            low = _mm256_fmadd_ps(_mm256_loadu_ps(xs), _mm256_loadu_ps(ws), low);
            high = _mm256_fmadd_ps(_mm256_loadu_ps(xs + 8), _mm256_loadu_ps(ws + 8), high);
        }
    }
    _mm256_storeu_ps(lanes, low);
    _mm256_storeu_ps(lanes + 8, high);
}

static void lanes_scalar(const float *pixel, const ptrdiff_t *taps, int tapCount, int cin, const float *w, float *lanes) {
    for (int l = 0; l < 16; l++) lanes[l] = 0.0f;
    int blocks = (cin + 15) / 16;
    for (int t = 0; t < tapCount; t++) {
        const float *x = pixel + taps[t], *wt = w + (ptrdiff_t)t * cin;
        for (int b = 0; b < blocks; b++) {
            for (int l = 0; l < 16; l++) {
                int ci = 16 * b + l;
                lanes[l] = ci < cin ? __builtin_fmaf(x[ci], wt[ci], lanes[l]) : __builtin_fmaf(0.0f, 0.0f, lanes[l]);
            }
        }
    }
}

/// Output channels `first..<cout` of one row with the lane kernel.
static void row_lanes(sgid_isa isa, const float *inputRow, int cin, int stride, const ptrdiff_t *taps, int tapCount,
                      const float *repacked, int first, const float *bias, float *outputRow, int outW, int cout,
                      int outputPixelStride) {
    float lanes[16];
    for (int x = 0; x < outW; x++) {
        const float *pixel = inputRow + (ptrdiff_t)x * stride * cin;
        for (int co = first; co < cout; co++) {
            const float *w = repacked + (ptrdiff_t)(co - first) * tapCount * cin;
            if (isa == SGID_ISA_AVX512) lanes_avx512(pixel, taps, tapCount, cin, w, lanes);
            else if (isa == SGID_ISA_AVX2) lanes_avx2(pixel, taps, tapCount, cin, w, lanes);
            else lanes_scalar(pixel, taps, tapCount, cin, w, lanes);
            outputRow[(ptrdiff_t)x * outputPixelStride + co] = lane_total(lanes, bias, co);
        }
    }
}

void sgid_conv2d_nhwc(const float *input, int inH, int inW, int cin, const float *weights, const float *bias, int size,
                      int stride, float *output, int outH, int outW, int cout, int outputPixelStride) {
    (void)inH;
    ptrdiff_t taps[49];
    int tapCount = size * size;
    for (int ky = 0; ky < size; ky++) {
        for (int kx = 0; kx < size; kx++) taps[ky * size + kx] = ((ptrdiff_t)ky * inW + kx) * cin;
    }
    sgid_isa isa = sgid_tensor_isa();
    // Channels up to the last multiple of 16 by the tile kernels, the rest by the lane kernel, in every form.
    int tiled = cout / 16 * 16;
    float *repacked = NULL;
    if (tiled < cout) {
        repacked = malloc(sizeof(float) * (size_t)(cout - tiled) * tapCount * cin);
        for (int co = tiled; co < cout; co++) {
            repack_channel(weights, tapCount, cin, cout, co, repacked + (ptrdiff_t)(co - tiled) * tapCount * cin);
        }
    }
    for (int y = 0; y < outH; y++) {
        const float *inputRow = input + (ptrdiff_t)y * stride * inW * cin;
        float *outputRow = output + (ptrdiff_t)y * outW * outputPixelStride;
        if (tiled > 0) {
            if (isa == SGID_ISA_AVX512) {
                row_vector(families512, 3, inputRow, cin, stride, taps, tapCount, weights, bias, outputRow, outW, tiled, cout,
                           outputPixelStride);
            } else if (isa == SGID_ISA_AVX2) {
                row_vector(families256, 2, inputRow, cin, stride, taps, tapCount, weights, bias, outputRow, outW, tiled, cout,
                           outputPixelStride);
            } else {
                row_scalar(inputRow, cin, stride, taps, tapCount, weights, bias, outputRow, outW, tiled, cout, outputPixelStride);
            }
        }
        if (tiled < cout) {
            row_lanes(isa, inputRow, cin, stride, taps, tapCount, repacked, tiled, bias, outputRow, outW, cout, outputPixelStride);
        }
    }
    free(repacked);
}
