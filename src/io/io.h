/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV files as Excel on Windows writes them (doc/spec.md §4, doc/design.md §2): refuse
 * what is not CSV, detect the encoding, decode, split into records of UTF-8
 * fields, and write records back in CP932 or UTF-8.
 *
 * Records are streamed to a callback so that a 100,000-row file is never
 * held whole as records.  Row numbers are what Excel shows: every unquoted
 * line break (CRLF, CR or LF) ends a row, empty rows are counted but not
 * delivered, and a line break inside quotes does not start a new row. */
#ifndef KASCON_IO_IO_H
#define KASCON_IO_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/problem.h"

/* Codes the catalogue in core/problem.h does not have yet; they belong
 * there, with msgids, and these names go once they are added. */
enum io_encoding {
    IO_ENC_UNKNOWN,
    IO_ENC_ASCII, /* no byte above 0x7F: CP932 and UTF-8 alike */
    IO_ENC_UTF8,
    IO_ENC_UTF8_BOM,
    IO_ENC_CP932,
    IO_ENC_UTF16, /* Excel's "Unicode text": detected only to be refused */
};

struct io_csv_callbacks {
    /* One record: fields are NUL-terminated UTF-8, blanks around unquoted
     * fields trimmed, valid until the callback returns (it may modify them).
     * A non-zero return stops reading; io_csv_read_* then returns it. */
    int (*on_record)(void *ctx, long record_no, size_t nfields, char **fields);
    /* Optional: raw bytes consumed so far, out of total. */
    void (*on_progress)(void *ctx, long long done, long long total);
    /* Bytes read and decoded at a time; 0 means 64 KiB.  Tests use tiny
     * values to split multibyte characters across reads. */
    size_t chunk_size;
    /* Fill result->sha256 (a bulk operation's audit names its file). */
    bool checksum;
};

struct io_csv_result {
    int code;                  /* 0, a catalogue code, or what on_record returned */
    enum io_encoding encoding; /* detected (reader) or written (writer) */
    long records;              /* records delivered (reader) or written (writer) */
    long record;               /* 1-based row the error is in, or 0 */
    int field;                 /* 0-based column the error is in, or -1 */
    long long offset;          /* byte offset in the file of the error, or -1 */
    int sys_errno;             /* errno behind E_FILE_READ and E_FILE_WRITE */
    char sha256[65];           /* reader: the file's SHA-256 in hex (callbacks.checksum) */
};

/* English name of an encoding for messages ("CP932", "UTF-8", ...). */
const char *io_encoding_name(enum io_encoding encoding);

/* Decides from a whole file's bytes: returns 0 or E_FILE_EMPTY, E_NOT_CSV_ZIP,
 * E_NOT_CSV_OLE, E_NOT_CSV_BINARY, E_UNDECODABLE (UTF-16); sets *encoding.
 * Undecodable CP932 is found only when decoding (io_csv_read_*). */
int io_sniff(const void *buf, size_t len, enum io_encoding *encoding);

/* Sniffs, decodes and parses a file or a buffer, calling cb->on_record for
 * every non-empty row.  Returns result->code.  On an error the records
 * delivered before it are to be discarded: imports are all or nothing. */
int io_csv_read_file(const char *path, const struct io_csv_callbacks *cb, void *ctx,
                     struct io_csv_result *result);
int io_csv_read_mem(const void *buf, size_t len, const struct io_csv_callbacks *cb, void *ctx,
                    struct io_csv_result *result);

/* Writes CSV with CRLF line endings to fp in IO_ENC_CP932, IO_ENC_UTF8 or
 * IO_ENC_UTF8_BOM.  Every function returns 0 or a code, with details in
 * *result (record and field of a character that cannot be encoded). */
struct io_csv_writer;
/* The encoding a --encoding option names for a file written: cp932 (also
 * sjis, shift_jis) or utf-8 (also utf8), in any case.  0, or -1 for
 * another name. */
int io_encoding_parse(const char *name, enum io_encoding *encoding);
int io_csv_writer_open(struct io_csv_writer **writer, FILE *fp, enum io_encoding encoding,
                       struct io_csv_result *result);
int io_csv_write_record(struct io_csv_writer *writer, size_t nfields, const char *const *fields,
                        struct io_csv_result *result);
/* Flushes fp (it stays open) and frees the writer; NULL is allowed. */
int io_csv_writer_close(struct io_csv_writer *writer, struct io_csv_result *result);

#endif
