/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV formats kascon reads and writes, column by column: the extension
 * files (一括登録, 一括削除, 一括出力; doc/spec.md §4) and the call records
 * (通信履歴; native columns A-L and Asterisk's cdr_csv).  src/io turns
 * bytes into UTF-8 fields and back; these say what each column is. */
#ifndef KASCON_CORE_FORMATS_H
#define KASCON_CORE_FORMATS_H

#include <stdbool.h>

#include "core/cdr.h"
#include "core/problem.h"

/* ---- extension files ---- */

/* Columns A-J of the register format; 一括登録 also takes the first two
 * alone, 一括削除 the first three (or all ten, as 一括出力 writes them). */
enum core_extcsv_column {
    CORE_EXTCSV_EXT,
    CORE_EXTCSV_MOBILE,
    CORE_EXTCSV_RES1,
    CORE_EXTCSV_SIP_ID,
    CORE_EXTCSV_SIP_PW,
    CORE_EXTCSV_RES2,
    CORE_EXTCSV_RES3,
    CORE_EXTCSV_WEB_USER,
    CORE_EXTCSV_WEB_PW,
    CORE_EXTCSV_RES4
};
#define CORE_EXTCSV_REGISTER 10
#define CORE_EXTCSV_SHORT 2
#define CORE_EXTCSV_DELETE 3
/* What 一括出力 writes in the reserved columns C (予約番号1) and F, G, J. */
#define CORE_EXTCSV_RES1_VALUE "0000000000"
#define CORE_EXTCSV_RES_VALUE "0"
/* 予約番号1 (C): ten to twelve zeros; F, G and J: "0" or empty. */
bool core_extcsv_reserved_zeros(const char *v);
bool core_extcsv_reserved_zero_or_empty(const char *v);

/* ---- call records ---- */

/* Checks and normalises one native row of CORE_CDR_COLUMNS fields (UTF-8).
 * Every problem goes to *problems with field set to the column; returns
 * the number of problems added (0: *out is filled), or -1 on no memory. */
int core_cdr_from_native(char *const *fields, struct core_cdr *out, struct core_problems *problems,
                         long row);

/* Asterisk cdr_csv Master.csv layouts.  Columns 0-15 are always
 * accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
 * lastdata, start, answer, end, duration, billsec, disposition, amaflags;
 * then, as configured: uniqueid (loguniqueid), userfield (loguserfield),
 * peeraccount, linkedid, sequence (newcdrcolumns), and for cdr_custom
 * templates a trailing ${HANGUPCAUSE}. */
struct core_ast_layout {
    int columns;
    bool has_cause; /* the last column is a numeric hangup cause */
};
/* Decides the layout from the first record; E_COLUMN_COUNT if none fits. */
int core_cdr_ast_layout(char *const *fields, int count, struct core_ast_layout *out);
/* Maps one record of that layout; same contract as core_cdr_from_native. */
int core_cdr_from_asterisk(char *const *fields, int count, const struct core_ast_layout *layout,
                           struct core_cdr *out, struct core_problems *problems, long row);
/* disposition -> (completed, default cause); E_CDR_DISPOSITION if unknown. */
int core_cdr_disposition(const char *disposition, int *completed, int *cause);

/* The native columns A-L of a record, as kascon writes them (export,
 * 取得): fields[i] point into rec or cause (at least 4 bytes). */
void core_cdr_to_native(const struct core_cdr *rec, char cause[4],
                        const char *fields[CORE_CDR_COLUMNS]);

#endif
