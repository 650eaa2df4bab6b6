/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include "core/cdr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cdr_internal.h"
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

void core_cdr_civil_from_days(long z, long *y, long *m, long *d)
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
void core_cdr_format_time(char out[CORE_CDR_TIME_LEN + 1], long y, long mo, long d, long h, long mi,
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

/* The Gregorian calendar's month lengths (it runs for every time loaded). */
static bool valid_date(long y, long m, long d)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

/* Reads 1..max digits at *p. */
bool core_cdr_read_num(const char **p, int min, int max, long *out)
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
    if (!core_cdr_read_num(&p, 4, 4, &y) || (*p != '-' && *p != '/'))
        return -1;
    char sep = *p++;
    if (!core_cdr_read_num(&p, 2, 2, &m) || *p++ != sep || !core_cdr_read_num(&p, 2, 2, &d) || *p)
        return -1;
    if (!valid_date(y, m, d))
        return -1;
    *out = days_from_civil(y, m, d);
    return 0;
}

void core_day_text(long number, char out[CORE_CDR_DAY_LEN + 1])
{
    long y, m, d;
    core_cdr_civil_from_days(number, &y, &m, &d);
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
int core_cdr_normalize_time(const char *in, char out[CORE_CDR_TIME_LEN + 1])
{
    const char *p = in;
    long y, mo, d, h, mi, s = 0;
    if (!core_cdr_read_num(&p, 4, 4, &y) || (*p != '/' && *p != '-'))
        return E_CDR_TIME;
    char sep = *p++;
    if (!core_cdr_read_num(&p, 1, 2, &mo) || *p++ != sep || !core_cdr_read_num(&p, 1, 2, &d))
        return E_CDR_TIME;
    if (*p != ' ' && *p != 'T')
        return E_CDR_TIME;
    p++;
    if (!core_cdr_read_num(&p, 1, 2, &h) || *p++ != ':' || !core_cdr_read_num(&p, 2, 2, &mi))
        return E_CDR_TIME;
    if (*p == ':') {
        p++;
        if (!core_cdr_read_num(&p, 2, 2, &s))
            return E_CDR_TIME;
    }
    if (*p || !valid_date(y, mo, d) || h > 23 || mi > 59 || s > 59)
        return E_CDR_TIME;
    core_cdr_format_time(out, y, mo, d, h, mi, s);
    return CORE_OK;
}

/* One bound of the viewer's filter; see core_cdr_check_range. */
static int filter_time(const char *in, bool end, char out[CORE_CDR_TIME_LEN + 1])
{
    const char *p = in;
    long y, mo, d, h = end ? 23 : 0, mi = end ? 59 : 0, s = end ? 59 : 0;
    if (!core_cdr_read_num(&p, 4, 4, &y) || (*p != '/' && *p != '-'))
        return E_CDR_TIME;
    char sep = *p++;
    if (!core_cdr_read_num(&p, 1, 2, &mo) || *p++ != sep || !core_cdr_read_num(&p, 1, 2, &d))
        return E_CDR_TIME;
    if (*p == ' ') {
        p++;
        if (!core_cdr_read_num(&p, 1, 2, &h) || *p++ != ':' || !core_cdr_read_num(&p, 2, 2, &mi))
            return E_CDR_TIME;
        s = end ? 59 : 0;
        if (*p == ':') {
            p++;
            if (!core_cdr_read_num(&p, 2, 2, &s))
                return E_CDR_TIME;
        }
    }
    if (*p)
        return E_CDR_TIME;
    if (!valid_date(y, mo, d) || h > 23 || mi > 59 || s > 59)
        return E_CDR_NO_SUCH_TIME;
    core_cdr_format_time(out, y, mo, d, h, mi, s);
    return CORE_OK;
}

int core_cdr_check_range(const char *from, const char *to, char from_out[CORE_CDR_TIME_LEN + 1],
                         char to_out[CORE_CDR_TIME_LEN + 1], struct core_problems *problems)
{
    const char *in[2] = {from ? from : "", to ? to : ""};
    char *out[2] = {from_out, to_out};
    int first = CORE_OK;
    for (int i = 0; i < 2; i++) {
        out[i][0] = '\0';
        int rc = in[i][0] ? filter_time(in[i], i == 1, out[i]) : CORE_OK;
        if (rc) {
            out[i][0] = '\0';
            core_problems_add_code(problems, rc, in[i], i);
            if (!first)
                first = rc;
        }
    }
    if (!first && from_out[0] && to_out[0] && strcmp(from_out, to_out) > 0) {
        first = E_CDR_RANGE;
        core_problems_add_code(problems, first, in[0], 0);
    }
    return first;
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

int core_check_secret_text(const char *text)
{
    if (!text || !*text)
        return E_EMPTY;
    long n = core_utf8_chars(text);
    if (n < 0)
        return E_UNDECODABLE;
    return n > CORE_SECRET_CHARS ? E_SECRET_LENGTH : CORE_OK;
}

/* Bounded copy; by hand rather than snprintf: it runs 12 times a record. */
void core_cdr_copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

void core_cdr_oldest_day(int64_t now, char out[CORE_CDR_DAY_LEN + 1])
{
    /* Days are the site's local calendar days (the records' times are
     * local), so "today" comes from localtime, not UTC. */
    time_t t = (time_t)now;
    struct tm tm;
    localtime_r(&t, &tm);
    char today[48];
    snprintf(today, sizeof today, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    long n = 0;
    core_day_number(today, &n);
    core_day_text(n - (CORE_CDR_KEEP_DAYS - 1), out);
}
