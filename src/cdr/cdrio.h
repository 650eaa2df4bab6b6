/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bytes in and out for call-record files: a minimal reader (sniff, encoding
 * detection, iconv CP932 -> UTF-8, libcsv) and the native CSV writer that
 * both `kasconctl cdr export` and the console's 取得 use.
 *
 * Kept apart from src/io (written in parallel for the extension CSVs) so
 * that the two do not collide; the reader can move onto src/io later. */
#ifndef KASCON_CDR_CDRIO_H
#define KASCON_CDR_CDRIO_H

#include <stdbool.h>
#include <stdio.h>

#include "core/cdr.h"
#include "core/problem.h"

enum cdrio_encoding { CDRIO_ASCII, CDRIO_UTF8, CDRIO_UTF8_BOM, CDRIO_CP932 };

/* English msgid naming an encoding, for "detected encoding: ..." lines. */
const char *cdrio_encoding_msgid(enum cdrio_encoding enc);

/* Called once per CSV record with its fields (UTF-8, NUL-terminated, blanks
 * around unquoted fields removed).  row is 1-based.  A nonzero return
 * stops the reading and is returned by cdrio_read. */
typedef int (*cdrio_record_cb)(char *const *fields, int count, long row, void *ctx);

/* Reads a whole file in two streaming passes (memory stays flat whatever
 * its size): the first decides the encoding — a BOM, else valid UTF-8,
 * else CP932 — and refuses ZIP, OLE2 and binary files; the second decodes
 * and parses.  Problems of the file as a whole (not CSV, undecodable
 * bytes, unbalanced quotes) fill *problem and return its code. */
int cdrio_read(const char *path, cdrio_record_cb cb, void *ctx, enum cdrio_encoding *detected,
               struct core_problem *problem);

struct cdrio_writer;
/* cp932: Excel's "CSV" encoding (the default); else UTF-8 without BOM. */
int cdrio_writer_open(FILE *out, bool cp932, struct cdrio_writer **writer);
/* Writes one record as the 12 columns A-L, CRLF-terminated.  Returns 0,
 * E_CDR_UNENCODABLE (nothing written) or E_FILE_WRITE. */
int cdrio_write_cdr(struct cdrio_writer *writer, const struct core_cdr *rec);
/* Flushes and frees; E_FILE_WRITE if any write failed. */
int cdrio_writer_close(struct cdrio_writer *writer);

#endif
