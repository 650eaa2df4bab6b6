/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call records: cause table, native row checks, Asterisk mapping, the
 * 30-character rule, paging and retention, and the secret-question lock. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/cdr.h"
#include "core/formats.h"
#include "ops/ops.h"
#include "fixture.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

static int native(const char *const in[12], struct core_cdr *out)
{
    struct core_problems pr;
    core_problems_init(&pr);
    int n = core_cdr_from_native((char *const *)in, out, &pr, 1);
    int code = n > 0 ? pr.items[0].code : n;
    core_problems_free(&pr);
    return code;
}

static void test_causes(void)
{
    const int *codes;
    size_t n = core_cdr_causes(&codes);
    tap_is(n, 10, "the guide lists ten cause codes");
    static const int want[] = {1, 16, 17, 18, 21, 34, 41, 42, 47, 63};
    for (size_t i = 0; i < n && i < 10; i++)
        tap_ok(codes[i] == want[i] && core_cdr_cause_msgid(codes[i]) != NULL,
               "cause %03d has a meaning", want[i]);
    tap_ok(core_cdr_cause_msgid(19) == NULL, "019 is shown by number only");
    tap_ok(core_cdr_cause_msgid(0) == NULL, "000 is shown by number only");
    tap_ok(core_cdr_column_letter(0) == 'A' && core_cdr_column_letter(11) == 'L' &&
               core_cdr_column_letter(-1) == '-',
           "column letters");
}

static void test_native(void)
{
    struct core_cdr r;
    const char *good[12] = {"2024/05/01 09:00:00",
                            "2024/05/01 09:00:05",
                            "2024/05/01 09:03:00",
                            "成立",
                            "転送",
                            "0312345678",
                            "09011112222",
                            "2001",
                            "2002",
                            "",
                            "2001",
                            "16"};
    tap_is(native(good, &r), 0, "a good native row");
    tap_ok(r.completed == 1 && r.cause == 16 && !strcmp(r.callee, "2001"), "fields mapped");
    const char *excel[12] = {
        "2024/5/1 9:00", "", "2024-05-01 09:01:00", "不成立", "", "", "", "", "", "", "", ""};
    tap_is(native(excel, &r), 0, "Excel's reformatted time is accepted");
    tap_ok(!strcmp(r.call_time, "2024/05/01 09:00:00") &&
               !strcmp(r.end_time, "2024/05/01 09:01:00"),
           "times normalised (%s)", r.call_time);
    tap_ok(r.completed == 0 && r.cause == CORE_CDR_CAUSE_NONE, "not completed, no cause");
    const char *leap[12] = {
        "2000/02/29 23:59:59", "", "", "不成立", "", "", "", "", "", "", "", ""};
    tap_is(native(leap, &r), 0, "29 February of a leap year is a date (2000)");
    leap[0] = "2024/12/31 00:00:00";
    tap_is(native(leap, &r), 0, "31 December is a date");
    static const struct {
        int column;
        const char *value;
        int want;
    } bad[] = {
        {0, "2024/02/30 09:00:00", E_CDR_TIME},
        {0, "2023/02/29 09:00:00", E_CDR_TIME},
        {0, "2100/02/29 09:00:00", E_CDR_TIME},
        {0, "2024/04/31 09:00:00", E_CDR_TIME},
        {0, "2024/13/01 09:00:00", E_CDR_TIME},
        {0, "yesterday", E_CDR_TIME},
        {1, "2024/05/01 08:59:59", E_CDR_TIME_ORDER},
        {3, "ok", E_CDR_CALL_TYPE},
        {6, "090-1111-2222", E_CDR_NUMBER},
        {7, "012345678901234567890123456789012", E_CDR_NUMBER},
        {11, "128", E_CDR_CAUSE},
        {11, "1a", E_CDR_CAUSE},
        {4,
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1\xef\xbc\xa1"
         "\xef\xbc\xa1\xef\xbc\xa1",
         E_CDR_TEXT_LONG},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *row[12];
        memcpy(row, good, sizeof row);
        row[bad[i].column] = bad[i].value;
        tap_is(native(row, &r), bad[i].want, "column %c refused with %d", 'A' + bad[i].column,
               bad[i].want);
    }
    /* Every problem of a row is reported, each with its column. */
    const char *two[12] = {"x", "", "", "maybe", "", "", "", "", "", "", "", "999"};
    struct core_problems pr;
    core_problems_init(&pr);
    tap_is(core_cdr_from_native((char *const *)two, &r, &pr, 7), 3, "three problems in one row");
    tap_ok(pr.count == 3 && pr.items[0].field == 0 && pr.items[1].field == 3 &&
               pr.items[2].field == 11 && pr.items[2].row == 7,
           "with columns A, D, L and the row");
    core_problems_free(&pr);
}

static int ast(char **f, int n, struct core_cdr *r, struct core_ast_layout *lay)
{
    struct core_problems pr;
    core_problems_init(&pr);
    int rc = core_cdr_ast_layout(f, n, lay);
    if (!rc) {
        int k = core_cdr_from_asterisk(f, n, lay, r, &pr, 1);
        rc = k > 0 ? pr.items[0].code : k;
    }
    core_problems_free(&pr);
    return rc;
}

static void test_asterisk(void)
{
    static const struct {
        const char *disposition;
        int completed, cause;
    } map[] = {{"ANSWERED", 1, 16},
               {"NO ANSWER", 0, 18},
               {"BUSY", 0, 17},
               {"FAILED", 0, 41},
               {"CONGESTION", 0, 34}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        int c = -1, k = -1;
        tap_is(core_cdr_disposition(map[i].disposition, &c, &k), 0, "%s known", map[i].disposition);
        tap_ok(c == map[i].completed && k == map[i].cause, "%s -> %d, %03d", map[i].disposition, c,
               k);
    }
    int c, k;
    tap_is(core_cdr_disposition("ANSWER", &c, &k), E_CDR_DISPOSITION, "unknown disposition");

    char *f[22] = {"",
                   "2001",
                   "0312345678",
                   "from-internal",
                   "\"Sato\" <2001>",
                   "SIP/2001-0001",
                   "SIP/trunk-0002",
                   "Dial",
                   "SIP/trunk/0312345678,30",
                   "2024-05-01 09:00:00",
                   "2024-05-01 09:00:07",
                   "2024-05-01 09:02:07",
                   "127",
                   "120",
                   "ANSWERED",
                   "DOCUMENTATION",
                   "1714521600.1",
                   "",
                   "",
                   "1714521600.1",
                   "5",
                   "17"};
    struct core_cdr r;
    struct core_ast_layout lay;
    tap_is(ast(f, 16, &r, &lay), 0, "16 columns");
    tap_ok(r.completed && r.cause == 16 && !strcmp(r.caller, "2001") &&
               !strcmp(r.callee, "0312345678") && !strcmp(r.call_time, "2024/05/01 09:00:00") &&
               !strcmp(r.answer_time, "2024/05/01 09:00:07"),
           "mapped to the native columns");
    tap_is(ast(f, 17, &r, &lay), 0, "17 columns with uniqueid");
    tap_ok(!lay.has_cause, "a uniqueid is not a cause");
    tap_is(ast(f, 18, &r, &lay), 0, "18 columns (default cdr.conf)");
    tap_is(ast(f, 21, &r, &lay), 0, "21 columns (newcdrcolumns)");
    tap_ok(!lay.has_cause && r.cause == 16, "sequence is not a cause");
    tap_is(ast(f, 22, &r, &lay), 0, "22 columns: cdr_custom with HANGUPCAUSE");
    tap_ok(lay.has_cause && r.cause == 17, "trailing cause wins (%03d)", r.cause);
    char *g[17];
    memcpy(g, f, sizeof g);
    g[14] = "NO ANSWER";
    g[10] = "";
    g[16] = "19";
    tap_is(ast(g, 17, &r, &lay), 0, "17 columns with a numeric last column");
    tap_ok(lay.has_cause && !r.completed && r.cause == 19 && !r.answer_time[0], "cause 019 taken");
    tap_is(ast(f, 15, &r, &lay), E_COLUMN_COUNT, "15 columns refused");
    g[1] = "anonymous";
    tap_is(ast(g, 16, &r, &lay), 0, "anonymous caller");
    tap_ok(r.caller[0] == '\0', "kept as no number");
}

/* n copies of s into buf (no strcat: the project's rule holds in tests). */
static void repeat(char *buf, size_t size, const char *s, int n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s", s);
}

static void test_text_rule(void)
{
    /* 30 characters of kana: 90 bytes, still allowed. */
    char kana[128], over[128], ascii[40];
    repeat(kana, sizeof kana, "あ", 30);
    repeat(over, sizeof over, "あ", 31);
    memset(ascii, 'a', 31);
    ascii[31] = '\0';
    tap_is(core_check_secret_text(kana), 0, "30 Japanese characters allowed");
    tap_is(core_check_secret_text(over), E_SECRET_LENGTH, "31 Japanese characters refused");
    tap_is(core_check_secret_text(ascii), E_SECRET_LENGTH, "31 ASCII characters refused");
    ascii[30] = '\0';
    tap_is(core_check_secret_text(ascii), 0, "30 ASCII characters allowed");
    tap_is(core_check_secret_text(""), E_EMPTY, "empty refused");
    tap_is(core_check_secret_text("\xff\xfe"), E_UNDECODABLE, "invalid UTF-8 refused");
    tap_is(core_utf8_chars("通信履歴"), 4, "four characters");
}

static void test_days(void)
{
    long n;
    char day[CORE_CDR_DAY_LEN + 1];
    tap_is(core_day_number("1970-01-01", &n), 0, "epoch day");
    tap_is(n, 0, "is day 0");
    core_day_number("2024-03-01", &n);
    core_day_text(n - 1, day);
    tap_ok(!strcmp(day, "2024-02-29"), "leap day (%s)", day);
    tap_is(core_check_day("2024-13-01"), E_CDR_DAY_FORMAT, "month 13 refused");
}

/* The viewer's filter: each bound checked, then their order. */
static void test_filter_range(void)
{
    char from[CORE_CDR_TIME_LEN + 1], to[CORE_CDR_TIME_LEN + 1];
    struct core_problems pr;
    core_problems_init(&pr);
    tap_is(core_cdr_check_range("2026-02-01", "2026/02/28 12:30", from, to, &pr), 0, "dates");
    tap_ok(!strcmp(from, "2026/02/01 00:00:00") && !strcmp(to, "2026/02/28 12:30:59"),
           "a date alone is the whole day (%s - %s)", from, to);
    tap_is(core_cdr_check_range("", "", from, to, &pr), 0, "empty bounds filter nothing");
    tap_ok(!from[0] && !to[0] && pr.count == 0, "... and stay empty");
    tap_is(core_cdr_check_range("2026-02-30", "", from, to, &pr), E_CDR_NO_SUCH_TIME,
           "2026-02-30 refused");
    tap_ok(pr.count == 1 && pr.items[0].field == 0, "... at the from field");
    core_problems_free(&pr);
    core_problems_init(&pr);
    tap_is(core_cdr_check_range("", "2026-13-01", from, to, &pr), E_CDR_NO_SUCH_TIME,
           "2026-13-01 refused");
    tap_ok(pr.count == 1 && pr.items[0].field == 1, "... at the to field");
    core_problems_free(&pr);
    core_problems_init(&pr);
    tap_is(core_cdr_check_range("2026/03/02", "2026/03/01", from, to, &pr), E_CDR_RANGE,
           "from after to refused");
    tap_is(core_cdr_check_range("2026/03/01 25:00", "", from, to, &pr), E_CDR_NO_SUCH_TIME,
           "hour 25 refused");
    tap_is(core_cdr_check_range("20260301", "", from, to, &pr), E_CDR_TIME,
           "a date without separators is malformed");
    tap_is(core_cdr_check_range("2026/03/01", "2026-03-01", from, to, &pr), 0,
           "one day as both bounds");
    core_problems_free(&pr);
}

static int count_files(const struct store_cdr_file *f, void *ctx)
{
    (void)f;
    ++*(int *)ctx;
    return 0;
}

static void test_store(struct store *st, int64_t site)
{
    /* Over 40,000 records of one day: two parts. */
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_cdr_result res;
    /* Late in the day: demo records stop at the present. */
    setenv("KASCON_NOW", "1714575599", 1); /* 2024-05-01 23:59:59 JST */
    setenv("TZ", "JST-9", 1);
    tap_is(ops_cdr_demo(
               TEST_CTX(st, 0),
               &(struct ops_cdr_demo_request){"tokyo.example.jp", 1, CORE_CDR_FILE_MAX + 100, 7},
               &pr, &res),
           0, "demo of 40,100 calls");
    tap_ok(res.loaded > CORE_CDR_FILE_MAX && res.loaded < CORE_CDR_FILE_MAX + 100,
           "all but the calls still going at 23:59:59 (%ld)", res.loaded);
    tap_is(res.files, 2, "a day over 40,000 records has two parts");
    struct store_cdr_file f1, f2;
    tap_is(store_cdr_file_find(st, site, "2024-05-01", 1, &f1), 0, "part 1");
    tap_is(store_cdr_file_find(st, site, "2024-05-01", 2, &f2), 0, "part 2");
    tap_is(f1.records, CORE_CDR_FILE_MAX, "part 1 is full");
    tap_is(f2.records, res.loaded - CORE_CDR_FILE_MAX, "part 2 has the rest");

    struct core_cdr page[50];
    int count = 0;
    tap_is(store_cdr_page(st, f1.id, NULL, STORE_PAGE_FIRST, 0, page, 50, &count), 0, "first page");
    tap_ok(count == 50 && page[0].seq == 1 && page[49].seq == 50, "records 1-50");
    int64_t last = page[49].seq;
    store_cdr_page(st, f1.id, NULL, STORE_PAGE_NEXT, last, page, 50, &count);
    tap_ok(count == 50 && page[0].seq == 51, "next page starts at 51");
    store_cdr_page(st, f1.id, NULL, STORE_PAGE_PREV, page[0].seq, page, 50, &count);
    tap_ok(count == 50 && page[0].seq == 1 && page[49].seq == 50, "previous page is 1-50 again");
    store_cdr_page(st, f1.id, NULL, STORE_PAGE_LAST, 0, page, 50, &count);
    tap_ok(count == 50 && page[49].seq == CORE_CDR_FILE_MAX, "last page ends at 40,000");
    struct store_cdr_filter busy = {NULL, NULL, NULL, 0, 17};
    store_cdr_page(st, f1.id, &busy, STORE_PAGE_FIRST, 0, page, 50, &count);
    bool all = count == 50;
    for (int i = 0; i < count; i++)
        all = all && page[i].cause == 17 && !page[i].completed;
    tap_ok(all, "cause filter: 50 busy calls");
    struct store_cdr_filter range = {"2024/05/01 13:00:00", "2024/05/01 13:59:59", "20", -1, -1};
    store_cdr_page(st, f1.id, &range, STORE_PAGE_FIRST, 0, page, 50, &count);
    all = count > 0;
    for (int i = 0; i < count; i++)
        all = all && strncmp(page[i].call_time, "2024/05/01 13", 13) == 0 &&
              (strstr(page[i].caller, "20") || strstr(page[i].callee, "20") ||
               strstr(page[i].received, "20") || strstr(page[i].transferrer, "20"));
    tap_ok(all, "time range and number filter (%d rows)", count);

    /* Retention: 92 days later the day is gone. */
    setenv("KASCON_NOW", "1722481200", 1); /* 2024-08-01 12:00: oldest kept is 2024-05-02 */
    int files = 0;
    long records = 0;
    tap_is(ops_cdr_purge(TEST_CTX(st, 0), &files, &records), 0, "purge");
    tap_ok(files == 2 && records == res.loaded, "both parts deleted (%d, %ld)", files, records);
    int left = 0;
    store_cdr_files(st, site, count_files, &left);
    tap_is(left, 0, "no files left");
    char oldest[CORE_CDR_DAY_LEN + 1];
    ops_cdr_oldest_day(1722481200, oldest);
    tap_ok(!strcmp(oldest, "2024-05-02"), "92 days kept: today and 91 before (%s)", oldest);
    core_problems_free(&pr);
}

static void test_secret(struct store *st, int64_t site)
{
    struct core_problem p;
    setenv("KASCON_NOW", "1714532400", 1);
    tap_is(ops_secret_verify(TEST_CTX(st, site), "x", &p), E_SECRET_NOT_SET, "no question yet");
    tap_is(ops_secret_set(TEST_CTX(st, site), NULL, "最初のペットの名前は？", "ポチ", &p), 0,
           "first setting needs no current answer");
    tap_is(ops_secret_set(TEST_CTX(st, site), "タマ", "新しい質問", "ミケ", &p), E_SECRET_WRONG,
           "a change needs the current answer");
    tap_is(p.field, 0, "... reported on the current-answer field");
    tap_is(ops_secret_set(TEST_CTX(st, site), "ポチ", "新しい質問", "ミケ", &p), 0,
           "change with the answer");
    char long_q[128];
    repeat(long_q, sizeof long_q, "字", 31);
    tap_is(ops_secret_set(TEST_CTX(st, site), "ミケ", long_q, "ミケ", &p), E_SECRET_LENGTH,
           "31-character question refused");
    tap_is(p.field, 1, "... on the question field");
    tap_is(ops_secret_verify(TEST_CTX(st, site), "ミケ", &p), 0, "right answer opens the history");
    struct store_secret s;
    store_secret_get(st, site, &s);
    tap_ok(!strncmp(s.answer_hash, "$y$", 3) && !strstr(s.answer_hash, "ミケ"),
           "answer kept as yescrypt hash");
    tap_is(ops_secret_verify(TEST_CTX(st, site), "a", &p), E_SECRET_WRONG, "wrong 1");
    tap_is(ops_secret_verify(TEST_CTX(st, site), "b", &p), E_SECRET_WRONG, "wrong 2");
    tap_is(ops_secret_verify(TEST_CTX(st, site), "c", &p), E_SECRET_LOCKED, "wrong 3 locks");
    tap_is(ops_secret_verify(TEST_CTX(st, site), "ミケ", &p), E_SECRET_LOCKED,
           "locked: right answer refused");
    tap_is(ops_secret_set(TEST_CTX(st, site), "ミケ", "q", "a", &p), E_SECRET_LOCKED,
           "locked: no change either");
    setenv("KASCON_NOW", "1714536000", 1); /* 60 minutes later */
    tap_is(ops_secret_verify(TEST_CTX(st, site), "ミケ", &p), 0, "unlocked after 60 minutes");
    store_secret_get(st, site, &s);
    tap_is(s.failures, 0, "failures reset by success");
    store_begin(st);
    store_site_reset_secret(st, site, &op);
    store_commit(st);
    tap_is(ops_secret_verify(TEST_CTX(st, site), "ミケ", &p), E_SECRET_NOT_SET,
           "operator reset clears it");
}

int main(void)
{
    test_causes();
    test_native();
    test_asterisk();
    test_text_rule();
    test_days();
    test_filter_range();

    char dir[] = "/tmp/kascon-cdr-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    tap_is(store_open(path, &st), 0, "open");
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_site_input in = {.domain = "tokyo.example.jp", .capacity = "10"};
    int64_t site = 0;
    tap_is(ops_site_add(TEST_CTX(st, 0), &in, &pr, &site), 0, "site");
    core_problems_free(&pr);
    test_store(st, site);
    test_secret(st, site);
    store_close(st);
    test_remove_dir(dir);
    return tap_done();
}
