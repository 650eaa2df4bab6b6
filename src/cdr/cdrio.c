/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include "cdr/cdrio.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

#define CHUNK (1 << 20)
#define MAX_FIELDS 64

const char *cdrio_encoding_msgid(enum cdrio_encoding enc)
{
    switch (enc) {
    case CDRIO_ASCII:
        return N_("ASCII");
    case CDRIO_UTF8:
        return N_("UTF-8 without BOM");
    case CDRIO_UTF8_BOM:
        return N_("UTF-8 with BOM");
    case CDRIO_CP932:
        return N_("Shift_JIS (CP932)");
    }
    return "";
}

/* ---- pass 1: what is this file? ---- */

struct sniff {
    int pending; /* continuation bytes still expected */
    bool utf8_ok;
    bool non_ascii;
    bool nul;
};

/* Validates UTF-8 across chunk boundaries: the state carries the number
 * of continuation bytes still due.  Overlong and surrogate forms are not
 * worth refusing here: iconv is not involved for UTF-8 input, and
 * core_utf8_chars checks each field again. */
static void sniff_chunk(struct sniff *s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == 0)
            s->nul = true;
        if (s->pending) {
            if ((c & 0xC0) != 0x80)
                s->utf8_ok = false;
            s->pending--;
            continue;
        }
        if (c < 0x80)
            continue;
        s->non_ascii = true;
        if (c >= 0xC2 && c <= 0xDF)
            s->pending = 1;
        else if ((c & 0xF0) == 0xE0)
            s->pending = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            s->pending = 3;
        else
            s->utf8_ok = false;
    }
}

static int sniff_file(FILE *f, unsigned char *buf, enum cdrio_encoding *enc, bool *bom)
{
    struct sniff s = {0, true, false, false};
    size_t n, total = 0;
    *bom = false;
    while ((n = fread(buf, 1, CHUNK, f)) > 0) {
        if (total == 0) {
            if (n >= 4 && !memcmp(buf, "PK\x03\x04", 4))
                return E_NOT_CSV_ZIP;
            if (n >= 8 && !memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
                return E_NOT_CSV_OLE;
            *bom = n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3);
        }
        sniff_chunk(&s, buf, n);
        total += n;
        if (s.nul)
            return E_NOT_CSV_BINARY;
    }
    if (ferror(f))
        return E_FILE_READ;
    if (total == 0 || (*bom && total == 3))
        return E_FILE_EMPTY;
    if (*bom)
        *enc = CDRIO_UTF8_BOM;
    else if (!s.non_ascii)
        *enc = CDRIO_ASCII;
    else if (s.utf8_ok && s.pending == 0)
        *enc = CDRIO_UTF8;
    else
        *enc = CDRIO_CP932;
    return CORE_OK;
}

/* ---- pass 2: decode and parse ---- */

struct parse {
    char *arena; /* the current record's fields, NUL-separated */
    size_t used, size;
    size_t offsets[MAX_FIELDS];
    int count;
    long row;
    bool nomem;
    cdrio_record_cb cb;
    void *ctx;
    int stop;
};

static void on_field(void *s, size_t len, void *data)
{
    struct parse *p = data;
    if (p->stop || p->nomem)
        return;
    if (p->count < MAX_FIELDS) {
        if (p->used + len + 1 > p->size) {
            size_t size = (p->used + len + 1) * 2;
            char *a = realloc(p->arena, size);
            if (!a) {
                p->nomem = true;
                return;
            }
            p->arena = a;
            p->size = size;
        }
        p->offsets[p->count] = p->used;
        if (len)
            memcpy(p->arena + p->used, s, len);
        p->used += len;
        p->arena[p->used++] = '\0';
    }
    p->count++;
}

static void on_record(int c, void *data)
{
    (void)c;
    struct parse *p = data;
    if (p->stop || p->nomem)
        return;
    char *fields[MAX_FIELDS];
    int stored = p->count < MAX_FIELDS ? p->count : MAX_FIELDS;
    for (int i = 0; i < stored; i++)
        fields[i] = p->arena + p->offsets[i];
    p->row++;
    p->stop = p->cb(fields, p->count, p->row, p->ctx);
    p->count = 0;
    p->used = 0;
}

static int feed(struct csv_parser *csv, struct parse *p, const char *buf, size_t n)
{
    if (csv_parse(csv, buf, n, on_field, on_record, p) != n)
        return E_CSV_SYNTAX;
    if (p->nomem)
        return E_STORAGE;
    return p->stop;
}

static int decode_and_parse(FILE *f, unsigned char *in, enum cdrio_encoding enc, bool bom,
                            struct csv_parser *csv, struct parse *p)
{
    iconv_t cd = (iconv_t)-1;
    char *out = NULL;
    if (enc == CDRIO_CP932) {
        cd = iconv_open("UTF-8", "CP932");
        out = malloc(CHUNK * 3); /* half-width kana: 1 byte -> 3 */
        if (cd == (iconv_t)-1 || !out) {
            free(out);
            if (cd != (iconv_t)-1)
                iconv_close(cd);
            return E_STORAGE;
        }
    }
    size_t carry = 0, n;
    bool first = true;
    int rc = CORE_OK;
    while (!rc && (n = fread(in + carry, 1, CHUNK - carry, f)) > 0) {
        char *start = (char *)in;
        size_t len = carry + n;
        if (first && bom) {
            start += 3;
            len -= 3;
        }
        first = false;
        if (cd == (iconv_t)-1) {
            rc = feed(csv, p, start, len);
            continue;
        }
        char *op = out;
        size_t left = CHUNK * 3;
        size_t r = iconv(cd, &start, &len, &op, &left);
        if (r == (size_t)-1 && errno == EILSEQ) {
            rc = E_UNDECODABLE;
        } else {
            /* EINVAL: a multibyte sequence split by the chunk; carry it. */
            memmove(in, start, len);
            carry = len;
        }
        int frc = feed(csv, p, out, (size_t)(op - out));
        if (!rc)
            rc = frc;
    }
    if (!rc && ferror(f))
        rc = E_FILE_READ;
    if (!rc && carry)
        rc = E_UNDECODABLE; /* the file ends inside a character */
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(out);
    return rc;
}

int cdrio_read(const char *path, cdrio_record_cb cb, void *ctx, enum cdrio_encoding *detected,
               struct core_problem *problem)
{
    core_problem_set(problem, CORE_OK, NULL);
    FILE *f = fopen(path, "rb");
    if (!f) {
        core_problem_set(problem, E_FILE_READ, path);
        return E_FILE_READ;
    }
    unsigned char *buf = malloc(CHUNK);
    if (!buf) {
        fclose(f);
        core_problem_set(problem, E_STORAGE, NULL);
        return E_STORAGE;
    }
    bool bom = false;
    enum cdrio_encoding enc = CDRIO_ASCII;
    int rc = sniff_file(f, buf, &enc, &bom);
    *detected = enc;
    struct parse p = {.cb = cb, .ctx = ctx};
    struct csv_parser csv;
    if (!rc && csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        rc = E_STORAGE;
    else if (!rc) {
        rewind(f);
        rc = decode_and_parse(f, buf, enc, bom, &csv, &p);
        if (!rc && csv_fini(&csv, on_field, on_record, &p) != 0)
            rc = E_CSV_SYNTAX;
        if (!rc && p.nomem)
            rc = E_STORAGE;
        if (!rc)
            rc = p.stop;
        csv_free(&csv);
    }
    if (!rc && p.row == 0)
        rc = E_FILE_EMPTY;
    free(p.arena);
    free(buf);
    fclose(f);
    if (rc && rc != p.stop) {
        core_problem_set(problem, rc, NULL);
        /* The record being read when the problem showed. */
        problem->row =
            rc == E_FILE_EMPTY || (rc >= E_NOT_CSV_ZIP && rc <= E_NOT_CSV_BINARY) ? 0 : p.row + 1;
    }
    return rc;
}

/* ---- writer ---- */

struct cdrio_writer {
    FILE *out;
    iconv_t cd;
    bool failed;
    char line[4096];
    char encoded[4096];
};

int cdrio_writer_open(FILE *out, bool cp932, struct cdrio_writer **writer)
{
    struct cdrio_writer *w = calloc(1, sizeof *w);
    if (!w)
        return E_STORAGE;
    w->out = out;
    w->cd = (iconv_t)-1;
    if (cp932 && (w->cd = iconv_open("CP932", "UTF-8")) == (iconv_t)-1) {
        free(w);
        return E_STORAGE;
    }
    *writer = w;
    return CORE_OK;
}

/* Appends a field, quoted only when it must be (comma, quote, line
 * break), as Excel writes them. */
static size_t put_field(char *dst, size_t at, size_t n, const char *v, bool comma)
{
    if (comma && at < n)
        dst[at++] = ',';
    bool quote = strpbrk(v, ",\"\r\n") != NULL;
    if (quote && at < n)
        dst[at++] = '"';
    for (; *v && at < n; v++) {
        if (*v == '"' && quote && at < n)
            dst[at++] = '"';
        if (at < n)
            dst[at++] = *v;
    }
    if (quote && at < n)
        dst[at++] = '"';
    return at;
}

int cdrio_write_cdr(struct cdrio_writer *w, const struct core_cdr *r)
{
    char cause[8] = "";
    if (r->cause != CORE_CDR_CAUSE_NONE)
        snprintf(cause, sizeof cause, "%03d", r->cause);
    const char *fields[CORE_CDR_COLUMNS] = {
        r->call_time,    r->answer_time,
        r->end_time,     r->completed ? CORE_CDR_COMPLETED_TEXT : CORE_CDR_NOT_COMPLETED_TEXT,
        r->service,      r->received,
        r->caller,       r->callee,
        r->transferrer,  r->disconnect_type,
        r->disconnector, cause,
    };
    size_t n = sizeof w->line - 2, at = 0;
    for (int i = 0; i < CORE_CDR_COLUMNS; i++)
        at = put_field(w->line, at, n, fields[i], i > 0);
    w->line[at++] = '\r';
    w->line[at++] = '\n';
    const char *bytes = w->line;
    size_t len = at;
    if (w->cd != (iconv_t)-1) {
        char *in = w->line, *op = w->encoded;
        size_t left = sizeof w->encoded;
        if (iconv(w->cd, &in, &at, &op, &left) == (size_t)-1) {
            iconv(w->cd, NULL, NULL, NULL, NULL);
            return E_CDR_UNENCODABLE;
        }
        bytes = w->encoded;
        len = (size_t)(op - w->encoded);
    }
    if (fwrite(bytes, 1, len, w->out) != len) {
        w->failed = true;
        return E_FILE_WRITE;
    }
    return CORE_OK;
}

int cdrio_writer_close(struct cdrio_writer *w)
{
    if (!w)
        return CORE_OK;
    bool failed = w->failed || fflush(w->out) != 0 || ferror(w->out);
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    free(w);
    return failed ? E_FILE_WRITE : CORE_OK;
}
