/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The io module on byte fixtures: every fixture is spelled out in bytes, so
 * the tests do not depend on the encoding of this source file. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "io/io.h"

/* "内線" and "①" in CP932 and in UTF-8. */
#define NAISEN_SJIS "\x93\xE0\x90\xFC"
#define NAISEN_UTF8 "\xE5\x86\x85\xE7\xB7\x9A"
#define MARU1_SJIS "\x87\x40"
#define MARU1_UTF8 "\xE2\x91\xA0"
#define WAVE_SJIS "\x81\x60"
#define FULLWIDTH_TILDE_UTF8 "\xEF\xBD\x9E" /* what Excel meant by 0x8160 */
#define IDEOGRAPHIC_SPACE_UTF8 "\xE3\x80\x80"

/* Records flattened to "ROW:F1|F2\n", CR and LF in fields shown as \r \n. */
struct collect {
    char text[4096];
    size_t len;
    int stop_at; /* record number whose callback returns 42, or 0 */
    long long progress_done, progress_total;
    int progress_calls;
};

static void put(struct collect *c, const char *s)
{
    size_t n = strlen(s);
    if (c->len + n < sizeof c->text) {
        memcpy(c->text + c->len, s, n + 1);
        c->len += n;
    }
}

static int on_record(void *ctx, long record_no, size_t nfields, char **fields)
{
    struct collect *c = ctx;
    char num[32];

    snprintf(num, sizeof num, "%ld:", record_no);
    put(c, num);
    for (size_t i = 0; i < nfields; i++) {
        if (i > 0)
            put(c, "|");
        for (const char *p = fields[i]; *p; p++) {
            char ch[2] = {*p, 0};
            put(c, *p == '\r' ? "\\r" : *p == '\n' ? "\\n" : ch);
        }
    }
    put(c, "\n");
    return record_no == c->stop_at ? 42 : 0;
}

static void on_progress(void *ctx, long long done, long long total)
{
    struct collect *c = ctx;
    c->progress_done = done;
    c->progress_total = total;
    c->progress_calls++;
}

static int read_mem(const char *bytes, size_t len, size_t chunk, struct collect *c,
                    struct io_csv_result *res)
{
    struct io_csv_callbacks cb = {on_record, on_progress, chunk, false};
    int stop_at = c->stop_at;
    memset(c, 0, sizeof *c);
    c->stop_at = stop_at;
    return io_csv_read_mem(bytes, len, &cb, c, res);
}

/* Reads a string literal fixture and compares the records. */
#define READS(lit, want, ...)                                                                      \
    do {                                                                                           \
        struct collect c_ = {0};                                                                   \
        struct io_csv_result r_;                                                                   \
        int rc_ = read_mem(lit, sizeof lit - 1, 0, &c_, &r_);                                      \
        if (!tap_ok(rc_ == 0 && strcmp(c_.text, want) == 0, __VA_ARGS__))                          \
            printf("#   code %d, got:\n%s#   want:\n%s", rc_, c_.text, want);                      \
    } while (0)

static void test_sniff(void)
{
    static const char zip[] = "PK\3\4\x14\0\0\0\x08\0";
    static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
    static const char utf16[] = "\xFF\xFE"
                                "2\0"
                                "0\0"
                                "0\0";
    enum io_encoding enc;

    tap_is(io_sniff(zip, sizeof zip - 1, &enc), E_NOT_CSV_ZIP, "sniff: ZIP (.xlsx) refused");
    tap_is(io_sniff(ole, sizeof ole - 1, &enc), E_NOT_CSV_OLE,
           "sniff: OLE2 (encrypted Office) refused");
    tap_is(io_sniff("200,\0\n", 6, &enc), E_NOT_CSV_BINARY, "sniff: NUL byte is binary");
    tap_is(io_sniff("\x01\x02\x03\x04,a\n", 7, &enc), E_NOT_CSV_BINARY,
           "sniff: control characters are binary");
    tap_is(io_sniff("200,09012345678,\x1B\n0123456789012345678901234567890123456789\n", 58, &enc),
           0, "sniff: one stray control character is still text");
    tap_is(io_sniff("", 0, &enc), E_FILE_EMPTY, "sniff: empty file");
    tap_is(io_sniff(utf16, sizeof utf16 - 1, &enc), E_UNDECODABLE, "sniff: UTF-16 refused");
    tap_is(enc, IO_ENC_UTF16, "sniff: UTF-16 named");
    io_sniff("\xEF\xBB\xBF"
             "200\r\n",
             8, &enc);
    tap_is(enc, IO_ENC_UTF8_BOM, "sniff: UTF-8 with BOM");
    io_sniff(NAISEN_UTF8 ",1\r\n", 10, &enc);
    tap_is(enc, IO_ENC_UTF8, "sniff: UTF-8 without BOM");
    io_sniff("200,09012345678\r\n", 17, &enc);
    tap_is(enc, IO_ENC_ASCII, "sniff: pure ASCII");
    io_sniff(NAISEN_SJIS ",1\r\n", 8, &enc);
    tap_is(enc, IO_ENC_CP932, "sniff: CP932");
    io_sniff("\xE0\x80\x80", 3, &enc);
    tap_is(enc, IO_ENC_CP932, "sniff: overlong UTF-8 is not UTF-8");
    tap_ok(strcmp(io_encoding_name(IO_ENC_CP932), "Shift_JIS (CP932)") == 0, "encoding name");
}

static void test_decode(void)
{
    static const char sjis[] = NAISEN_SJIS "," MARU1_SJIS ",\\," WAVE_SJIS ",\xB1\r\n";
    struct collect c = {0};
    struct io_csv_result res;
    int ok = 1;

    READS(sjis, "1:" NAISEN_UTF8 "|" MARU1_UTF8 "|\\|" FULLWIDTH_TILDE_UTF8 "|\xEF\xBD\xB1\n",
          "CP932: kanji, circled 1, backslash stays 0x5C, 0x8160 is U+FF5E, half-width kana");
    read_mem(sjis, sizeof sjis - 1, 0, &c, &res);
    tap_is(res.encoding, IO_ENC_CP932, "CP932 detected");
    tap_is(res.records, 1, "one record read");
    /* Every chunk size splits some 2-byte character between two reads. */
    for (size_t chunk = 1; chunk <= 9; chunk++) {
        struct collect c2 = {0};
        read_mem(sjis, sizeof sjis - 1, chunk, &c2, &res);
        ok &= res.code == 0 && strcmp(c2.text, c.text) == 0;
    }
    tap_ok(ok, "CP932: characters split across chunks of 1..9 bytes decode the same");
    READS("\xEF\xBB\xBF" NAISEN_UTF8 ",1\r\n", "1:" NAISEN_UTF8 "|1\n", "UTF-8 BOM stripped");
    READS(NAISEN_UTF8 "," MARU1_UTF8 "\n", "1:" NAISEN_UTF8 "|" MARU1_UTF8 "\n",
          "UTF-8 without BOM");
    read_mem(NAISEN_UTF8 "\n", 7, 2, &c, &res);
    tap_ok(res.code == 0 && res.encoding == IO_ENC_UTF8 &&
               strcmp(c.text, "1:" NAISEN_UTF8 "\n") == 0,
           "UTF-8 split across chunks of 2 bytes");
    tap_is(c.progress_done, 7, "progress reaches the total");
    tap_ok(c.progress_total == 7 && c.progress_calls >= 3, "progress reported per chunk");
}

static void test_records(void)
{
    READS("a,b\r\nc\rd\ne", "1:a|b\n2:c\n3:d\n4:e\n",
          "CRLF, CR and LF all end rows; last row without one");
    READS("a\n\nb\r\n\r\nc\r\r\n", "1:a\n3:b\n5:c\n", "empty lines skipped but counted");
    READS(",,\n", "1:||\n", "a line of commas is a record of empty fields");
    READS("\"x,y\",\"l1\r\nl2\",z\nnext\n", "1:x,y|l1\\r\\nl2|z\n2:next\n",
          "quoted comma and line break; the row number does not advance inside quotes");
    READS("\"say \"\"hi\"\"\",\"\"\n", "1:say \"hi\"|\n", "doubled quotes, empty quoted field");
    READS("200 , 09012345678 ,\t0000000000\t\r\n", "1:200|09012345678|0000000000\n",
          "blanks around unquoted fields trimmed (the guide's delete example)");
    READS("\" a \", \"b\" ,c\n", "1: a |b|c\n", "blanks inside quotes kept, outside dropped");
    READS(IDEOGRAPHIC_SPACE_UTF8 "200" IDEOGRAPHIC_SPACE_UTF8 ",x\n",
          "1:" IDEOGRAPHIC_SPACE_UTF8 "200" IDEOGRAPHIC_SPACE_UTF8 "|x\n",
          "full-width space kept for the core to report");
}

static void test_errors(void)
{
    static const char bad3[] = NAISEN_SJIS ",1\r\n200,2\r\n300,\x80x\r\n400,4\r\n";
    static const char bad_bom[] = "\xEF\xBB\xBF"
                                  "a\nb,\xFF\n";
    static const char quote_in_field[] = NAISEN_SJIS ",1\n2,b\"c\n";
    struct collect c = {0};
    struct io_csv_result res;

    tap_is(read_mem(bad3, sizeof bad3 - 1, 0, &c, &res), E_UNDECODABLE,
           "undecodable CP932 byte refused");
    tap_is(res.record, 3, "undecodable byte: row 3");
    tap_is(res.field, 1, "undecodable byte: column B");
    tap_is(res.offset, 19, "undecodable byte: byte offset");
    read_mem(bad3, sizeof bad3 - 1, 3, &c, &res);
    tap_ok(res.code == E_UNDECODABLE && res.record == 3 && res.offset == 19,
           "undecodable byte: same with 3-byte chunks");
    read_mem(NAISEN_SJIS "\n\x93", 6, 0, &c, &res);
    tap_ok(res.code == E_UNDECODABLE && res.record == 2 && res.offset == 5,
           "truncated character at end of file");
    read_mem(bad_bom, sizeof bad_bom - 1, 0, &c, &res);
    tap_ok(res.code == E_UNDECODABLE && res.record == 2 && res.field == 1 && res.offset == 7,
           "bad byte after a UTF-8 BOM");
    /* glibc's iconv takes this (beyond U+10FFFF) as UTF-8; the core must not. */
    read_mem("\xEF\xBB\xBF"
             "\xF4\x90\x80\x80\n",
             8, 0, &c, &res);
    tap_ok(res.code == E_UNDECODABLE && res.record == 1 && res.offset == 3,
           "UTF-8 beyond U+10FFFF refused");
    read_mem("a,b\nc,\"d\ne,f\n", 13, 0, &c, &res);
    tap_ok(res.code == E_CSV_SYNTAX && res.record == 2 && res.field == 1,
           "unbalanced quote: row where it opened");
    read_mem(quote_in_field, sizeof quote_in_field - 1, 0, &c, &res);
    tap_ok(res.code == E_CSV_SYNTAX && res.record == 2 && res.field == 1 && res.offset == 10,
           "quote inside an unquoted field (CP932 offsets)");
    read_mem("\"a\"b,c\n", 7, 0, &c, &res);
    tap_ok(res.code == E_CSV_SYNTAX && res.record == 1 && res.offset == 3,
           "text after a closing quote");
    read_mem("\r\n\r\n", 4, 0, &c, &res);
    tap_is(res.code, E_FILE_EMPTY, "only empty lines: empty file");
    read_mem("\xEF\xBB\xBF", 3, 0, &c, &res);
    tap_is(res.code, E_FILE_EMPTY, "only a BOM: empty file");
    read_mem("PK\3\4\x14\0", 6, 0, &c, &res);
    tap_ok(res.code == E_NOT_CSV_ZIP && c.len == 0, "reader refuses ZIP before any record");
    c.stop_at = 2;
    tap_is(read_mem("a\nb\nc\n", 6, 0, &c, &res), 42, "a callback's code stops reading");
    tap_ok(res.record == 2 && res.records == 2 && strcmp(c.text, "1:a\n2:b\n") == 0,
           "no record after the stop");
}

static void test_file(void)
{
    char path[64];
    struct io_csv_callbacks cb = {on_record, on_progress, 0, false};
    struct collect c = {0};
    struct io_csv_result res;
    int pfd[2];
    FILE *fp;

    /* A UTF-8 character across the 4096-byte reads of the sniffing pass. */
    snprintf(path, sizeof path, "/tmp/io_test_%ld.csv", (long)getpid());
    fp = fopen(path, "wb");
    for (int i = 0; i < 4095; i++)
        fputc(i % 64 == 63 ? '\n' : 'a', fp);
    fputs(MARU1_UTF8 "\n", fp);
    fclose(fp);
    io_csv_read_file(path, &cb, &c, &res);
    tap_ok(res.code == 0 && res.encoding == IO_ENC_UTF8 && res.records == 64,
           "file: UTF-8 across the sniffing reads");
    tap_is(c.progress_done, 4099, "file: progress counts every byte");
    remove(path);
    /* A pipe, like /dev/stdin under ssh: read into memory, not twice. */
    if (pipe(pfd) == 0) {
        ssize_t wr = write(pfd[1], NAISEN_SJIS ",1\r\n", 8);
        close(pfd[1]);
        memset(&c, 0, sizeof c);
        snprintf(path, sizeof path, "/dev/fd/%d", pfd[0]);
        io_csv_read_file(path, &cb, &c, &res);
        close(pfd[0]);
        tap_ok(wr == 8 && res.code == 0 && res.encoding == IO_ENC_CP932 &&
                   strcmp(c.text, "1:" NAISEN_UTF8 "|1\n") == 0,
               "file: a pipe is read too");
    }
    memset(&c, 0, sizeof c);
    io_csv_read_file("/nonexistent/kascon.csv", &cb, &c, &res);
    tap_ok(res.code == E_FILE_READ && res.sys_errno == ENOENT, "file: missing file is E_FILE_READ");
}

/* Writes records to a temporary file and returns its bytes. */
static size_t write_records(enum io_encoding enc, const char *const *const *recs, size_t nrecs,
                            const size_t *nfields, char *out, size_t outsz,
                            struct io_csv_result *res)
{
    FILE *fp = tmpfile();
    struct io_csv_writer *w;
    size_t n = 0;

    if (io_csv_writer_open(&w, fp, enc, res) == 0) {
        for (size_t i = 0; i < nrecs; i++)
            if (io_csv_write_record(w, nfields[i], recs[i], res) != 0)
                break;
        if (res->code == 0)
            io_csv_writer_close(w, res);
        else
            io_csv_writer_close(w, &(struct io_csv_result){0});
    }
    rewind(fp);
    n = fread(out, 1, outsz, fp);
    fclose(fp);
    return n;
}

static void test_writer(void)
{
    static const char *const r1[] = {NAISEN_UTF8, "a,b", "say \"hi\"",         " lead",   "trail\t",
                                     "x\r\ny",    "",    FULLWIDTH_TILDE_UTF8, MARU1_UTF8};
    static const char *const r2[] = {""};
    static const char *const r3[] = {"200", "09012345678", NULL};
    static const char *const *const recs[] = {r1, r2, r3};
    static const size_t nf[] = {9, 1, 3};
    static const char want_rows[] =
        "1:" NAISEN_UTF8 "|a,b|say \"hi\"| lead|trail\t|x\\r\\ny||" FULLWIDTH_TILDE_UTF8
        "|" MARU1_UTF8 "\n2:\n3:200|09012345678|\n";
    static const char want_sjis[] =
        NAISEN_SJIS ",\"a,b\",\"say \"\"hi\"\"\",\" lead\",\"trail\t\","
                    "\"x\r\ny\",," WAVE_SJIS "," MARU1_SJIS "\r\n\"\"\r\n200,09012345678,\r\n";
    static const char *const bad1[] = {"200"};
    static const char *const bad2[] = {"300", "\xF0\x9F\x98\x80"}; /* an emoji: no CP932 form */
    static const char *const *const bad[] = {bad1, bad2};
    static const size_t badnf[] = {1, 2};
    struct collect c = {0};
    struct io_csv_result res;
    char buf[512];
    size_t n;

    n = write_records(IO_ENC_CP932, recs, 3, nf, buf, sizeof buf, &res);
    tap_ok(res.code == 0 && n == sizeof want_sjis - 1 && memcmp(buf, want_sjis, n) == 0,
           "writer: CP932 bytes, quotes where needed, CRLF");
    read_mem(buf, n, 0, &c, &res);
    tap_ok(res.code == 0 && strcmp(c.text, want_rows) == 0, "writer: CP932 round trip");
    n = write_records(IO_ENC_UTF8, recs, 3, nf, buf, sizeof buf, &res);
    read_mem(buf, n, 0, &c, &res);
    tap_ok(res.code == 0 && res.encoding == IO_ENC_UTF8 && strcmp(c.text, want_rows) == 0,
           "writer: UTF-8 round trip");
    n = write_records(IO_ENC_UTF8_BOM, recs, 3, nf, buf, sizeof buf, &res);
    read_mem(buf, n, 0, &c, &res);
    tap_ok(memcmp(buf, "\xEF\xBB\xBF" NAISEN_UTF8, 9) == 0 && res.encoding == IO_ENC_UTF8_BOM &&
               strcmp(c.text, want_rows) == 0,
           "writer: UTF-8 with BOM round trip");
    n = write_records(IO_ENC_CP932, bad, 2, badnf, buf, sizeof buf, &res);
    tap_ok(res.code == E_UNENCODABLE && res.record == 2 && res.field == 1,
           "writer: no CP932 form names record 2, column B");
    tap_ok(n == 5 && memcmp(buf, "200\r\n", 5) == 0, "writer: nothing of the bad record written");
    n = write_records(IO_ENC_UTF8,
                      (const char *const *const[]){(const char *const[]){"\xF4\x90\x80\x80"}}, 1,
                      (const size_t[]){1}, buf, sizeof buf, &res);
    tap_ok(res.code == E_UNENCODABLE && n == 0, "writer: invalid UTF-8 refused");
    tap_is(io_csv_writer_open(&(struct io_csv_writer *){0}, stdout, IO_ENC_ASCII, &res),
           E_UNENCODABLE, "writer: only CP932 and UTF-8 written");
}

/* The checksum a bulk operation's audit entry names: what sha256sum prints,
 * whatever the chunk size, with the BOM counted. */
static void test_checksum(void)
{
    struct collect c = {0};
    struct io_csv_result res;
    static const char abc[] = "abc\r\n";
    struct io_csv_callbacks cb = {on_record, NULL, 1, true};
    io_csv_read_mem(abc, sizeof abc - 1, &cb, &c, &res);
    tap_ok(
        res.code == 0 &&
            !strcmp(res.sha256, "552bab6864c7a7b69a502ed1854b9245c0e1a30f008aaa0b281da62585fdb025"),
        "checksum: SHA-256 of the whole file, in 1-byte chunks");
    static char big[70000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = i % 40 == 39 ? '\n' : (char)('a' + i % 26);
    memset(&c, 0, sizeof c);
    cb.chunk_size = 0;
    io_csv_read_mem(big, sizeof big, &cb, &c, &res);
    tap_ok(
        res.code == 0 &&
            !strcmp(res.sha256, "9dc90f6a2fa50451e99aa39d0c36f77e6cd56cbc39f8e436ed0be2533513c124"),
        "checksum: 70,000 bytes across 64 KiB reads");
    static const char bom[] = "\xEF\xBB\xBFx\n";
    io_csv_read_mem(bom, sizeof bom - 1, &cb, &c, &res);
    tap_ok(
        res.code == 0 &&
            !strcmp(res.sha256, "dc79faf9efbee8e42b42346da7a977c74a27581ae8f3465f431176f43e521415"),
        "checksum: the BOM is part of the file");
}

/* What kasconctl's --encoding accepts, for ext export and cdr export alike. */
static void test_encoding_names(void)
{
    static const struct {
        const char *name;
        int rc;
        enum io_encoding encoding;
    } v[] = {
        {"cp932", 0, IO_ENC_CP932},     {"CP932", 0, IO_ENC_CP932},     {"sjis", 0, IO_ENC_CP932},
        {"Shift_JIS", 0, IO_ENC_CP932}, {"utf-8", 0, IO_ENC_UTF8},      {"UTF-8", 0, IO_ENC_UTF8},
        {"utf8", 0, IO_ENC_UTF8},       {"euc-jp", -1, IO_ENC_UNKNOWN}, {"", -1, IO_ENC_UNKNOWN}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        enum io_encoding e = IO_ENC_UNKNOWN;
        int rc = io_encoding_parse(v[i].name, &e);
        tap_ok(rc == v[i].rc && e == v[i].encoding, "--encoding \"%s\" %s%s", v[i].name,
               v[i].rc ? "is refused" : "names ", v[i].rc ? "" : io_encoding_name(v[i].encoding));
    }
}

int main(void)
{
    test_sniff();
    test_decode();
    test_records();
    test_errors();
    test_file();
    test_writer();
    test_checksum();
    test_encoding_names();
    return tap_done() || tap_failed != 0;
}
