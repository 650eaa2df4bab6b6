/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pickup groups (§5.1) and call hunting groups (§5.3): their limits and
 * number rule, as pure functions (doc/spec.md §3.3).
 *
 * A group number is a whole number from 1 to CORE_GROUP_NUMBER_MAX written
 * without leading zeros: 5 digits hold the 10,000 hunting groups a site
 * may have, and no leading zeros because the group pickup code is dialled
 * followed by the group number, where "07" and "7" would differ. */
#ifndef KASCON_CORE_GROUPS_H
#define KASCON_CORE_GROUPS_H

#include <stddef.h>

#include "core/problem.h"

#define CORE_GROUP_NUMBER_MAX 99999
#define CORE_GROUP_NUMBER_DIGITS 5
#define CORE_PICKUP_GROUPS_MAX 4096 /* per site, guide §5.1 */
#define CORE_HUNT_GROUPS_MAX 10000  /* per site, guide §5.3 */
#define CORE_GROUP_MEMBERS_MAX 64   /* per group, both kinds */

enum core_group_kind { CORE_PICKUP, CORE_HUNT };
enum core_hunt_type { CORE_HUNT_ROUND_ROBIN = 0, CORE_HUNT_PILOT = 1 };

/* "1".."99999", no sign, no leading zero: E_GROUP_NUMBER_FORMAT otherwise. */
int core_check_group_number(const char *text, int *number);
/* Whether one more group of this kind fits in a site that has count. */
int core_check_group_count(enum core_group_kind kind, int count);
/* Whether adding `adding` members to a group of `count` stays within 64. */
int core_check_member_count(int count, int adding);
/* "round-robin" or "pilot" (the CLI's words) into *type. */
int core_parse_hunt_type(const char *text, int *type);

/* Group references carried in core_problem.other (other_kind
 * CORE_OTHER_GROUPS) in a language-neutral form, "p1 p4 h3 r7": pickup
 * group 1, 4, hunting group 3 as member, representative of hunting group
 * 7; "+N" counts references that did not fit.  core_problem_format turns
 * them into words of the user's language. */
enum core_group_role { CORE_REF_PICKUP = 'p', CORE_REF_HUNT = 'h', CORE_REF_REP = 'r' };
void core_group_refs_add(char *refs, size_t n, int role, int number);
void core_group_refs_format(const char *refs, char *buf, size_t n);

#endif
