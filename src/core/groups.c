/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

int core_check_group_number(const char *text, int *number)
{
    size_t len = text ? strlen(text) : 0;
    if (len == 0)
        return E_EMPTY;
    if (len > CORE_GROUP_NUMBER_DIGITS || text[0] == '0')
        return E_GROUP_NUMBER_FORMAT;
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return (unsigned char)text[i] >= 0x80 ? E_FULLWIDTH : E_GROUP_NUMBER_FORMAT;
        v = v * 10 + (text[i] - '0');
    }
    if (number)
        *number = v;
    return CORE_OK;
}

int core_check_group_count(enum core_group_kind kind, int count)
{
    if (kind == CORE_PICKUP)
        return count >= CORE_PICKUP_GROUPS_MAX ? E_PICKUP_GROUPS_FULL : CORE_OK;
    return count >= CORE_HUNT_GROUPS_MAX ? E_HUNT_GROUPS_FULL : CORE_OK;
}

int core_check_member_count(int count, int adding)
{
    return count + adding > CORE_GROUP_MEMBERS_MAX ? E_GROUP_MEMBERS_FULL : CORE_OK;
}

int core_parse_hunt_type(const char *text, int *type)
{
    if (text && (!strcmp(text, "round-robin") || !strcmp(text, "roundrobin"))) {
        *type = CORE_HUNT_ROUND_ROBIN;
        return CORE_OK;
    }
    if (text && !strcmp(text, "pilot")) {
        *type = CORE_HUNT_PILOT;
        return CORE_OK;
    }
    return E_HUNT_TYPE;
}

void core_group_refs_add(char *refs, size_t n, int role, int number)
{
    size_t used = strlen(refs);
    char item[16];
    snprintf(item, sizeof item, "%s%c%d", used ? " " : "", role, number);
    /* Keep room for " +NNNN": the count of what did not fit. */
    char *more = strchr(refs, '+');
    if (!more && used + strlen(item) + 7 < n) {
        memcpy(refs + used, item, strlen(item) + 1);
        return;
    }
    int extra = more ? atoi(more + 1) : 0;
    if (more)
        *(more - (more > refs ? 1 : 0)) = '\0';
    used = strlen(refs);
    snprintf(refs + used, n - used, "%s+%d", used ? " " : "", extra + 1);
}

void core_group_refs_format(const char *refs, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    const char *p = refs;
    while (*p && used + 1 < n) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        int role = *p;
        int number = atoi(p + 1);
        char item[128];
        if (role == CORE_REF_PICKUP)
            snprintf(item, sizeof item, _("pickup group %d"), number);
        else if (role == CORE_REF_HUNT)
            snprintf(item, sizeof item, _("hunting group %d"), number);
        else if (role == CORE_REF_REP)
            snprintf(item, sizeof item, _("representative of hunting group %d"), number);
        else
            snprintf(item, sizeof item, _("and %d more"), number);
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", item);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
        while (*p && *p != ' ')
            p++;
    }
}
