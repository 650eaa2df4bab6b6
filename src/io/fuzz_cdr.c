/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the call-record loader: the reader (sniffing,
 * decoding, parsing) and every record through the rules of both formats
 * (core_cdr_from_native, the Asterisk layout and core_cdr_from_asterisk),
 * as ops_cdr_load runs them.  Build: make fuzz.
 * Besides memory errors it checks that rows only grow and that every
 * accepted record has a day the day rules accept. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cdr.h"
#include "core/formats.h"
#include "io/io.h"

struct run {
    long last_row;
    struct core_ast_layout layout;
    int have_layout;
};

static int on_record(void *ctx, long row, size_t nfields, char **fields)
{
    int count = (int)nfields;
    struct run *run = ctx;
    if (row <= run->last_row || count < 0)
        abort();
    run->last_row = row;
    struct core_problems problems;
    core_problems_init(&problems);
    struct core_cdr rec;
    if (count == CORE_CDR_COLUMNS && core_cdr_from_native(fields, &rec, &problems, row) == 0) {
        char day[CORE_CDR_DAY_LEN + 1];
        core_cdr_day(&rec, day);
        if (core_check_day(day) != 0)
            abort();
    }
    if (!run->have_layout && core_cdr_ast_layout(fields, count, &run->layout) == 0)
        run->have_layout = 1;
    if (run->have_layout)
        core_cdr_from_asterisk(fields, count, &run->layout, &rec, &problems, row);
    core_problems_free(&problems);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run run;
    memset(&run, 0, sizeof run);
    struct io_csv_callbacks cb = {.on_record = on_record};
    struct io_csv_result result;
    io_csv_read_mem(data, size, &cb, &run, &result);
    return 0;
}
