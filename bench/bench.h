/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the benchmarks: the rows of make bench's one table, and a
 * bound on every benchmark's own run time. */
#ifndef KASCON_BENCH_H
#define KASCON_BENCH_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One row of the table (bench/run.py collects the lines starting "@row"):
 * what is measured (naming numerator and denominator: "X: kascon's / the
 * reference's"), kascon's figure, the reference measured in the same run,
 * the ratio kascon / reference, and the target.  A target in x ("<= 1.3x")
 * is for the ratio; one in units is for kascon's own figure and names it
 * ("worst < 1 s"), or, with no reference (0), stands alone ("< 20 ms"). */
static inline void bench_row(const char *measure, double kascon, double reference, const char *unit,
                             const char *target)
{
    if (reference > 0)
        printf("@row\t%s\t%.3f %s\t%.3f %s\t%.2f\t%s\n", measure, kascon, unit, reference, unit,
               kascon / reference, target);
    else /* an absolute target: no reference to divide by */
        printf("@row\t%s\t%.3f %s\t-\t-\t%s\n", measure, kascon, unit, target);
    fflush(stdout);
}

static void bench_timeout(int sig)
{
    (void)sig;
    static const char msg[] = "bench: time limit reached, stopping\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    kill(0, SIGKILL); /* the benchmark and the tools it started */
}

/* Stops the benchmark, and every process it started, after `seconds`. */
static inline void bench_limit(unsigned seconds)
{
    setpgid(0, 0);
    signal(SIGALRM, bench_timeout);
    alarm(seconds);
}

#endif
