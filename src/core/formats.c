/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV formats kascon reads and writes, column by column, in one place:
 * the extension files of 一括登録 / 一括削除 / 一括出力 (doc/spec.md §4) and
 * the call records (通信履歴, guide §6.5) in the native twelve columns A-L
 * and in Asterisk's cdr_csv layouts.  Bytes, encodings and quoting are
 * src/io's; this file maps fields to values and says what is wrong with
 * one, with its column. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cdr_internal.h"
#include "core/formats.h"

/* ---- extension files ---- */

/* 予約番号1: the guide's table says twelve zeros, its examples ten. */
bool core_extcsv_reserved_zeros(const char *v)
{
    size_t n = strlen(v);
    return n >= 10 && n <= 12 && strspn(v, "0") == n;
}

bool core_extcsv_reserved_zero_or_empty(const char *v)
{
    return !*v || !strcmp(v, "0");
}

/* ---- call records: native columns A-L ---- */

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return true;
    return false;
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
    if (!core_cdr_read_num(&p, 1, 3, &n) || *p || n > 127)
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

/* Time checks shared by both formats. */
static void check_times(struct tally *t, const char *const raw[3], struct core_cdr *out,
                        struct core_problems *problems, long row, const int columns[3])
{
    char *dst[3] = {out->call_time, out->answer_time, out->end_time};
    for (int i = 0; i < 3; i++) {
        dst[i][0] = '\0';
        if (!*raw[i] && i > 0)
            continue; /* a call never answered has no answer time */
        add(t, problems, core_cdr_normalize_time(raw[i], dst[i]), raw[i], columns[i], row);
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
            core_cdr_copy((char *)out + text[i].offset, text[i].size, v);
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
        core_cdr_copy(dst, CORE_CDR_NUMBER_MAX + 1, v);
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

/* ---- call records: writing ---- */

void core_cdr_to_native(const struct core_cdr *r, char cause[4],
                        const char *fields[CORE_CDR_COLUMNS])
{
    cause[0] = '\0';
    if (r->cause != CORE_CDR_CAUSE_NONE)
        snprintf(cause, 4, "%03u", (unsigned)r->cause % 1000u);
    const char *v[CORE_CDR_COLUMNS] = {
        r->call_time,    r->answer_time,
        r->end_time,     r->completed ? CORE_CDR_COMPLETED_TEXT : CORE_CDR_NOT_COMPLETED_TEXT,
        r->service,      r->received,
        r->caller,       r->callee,
        r->transferrer,  r->disconnect_type,
        r->disconnector, cause,
    };
    for (int i = 0; i < CORE_CDR_COLUMNS; i++)
        fields[i] = v[i];
}
