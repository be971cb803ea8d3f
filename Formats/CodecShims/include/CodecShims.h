// C side of the image codecs: everything that needs setjmp/longjmp or C callbacks stays here, so no jump ever
// crosses a Swift frame. Each function returns 0 on success or a non-zero SGID_* code with a message.
#ifndef SGID_CODEC_SHIMS_H
#define SGID_CODEC_SHIMS_H
#include "sgid_jpeg.h"
#include "sgid_png.h"
#include "sgid_tiff.h"
#endif
