#ifndef SGID_PNG_H
#define SGID_PNG_H
#include "sgid_status.h"

/// An open PNG reader over an in-memory file. Owned by C; free with sgid_png_close.
typedef struct sgid_png_decoder sgid_png_decoder;

/// What the IHDR (and PLTE) declare, plus the layout sgid_png_read produces.
typedef struct {
    int width;
    int height;
    int bit_depth;        ///< 1, 2, 4, 8 or 16 as stored
    int color_type;       ///< PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
    int channels;         ///< samples per pixel as stored (1, 2, 3 or 4)
    int interlaced;       ///< 1 for Adam7
    size_t row_bytes;     ///< bytes per row sgid_png_read writes: sub-byte samples unpacked to one byte each,
                          ///< 16-bit samples kept big-endian
    int palette_entries;  ///< entries in PLTE (0 when absent)
    uint8_t palette[256 * 3]; ///< PLTE as RGB triples, zero beyond palette_entries
} sgid_png_header;

/// Reads the signature and every chunk up to the first IDAT. Ancillary chunks are skipped (as Pillow ignores
/// gamma, colour profiles and transparency when converting), CRC errors are errors, libpng warnings are ignored.
/// On success *decoder is set and must be closed; on failure it is NULL and message is filled.
int sgid_png_open(const uint8_t *data, size_t size, sgid_png_decoder **decoder, sgid_png_header *header,
                  char message[SGID_MESSAGE_CAPACITY]);

/// Sets up unpacking and de-interlacing, then reads the whole image into pixels: header.height rows of header.row_bytes bytes.
/// Data that ends early gives SGID_ERR_TRUNCATED. The chunks after the image data are not read.
int sgid_png_read(sgid_png_decoder *decoder, uint8_t *pixels);

/// The message of the last failure on this decoder.
const char *sgid_png_message(const sgid_png_decoder *decoder);

/// Releases the decoder.
void sgid_png_close(sgid_png_decoder *decoder);

/// Encodes 8-bit pixels (components 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) as a non-interlaced PNG with zlib level
/// compression_level (0...9) and adaptive filtering; *output is malloc'd (free with sgid_free).
int sgid_png_encode(const uint8_t *pixels, int width, int height, int components, int compression_level,
                    uint8_t **output, size_t *output_size, char message[SGID_MESSAGE_CAPACITY]);
#endif
