// PNG through libpng's full (non-simplified) API: no compositing, no gamma, raw samples handed to Swift, which applies
// Pillow's conversions. libpng reports errors by longjmp; every setjmp lives in this file, so no Swift frame is skipped.
#include "sgid_png.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} sgid_png_source;

typedef struct {
    int code;
    char message[SGID_MESSAGE_CAPACITY];
} sgid_png_status;

struct sgid_png_decoder {
    png_structp png;
    png_infop info;
    sgid_png_source source;
    sgid_png_status status;
    int height;
    int passes;
    size_t row_bytes;
    size_t expected_row_bytes;
};

static void sgid_png_copy(char *target, const char *source) {
    strncpy(target, source, SGID_MESSAGE_CAPACITY - 1);
    target[SGID_MESSAGE_CAPACITY - 1] = 0;
}

static void sgid_png_error(png_structp png, png_const_charp text) {
    sgid_png_status *status = (sgid_png_status *)png_get_error_ptr(png);
    if (status->code == SGID_OK) {
        // libpng says "Not enough image data" when the IDAT stream ends before the last row: a truncated image.
        status->code = strstr(text, "Not enough image data") ? SGID_ERR_TRUNCATED : SGID_ERR_CORRUPT;
        sgid_png_copy(status->message, text);
    }
    png_longjmp(png, 1);
}

// Warnings are ignored, as Pillow ignores them.
static void sgid_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void sgid_png_read_data(png_structp png, png_bytep target, size_t length) {
    sgid_png_source *source = (sgid_png_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) {
        sgid_png_status *status = (sgid_png_status *)png_get_error_ptr(png);
        status->code = SGID_ERR_TRUNCATED;
        snprintf(status->message, SGID_MESSAGE_CAPACITY, "data ended at byte %zu (needed %zu more)", source->size,
                 length - (source->size - source->offset));
        png_longjmp(png, 1);
    }
    memcpy(target, source->data + source->offset, length);
    source->offset += length;
}

void sgid_png_close(sgid_png_decoder *decoder) {
    if (!decoder) return;
    if (decoder->png) png_destroy_read_struct(&decoder->png, decoder->info ? &decoder->info : NULL, NULL);
    free(decoder);
}

int sgid_png_open(const uint8_t *data, size_t size, sgid_png_decoder **out, sgid_png_header *header,
                  char message[SGID_MESSAGE_CAPACITY]) {
    *out = NULL;
    memset(header, 0, sizeof(*header));
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        sgid_png_copy(message, size < 8 ? "data ended inside the PNG signature" : "not a PNG signature");
        return size < 8 ? SGID_ERR_TRUNCATED : SGID_ERR_CORRUPT;
    }
    sgid_png_decoder *decoder = calloc(1, sizeof(sgid_png_decoder));
    if (!decoder) {
        sgid_png_copy(message, "out of memory");
        return SGID_ERR_MEMORY;
    }
    decoder->source = (sgid_png_source){data, size, 0};
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &decoder->status, sgid_png_error, sgid_png_warning);
    if (decoder->png) decoder->info = png_create_info_struct(decoder->png);
    if (!decoder->png || !decoder->info) {
        sgid_png_close(decoder);
        sgid_png_copy(message, "out of memory");
        return SGID_ERR_MEMORY;
    }
    if (setjmp(png_jmpbuf(decoder->png))) {
        int code = decoder->status.code == SGID_OK ? SGID_ERR_CORRUPT : decoder->status.code;
        sgid_png_copy(message, decoder->status.message);
        sgid_png_close(decoder);
        return code;
    }
    png_set_read_fn(decoder->png, &decoder->source, sgid_png_read_data);
    // The caller enforces its own pixel limit, so libpng's 1,000,000-column cap must not pre-empt it.
    png_set_user_limits(decoder->png, 0x7fffffff, 0x7fffffff);
    png_set_benign_errors(decoder->png, 1);
    png_set_crc_action(decoder->png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_check_for_invalid_index(decoder->png, -1);
    // Every ancillary chunk but tRNS is skipped (CRC still checked); tRNS is parsed but never applied.
    png_set_keep_unknown_chunks(decoder->png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_read_info(decoder->png, decoder->info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(decoder->png, decoder->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    header->width = (int)width;
    header->height = (int)height;
    header->bit_depth = bit_depth;
    header->color_type = color_type;
    header->channels = png_get_channels(decoder->png, decoder->info);
    header->interlaced = interlace == PNG_INTERLACE_ADAM7;
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_colorp palette = NULL;
        int entries = 0;
        if (png_get_PLTE(decoder->png, decoder->info, &palette, &entries) && palette) {
            if (entries > 256) entries = 256;
            for (int i = 0; i < entries; i++) {
                header->palette[i * 3] = palette[i].red;
                header->palette[i * 3 + 1] = palette[i].green;
                header->palette[i * 3 + 2] = palette[i].blue;
            }
            header->palette_entries = entries;
        }
    }
    decoder->height = (int)height;
    decoder->expected_row_bytes = (size_t)width * (size_t)header->channels * (bit_depth == 16 ? 2 : 1);
    header->row_bytes = decoder->expected_row_bytes;
    *out = decoder;
    return SGID_OK;
}

int sgid_png_read(sgid_png_decoder *decoder, uint8_t *pixels) {
    if (setjmp(png_jmpbuf(decoder->png))) {
        if (decoder->status.code == SGID_OK) decoder->status.code = SGID_ERR_CORRUPT;
        return decoder->status.code;
    }
    // Transformations are set up only now, after the caller accepted the declared size: png_read_update_info
    // allocates row buffers sized by the declared width.
    png_byte bit_depth = png_get_bit_depth(decoder->png, decoder->info);
    if (bit_depth < 8) png_set_packing(decoder->png);
    decoder->passes = png_set_interlace_handling(decoder->png);
    png_read_update_info(decoder->png, decoder->info);
    decoder->row_bytes = png_get_rowbytes(decoder->png, decoder->info);
    if (decoder->row_bytes != decoder->expected_row_bytes) {
        sgid_png_copy(decoder->status.message, "unexpected row layout after libpng transformations");
        decoder->status.code = SGID_ERR_CORRUPT;
        return SGID_ERR_CORRUPT;
    }
    for (int pass = 0; pass < decoder->passes; pass++) {
        for (int row = 0; row < decoder->height; row++) {
            png_read_row(decoder->png, pixels + (size_t)row * decoder->row_bytes, NULL);
        }
    }
    return SGID_OK;
}

const char *sgid_png_message(const sgid_png_decoder *decoder) { return decoder->status.message; }

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
} sgid_png_sink;

static void sgid_png_write_data(png_structp png, png_bytep source, size_t length) {
    sgid_png_sink *sink = (sgid_png_sink *)png_get_io_ptr(png);
    if (length > sink->capacity - sink->size) {
        size_t capacity = sink->capacity ? sink->capacity : 4096;
        while (capacity - sink->size < length) capacity *= 2;
        uint8_t *grown = realloc(sink->data, capacity);
        if (!grown) {
            sink->failed = 1;
            png_error(png, "out of memory");
        }
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, source, length);
    sink->size += length;
}

static void sgid_png_flush(png_structp png) { (void)png; }

int sgid_png_encode(const uint8_t *pixels, int width, int height, int components, int compression_level,
                    uint8_t **output, size_t *output_size, char message[SGID_MESSAGE_CAPACITY]) {
    *output = NULL;
    *output_size = 0;
    if (width <= 0 || height <= 0 || components < 1 || components > 4 || compression_level < 0 ||
        compression_level > 9) {
        sgid_png_copy(message, "invalid encode request (size, components 1...4, compression level 0...9)");
        return SGID_ERR_ARGUMENT;
    }
    static const int color_types[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                       PNG_COLOR_TYPE_RGB_ALPHA};
    sgid_png_status status = {SGID_OK, {0}};
    sgid_png_sink sink = {NULL, 0, 0, 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &status, sgid_png_error, sgid_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, NULL);
        sgid_png_copy(message, "out of memory");
        return SGID_ERR_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        sgid_png_copy(message, status.message);
        png_destroy_write_struct(&png, &info);
        free(sink.data);
        return sink.failed ? SGID_ERR_MEMORY : SGID_ERR_CORRUPT;
    }
    png_set_write_fn(png, &sink, sgid_png_write_data, sgid_png_flush);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, color_types[components], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, compression_level);
    png_write_info(png, info);
    const size_t stride = (size_t)width * (size_t)components;
    for (int row = 0; row < height; row++) png_write_row(png, pixels + (size_t)row * stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    *output = sink.data;
    *output_size = sink.size;
    return SGID_OK;
}
