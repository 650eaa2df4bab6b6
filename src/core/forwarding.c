/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/forwarding.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

static const struct {
    const char *name;
    const char *msgid;
} kinds[CORE_FWD_KINDS] = {
    [CORE_FWD_UNCONDITIONAL] = {"unconditional", N_("Unconditional forwarding")},
    [CORE_FWD_BUSY] = {"busy", N_("Busy forwarding")},
    [CORE_FWD_NO_ANSWER] = {"no-answer", N_("No-answer forwarding")},
    [CORE_FWD_OUT_OF_COVERAGE] = {"out-of-coverage", N_("Out-of-coverage forwarding")},
};

int core_fwd_parse_kind(const char *text, int *kind)
{
    for (int i = 0; i < CORE_FWD_KINDS; i++)
        if (text && !strcmp(text, kinds[i].name)) {
            *kind = i;
            return CORE_OK;
        }
    return E_FWD_KIND;
}

const char *core_fwd_kind_name(int kind)
{
    return kind >= 0 && kind < CORE_FWD_KINDS ? kinds[kind].name : "voicemail";
}

const char *core_fwd_kind_msgid(int kind)
{
    return kind >= 0 && kind < CORE_FWD_KINDS ? kinds[kind].msgid : core_fwd_voicemail_msgid();
}

const char *core_fwd_voicemail_msgid(void)
{
    return N_("Voicemail");
}

int core_check_fwd_dest(const char *dest)
{
    if (!dest || !*dest)
        return E_EMPTY;
    size_t len = strlen(dest);
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)dest[i] >= 0x80)
            return E_FULLWIDTH;
        if (dest[i] < '0' || dest[i] > '9')
            return E_FWD_DEST_FORMAT;
    }
    if (dest[0] == '1')
        return E_FWD_SPECIAL;
    if (dest[0] == '0')
        return len >= CORE_FWD_OUTSIDE_MIN && len <= CORE_FWD_DEST_MAX ? CORE_OK
                                                                       : E_FWD_DEST_FORMAT;
    return len >= CORE_FWD_DEST_MIN && len <= CORE_FWD_INTERNAL_MAX ? CORE_OK : E_FWD_DEST_FORMAT;
}

int core_check_fwd_delay(const char *text, int *seconds)
{
    if (!text || !*text) {
        *seconds = CORE_FWD_DELAY_DEFAULT;
        return CORE_OK;
    }
    int v = 0;
    for (const char *p = text; *p; p++) {
        if ((unsigned char)*p >= 0x80)
            return E_FULLWIDTH;
        if (*p < '0' || *p > '9' || p - text >= CORE_FWD_DELAY_DIGITS)
            return E_FWD_DELAY;
        v = v * 10 + (*p - '0');
    }
    if (v < CORE_FWD_DELAY_MIN || v > CORE_FWD_DELAY_MAX)
        return E_FWD_DELAY;
    *seconds = v;
    return CORE_OK;
}

int core_fwd_any(const struct core_fwd *fwd)
{
    for (int i = 0; i < CORE_FWD_KINDS; i++)
        if (fwd->dest[i][0])
            return 1;
    return fwd->voicemail != 0;
}

static void chain_add(char *chain, size_t n, const char *number)
{
    size_t used = strlen(chain);
    if (used < n)
        snprintf(chain + used, n - used, "%s%s", used ? " > " : "", number);
}

int core_fwd_check_target(const char *ext, const char *dest, core_fwd_lookup_fn lookup, void *ctx,
                          char *chain, size_t n)
{
    if (n)
        chain[0] = '\0';
    if (!strcmp(ext, dest))
        return E_FWD_SELF;
    char at[CORE_FWD_DEST_MAX + 1], next[CORE_FWD_DEST_MAX + 1];
    snprintf(at, sizeof at, "%s", dest);
    chain_add(chain, n, ext);
    chain_add(chain, n, dest);
    /* Every write runs this check, so the stored forwarding has no circle
     * of its own; the bound only keeps a damaged database from hanging. */
    for (int hop = 0; hop < CORE_FWD_HOPS_MAX; hop++) {
        int rc = lookup(ctx, at, next, sizeof next);
        if (rc)
            return rc;
        if (!next[0])
            break;
        chain_add(chain, n, next);
        if (!strcmp(next, ext))
            return E_FWD_LOOP;
        snprintf(at, sizeof at, "%s", next);
    }
    if (n)
        chain[0] = '\0';
    return CORE_OK;
}

void core_fwd_describe(const struct core_fwd *fwd, int kind, char *buf, size_t n)
{
    if (kind < 0 || kind >= CORE_FWD_KINDS)
        snprintf(buf, n, "%s", fwd->voicemail ? _("On") : "-");
    else if (!fwd->dest[kind][0])
        snprintf(buf, n, "-");
    else if (kind == CORE_FWD_NO_ANSWER)
        snprintf(buf, n, _("%s (after %d s)"), fwd->dest[kind], fwd->delay);
    else
        snprintf(buf, n, "%s", fwd->dest[kind]);
}

void core_fwd_audit_text(const struct core_fwd *fwd, char *buf, size_t n)
{
    char delay[16] = "";
    if (fwd->dest[CORE_FWD_NO_ANSWER][0])
        snprintf(delay, sizeof delay, "(%ds)", fwd->delay);
    snprintf(buf, n, "u=%s b=%s n=%s%s o=%s vm=%d",
             fwd->dest[CORE_FWD_UNCONDITIONAL][0] ? fwd->dest[CORE_FWD_UNCONDITIONAL] : "-",
             fwd->dest[CORE_FWD_BUSY][0] ? fwd->dest[CORE_FWD_BUSY] : "-",
             fwd->dest[CORE_FWD_NO_ANSWER][0] ? fwd->dest[CORE_FWD_NO_ANSWER] : "-", delay,
             fwd->dest[CORE_FWD_OUT_OF_COVERAGE][0] ? fwd->dest[CORE_FWD_OUT_OF_COVERAGE] : "-",
             fwd->voicemail);
}
