/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the reader and writer.  Build:
 *   clang -g -fsanitize=fuzzer,address,undefined -I. -Isrc src/io/fuzz_csv.c \
 *         src/io/csv_read.c src/io/csv_write.c -lcsv
 * Besides memory errors it checks three properties that no fixed test
 * covers for every input: the chunk size changes nothing, row numbers only
 * grow, and what the writer writes reads back as the same fields. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"

struct run {
    uint64_t hash; /* of every field of every record, in order */
    long last_row;
    struct io_csv_writer *writer; /* copies the records, or NULL */
    int write_failed;
};

static void hash_bytes(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * 1099511628211u;
}

static int on_record(void *ctx, long record_no, size_t nfields, char **fields)
{
    struct run *run = ctx;
    struct io_csv_result res;

    if (record_no <= run->last_row || nfields == 0)
        abort();
    run->last_row = record_no;
    hash_bytes(&run->hash, &nfields, sizeof nfields);
    for (size_t i = 0; i < nfields; i++)
        hash_bytes(&run->hash, fields[i], strlen(fields[i]) + 1);
    if (run->writer && io_csv_write_record(run->writer, nfields, (const char *const *)fields, &res))
        run->write_failed = 1;
    return 0;
}

static int read_once(const uint8_t *data, size_t size, size_t chunk, struct run *run,
                     struct io_csv_result *res)
{
    struct io_csv_callbacks cb = {on_record, NULL, chunk, false};
    run->hash = 14695981039346656037u;
    run->last_row = 0;
    return io_csv_read_mem(data, size, &cb, run, res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run a = {0}, b = {0}, again = {0};
    struct io_csv_result ra, rb, rw;
    char *out = NULL;
    size_t outlen = 0;
    FILE *fp = open_memstream(&out, &outlen);

    if (!fp || io_csv_writer_open(&a.writer, fp, IO_ENC_UTF8, &rw) != 0)
        abort();
    read_once(data, size, 0, &a, &ra);
    io_csv_writer_close(a.writer, &rw);
    fclose(fp);
    read_once(data, size, 1 + size % 7, &b, &rb);
    if (ra.code != rb.code || ra.encoding != rb.encoding || ra.records != rb.records ||
        ra.record != rb.record || ra.field != rb.field || ra.offset != rb.offset ||
        a.hash != b.hash)
        abort();
    /* Reread what was written, unless it begins with a BOM (a first field
     * starting with U+FEFF); fields full of control characters or starting
     * "PK\3\4" make it binary or a ZIP, refused as a whole. */
    if (a.write_failed)
        abort();
    if (ra.code == 0 && !(outlen >= 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0)) {
        read_once((const uint8_t *)out, outlen, 0, &again, &rw);
        if (rw.code != E_NOT_CSV_BINARY && rw.code != E_NOT_CSV_ZIP &&
            (rw.code != 0 || again.hash != a.hash))
            abort();
    }
    free(out);
    return 0;
}
