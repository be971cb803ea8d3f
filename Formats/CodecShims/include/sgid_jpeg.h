#ifndef SGID_JPEG_H
#define SGID_JPEG_H
#include "sgid_status.h"

/// An open JPEG decompressor over an in-memory file. Owned by C; free with sgid_jpeg_close.
typedef struct sgid_jpeg_decoder sgid_jpeg_decoder;

/// What the JPEG header declares.
typedef struct {
    int width;
    int height;
    int components;       ///< 1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK
    int color_space;      ///< libjpeg J_COLOR_SPACE of the file
    int progressive;
    int saw_adobe_marker;
} sgid_jpeg_header;

/// The geometry chosen by sgid_jpeg_start.
typedef struct {
    int width;            ///< columns the caller receives (the requested region, scaled)
    int height;           ///< rows the caller receives
    int components;       ///< bytes per pixel: 1 (gray), 3 (RGB) or 4 (inverted CMYK as stored by Adobe)
    int scaled_width;     ///< the whole image's width at this scale
    int scaled_height;    ///< the whole image's height at this scale
    int x;                ///< scaled column of the first pixel the caller receives
    int y;                ///< scaled row of the first pixel the caller receives
} sgid_jpeg_output;

/// Reads the header. On success *decoder is set and must be closed; on failure it is NULL and message is filled.
int sgid_jpeg_open(const uint8_t *data, size_t size, sgid_jpeg_decoder **decoder, sgid_jpeg_header *header,
                   char message[SGID_MESSAGE_CAPACITY]);

/// Starts decompression at 1/scale_denom (1, 2, 4 or 8) for the rectangle (x, y, w, h) given in *scaled* output
/// coordinates (w = 0 means the whole image). Uses islow DCT.
/// exact = 1: fancy upsampling, as Pillow does, and exactly the rectangle, its pixels identical to the same pixels of
/// a full decode (one row and column of context are decoded around it and discarded).
/// exact = 0 (the fast mode): plain upsampling, and the rectangle widened to libjpeg's iMCU column boundaries and
/// decoded straight into the caller's rows (output x, y, width, height say what was returned).
int sgid_jpeg_start(sgid_jpeg_decoder *decoder, int scale_denom, int x, int y, int w, int h, int exact,
                    sgid_jpeg_output *output);

/// Decodes the started rectangle into pixels (output.height rows of row_stride bytes). Truncated data is an error.
int sgid_jpeg_read(sgid_jpeg_decoder *decoder, uint8_t *pixels, size_t row_stride);

/// Decodes the started rectangle's next `count` rows (top to bottom; at most the rows not read yet) into pixels, rows
/// row_stride bytes apart, so that a consumer can take the rectangle band by band. Truncated data is an error.
int sgid_jpeg_read_rows(sgid_jpeg_decoder *decoder, uint8_t *pixels, size_t row_stride, int count);

/// The message of the last failure on this decoder.
const char *sgid_jpeg_message(const sgid_jpeg_decoder *decoder);

/// Releases the decoder.
void sgid_jpeg_close(sgid_jpeg_decoder *decoder);

/// Encodes 8-bit pixels (components 1 or 3) as baseline JPEG; *output is malloc'd (free with sgid_free).
/// subsampling: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0 (ignored for gray).
int sgid_jpeg_encode(const uint8_t *pixels, int width, int height, int components, int quality, int subsampling,
                     int progressive, uint8_t **output, size_t *output_size, char message[SGID_MESSAGE_CAPACITY]);
#endif
