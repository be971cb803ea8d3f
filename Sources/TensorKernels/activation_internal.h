// The vector exponential and SiLU, shared by the kernels that fuse them (GroupNorm + SiLU).
#ifndef SGID_ACTIVATION_INTERNAL_H
#define SGID_ACTIVATION_INTERNAL_H

#include "isa_internal.h"
#include <immintrin.h>

float sgid_exp_scalar(float x);
float sgid_silu_scalar(float x);
SGID_AVX512 __m512 sgid_exp512(__m512 x);
SGID_AVX512 __m512 sgid_silu512(__m512 x);
SGID_AVX2 __m256 sgid_exp256(__m256 x);
SGID_AVX2 __m256 sgid_silu256(__m256 x);
/// exp(scale·x − max·scale) of a row in place; returns 1 / Σ (the softmax without its last multiply).
float sgid_softmax_row_unnormalized(float *values, int columns, float scale);

#endif
