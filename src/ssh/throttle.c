/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Password guesses from one address are paced, however many connections
 * carry them: once an address has failed a login, its attempts (every
 * connection's) take turns, one every THROTTLE_PACE_NS, for the next
 * THROTTLE_WINDOW_NS.  An address without a recent failure never waits.
 * So a flood of wrong passwords from one source costs the server a few
 * hash checks and failure records a second, not as many as its
 * connections can send, and the other administrators' work goes on at
 * its pace (bench/authflood.py measures it).
 *
 * The table is shared memory that the listener maps before it forks the
 * connections; each slot is a hash of the address (two addresses that
 * share a slot share its pace) and is changed with atomic operations
 * only, so a connection killed at any moment leaves it consistent. */
#include <config.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#include "ssh/throttle.h"

#define THROTTLE_SLOTS 1024
#define THROTTLE_PACE_NS 250000000LL
#define THROTTLE_WINDOW_NS 60000000000LL

struct slot {
    _Atomic int64_t next;   /* the next free turn (CLOCK_MONOTONIC, ns) */
    _Atomic int64_t failed; /* the last failure, or 0 */
};

static struct slot *table;

int sshd_throttle_init(void)
{
    void *p = mmap(NULL, THROTTLE_SLOTS * sizeof *table, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    table = p; /* zero-filled: no failures, no turns taken */
    return 0;
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct slot *slot_of(const char *addr)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &table[h % THROTTLE_SLOTS];
}

void sshd_throttle_wait(const char *addr)
{
    if (!table || !addr)
        return;
    struct slot *s = slot_of(addr);
    int64_t now = now_ns(), failed = atomic_load(&s->failed);
    if (!failed || now - failed > THROTTLE_WINDOW_NS)
        return;
    int64_t turn, next = atomic_load(&s->next);
    do
        turn = next > now ? next : now;
    while (!atomic_compare_exchange_weak(&s->next, &next, turn + THROTTLE_PACE_NS));
    struct timespec until = {.tv_sec = (time_t)(turn / 1000000000LL),
                             .tv_nsec = (long)(turn % 1000000000LL)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
        ;
}

void sshd_throttle_failed(const char *addr)
{
    if (table && addr)
        atomic_store(&slot_of(addr)->failed, now_ns());
}
