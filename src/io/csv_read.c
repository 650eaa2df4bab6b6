/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading: sniff the whole input once (a file is valid UTF-8 only if all of
 * it is), then, in a second pass, decode CP932 with iconv or check UTF-8,
 * and split into records with libcsv. */
#include <config.h>

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "io/internal.h"

#define CHUNK_DEFAULT 65536
/* Keeps the output buffer (3 bytes of UTF-8 per input byte) well sized. */
#define CHUNK_MAX (16u << 20)
/* Longest sequence iconv may leave over: 2 bytes in CP932, 4 in UTF-8. */
#define CARRY_MAX 4

void *io_grow(void *p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 16;
    if (need <= *cap)
        return p;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            return NULL;
        n *= 2;
    }
    p = realloc(p, n * size);
    if (p)
        *cap = n;
    return p;
}

void io_result_init(struct io_csv_result *result)
{
    *result = (struct io_csv_result){.encoding = IO_ENC_UNKNOWN, .field = -1, .offset = -1};
}

int io_fail(struct io_csv_result *result, int code, long record, int field, long long offset)
{
    result->code = code;
    result->record = record;
    result->field = field;
    result->offset = offset;
    return code;
}

const char *io_encoding_name(enum io_encoding encoding)
{
    switch (encoding) {
    case IO_ENC_ASCII:
        return "ASCII";
    case IO_ENC_UTF8:
        return "UTF-8";
    case IO_ENC_UTF8_BOM:
        return "UTF-8 (BOM)";
    case IO_ENC_CP932:
        return "Shift_JIS (CP932)";
    case IO_ENC_UTF16:
        return "UTF-16";
    default:
        return "?";
    }
}

/* ---- sniffing ---- */

struct sniff {
    unsigned char head[8];
    size_t headlen;
    long long len, controls;
    int nul, nonascii, utf8_bad;
    int need;             /* continuation bytes still due in a UTF-8 sequence */
    unsigned char lo, hi; /* range of the next one: excludes overlongs and surrogates */
};

static void sniff_utf8(struct sniff *s, unsigned char b)
{
    if (s->need > 0) {
        if (b >= s->lo && b <= s->hi) {
            s->need--;
            s->lo = 0x80;
            s->hi = 0xBF;
            return;
        }
        s->utf8_bad = 1;
        s->need = 0;
    }
    if (b < 0x80)
        return;
    s->nonascii = 1;
    s->lo = 0x80;
    s->hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        s->need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        s->need = 2;
        if (b == 0xE0)
            s->lo = 0xA0;
        else if (b == 0xED)
            s->hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        s->need = 3;
        if (b == 0xF0)
            s->lo = 0x90;
        else if (b == 0xF4)
            s->hi = 0x8F;
    } else {
        s->utf8_bad = 1;
    }
}

/* Returns 1 once the verdict is settled: a NUL makes any file binary, and
 * ZIP and OLE2 files have one early, so an .xlsx is not read to its end. */
static int sniff_feed(struct sniff *s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n && s->headlen < sizeof s->head; i++)
        s->head[s->headlen++] = p[i];
    for (size_t i = 0; i < n; i++) {
        /* Most bytes of a file are printable ASCII outside a UTF-8
         * sequence: they change nothing of the verdict.  Eight at a time
         * (no byte below 0x20, none 0x7F or above). */
        if (s->need == 0) {
            const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
            while (n - i >= 8) {
                uint64_t x;
                memcpy(&x, p + i, 8);
                uint64_t low = (x - 0x20 * ones) & ~x, del = (x ^ 0x7F * ones) - ones;
                if ((x | low | (del & ~(x ^ 0x7F * ones))) & highs)
                    break;
                i += 8;
            }
            if (i == n)
                break;
        }
        unsigned char b = p[i];
        if (((b >= 0x20 && b < 0x7F) || b == '\n' || b == '\r') && s->need == 0)
            continue;
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F)
            s->controls++;
        if (b == 0) {
            s->nul = 1;
            s->len += (long long)i + 1;
            return 1;
        }
        if (!s->utf8_bad)
            sniff_utf8(s, b);
        else if (b >= 0x80)
            s->nonascii = 1;
    }
    s->len += (long long)n;
    return 0;
}

static int sniff_verdict(const struct sniff *s, enum io_encoding *encoding)
{
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    const unsigned char *h = s->head;

    *encoding = IO_ENC_UNKNOWN;
    if (s->len == 0)
        return E_FILE_EMPTY;
    if (s->headlen >= 4 && memcmp(h, "PK\3\4", 4) == 0)
        return E_NOT_CSV_ZIP;
    if (s->headlen >= 8 && memcmp(h, ole2, 8) == 0)
        return E_NOT_CSV_OLE;
    /* Neither byte pair can begin CP932 text, so this guess is safe. */
    if (s->headlen >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
        *encoding = IO_ENC_UTF16;
        return E_UNDECODABLE;
    }
    /* Text has a stray control character at most; 1 in 32 is no text. */
    if (s->nul || s->controls * 32 > s->len)
        return E_NOT_CSV_BINARY;
    if (s->headlen >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
        *encoding = IO_ENC_UTF8_BOM;
    else if (!s->nonascii)
        *encoding = IO_ENC_ASCII;
    else if (!s->utf8_bad && s->need == 0)
        *encoding = IO_ENC_UTF8;
    else
        *encoding = IO_ENC_CP932;
    return 0;
}

int io_sniff(const void *buf, size_t len, enum io_encoding *encoding)
{
    struct sniff s = {0};
    sniff_feed(&s, buf, len);
    return sniff_verdict(&s, encoding);
}

/* Copies the run of ASCII bytes at *in, as far as *oleft holds them. */
static void ascii_run(char **in, size_t *ileft, char **out, size_t *oleft)
{
    const unsigned char *p = (const unsigned char *)*in;
    size_t max = *ileft < *oleft ? *ileft : *oleft, n = 0;
    for (uint64_t x; n + 8 <= max && (memcpy(&x, p + n, 8), !(x & 0x8080808080808080u));)
        n += 8;
    while (n < max && p[n] < 0x80)
        n++;
    memcpy(*out, p, n);
    *in += n;
    *ileft -= n;
    *out += n;
    *oleft -= n;
}

size_t io_utf8_copy(char **in, size_t *ileft, char **out, size_t *oleft)
{
    while (*ileft > 0) {
        ascii_run(in, ileft, out, oleft);
        if (*ileft == 0)
            break;
        const unsigned char *p = (const unsigned char *)*in;
        struct sniff s = {0};
        size_t len = 0;

        do
            sniff_utf8(&s, p[len++]);
        while (s.need > 0 && !s.utf8_bad && len < *ileft);
        if (s.utf8_bad || s.need > 0 || len > *oleft) {
            errno = s.utf8_bad ? EILSEQ : s.need > 0 ? EINVAL : E2BIG;
            return (size_t)-1;
        }
        memcpy(*out, p, len);
        *in += len;
        *ileft -= len;
        *out += len;
        *oleft -= len;
    }
    return 0;
}

/* CP932 to UTF-8 with iconv's contract (what it could not convert stays
 * in *in; E2BIG, EINVAL for a character cut at the end, EILSEQ).  A byte
 * below 0x80 that does not follow a lead byte is ASCII in CP932, so runs
 * of them are copied and only the runs in between go through iconv: most
 * of a call-record file is digits, times and commas (iconv was 7% of a
 * load). */
static size_t cp932_decode(iconv_t cd, char **in, size_t *ileft, char **out, size_t *oleft)
{
    while (*ileft > 0) {
        ascii_run(in, ileft, out, oleft);
        if (*ileft == 0)
            break;
        if (*oleft == 0) {
            errno = E2BIG;
            return (size_t)-1;
        }
        /* Up to the next character that is ASCII: a lead byte (0x81-0x9F,
         * 0xE0-0xFC) takes the byte after it, whatever that is. */
        const unsigned char *p = (const unsigned char *)*in;
        size_t m = 0;
        while (m < *ileft && p[m] >= 0x80)
            m += (p[m] >= 0x81 && p[m] <= 0x9F) || (p[m] >= 0xE0 && p[m] <= 0xFC) ? 2 : 1;
        if (m > *ileft)
            m = *ileft;
        size_t left = m;
        size_t rc = iconv(cd, in, &left, out, oleft);
        *ileft -= m - left;
        if (rc == (size_t)-1)
            return rc;
    }
    return 0;
}

/* ---- records ---- */

/* Input for the second pass: a buffer or a file. */
struct source {
    const unsigned char *mem;
    size_t memlen, pos;
    FILE *fp;
    bool checksum;
    struct core_digest sum; /* of every byte read, when checksum */
};

static size_t source_read(struct source *src, unsigned char *buf, size_t n)
{
    if (src->fp) {
        n = fread(buf, 1, n, src->fp);
    } else {
        if (n > src->memlen - src->pos)
            n = src->memlen - src->pos;
        if (n > 0)
            memcpy(buf, src->mem + src->pos, n);
        src->pos += n;
    }
    if (src->checksum)
        core_sha256_update(&src->sum, buf, n);
    return n;
}

struct reader {
    const struct io_csv_callbacks *cb;
    void *ctx;
    struct io_csv_result *res;
    char *text; /* the current row's fields, each NUL-terminated */
    size_t text_len, text_cap;
    size_t *starts; /* where each field begins in text */
    size_t nfields, starts_cap;
    char **fields;
    size_t fields_cap;
    long row;     /* 1-based row being read */
    int after_cr; /* the last row ended with CR, so an LF now completes a CRLF */
    int stop;     /* a code set inside libcsv's callbacks, which cannot return one */
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    void *p;

    if (r->stop)
        return;
    /* The file may have changed since it was sniffed; fields stay C strings. */
    if (len > 0 && memchr(s, '\0', len)) {
        r->stop = io_fail(r->res, E_NOT_CSV_BINARY, r->row, (int)r->nfields, -1);
        return;
    }
    if (!(p = io_grow(r->starts, &r->starts_cap, r->nfields + 1, sizeof *r->starts))) {
        r->stop = io_fail(r->res, E_NO_MEMORY, r->row, (int)r->nfields, -1);
        return;
    }
    r->starts = p;
    if (!(p = io_grow(r->text, &r->text_cap, r->text_len + len + 1, 1))) {
        r->stop = io_fail(r->res, E_NO_MEMORY, r->row, (int)r->nfields, -1);
        return;
    }
    r->text = p;
    if (len > 0)
        memcpy(r->text + r->text_len, s, len);
    r->text[r->text_len + len] = '\0';
    r->starts[r->nfields++] = r->text_len;
    r->text_len += len + 1;
}

static void on_row_end(int c, void *data)
{
    struct reader *r = data;
    void *p;
    int rc;

    if (r->stop)
        return;
    /* CSV_REPALL_NL reports the LF of a CRLF as an empty row of its own. */
    if (r->nfields == 0 && c == '\n' && r->after_cr) {
        r->after_cr = 0;
        return;
    }
    r->after_cr = c == '\r';
    if (r->nfields > 0) {
        if (!(p = io_grow(r->fields, &r->fields_cap, r->nfields, sizeof *r->fields))) {
            r->stop = io_fail(r->res, E_NO_MEMORY, r->row, -1, -1);
            return;
        }
        r->fields = p;
        for (size_t i = 0; i < r->nfields; i++)
            r->fields[i] = r->text + r->starts[i];
        rc = r->cb->on_record(r->ctx, r->row, r->nfields, r->fields);
        r->res->records++;
        if (rc)
            r->stop = io_fail(r->res, rc, r->row, -1, -1);
        r->nfields = 0;
        r->text_len = 0;
    }
    r->row++;
}

/* Bytes of raw input that decoded into the first n bytes of text. */
static long long raw_span(const unsigned char *raw, const char *text, size_t n, int cp932)
{
    size_t chars = 0, at = 0;

    if (!cp932)
        return (long long)n;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            chars++;
    while (chars-- > 0)
        at += ((raw[at] >= 0x81 && raw[at] <= 0x9F) || raw[at] >= 0xE0) ? 2 : 1;
    return (long long)at;
}

/* Parses decoded text; raw and raw_off are the bytes it came from. */
static int parse(struct reader *r, struct csv_parser *csv, const char *text, size_t n,
                 const unsigned char *raw, long long raw_off, int cp932)
{
    size_t done = csv_parse(csv, text, n, on_field, on_row_end, r);

    if (r->stop)
        return r->stop;
    if (done < n) {
        if (csv_error(csv) != CSV_EPARSE)
            return io_fail(r->res, E_NO_MEMORY, r->row, (int)r->nfields, -1);
        return io_fail(r->res, E_CSV_SYNTAX, r->row, (int)r->nfields,
                       raw_off + raw_span(raw, text, done, cp932));
    }
    return 0;
}

/* Decodes chunk by chunk, carrying a character split between two reads
 * over to the next one (iconv's EINVAL), and parses what was decoded. */
static int decode(struct reader *r, struct csv_parser *csv, iconv_t cd, struct source *src,
                  long long base, long long total, size_t chunk)
{
    int cp932 = r->res->encoding == IO_ENC_CP932;
    size_t outcap = 3 * chunk + 8, carry = 0;
    unsigned char *in = malloc(chunk + CARRY_MAX);
    char *out = malloc(outcap);
    int code = 0;

    if (!in || !out)
        code = io_fail(r->res, E_NO_MEMORY, 0, -1, -1);
    while (!code) {
        size_t n = source_read(src, in + carry, chunk), avail = carry + n, ileft = avail;
        char *ip = (char *)in;

        if (n == 0) {
            if (src->fp && ferror(src->fp)) {
                r->res->sys_errno = errno;
                code = io_fail(r->res, E_FILE_READ, 0, -1, base);
            } else if (carry > 0) {
                code = io_fail(r->res, E_UNDECODABLE, r->row, (int)r->nfields, base);
            }
            break;
        }
        while (ileft > 0 && !code) {
            char *op = out, *piece = ip;
            size_t oleft = outcap;
            size_t rc = cp932 ? cp932_decode(cd, &ip, &ileft, &op, &oleft)
                              : io_utf8_copy(&ip, &ileft, &op, &oleft);
            int err = errno;

            code = parse(r, csv, out, outcap - oleft, (unsigned char *)piece,
                         base + (piece - (char *)in), cp932);
            if (code || rc != (size_t)-1 || err == EINVAL)
                break;
            if (err != E2BIG) /* EILSEQ: not replaced, reported */
                code = io_fail(r->res, E_UNDECODABLE, r->row, (int)r->nfields,
                               base + (ip - (char *)in));
        }
        if (code)
            break;
        carry = ileft;
        memmove(in, ip, carry);
        base += (long long)(avail - carry);
        if (r->cb->on_progress)
            r->cb->on_progress(r->ctx, base, total);
    }
    free(in);
    free(out);
    return code;
}

/* The second pass, once the encoding is known. */
static int read_records(struct source *src, long long total, const struct io_csv_callbacks *cb,
                        void *ctx, struct io_csv_result *res)
{
    struct reader r = {.cb = cb, .ctx = ctx, .res = res, .row = 1};
    size_t chunk = cb->chunk_size ? cb->chunk_size : CHUNK_DEFAULT;
    long long base = 0;
    struct csv_parser csv;
    unsigned char bom[3];
    iconv_t cd;
    int code;

    if (chunk > CHUNK_MAX)
        chunk = CHUNK_MAX;
    src->checksum = cb->checksum;
    core_sha256_init(&src->sum);
    if (res->encoding == IO_ENC_UTF8_BOM)
        base = (long long)source_read(src, bom, sizeof bom);
    cd = res->encoding == IO_ENC_CP932 ? iconv_open("UTF-8", "CP932") : (iconv_t)-1;
    if (res->encoding == IO_ENC_CP932 && cd == (iconv_t)-1) {
        res->sys_errno = errno;
        return io_fail(res, E_UNDECODABLE, 0, -1, -1);
    }
    /* CSV_REPALL_NL: empty rows still count in the row numbers. */
    if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        return io_fail(res, E_NO_MEMORY, 0, -1, -1);
    }
    code = decode(&r, &csv, cd, src, base, total, chunk);
    if (!code) {
        if (csv_fini(&csv, on_field, on_row_end, &r) != 0)
            code = io_fail(res, E_CSV_SYNTAX, r.row, (int)r.nfields, -1);
        else if (r.stop)
            code = r.stop;
        else if (res->records == 0)
            code = io_fail(res, E_FILE_EMPTY, 0, -1, -1);
    }
    if (!code && src->checksum)
        core_sha256_hex(&src->sum, res->sha256);
    csv_free(&csv);
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(r.text);
    free(r.starts);
    free(r.fields);
    return code;
}

int io_csv_read_mem(const void *buf, size_t len, const struct io_csv_callbacks *cb, void *ctx,
                    struct io_csv_result *result)
{
    struct source src = {.mem = buf, .memlen = len};
    int code;

    io_result_init(result);
    code = io_sniff(buf, len, &result->encoding);
    if (code)
        return io_fail(result, code, 0, -1, code == E_UNDECODABLE ? 0 : -1);
    return read_records(&src, (long long)len, cb, ctx, result);
}

/* A pipe cannot be read twice: it is read into memory instead. */
static int read_unseekable(FILE *fp, const struct io_csv_callbacks *cb, void *ctx,
                           struct io_csv_result *result)
{
    unsigned char *buf = NULL, *p;
    size_t len = 0, cap = 0, n;
    int code;

    do {
        if (!(p = io_grow(buf, &cap, len + 65536, 1))) {
            free(buf);
            return io_fail(result, E_NO_MEMORY, 0, -1, -1);
        }
        buf = p;
        n = fread(buf + len, 1, cap - len, fp);
        len += n;
    } while (n > 0);
    if (ferror(fp)) {
        result->sys_errno = errno;
        code = io_fail(result, E_FILE_READ, 0, -1, (long long)len);
    } else {
        code = io_csv_read_mem(buf, len, cb, ctx, result);
    }
    free(buf);
    return code;
}

int io_csv_read_file(const char *path, const struct io_csv_callbacks *cb, void *ctx,
                     struct io_csv_result *result)
{
    FILE *fp = fopen(path, "rb");
    struct source src = {.fp = fp};
    struct sniff s = {0};
    unsigned char buf[4096];
    long total;
    size_t n;
    int code;

    io_result_init(result);
    if (!fp) {
        result->sys_errno = errno;
        return io_fail(result, E_FILE_READ, 0, -1, -1);
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (total = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        clearerr(fp);
        code = read_unseekable(fp, cb, ctx, result);
        fclose(fp);
        return code;
    }
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0 && !sniff_feed(&s, buf, n))
        ;
    if (ferror(fp) || fseek(fp, 0, SEEK_SET) != 0) {
        result->sys_errno = errno;
        code = io_fail(result, E_FILE_READ, 0, -1, -1);
    } else if ((code = sniff_verdict(&s, &result->encoding)) != 0) {
        io_fail(result, code, 0, -1, code == E_UNDECODABLE ? 0 : -1);
    } else {
        code = read_records(&src, total, cb, ctx, result);
    }
    fclose(fp);
    return code;
}
