/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include "core/cdr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* The guide's table (§6.5), in its order.  Its wording is kept in ja.po. */
static const struct {
    int code;
    const char *msgid;
} causes[] = {
    {1, N_("number does not exist / wrong number dialled")},
    {16, N_("normal clearing after a call / normal clearing after dialling, before the other party"
            " answered / normal clearing by the network after an announcement")},
    {17, N_("user busy (on an iPhone: Do Not Disturb or call blocking is on)")},
    {18, N_("no answer from the called user (ringing timed out)")},
    {21, N_("no answer from the out-of-coverage forwarding destination")},
    {34, N_("a call to a mobile extension whose forwarding destination was set to an outside number"
            " by mistake / simultaneous calls of the contracted VoIP-GW/SIP-GW exceeded")},
    {41, N_("channels available on the contracted access line exceeded")},
    {42, N_("temporary lack of resources (on an iPhone: Do Not Disturb or call blocking is on)")},
    {47, N_("called user out of coverage (the caller hung up during the announcement)")},
    {63,
     N_("no call to pick up or to answer from park / called mobile extension is roaming abroad"
        " / called user is in public (drive) mode / no answer 160 seconds after ringing a mobile"
        " extension / call blocking set on the handset (Android and feature phones)")},
};
static const int cause_codes[] = {1, 16, 17, 18, 21, 34, 41, 42, 47, 63};

const char *core_cdr_cause_msgid(int cause)
{
    for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++)
        if (causes[i].code == cause)
            return causes[i].msgid;
    return NULL;
}

size_t core_cdr_causes(const int **codes)
{
    *codes = cause_codes;
    return sizeof cause_codes / sizeof cause_codes[0];
}

char core_cdr_column_letter(int column)
{
    return column >= 0 && column < 26 ? (char)('A' + column) : '-';
}

/* ---- dates ---- */

/* Days from civil date (proleptic Gregorian); H. Hinnant's algorithm, so
 * no dependence on the C library's time zone. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Writes v as exactly `width` digits (callers pass values in range). */
static char *put_digits(char *p, long v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* "YYYY/MM/DD HH:MM:SS"; by hand because it runs for every record loaded. */
static void format_time(char out[CORE_CDR_TIME_LEN + 1], long y, long mo, long d, long h, long mi,
                        long s)
{
    char *p = put_digits(out, y, 4);
    *p++ = '/';
    p = put_digits(p, mo, 2);
    *p++ = '/';
    p = put_digits(p, d, 2);
    *p++ = ' ';
    p = put_digits(p, h, 2);
    *p++ = ':';
    p = put_digits(p, mi, 2);
    *p++ = ':';
    p = put_digits(p, s, 2);
    *p = '\0';
}

static bool valid_date(long y, long m, long d)
{
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    long yy, mm, dd;
    civil_from_days(days_from_civil(y, m, d), &yy, &mm, &dd);
    return yy == y && mm == m && dd == d;
}

/* Reads 1..max digits at *p. */
static bool read_num(const char **p, int min, int max, long *out)
{
    long v = 0;
    int n = 0;
    while (**p >= '0' && **p <= '9' && n < max) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *out = v;
    return n >= min;
}

int core_day_number(const char *day, long *out)
{
    const char *p = day;
    long y, m, d;
    if (!read_num(&p, 4, 4, &y) || (*p != '-' && *p != '/'))
        return -1;
    char sep = *p++;
    if (!read_num(&p, 2, 2, &m) || *p++ != sep || !read_num(&p, 2, 2, &d) || *p)
        return -1;
    if (!valid_date(y, m, d))
        return -1;
    *out = days_from_civil(y, m, d);
    return 0;
}

void core_day_text(long number, char out[CORE_CDR_DAY_LEN + 1])
{
    long y, m, d;
    civil_from_days(number, &y, &m, &d);
    char *p = put_digits(out, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p = '\0';
}

int core_check_day(const char *day)
{
    long n;
    return day && core_day_number(day, &n) == 0 ? CORE_OK : E_CDR_DAY_FORMAT;
}

void core_cdr_day(const struct core_cdr *rec, char day[CORE_CDR_DAY_LEN + 1])
{
    memcpy(day, rec->call_time, CORE_CDR_DAY_LEN);
    day[4] = day[7] = '-';
    day[CORE_CDR_DAY_LEN] = '\0';
}

/* Accepts "YYYY/MM/DD HH:MM:SS" and "YYYY-MM-DD HH:MM:SS", and also what
 * Excel makes of them when a file passes through it ("2024/5/1 9:05",
 * seconds dropped, no leading zeros); writes the canonical form. */
static int normalize_time(const char *in, char out[CORE_CDR_TIME_LEN + 1])
{
    const char *p = in;
    long y, mo, d, h, mi, s = 0;
    if (!read_num(&p, 4, 4, &y) || (*p != '/' && *p != '-'))
        return E_CDR_TIME;
    char sep = *p++;
    if (!read_num(&p, 1, 2, &mo) || *p++ != sep || !read_num(&p, 1, 2, &d))
        return E_CDR_TIME;
    if (*p != ' ' && *p != 'T')
        return E_CDR_TIME;
    p++;
    if (!read_num(&p, 1, 2, &h) || *p++ != ':' || !read_num(&p, 2, 2, &mi))
        return E_CDR_TIME;
    if (*p == ':') {
        p++;
        if (!read_num(&p, 2, 2, &s))
            return E_CDR_TIME;
    }
    if (*p || !valid_date(y, mo, d) || h > 23 || mi > 59 || s > 59)
        return E_CDR_TIME;
    format_time(out, y, mo, d, h, mi, s);
    return CORE_OK;
}

/* ---- fields ---- */

long core_utf8_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    long n = 0;
    while (*p) {
        int len = *p < 0x80             ? 1
                  : (*p & 0xE0) == 0xC0 ? 2
                  : (*p & 0xF0) == 0xE0 ? 3
                  : (*p & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (len == 0 || (len == 2 && *p < 0xC2))
            return -1;
        for (int i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80)
                return -1;
        p += len;
        n++;
    }
    return n;
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return true;
    return false;
}

int core_check_secret_text(const char *text)
{
    if (!text || !*text)
        return E_EMPTY;
    long n = core_utf8_chars(text);
    if (n < 0)
        return E_UNDECODABLE;
    return n > CORE_SECRET_CHARS ? E_SECRET_LENGTH : CORE_OK;
}

static int check_number(const char *v)
{
    size_t n = strlen(v);
    if (n > CORE_CDR_NUMBER_MAX)
        return E_CDR_NUMBER;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '*' || v[i] == '#' || v[i] == '+'))
            return E_CDR_NUMBER;
    return CORE_OK;
}

static int check_text(const char *v)
{
    long n = core_utf8_chars(v);
    if (n < 0)
        return E_UNDECODABLE;
    if (has_control(v))
        return E_CDR_TEXT_LONG;
    return n > CORE_CDR_TEXT_CHARS ? E_CDR_TEXT_LONG : CORE_OK;
}

static int parse_cause(const char *v, int *out)
{
    if (!*v) {
        *out = CORE_CDR_CAUSE_NONE;
        return CORE_OK;
    }
    const char *p = v;
    long n;
    if (!read_num(&p, 1, 3, &n) || *p || n > 127)
        return E_CDR_CAUSE;
    *out = (int)n;
    return CORE_OK;
}

static int parse_call_type(const char *v, int *out)
{
    if (!strcmp(v, CORE_CDR_COMPLETED_TEXT) || !strcmp(v, "completed") || !strcmp(v, "1")) {
        *out = 1;
        return CORE_OK;
    }
    if (!strcmp(v, CORE_CDR_NOT_COMPLETED_TEXT) || !strcmp(v, "not completed") || !strcmp(v, "0")) {
        *out = 0;
        return CORE_OK;
    }
    return E_CDR_CALL_TYPE;
}

/* Records a problem; returns 1 (counted) or -1 on no memory. */
static int report(struct core_problems *problems, int code, const char *value, int column, long row)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    p.field = column;
    p.row = row;
    return core_problems_add(problems, &p) ? 1 : -1;
}

struct tally {
    int count;
    bool nomem;
};

static void add(struct tally *t, struct core_problems *problems, int code, const char *value,
                int column, long row)
{
    if (!code)
        return;
    if (report(problems, code, value, column, row) < 0)
        t->nomem = true;
    t->count++;
}

/* Bounded copy; by hand rather than snprintf: it runs 12 times a record. */
static void copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Time checks shared by both formats. */
static void check_times(struct tally *t, const char *const raw[3], struct core_cdr *out,
                        struct core_problems *problems, long row, const int columns[3])
{
    char *dst[3] = {out->call_time, out->answer_time, out->end_time};
    for (int i = 0; i < 3; i++) {
        dst[i][0] = '\0';
        if (!*raw[i] && i > 0)
            continue; /* a call never answered has no answer time */
        add(t, problems, normalize_time(raw[i], dst[i]), raw[i], columns[i], row);
    }
    if (t->count)
        return;
    if ((out->answer_time[0] && strcmp(out->answer_time, out->call_time) < 0) ||
        (out->end_time[0] && strcmp(out->end_time, out->call_time) < 0))
        add(t, problems, E_CDR_TIME_ORDER, out->end_time,
            out->answer_time[0] && strcmp(out->answer_time, out->call_time) < 0 ? columns[1]
                                                                                : columns[2],
            row);
}

int core_cdr_from_native(char *const *fields, struct core_cdr *out, struct core_problems *problems,
                         long row)
{
    struct tally t = {0, false};
    memset(out, 0, sizeof *out);
    const char *times[3] = {fields[CDR_COL_CALL_TIME], fields[CDR_COL_ANSWER_TIME],
                            fields[CDR_COL_END_TIME]};
    static const int time_cols[3] = {CDR_COL_CALL_TIME, CDR_COL_ANSWER_TIME, CDR_COL_END_TIME};
    check_times(&t, times, out, problems, row, time_cols);
    add(&t, problems, parse_call_type(fields[CDR_COL_CALL_TYPE], &out->completed),
        fields[CDR_COL_CALL_TYPE], CDR_COL_CALL_TYPE, row);
    static const struct {
        int column;
        size_t offset, size;
        bool number;
    } text[] = {
        {CDR_COL_SERVICE, offsetof(struct core_cdr, service), CORE_CDR_TEXT_BYTES, false},
        {CDR_COL_RECEIVED, offsetof(struct core_cdr, received), CORE_CDR_NUMBER_MAX + 1, true},
        {CDR_COL_CALLER, offsetof(struct core_cdr, caller), CORE_CDR_NUMBER_MAX + 1, true},
        {CDR_COL_CALLEE, offsetof(struct core_cdr, callee), CORE_CDR_NUMBER_MAX + 1, true},
        {CDR_COL_TRANSFERRER, offsetof(struct core_cdr, transferrer), CORE_CDR_NUMBER_MAX + 1,
         true},
        {CDR_COL_DISCONNECT, offsetof(struct core_cdr, disconnect_type), CORE_CDR_TEXT_BYTES,
         false},
        {CDR_COL_DISCONNECTOR, offsetof(struct core_cdr, disconnector), CORE_CDR_NUMBER_MAX + 1,
         true},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        const char *v = fields[text[i].column];
        int rc = text[i].number ? check_number(v) : check_text(v);
        add(&t, problems, rc, v, text[i].column, row);
        if (!rc)
            copy((char *)out + text[i].offset, text[i].size, v);
    }
    add(&t, problems, parse_cause(fields[CDR_COL_CAUSE], &out->cause), fields[CDR_COL_CAUSE],
        CDR_COL_CAUSE, row);
    return t.nomem ? -1 : t.count;
}

/* ---- Asterisk ---- */

enum {
    AST_SRC = 1,
    AST_DST = 2,
    AST_START = 9,
    AST_ANSWER = 10,
    AST_END = 11,
    AST_DISPOSITION = 14,
    AST_BASE_COLUMNS = 16,
};

/* Asterisk's dispositions (cdr.c, ast_cdr_disp2str) mapped to 呼種別 and
 * the cause the guide's users know for that outcome:
 *   ANSWERED   -> completed, 016 normal clearing
 *   NO ANSWER  -> not completed, 018: the guide's "no answer (ringing timed
 *                 out)"; Asterisk's own cause would be 19, which the guide
 *                 does not list, while Office Link reports ring timeouts as 018
 *   BUSY       -> not completed, 017 user busy
 *   CONGESTION -> not completed, 034 no circuit/channel available, which the
 *                 guide explains as the gateway's channels being exceeded
 *   FAILED     -> not completed, 041 temporary failure (the guide: the access
 *                 line's channels exceeded); the real cause varies, so a
 *                 hangup-cause column, where present, wins over all of these. */
int core_cdr_disposition(const char *disposition, int *completed, int *cause)
{
    static const struct {
        const char *name;
        int completed, cause;
    } map[] = {
        {"ANSWERED", 1, 16},   {"NO ANSWER", 0, 18}, {"BUSY", 0, 17},
        {"CONGESTION", 0, 34}, {"FAILED", 0, 41},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (!strcmp(disposition, map[i].name)) {
            *completed = map[i].completed;
            *cause = map[i].cause;
            return CORE_OK;
        }
    }
    return E_CDR_DISPOSITION;
}

static bool is_small_number(const char *v)
{
    int c;
    return parse_cause(v, &c) == CORE_OK && c != CORE_CDR_CAUSE_NONE;
}

/* A uniqueid or linkedid: "1700000000.12", possibly after a system name. */
static bool is_uniqueid(const char *v)
{
    return strchr(v, '.') != NULL;
}

int core_cdr_ast_layout(char *const *fields, int count, struct core_ast_layout *out)
{
    out->columns = count;
    out->has_cause = false;
    switch (count) {
    case 16: /* plain */
    case 18: /* loguniqueid + loguserfield: the default cdr.conf */
    case 20: /* loguniqueid + newcdrcolumns */
    case 21: /* all three options */
        return CORE_OK;
    case 17: /* loguniqueid, or a cdr_custom 16 + ${HANGUPCAUSE} */
        out->has_cause = !is_uniqueid(fields[16]) && is_small_number(fields[16]);
        return CORE_OK;
    case 19: /* newcdrcolumns (linkedid at 17), or 18 + ${HANGUPCAUSE} */
        out->has_cause = !is_uniqueid(fields[17]) && is_small_number(fields[18]);
        return CORE_OK;
    case 22: /* 21 + ${HANGUPCAUSE} */
        out->has_cause = true;
        return CORE_OK;
    default:
        return E_COLUMN_COUNT;
    }
}

/* Asterisk numbers may be "anonymous", "s" or a SIP URI part: kept only
 * when they are numbers in the sense of the guide's columns. */
static void ast_number(char *dst, const char *v)
{
    if (check_number(v) == CORE_OK)
        copy(dst, CORE_CDR_NUMBER_MAX + 1, v);
    else
        dst[0] = '\0';
}

int core_cdr_from_asterisk(char *const *fields, int count, const struct core_ast_layout *layout,
                           struct core_cdr *out, struct core_problems *problems, long row)
{
    struct tally t = {0, false};
    memset(out, 0, sizeof *out);
    if (count != layout->columns) {
        char got[16];
        snprintf(got, sizeof got, "%d", count);
        add(&t, problems, E_COLUMN_COUNT, got, -1, row);
        return t.nomem ? -1 : t.count;
    }
    const char *times[3] = {fields[AST_START], fields[AST_ANSWER], fields[AST_END]};
    static const int time_cols[3] = {AST_START, AST_ANSWER, AST_END};
    check_times(&t, times, out, problems, row, time_cols);
    int cause = CORE_CDR_CAUSE_NONE;
    add(&t, problems, core_cdr_disposition(fields[AST_DISPOSITION], &out->completed, &cause),
        fields[AST_DISPOSITION], AST_DISPOSITION, row);
    if (layout->has_cause && *fields[count - 1])
        add(&t, problems, parse_cause(fields[count - 1], &cause), fields[count - 1], count - 1,
            row);
    out->cause = cause;
    if (!out->completed)
        out->answer_time[0] = '\0'; /* older Asterisk writes the start time there */
    ast_number(out->caller, fields[AST_SRC]);
    ast_number(out->callee, fields[AST_DST]);
    ast_number(out->received, fields[AST_DST]);
    return t.nomem ? -1 : t.count;
}

/* ---- demo traffic ---- */

void core_rng_seed(struct core_rng *rng, uint64_t seed)
{
    rng->state = seed * 2 + 1;
}

/* PCG-XSH-RR 32: small, fast and good enough for traffic patterns. */
uint32_t core_rng_next(struct core_rng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * 6364136223846793005ULL + 1442695040888963407ULL;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

static uint32_t below(struct core_rng *rng, uint32_t n)
{
    return n ? core_rng_next(rng) % n : 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void core_cdr_demo_times(struct core_rng *rng, int *seconds, size_t n)
{
    /* Relative call volume per hour of an office: a morning peak, a lunch
     * dip, an afternoon peak, quiet nights. */
    static const int weight[24] = {1, 1,  1,  1,  1,  1,  2, 4, 9, 16, 18, 17,
                                   8, 15, 17, 17, 16, 12, 6, 3, 2, 1,  1,  1};
    int total = 0;
    for (int h = 0; h < 24; h++)
        total += weight[h];
    for (size_t i = 0; i < n; i++) {
        int r = (int)below(rng, (uint32_t)total), h = 0;
        while (r >= weight[h])
            r -= weight[h++];
        seconds[i] = h * 3600 + (int)below(rng, 3600);
    }
    qsort(seconds, n, sizeof *seconds, cmp_int);
}

static void time_at(const char *day, long second, char out[CORE_CDR_TIME_LEN + 1])
{
    long dn = 0;
    core_day_number(day, &dn);
    dn += second / 86400;
    second %= 86400;
    long y, m, d;
    civil_from_days(dn, &y, &m, &d);
    format_time(out, y % 10000, m, d, second / 3600, second / 60 % 60, second % 60);
}

static void outside_number(struct core_rng *rng, char *out)
{
    /* Prefix and total length: fixed lines are 10 digits, mobiles 11. */
    static const struct {
        const char *prefix;
        int length;
    } kinds[] = {{"03", 10},  {"06", 10},  {"045", 10}, {"052", 10},
                 {"090", 11}, {"080", 11}, {"070", 11}, {"0120", 10}};
    size_t k = below(rng, sizeof kinds / sizeof kinds[0]);
    int len = snprintf(out, CORE_CDR_NUMBER_MAX + 1, "%s", kinds[k].prefix);
    while (len < kinds[k].length)
        out[len++] = (char)('0' + below(rng, 10));
    out[len] = '\0';
}

static const char *pick_ext(struct core_rng *rng, const struct core_cdr_demo_numbers *nums)
{
    if (!nums->extension_count)
        return "2001";
    return nums->extensions[below(rng, (uint32_t)nums->extension_count)];
}

void core_cdr_demo_record(struct core_rng *rng, const char *day, int second,
                          const struct core_cdr_demo_numbers *nums, struct core_cdr *out)
{
    memset(out, 0, sizeof *out);
    time_at(day, second, out->call_time);
    uint32_t kind = below(rng, 100);
    if (kind < 40) { /* internal */
        copy(out->caller, sizeof out->caller, pick_ext(rng, nums));
        copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        copy(out->received, sizeof out->received, out->callee);
    } else if (kind < 75) { /* incoming from outside */
        outside_number(rng, out->caller);
        copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        copy(out->received, sizeof out->received, nums->site_number ? nums->site_number : "");
    } else { /* outgoing */
        copy(out->caller, sizeof out->caller, pick_ext(rng, nums));
        outside_number(rng, out->callee);
        copy(out->received, sizeof out->received, out->callee);
    }
    uint32_t outcome = below(rng, 100);
    static const struct {
        int upto, cause;
    } mix[] = {{67, 16}, {79, 18}, {87, 17}, {90, 1},  {93, 47},  {95, 63},
               {96, 21}, {97, 41}, {98, 42}, {99, 34}, {100, -16}};
    int cause = 16;
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++) {
        if ((int)outcome < mix[i].upto) {
            cause = mix[i].cause;
            break;
        }
    }
    long ring = 3 + below(rng, 20);
    if (cause == 16) {
        long talk = 10 + below(rng, 240) + (below(rng, 4) == 0 ? below(rng, 1500) : 0);
        out->completed = 1;
        time_at(day, second + ring, out->answer_time);
        time_at(day, second + ring + talk, out->end_time);
        uint32_t extra = below(rng, 100);
        if (extra < 5 && kind >= 40 && kind < 75) {
            copy(out->service, sizeof out->service, CORE_CDR_SERVICE_TRANSFER);
            copy(out->transferrer, sizeof out->transferrer, out->callee);
            copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        } else if (extra < 8 && kind < 75) {
            copy(out->service, sizeof out->service, CORE_CDR_SERVICE_PICKUP);
            copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        }
        copy(out->disconnector, sizeof out->disconnector,
             below(rng, 2) ? out->caller : out->callee);
    } else {
        /* Not completed: a busy line fails at once, the rest after ringing
         * or an announcement; -16 is a caller who gave up (016). */
        long lasts = cause == 17 || cause == 1 ? 1 + below(rng, 3)
                     : cause == 18             ? 30 + below(rng, 30)
                                               : ring;
        time_at(day, second + lasts, out->end_time);
        if (cause == 1)
            snprintf(out->callee, sizeof out->callee, "%u", 9000 + below(rng, 999));
        copy(out->disconnector, sizeof out->disconnector,
             cause == -16 || cause == 47 ? out->caller : "");
        cause = cause < 0 ? -cause : cause;
    }
    out->cause = cause;
}
