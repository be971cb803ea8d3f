#ifndef SGID_TIFF_H
#define SGID_TIFF_H
#include "sgid_status.h"

/// An open TIFF reader over an in-memory file (first directory only). Owned by C; free with sgid_tiff_close.
typedef struct sgid_tiff_decoder sgid_tiff_decoder;

/// What the first image directory declares, plus the layout sgid_tiff_read produces.
typedef struct {
    int width;
    int height;
    int bits_per_sample;
    int samples_per_pixel;
    int photometric;       ///< TIFF Photometric (0 min-is-white, 1 min-is-black, 2 RGB, 3 palette, 6 YCbCr, …)
    int planar_config;     ///< 1 contiguous, 2 separate
    int compression;       ///< TIFF Compression code
    int sample_format;     ///< 1 unsigned integer, 2 signed, 3 float
    int extra_samples;     ///< count of ExtraSamples
    int first_extra;       ///< the first ExtraSamples value (0 unspecified, 1 associated alpha, 2 unassociated)
    int tiled;
    int jpeg_rgb;          ///< 1 when JPEG-compressed YCbCr is converted to RGB by libjpeg (Pillow's setting)
    size_t row_bytes;      ///< bytes per row sgid_tiff_read writes (TIFFScanlineSize)
    uint16_t colormap[3 * 256]; ///< palette images: red, green, blue 16-bit entries (zero when absent)
} sgid_tiff_header;

/// Opens the file and reads its first directory. libtiff errors are captured through TIFFOpenOptions handlers
/// (per open, thread-safe); warnings are ignored. Data that ends early gives SGID_ERR_TRUNCATED.
/// On success *decoder is set and must be closed; on failure it is NULL and message is filled.
int sgid_tiff_open(const uint8_t *data, size_t size, sgid_tiff_decoder **decoder, sgid_tiff_header *header,
                   char message[SGID_MESSAGE_CAPACITY]);

/// Reads every strip or tile of a contiguous (planar 1) image into pixels: header.height rows of header.row_bytes.
int sgid_tiff_read(sgid_tiff_decoder *decoder, uint8_t *pixels);

/// The message of the last failure on this decoder.
const char *sgid_tiff_message(const sgid_tiff_decoder *decoder);

/// Releases the decoder.
void sgid_tiff_close(sgid_tiff_decoder *decoder);
#endif
