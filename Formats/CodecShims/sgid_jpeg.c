// libjpeg-turbo behind a C wall: libjpeg reports fatal errors by calling error_exit, which by default calls exit().
// Here error_exit records the message and longjmps back into the shim function that called libjpeg, which returns
// an error code. The jump never leaves this file, so no Swift frame is ever skipped.
#include "sgid_jpeg.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int code;
    char message[SGID_MESSAGE_CAPACITY];
} sgid_jpeg_errors;

struct sgid_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    sgid_jpeg_errors errors;
    int started;
    int crop_left;          // columns to skip in each decoded row (region x minus the iMCU-aligned crop start)
    int read_y;             // first decoded row (region y less the context margin)
    int read_h;             // rows decoded (region height plus the context margins)
    int top_margin;         // decoded rows above the region, discarded
    int region_w;
    int region_h;
    int rows_done;          // region rows handed out so far
    int decoded;            // rows decoded so far into row_buffer (context rows included)
    int skipped;            // whether the rows above read_y were skipped already
    int failed;             // an error ended the decode: every later read returns it again
    JSAMPLE *row_buffer;    // one decoded row when the caller's region is narrower than the decoded columns
};

static void sgid_jpeg_error_exit(j_common_ptr cinfo) {
    sgid_jpeg_errors *errors = (sgid_jpeg_errors *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, errors->message);
    if (errors->code == SGID_OK) errors->code = SGID_ERR_CORRUPT;
    longjmp(errors->jump, 1);
}

// Warnings are ignored, as Pillow ignores them, except the end of data: Pillow refuses truncated JPEGs.
static void sgid_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        sgid_jpeg_errors *errors = (sgid_jpeg_errors *)cinfo->err;
        errors->code = SGID_ERR_TRUNCATED;
        sgid_jpeg_error_exit(cinfo);
    }
    if (level < 0) cinfo->err->num_warnings++;
}

static void sgid_jpeg_install_errors(struct jpeg_error_mgr **slot, sgid_jpeg_errors *errors) {
    memset(errors, 0, sizeof(*errors));
    *slot = jpeg_std_error(&errors->base);
    errors->base.error_exit = sgid_jpeg_error_exit;
    errors->base.emit_message = sgid_jpeg_emit_message;
}

static void sgid_copy_message(char *target, const char *source) {
    strncpy(target, source, SGID_MESSAGE_CAPACITY - 1);
    target[SGID_MESSAGE_CAPACITY - 1] = 0;
}

int sgid_jpeg_open(const uint8_t *data, size_t size, sgid_jpeg_decoder **out, sgid_jpeg_header *header,
                   char message[SGID_MESSAGE_CAPACITY]) {
    *out = NULL;
    sgid_jpeg_decoder *decoder = calloc(1, sizeof(sgid_jpeg_decoder));
    if (!decoder) {
        sgid_copy_message(message, "out of memory");
        return SGID_ERR_MEMORY;
    }
    sgid_jpeg_install_errors(&decoder->cinfo.err, &decoder->errors);
    if (setjmp(decoder->errors.jump)) {
        int code = decoder->errors.code;
        sgid_copy_message(message, decoder->errors.message);
        sgid_jpeg_close(decoder);
        return code;
    }
    jpeg_create_decompress(&decoder->cinfo);
    jpeg_mem_src(&decoder->cinfo, data, (unsigned long)size);
    jpeg_read_header(&decoder->cinfo, TRUE);
    header->width = (int)decoder->cinfo.image_width;
    header->height = (int)decoder->cinfo.image_height;
    header->components = decoder->cinfo.num_components;
    header->color_space = (int)decoder->cinfo.jpeg_color_space;
    header->progressive = decoder->cinfo.progressive_mode ? 1 : 0;
    header->saw_adobe_marker = decoder->cinfo.saw_Adobe_marker ? 1 : 0;
    *out = decoder;
    return SGID_OK;
}

int sgid_jpeg_start(sgid_jpeg_decoder *decoder, int scale_denom, int x, int y, int w, int h, int exact,
                    sgid_jpeg_output *output) {
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    if (decoder->started || !(scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8)) {
        sgid_copy_message(decoder->errors.message, "invalid start request (already started or scale not 1/2/4/8)");
        return SGID_ERR_ARGUMENT;
    }
    if (setjmp(decoder->errors.jump)) return decoder->errors.code;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; break;
    case JCS_CMYK:
    case JCS_YCCK: cinfo->out_color_space = JCS_CMYK; break;
    default: cinfo->out_color_space = JCS_RGB; break;
    }
    cinfo->dct_method = JDCT_ISLOW;
    cinfo->do_fancy_upsampling = exact ? TRUE : FALSE;
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned int)scale_denom;
    jpeg_start_decompress(cinfo);
    decoder->started = 1;
    output->scaled_width = (int)cinfo->output_width;
    output->scaled_height = (int)cinfo->output_height;
    output->components = cinfo->output_components;
    if (w == 0) {
        x = 0; y = 0;
        w = (int)cinfo->output_width;
        h = (int)cinfo->output_height;
    }
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > (int)cinfo->output_width || y + h > (int)cinfo->output_height) {
        snprintf(decoder->errors.message, SGID_MESSAGE_CAPACITY, "region %d,%d,%d,%d outside the %ux%u scaled image",
                 x, y, w, h, cinfo->output_width, cinfo->output_height);
        return SGID_ERR_ARGUMENT;
    }
    if (!exact) {
        // Fast mode: the iMCU-aligned columns that cover the rectangle, its rows, decoded straight into the caller's
        // buffer (plain upsampling needs no context).
        decoder->read_y = y;
        decoder->top_margin = 0;
        decoder->read_h = h;
        decoder->crop_left = 0;
        JDIMENSION crop_x = 0;
        if (w < (int)cinfo->output_width) {
            JDIMENSION crop_w = (JDIMENSION)w;
            crop_x = (JDIMENSION)x;
            jpeg_crop_scanline(cinfo, &crop_x, &crop_w);
        }
        decoder->region_w = (int)cinfo->output_width;
        decoder->region_h = h;
        output->x = (int)crop_x;
        output->y = y;
        output->width = (int)cinfo->output_width;
        output->height = h;
        return SGID_OK;
    }
    // Fancy upsampling blends each chroma sample with its neighbours, and libjpeg-turbo treats the edges of a cropped
    // or skipped-to window as image edges. Decoding one extra column and row of context on every side (then discarding
    // it) makes the region's pixels identical to the same pixels of a full decode.
    int left = x > 0 ? x - 1 : 0;
    int right = x + w < (int)cinfo->output_width ? x + w + 1 : (int)cinfo->output_width;
    // libjpeg-turbo upsamples a component plainly, not fancily, when the cropped window leaves it two or fewer
    // samples wide: keep the window at least 2 * max_h_samp_factor + 1 columns wide (a wider window only adds
    // context that is discarded).
    int narrowest = 2 * cinfo->max_h_samp_factor + 1;
    if (right - left < narrowest) {
        right = left + narrowest < (int)cinfo->output_width ? left + narrowest : (int)cinfo->output_width;
        left = right - narrowest > 0 ? right - narrowest : 0;
    }
    decoder->read_y = y > 0 ? y - 1 : 0;
    decoder->top_margin = y - decoder->read_y;
    decoder->read_h = (y + h < (int)cinfo->output_height ? y + h + 1 : (int)cinfo->output_height) - decoder->read_y;
    // Decoded rows start at column 0 unless they are cropped: the region starts x columns in.
    decoder->crop_left = x;
    if (right - left < (int)cinfo->output_width) {
        JDIMENSION crop_x = (JDIMENSION)left, crop_w = (JDIMENSION)(right - left);
        jpeg_crop_scanline(cinfo, &crop_x, &crop_w);   // widens to iMCU boundaries; output_width becomes crop_w
        decoder->crop_left = x - (int)crop_x;
    }
    decoder->region_w = w;
    decoder->region_h = h;
    if (decoder->crop_left != 0 || (int)cinfo->output_width != w || decoder->read_h != h) {
        decoder->row_buffer = malloc((size_t)cinfo->output_width * (size_t)cinfo->output_components);
        if (!decoder->row_buffer) {
            sgid_copy_message(decoder->errors.message, "out of memory");
            return SGID_ERR_MEMORY;
        }
    }
    output->x = x;
    output->y = y;
    output->width = w;
    output->height = h;
    return SGID_OK;
}

// Whether the input libjpeg has not consumed yet holds an end-of-image marker (0xFF, any 0xFF fill bytes, 0xD9).
// Entropy-coded data escapes every 0xFF (0xFF 0x00, or a restart marker 0xFF 0xD0-0xD7), so a 0xFF 0xD9 pair
// there is the real marker. A file cut below the last decoded row has none.
static int sgid_jpeg_end_marker_follows(struct jpeg_decompress_struct *cinfo) {
    // Multi-scan (progressive) files were read to their end when decompression started.
    if (jpeg_input_complete((j_decompress_ptr)cinfo) || cinfo->unread_marker == JPEG_EOI) return 1;
    const JOCTET *byte = cinfo->src->next_input_byte;
    const JOCTET *end = byte + cinfo->src->bytes_in_buffer;
    while (byte < end) {
        const JOCTET *mark = memchr(byte, 0xFF, (size_t)(end - byte));
        if (!mark) return 0;
        byte = mark + 1;
        while (byte < end && *byte == 0xFF) byte++;
        if (byte < end && *byte == JPEG_EOI) return 1;
    }
    return 0;
}

// Fails the decoder for good with `code`: libjpeg's state after a longjmp is not usable again.
static int sgid_jpeg_fail(sgid_jpeg_decoder *decoder, int code) {
    decoder->failed = code;
    decoder->errors.code = code;
    return code;
}

int sgid_jpeg_read_rows(sgid_jpeg_decoder *decoder, uint8_t *pixels, size_t row_stride, int count) {
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    if (decoder->failed) return decoder->failed;
    if (!decoder->started || count < 0 || count > decoder->region_h - decoder->rows_done) {
        sgid_copy_message(decoder->errors.message, "read before start, or past the region's last row");
        return SGID_ERR_ARGUMENT;
    }
    if (count == 0) return SGID_OK;
    if (setjmp(decoder->errors.jump)) return sgid_jpeg_fail(decoder, decoder->errors.code);
    if (!decoder->skipped) {
        decoder->skipped = 1;
        if (decoder->read_y > 0) {
            JDIMENSION skipped = jpeg_skip_scanlines(cinfo, (JDIMENSION)decoder->read_y);
            if ((int)skipped != decoder->read_y) {
                sgid_copy_message(decoder->errors.message, "data ended while skipping rows");
                return sgid_jpeg_fail(decoder, SGID_ERR_TRUNCATED);
            }
        }
    }
    const size_t pixel_bytes = (size_t)cinfo->output_components;
    const size_t copy_bytes = (size_t)decoder->region_w * pixel_bytes;
    int row = 0;
    if (decoder->row_buffer) {
        JSAMPROW rows[1] = {decoder->row_buffer};
        while (row < count && decoder->decoded < decoder->read_h) {
            if (jpeg_read_scanlines(cinfo, rows, 1) != 1) break;
            int target = decoder->decoded - decoder->top_margin;
            decoder->decoded++;
            if (target < 0) continue;
            memcpy(pixels + (size_t)row * row_stride, decoder->row_buffer + (size_t)decoder->crop_left * pixel_bytes,
                   copy_bytes);
            row++;
        }
    } else {
        JSAMPROW rows[16];
        while (row < count) {
            int batch = count - row < 16 ? count - row : 16;
            for (int i = 0; i < batch; i++) rows[i] = pixels + (size_t)(row + i) * row_stride;
            int used = 0;  // libjpeg returns one or two rows per call: hand it the rest of the batch each time
            while (used < batch) {
                JDIMENSION got = jpeg_read_scanlines(cinfo, rows + used, (JDIMENSION)(batch - used));
                if (got == 0) break;
                used += (int)got;
            }
            row += used;
            if (used < batch) break;
        }
    }
    decoder->rows_done += row;
    if (row != count) {
        sgid_copy_message(decoder->errors.message, "data ended before the last row");
        return sgid_jpeg_fail(decoder, SGID_ERR_TRUNCATED);
    }
    if (decoder->rows_done == decoder->region_h) {
        // Rows below the region (the context row included) are never needed: libjpeg has already looked ahead for
        // the rows it returned. They are not decoded, but a file that ends before them is refused all the same, as
        // a full decode (and Pillow) would refuse it.
        if (cinfo->output_scanline == cinfo->output_height) {
            jpeg_finish_decompress(cinfo);
        } else {
            int complete = sgid_jpeg_end_marker_follows(cinfo);
            jpeg_abort_decompress(cinfo);
            if (!complete) {
                sgid_copy_message(decoder->errors.message,
                                  "data ends before the image's last row (no end-of-image marker after the region)");
                return sgid_jpeg_fail(decoder, SGID_ERR_TRUNCATED);
            }
        }
    }
    return SGID_OK;
}

int sgid_jpeg_read(sgid_jpeg_decoder *decoder, uint8_t *pixels, size_t row_stride) {
    if (!decoder->started) {
        sgid_copy_message(decoder->errors.message, "read before start");
        return SGID_ERR_ARGUMENT;
    }
    return sgid_jpeg_read_rows(decoder, pixels, row_stride, decoder->region_h - decoder->rows_done);
}

const char *sgid_jpeg_message(const sgid_jpeg_decoder *decoder) { return decoder->errors.message; }

void sgid_jpeg_close(sgid_jpeg_decoder *decoder) {
    if (!decoder) return;
    jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder->row_buffer);
    free(decoder);
}

int sgid_jpeg_encode(const uint8_t *pixels, int width, int height, int components, int quality, int subsampling,
                     int progressive, uint8_t **output, size_t *output_size, char message[SGID_MESSAGE_CAPACITY]) {
    *output = NULL;
    *output_size = 0;
    if (width <= 0 || height <= 0 || (components != 1 && components != 3) || quality < 1 || quality > 100 ||
        subsampling < 0 || subsampling > 2) {
        sgid_copy_message(message, "invalid encode request (size, components 1/3, quality 1...100, subsampling 0...2)");
        return SGID_ERR_ARGUMENT;
    }
    struct jpeg_compress_struct cinfo;
    sgid_jpeg_errors errors;
    unsigned char *buffer = NULL;
    unsigned long buffer_size = 0;
    sgid_jpeg_install_errors(&cinfo.err, &errors);
    if (setjmp(errors.jump)) {
        sgid_copy_message(message, errors.message);
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return SGID_ERR_CORRUPT;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &buffer, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = components;
    cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (components == 3) {
        static const int horizontal[3] = {1, 2, 2}, vertical[3] = {1, 1, 2};
        cinfo.comp_info[0].h_samp_factor = horizontal[subsampling];
        cinfo.comp_info[0].v_samp_factor = vertical[subsampling];
        for (int c = 1; c < 3; c++) cinfo.comp_info[c].h_samp_factor = cinfo.comp_info[c].v_samp_factor = 1;
    }
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * (size_t)width * (size_t)components);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *output = buffer;
    *output_size = (size_t)buffer_size;
    return SGID_OK;
}
