// Direct convolution, channels-last, one image (see TensorKernels.h). The vector forms keep a tile of PX output pixels
// × NC vectors of output channels in registers and, for every tap and input channel, broadcast one input value per
// pixel against a vector of weights: the FMAs outnumber the loads, and nothing is copied into an im2col buffer.
// Every form accumulates each output value in the same order (bias, then taps row-major, then input channels).
#include "TensorKernels.h"
#include "isa_internal.h"

#include <immintrin.h>

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
DEFINE_256(12, 1) DEFINE_256(8, 1) DEFINE_256(4, 1) DEFINE_256(2, 1) DEFINE_256(1, 1)
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
    {8, 5, {12, 8, 4, 2, 1}, {tile256_12_1, tile256_8_1, tile256_4_1, tile256_2_1, tile256_1_1}},
};

/// One output row with the vector tiles: channel blocks as wide as fit, pixels in the largest tiles that fit.
static void row_vector(const tile_family *families, int familyCount, const float *inputRow, int cin, int stride,
                       const ptrdiff_t *taps, int tapCount, const float *weights, const float *bias, float *outputRow,
                       int outW, int cout, int outputPixelStride) {
    int channel = 0;
    for (int f = 0; f < familyCount; f++) {
        const tile_family *family = &families[f];
        while (cout - channel >= family->channels) {
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

/// The portable form, one output row: the same sums in the same order.
static void row_scalar(const float *inputRow, int cin, int stride, const ptrdiff_t *taps, int tapCount,
                       const float *weights, const float *bias, float *outputRow, int outW, int cout,
                       int outputPixelStride) {
    for (int x = 0; x < outW; x++) {
        const float *pixel = inputRow + (ptrdiff_t)x * stride * cin;
        float *out = outputRow + (ptrdiff_t)x * outputPixelStride;
        for (int co = 0; co < cout; co++) {
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

void sgid_conv2d_nhwc(const float *input, int inH, int inW, int cin, const float *weights, const float *bias, int size,
                      int stride, float *output, int outH, int outW, int cout, int outputPixelStride) {
    (void)inH;
    ptrdiff_t taps[49];
    int tapCount = size * size;
    for (int ky = 0; ky < size; ky++) {
        for (int kx = 0; kx < size; kx++) taps[ky * size + kx] = ((ptrdiff_t)ky * inW + kx) * cin;
    }
    sgid_isa isa = sgid_tensor_isa();
    for (int y = 0; y < outH; y++) {
        const float *inputRow = input + (ptrdiff_t)y * stride * inW * cin;
        float *outputRow = output + (ptrdiff_t)y * outW * outputPixelStride;
        if (isa == SGID_ISA_AVX512 && cout % 16 == 0) {
            row_vector(families512, 3, inputRow, cin, stride, taps, tapCount, weights, bias, outputRow, outW, cout,
                       outputPixelStride);
        } else if (isa >= SGID_ISA_AVX2 && cout % 8 == 0) {
            row_vector(families256, 3, inputRow, cin, stride, taps, tapCount, weights, bias, outputRow, outW, cout,
                       outputPixelStride);
        } else {
            row_scalar(inputRow, cin, stride, taps, tapCount, weights, bias, outputRow, outW, cout, outputPixelStride);
        }
    }
}
