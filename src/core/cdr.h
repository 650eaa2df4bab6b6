/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call records (通信履歴, doc/spec.md §3.7, guide §6.5): the twelve columns A-L,
 * the cause-code table, the checks of a native CSV row, the mapping of
 * Asterisk's cdr_csv records, the secret-question text rule and the demo
 * traffic generator.  Pure functions: no I/O, no clock. */
#ifndef KASCON_CORE_CDR_H
#define KASCON_CORE_CDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/problem.h"

#define CORE_CDR_COLUMNS 12
#define CORE_CDR_FILE_MAX 40000 /* records of one file (guide §6.4) */
#define CORE_CDR_KEEP_DAYS 92   /* days of files kept (guide §6.4) */
#define CORE_CDR_TIME_LEN 19    /* "YYYY/MM/DD HH:MM:SS" */
#define CORE_CDR_DAY_LEN 10     /* "YYYY-MM-DD" */
#define CORE_CDR_NUMBER_MAX 32
#define CORE_CDR_TEXT_CHARS 64 /* requested service, disconnect type */
#define CORE_CDR_TEXT_BYTES (CORE_CDR_TEXT_CHARS * 4 + 1)
#define CORE_CDR_CAUSE_NONE (-1)
#define CORE_SECRET_CHARS 30 /* question and answer (guide §6.3) */

/* 呼種別 as written in the native CSV: the guide's own words. */
#define CORE_CDR_COMPLETED_TEXT "成立"
#define CORE_CDR_NOT_COMPLETED_TEXT "不成立"
/* 要求サービス values of the demo traffic (data, like the words above). */
#define CORE_CDR_SERVICE_TRANSFER "転送"
#define CORE_CDR_SERVICE_PICKUP "ピックアップ"

enum core_cdr_column {
    CDR_COL_CALL_TIME,    /* A 発呼時刻 */
    CDR_COL_ANSWER_TIME,  /* B 通話開始時刻 */
    CDR_COL_END_TIME,     /* C 終話時刻 */
    CDR_COL_CALL_TYPE,    /* D 呼種別 */
    CDR_COL_SERVICE,      /* E 要求サービス */
    CDR_COL_RECEIVED,     /* F 受信番号 */
    CDR_COL_CALLER,       /* G 発信者番号 */
    CDR_COL_CALLEE,       /* H 着信者番号 */
    CDR_COL_TRANSFERRER,  /* I 転送者番号 */
    CDR_COL_DISCONNECT,   /* J 切断種別 */
    CDR_COL_DISCONNECTOR, /* K 切断者番号 */
    CDR_COL_CAUSE,        /* L 切断理由 */
};

struct core_cdr {
    int64_t seq; /* position in its file, 1-based; set by the store */
    char call_time[CORE_CDR_TIME_LEN + 1];
    char answer_time[CORE_CDR_TIME_LEN + 1]; /* empty when never answered */
    char end_time[CORE_CDR_TIME_LEN + 1];
    int completed; /* 1 成立, 0 不成立 */
    char service[CORE_CDR_TEXT_BYTES];
    char received[CORE_CDR_NUMBER_MAX + 1];
    char caller[CORE_CDR_NUMBER_MAX + 1];
    char callee[CORE_CDR_NUMBER_MAX + 1];
    char transferrer[CORE_CDR_NUMBER_MAX + 1];
    char disconnect_type[CORE_CDR_TEXT_BYTES];
    char disconnector[CORE_CDR_NUMBER_MAX + 1];
    int cause; /* Q.850 code 0-127, or CORE_CDR_CAUSE_NONE */
};

/* The explanation of a cause code (guide §6.5), or NULL for a code the
 * guide does not list (front ends then show the number alone). */
const char *core_cdr_cause_msgid(int cause);
/* The codes the guide lists, in order; returns their count. */
size_t core_cdr_causes(const int **codes);
/* Column letter A-L of a native column (for ROW:COL reports). */
char core_cdr_column_letter(int column);

/* The mapping of CSV columns to a record (native and Asterisk) is in
 * core/formats.h, next to the extension files' columns. */

/* "YYYY-MM-DD" of a record (its call time's date). */
void core_cdr_day(const struct core_cdr *rec, char day[CORE_CDR_DAY_LEN + 1]);
/* Days since 1970-01-01 for a "YYYY-MM-DD" (or "YYYY/MM/DD") date, and
 * back.  Returns 0, or -1 for a malformed or impossible date. */
int core_day_number(const char *day, long *out);
void core_day_text(long number, char out[CORE_CDR_DAY_LEN + 1]);
/* The first day kept at `now` (local time): today and the 91 days before. */
void core_cdr_oldest_day(int64_t now, char out[CORE_CDR_DAY_LEN + 1]);
/* Checks a day argument typed by a user; E_CDR_DAY_FORMAT when bad. */
int core_check_day(const char *day);

/* The viewer's filter (通信履歴参照): a bound as typed, "YYYY/MM/DD" or
 * "YYYY-MM-DD", optionally followed by " HH:MM" or " HH:MM:SS", in the
 * canonical "YYYY/MM/DD HH:MM:SS"; a date alone stands for its first
 * second (from) or its last (to).  Either bound may be empty (out[0] is
 * then '\0').  Problems go to field 0 (from) or 1 (to): E_CDR_TIME when
 * malformed, E_CDR_NO_SUCH_TIME for 2026-02-30 or 2026-13-01, and
 * E_CDR_RANGE (at field 0) when from is after to.  Returns the first code,
 * or CORE_OK. */
int core_cdr_check_range(const char *from, const char *to, char from_out[CORE_CDR_TIME_LEN + 1],
                         char to_out[CORE_CDR_TIME_LEN + 1], struct core_problems *problems);

/* Secret question and answer: 1 to 30 characters (UTF-8, counted as
 * characters).  E_EMPTY, E_SECRET_LENGTH or E_UNDECODABLE. */
int core_check_secret_text(const char *text);
/* Characters of valid UTF-8, or -1 when it is not valid UTF-8. */
long core_utf8_chars(const char *s);

/* Demo traffic.  A small deterministic generator, so that a demo and the
 * benchmark are reproducible from a seed. */
struct core_rng {
    uint64_t state;
};
void core_rng_seed(struct core_rng *rng, uint64_t seed);
uint32_t core_rng_next(struct core_rng *rng);

struct core_cdr_demo_numbers {
    char (*extensions)[CORE_CDR_NUMBER_MAX + 1]; /* the site's extensions */
    size_t extension_count;
    const char *site_number; /* received number of outside calls */
};
/* Fills seconds[0..n-1] with the call times of one day's traffic, in
 * seconds after midnight, ascending: office-hours peaks, a lunch dip,
 * quiet nights. */
void core_cdr_demo_times(struct core_rng *rng, int *seconds, size_t n);
/* One call starting at `second` of day "YYYY-MM-DD": about two thirds
 * answered; busy, no-answer, wrong-number and out-of-coverage causes; some
 * transfers and pickups; internal and outside calls. */
void core_cdr_demo_record(struct core_rng *rng, const char *day, int second,
                          const struct core_cdr_demo_numbers *nums, struct core_cdr *out);

#endif
