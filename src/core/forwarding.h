/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call forwarding of an extension (転送, doc/spec.md §3.5, guide FAQ §7): four
 * kinds of forwarding, each off or a destination number, the no-answer
 * delay, and voicemail (留守番) on or off.  Pure rules; the store holds
 * them and the operations check them, for the administrator's view and
 * for the extension user's own console alike.
 *
 * A destination is ASCII digits only (dialled as such by the PBX):
 *  - an internal number, 2 to 15 digits starting 2-9 (an extension of this
 *    site, or the site number and an extension of another one), or
 *  - an outside number, 10 to 20 digits starting with 0 (area code
 *    included; 010 and a country code for abroad).
 * Numbers starting with 1 are special services in Japan (110, 119, 117, ...):
 * never a forwarding destination.  An extension never forwards to itself,
 * and a destination whose unconditional forwarding leads back to the
 * extension would make calls go round in a circle. */
#ifndef KASCON_CORE_FORWARDING_H
#define KASCON_CORE_FORWARDING_H

#include <stddef.h>
#include <stdint.h>

#include "core/problem.h"

#define CORE_FWD_DEST_MIN 2
#define CORE_FWD_INTERNAL_MAX 15
#define CORE_FWD_OUTSIDE_MIN 10
#define CORE_FWD_DEST_MAX 20
/* 応答遅延転送: ring this long before forwarding.  The network gives up on
 * an unanswered mobile after 160 s (cause 063); a minute is plenty. */
#define CORE_FWD_DELAY_MIN 5
#define CORE_FWD_DELAY_MAX 60
#define CORE_FWD_DELAY_DIGITS 2
#define CORE_FWD_DELAY_DEFAULT 15
/* Hops followed when looking for a loop; chains are never this long. */
#define CORE_FWD_HOPS_MAX 64

enum core_fwd_kind {
    CORE_FWD_UNCONDITIONAL,   /* 無条件転送 */
    CORE_FWD_BUSY,            /* 話中転送 */
    CORE_FWD_NO_ANSWER,       /* 応答遅延転送 */
    CORE_FWD_OUT_OF_COVERAGE, /* 圏外転送 */
    CORE_FWD_KINDS
};

struct core_fwd {
    char dest[CORE_FWD_KINDS][CORE_FWD_DEST_MAX + 1]; /* "" when off */
    int delay;       /* no-answer delay in seconds; 0 when no-answer is off */
    int voicemail;   /* 留守番: 0 off, 1 on */
    int64_t version; /* of the stored row; 0 when never set */
};

/* The CLI's words: "unconditional", "busy", "no-answer", "out-of-coverage". */
int core_fwd_parse_kind(const char *text, int *kind);
const char *core_fwd_kind_name(int kind);
/* The guide's label of a kind (msgid), and of voicemail. */
const char *core_fwd_kind_msgid(int kind);
const char *core_fwd_voicemail_msgid(void);

int core_check_fwd_dest(const char *dest);
/* Empty text gives the default delay. */
int core_check_fwd_delay(const char *text, int *seconds);
/* Whether any of the five settings is on. */
int core_fwd_any(const struct core_fwd *fwd);

/* Where an extension number of the site forwards unconditionally: copies
 * the destination into dest ("" when none or not an extension of the
 * site); nonzero on a storage failure. */
typedef int (*core_fwd_lookup_fn)(void *ctx, const char *ext, char *dest, size_t n);
/* Checks forwarding ext to dest: E_FWD_SELF, or E_FWD_LOOP when dest's
 * unconditional forwarding leads back to ext, with the circle written to
 * chain ("2001 > 2002 > 2001", cut to n); a lookup failure is returned. */
int core_fwd_check_target(const char *ext, const char *dest, core_fwd_lookup_fn lookup, void *ctx,
                          char *chain, size_t n);

/* One setting in the user's language: "-" when off, the destination, the
 * no-answer one with its delay; voicemail (kind CORE_FWD_KINDS) "-" or On. */
void core_fwd_describe(const struct core_fwd *fwd, int kind, char *buf, size_t n);
/* For the audit log: "u=2001 b=- n=090...(15s) o=- vm=0". */
void core_fwd_audit_text(const struct core_fwd *fwd, char *buf, size_t n);

#endif
