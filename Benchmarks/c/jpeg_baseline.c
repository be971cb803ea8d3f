// The decode benchmark's C baseline: libjpeg-turbo through its libjpeg API, doing the same work as SGIDKit's
// JPEGDecoder (Formats/CodecShims/sgid_jpeg.c) for a whole-image RGB decode:
// jpeg_mem_src, islow DCT, fancy upsampling, JCS_RGB output, scale 1/denom, every scanline read into a
// preallocated buffer, a setjmp error handler, and one decompress object created and destroyed per image.
//
// Usage: jpeg_baseline [--rounds N] [--scales 1,2,4,8] FILE...
// Loads every file into memory first, then for each scale decodes all files N times on one thread and prints
//   scale=D images=N best_s=S img_per_s=R checksum=C
// where best_s is the fastest round and checksum is the sum of every output byte (from an untimed pass), so the
// script can check that both programs produced the same pixels.
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
} error_manager;

static void on_error(j_common_ptr cinfo) {
    error_manager *errors = (error_manager *)cinfo->err;
    (*cinfo->err->output_message)(cinfo);
    longjmp(errors->jump, 1);
}

typedef struct {
    unsigned char *bytes;
    size_t size;
} encoded_file;

static unsigned char *pixels;          // preallocated output, large enough for the biggest image at full scale
static size_t pixels_capacity;
static JSAMPROW *rows;                 // row pointers into pixels
static size_t rows_capacity;

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int load(const char *path, encoded_file *file) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    file->bytes = malloc((size_t)size);
    file->size = (size_t)size;
    int ok = file->bytes && fread(file->bytes, 1, file->size, f) == file->size;
    fclose(f);
    return ok;
}

// Decodes one file at 1/denom into `pixels`. Returns width * height * 3, or 0 on failure; *first_last gets the first
// plus the last output byte (a cheap result for the timed loop to depend on).
static size_t decode(const encoded_file *file, int denom, unsigned *first_last) {
    struct jpeg_decompress_struct cinfo;
    error_manager errors;
    cinfo.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = on_error;
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return 0;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, file->bytes, (unsigned long)file->size);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = JCS_RGB;
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    cinfo.scale_num = 1;
    cinfo.scale_denom = (unsigned)denom;
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    size_t height = cinfo.output_height;
    if (stride * height > pixels_capacity || height > rows_capacity) {
        fprintf(stderr, "output buffer too small\n");
        exit(1);
    }
    for (size_t y = 0; y < height; y++) rows[y] = pixels + y * stride;
    while (cinfo.output_scanline < cinfo.output_height) {
        JDIMENSION got = jpeg_read_scanlines(&cinfo, rows + cinfo.output_scanline,
                                             cinfo.output_height - cinfo.output_scanline);
        if (got == 0) break;
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    *first_last = (unsigned)pixels[0] + (unsigned)pixels[stride * height - 1];
    return stride * height;
}

int main(int argc, char **argv) {
    int rounds = 5;
    int scales[4] = {1, 2, 4, 8}, scale_count = 4;
    int first_file = 1;
    while (first_file < argc && strncmp(argv[first_file], "--", 2) == 0) {
        if (strcmp(argv[first_file], "--rounds") == 0 && first_file + 1 < argc) {
            rounds = atoi(argv[first_file + 1]);
        } else if (strcmp(argv[first_file], "--scales") == 0 && first_file + 1 < argc) {
            scale_count = 0;
            for (char *token = strtok(argv[first_file + 1], ","); token && scale_count < 4; token = strtok(NULL, ","))
                scales[scale_count++] = atoi(token);
        } else {
            fprintf(stderr, "usage: %s [--rounds N] [--scales 1,2,4,8] FILE...\n", argv[0]);
            return 2;
        }
        first_file += 2;
    }
    int count = argc - first_file;
    if (count <= 0 || rounds <= 0) {
        fprintf(stderr, "usage: %s [--rounds N] [--scales 1,2,4,8] FILE...\n", argv[0]);
        return 2;
    }
    encoded_file *files = calloc((size_t)count, sizeof(encoded_file));
    for (int i = 0; i < count; i++) {
        if (!load(argv[first_file + i], &files[i])) {
            fprintf(stderr, "cannot read %s\n", argv[first_file + i]);
            return 1;
        }
    }
    // The largest image decides the buffer: a JPEG of these sizes is far under 16k x 16k.
    pixels_capacity = 0;
    rows_capacity = 0;
    for (int i = 0; i < count; i++) {
        struct jpeg_decompress_struct cinfo;
        struct jpeg_error_mgr errors;
        cinfo.err = jpeg_std_error(&errors);
        jpeg_create_decompress(&cinfo);
        jpeg_mem_src(&cinfo, files[i].bytes, (unsigned long)files[i].size);
        jpeg_read_header(&cinfo, TRUE);
        size_t bytes = (size_t)cinfo.image_width * cinfo.image_height * 3;
        if (bytes > pixels_capacity) pixels_capacity = bytes;
        if (cinfo.image_height > rows_capacity) rows_capacity = cinfo.image_height;
        jpeg_destroy_decompress(&cinfo);
    }
    pixels = malloc(pixels_capacity);
    rows = malloc(rows_capacity * sizeof(JSAMPROW));
    memset(pixels, 0, pixels_capacity);   // fault the pages in before timing

    for (int s = 0; s < scale_count; s++) {
        int denom = scales[s];
        // Untimed pass: the checksum of every output byte, to compare with the Swift decoder.
        uint64_t checksum = 0;
        for (int i = 0; i < count; i++) {
            unsigned ignored;
            size_t n = decode(&files[i], denom, &ignored);
            if (n == 0) {
                fprintf(stderr, "decode failed for file %d\n", i);
                return 1;
            }
            for (size_t b = 0; b < n; b++) checksum += pixels[b];
        }
        double best = 1e30;
        volatile unsigned sink = 0;
        for (int r = 0; r < rounds; r++) {
            unsigned total = 0;
            double start = now_seconds();
            for (int i = 0; i < count; i++) {
                unsigned first_last;
                total += (unsigned)decode(&files[i], denom, &first_last) + first_last;
            }
            double elapsed = now_seconds() - start;
            sink += total;
            if (elapsed < best) best = elapsed;
        }
        printf("scale=%d images=%d best_s=%.6f img_per_s=%.1f checksum=%llu\n", denom, count, best,
               (double)count / best, (unsigned long long)checksum);
        fflush(stdout);
    }
    return 0;
}
