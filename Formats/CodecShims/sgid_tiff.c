// TIFF through libtiff over memory. libtiff reports errors through handlers, not jumps: each open installs its own
// handler (TIFFOpenOptions, libtiff >= 4.5) that records the first message in the decoder, so concurrent decodes on
// different threads never share state.
#include "sgid_tiff.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

struct sgid_tiff_decoder {
    const uint8_t *data;
    size_t size;
    size_t offset;
    TIFF *tiff;
    int code;
    char message[SGID_MESSAGE_CAPACITY];
    int height;
    size_t row_bytes;
};

static void sgid_tiff_copy(char *target, const char *source) {
    strncpy(target, source, SGID_MESSAGE_CAPACITY - 1);
    target[SGID_MESSAGE_CAPACITY - 1] = 0;
}

// Messages libtiff gives when the data runs out.
static int sgid_tiff_is_truncation(const char *text) {
    static const char *const markers[] = {"Read error", "Cannot read", "Can not read", "Not enough data", "past end", "end of file",
                                          "Unexpected end", "Premature end", "truncated", "Truncated", "EOF",
                                          "Seek error", "Incorrect count", "Failed to read"};
    for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
        if (strstr(text, markers[i])) return 1;
    }
    return 0;
}

static int sgid_tiff_error(TIFF *tiff, void *user, const char *module, const char *format, va_list arguments) {
    (void)tiff;
    sgid_tiff_decoder *decoder = (sgid_tiff_decoder *)user;
    if (decoder->code == SGID_OK) {
        char text[SGID_MESSAGE_CAPACITY];
        vsnprintf(text, sizeof(text), format, arguments);
        snprintf(decoder->message, SGID_MESSAGE_CAPACITY, "%s: %s", module ? module : "libtiff", text);
        decoder->code = sgid_tiff_is_truncation(text) ? SGID_ERR_TRUNCATED : SGID_ERR_CORRUPT;
    }
    return 1;  // handled: the process-wide handler is not called
}

static int sgid_tiff_warning(TIFF *tiff, void *user, const char *module, const char *format, va_list arguments) {
    (void)tiff; (void)user; (void)module; (void)format; (void)arguments;
    return 1;  // ignored, as Pillow ignores libtiff warnings
}

static pthread_once_t sgid_tiff_once = PTHREAD_ONCE_INIT;
// Legacy libtiff paths without a TIFF* still use the process-wide handlers, which print to stderr: silence them.
static void sgid_tiff_silence_globals(void) {
    TIFFSetWarningHandler(NULL);
    TIFFSetErrorHandler(NULL);
}

static tmsize_t sgid_tiff_read_proc(thandle_t handle, void *buffer, tmsize_t length) {
    sgid_tiff_decoder *decoder = (sgid_tiff_decoder *)handle;
    if (length < 0) return -1;
    size_t available = decoder->offset < decoder->size ? decoder->size - decoder->offset : 0;
    size_t count = (size_t)length < available ? (size_t)length : available;
    if (count) memcpy(buffer, decoder->data + decoder->offset, count);
    decoder->offset += count;
    return (tmsize_t)count;
}

static tmsize_t sgid_tiff_write_proc(thandle_t handle, void *buffer, tmsize_t length) {
    (void)handle; (void)buffer; (void)length;
    return -1;
}

static toff_t sgid_tiff_seek_proc(thandle_t handle, toff_t offset, int whence) {
    sgid_tiff_decoder *decoder = (sgid_tiff_decoder *)handle;
    uint64_t base = whence == SEEK_CUR ? decoder->offset : whence == SEEK_END ? decoder->size : 0;
    uint64_t target = base + offset;
    if (target < base) return (toff_t)-1;
    decoder->offset = (size_t)target;
    return (toff_t)target;
}

static int sgid_tiff_close_proc(thandle_t handle) { (void)handle; return 0; }

static toff_t sgid_tiff_size_proc(thandle_t handle) { return ((sgid_tiff_decoder *)handle)->size; }

static int sgid_tiff_map_proc(thandle_t handle, void **base, toff_t *size) {
    (void)handle; (void)base; (void)size;
    return 0;
}

static void sgid_tiff_unmap_proc(thandle_t handle, void *base, toff_t size) { (void)handle; (void)base; (void)size; }

static int sgid_tiff_fail(sgid_tiff_decoder *decoder, int code, const char *text) {
    if (decoder->code == SGID_OK) {
        decoder->code = code;
        sgid_tiff_copy(decoder->message, text);
    }
    return decoder->code;
}

void sgid_tiff_close(sgid_tiff_decoder *decoder) {
    if (!decoder) return;
    if (decoder->tiff) TIFFClose(decoder->tiff);
    free(decoder);
}

int sgid_tiff_open(const uint8_t *data, size_t size, sgid_tiff_decoder **out, sgid_tiff_header *header,
                   char message[SGID_MESSAGE_CAPACITY]) {
    *out = NULL;
    memset(header, 0, sizeof(*header));
    pthread_once(&sgid_tiff_once, sgid_tiff_silence_globals);
    sgid_tiff_decoder *decoder = calloc(1, sizeof(sgid_tiff_decoder));
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!decoder || !options) {
        free(decoder);
        TIFFOpenOptionsFree(options);
        sgid_tiff_copy(message, "out of memory");
        return SGID_ERR_MEMORY;
    }
    decoder->data = data;
    decoder->size = size;
    TIFFOpenOptionsSetErrorHandlerExtR(options, sgid_tiff_error, decoder);
    TIFFOpenOptionsSetWarningHandlerExtR(options, sgid_tiff_warning, decoder);
    // No single libtiff allocation (strip/tile buffers, tag arrays) may exceed 1 GiB.
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)1 << 30);
    decoder->tiff = TIFFClientOpenExt("memory", "rm", (thandle_t)decoder, sgid_tiff_read_proc, sgid_tiff_write_proc,
                                      sgid_tiff_seek_proc, sgid_tiff_close_proc, sgid_tiff_size_proc,
                                      sgid_tiff_map_proc, sgid_tiff_unmap_proc, options);
    TIFFOpenOptionsFree(options);
    if (!decoder->tiff) {
        int code = decoder->code == SGID_OK ? SGID_ERR_CORRUPT : decoder->code;
        sgid_tiff_copy(message, decoder->message[0] ? decoder->message : "libtiff could not open the file");
        sgid_tiff_close(decoder);
        return code;
    }
    TIFF *tiff = decoder->tiff;
    uint32_t width = 0, height = 0;
    uint16_t bits = 1, samples = 1, photometric = 0, planar = 1, compression = 1, sample_format = 1;
    TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
    if (!TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric)) photometric = samples >= 3 ? 2 : 1;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_COMPRESSION, &compression);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLEFORMAT, &sample_format);
    uint16_t extra_count = 0, *extra = NULL;
    if (TIFFGetField(tiff, TIFFTAG_EXTRASAMPLES, &extra_count, &extra) && extra_count > 0 && extra) {
        header->extra_samples = extra_count;
        header->first_extra = extra[0];
    }
    if (photometric == PHOTOMETRIC_PALETTE) {
        uint16_t *red = NULL, *green = NULL, *blue = NULL;
        if (bits <= 8 && TIFFGetField(tiff, TIFFTAG_COLORMAP, &red, &green, &blue) && red && green && blue) {
            int entries = 1 << bits;
            for (int i = 0; i < entries; i++) {
                header->colormap[i] = red[i];
                header->colormap[256 + i] = green[i];
                header->colormap[512 + i] = blue[i];
            }
        }
    }
    if (compression == COMPRESSION_JPEG && photometric == PHOTOMETRIC_YCBCR) {
        TIFFSetField(tiff, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        header->jpeg_rgb = 1;
    }
    header->width = (int)width;
    header->height = (int)height;
    header->bits_per_sample = bits;
    header->samples_per_pixel = samples;
    header->photometric = photometric;
    header->planar_config = planar;
    header->compression = compression;
    header->sample_format = sample_format;
    header->tiled = TIFFIsTiled(tiff) ? 1 : 0;
    header->row_bytes = (size_t)TIFFScanlineSize64(tiff);
    decoder->height = (int)height;
    decoder->row_bytes = header->row_bytes;
    if (width > 0x7fffffff || height > 0x7fffffff) {
        sgid_tiff_copy(message, "declared size does not fit in 31 bits");
        sgid_tiff_close(decoder);
        return SGID_ERR_CORRUPT;
    }
    *out = decoder;
    return SGID_OK;
}

static int sgid_tiff_check_extent(sgid_tiff_decoder *decoder, uint32_t index) {
    int error = 0;
    uint64_t offset = TIFFGetStrileOffsetWithErr(decoder->tiff, index, &error);
    uint64_t count = TIFFGetStrileByteCountWithErr(decoder->tiff, index, &error);
    if (error) return sgid_tiff_fail(decoder, SGID_ERR_CORRUPT, "missing strip or tile offsets");
    if (offset > decoder->size || count > decoder->size - offset) {
        char text[SGID_MESSAGE_CAPACITY];
        snprintf(text, sizeof(text), "strip/tile %u needs bytes up to %llu but the data ends at %zu", index,
                 (unsigned long long)(offset + count), decoder->size);
        return sgid_tiff_fail(decoder, SGID_ERR_TRUNCATED, text);
    }
    return SGID_OK;
}

static int sgid_tiff_read_strips(sgid_tiff_decoder *decoder, uint8_t *pixels) {
    TIFF *tiff = decoder->tiff;
    uint32_t rows_per_strip = 0;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_ROWSPERSTRIP, &rows_per_strip);
    if (rows_per_strip == 0 || rows_per_strip > (uint32_t)decoder->height) rows_per_strip = (uint32_t)decoder->height;
    uint32_t strips = TIFFNumberOfStrips(tiff);
    for (uint32_t row = 0, strip = 0; row < (uint32_t)decoder->height; row += rows_per_strip, strip++) {
        if (strip >= strips) return sgid_tiff_fail(decoder, SGID_ERR_CORRUPT, "fewer strips than rows need");
        if (sgid_tiff_check_extent(decoder, strip) != SGID_OK) return decoder->code;
        uint32_t rows = (uint32_t)decoder->height - row < rows_per_strip ? (uint32_t)decoder->height - row : rows_per_strip;
        tmsize_t wanted = (tmsize_t)((size_t)rows * decoder->row_bytes);
        tmsize_t got = TIFFReadEncodedStrip(tiff, strip, pixels + (size_t)row * decoder->row_bytes, wanted);
        if (got < 0 || decoder->code != SGID_OK) return sgid_tiff_fail(decoder, SGID_ERR_CORRUPT, "strip decoding failed");
        if (got < wanted) return sgid_tiff_fail(decoder, SGID_ERR_TRUNCATED, "a strip holds fewer rows than declared");
    }
    return SGID_OK;
}

static int sgid_tiff_read_tiles(sgid_tiff_decoder *decoder, uint8_t *pixels) {
    TIFF *tiff = decoder->tiff;
    uint32_t tile_width = 0, tile_height = 0, width = 0;
    TIFFGetField(tiff, TIFFTAG_TILEWIDTH, &tile_width);
    TIFFGetField(tiff, TIFFTAG_TILELENGTH, &tile_height);
    TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
    tmsize_t tile_size = TIFFTileSize(tiff);
    tmsize_t tile_row = TIFFTileRowSize(tiff);
    if (tile_width == 0 || tile_height == 0 || tile_size <= 0 || tile_row <= 0) {
        return sgid_tiff_fail(decoder, SGID_ERR_CORRUPT, "invalid tile geometry");
    }
    uint8_t *tile = malloc((size_t)tile_size);
    if (!tile) return sgid_tiff_fail(decoder, SGID_ERR_MEMORY, "out of memory");
    size_t pixel_bits = decoder->row_bytes * 8 / width;  // whole bytes per pixel for the layouts read this way
    for (uint32_t y = 0; y < (uint32_t)decoder->height; y += tile_height) {
        for (uint32_t x = 0; x < width; x += tile_width) {
            uint32_t index = TIFFComputeTile(tiff, x, y, 0, 0);
            if (sgid_tiff_check_extent(decoder, index) != SGID_OK) break;
            tmsize_t got = TIFFReadEncodedTile(tiff, index, tile, tile_size);
            if (got < 0 || decoder->code != SGID_OK) {
                sgid_tiff_fail(decoder, SGID_ERR_CORRUPT, "tile decoding failed");
                break;
            }
            uint32_t rows = (uint32_t)decoder->height - y < tile_height ? (uint32_t)decoder->height - y : tile_height;
            uint32_t columns = width - x < tile_width ? width - x : tile_width;
            size_t copy = (size_t)columns * pixel_bits / 8, left = (size_t)x * pixel_bits / 8;
            for (uint32_t r = 0; r < rows; r++) {
                memcpy(pixels + (size_t)(y + r) * decoder->row_bytes + left, tile + (size_t)r * (size_t)tile_row, copy);
            }
        }
        if (decoder->code != SGID_OK) break;
    }
    free(tile);
    return decoder->code;
}

int sgid_tiff_read(sgid_tiff_decoder *decoder, uint8_t *pixels) {
    if (decoder->code != SGID_OK) return decoder->code;
    if (decoder->row_bytes == 0) return sgid_tiff_fail(decoder, SGID_ERR_CORRUPT, "empty rows");
    return TIFFIsTiled(decoder->tiff) ? sgid_tiff_read_tiles(decoder, pixels) : sgid_tiff_read_strips(decoder, pixels);
}

const char *sgid_tiff_message(const sgid_tiff_decoder *decoder) { return decoder->message; }
