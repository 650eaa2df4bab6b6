/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registrar's configuration (options, environment), the probe of
 * `kasconctl registrar status`, and the status line of the console. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ops/registrar_internal.h"

void ops_registrar_config_set(struct registrar_config *cfg, const char *url, bool plaintext)
{
    char copy[sizeof cfg->url]; /* url may be cfg->url itself */
    if (url && strncmp(url, "sqlite://", 9) == 0)
        url += 9;
    snprintf(copy, sizeof copy, "%s", url ? url : "");
    memcpy(cfg->url, copy, sizeof copy);
    cfg->plaintext = plaintext;
    if (cfg->url[0]) {
        setenv("KASCON_REGISTRAR", cfg->url, 1);
        setenv("KASCON_REGISTRAR_PLAINTEXT", plaintext ? "1" : "0", 1);
    }
}

void ops_registrar_config_from_env(struct registrar_config *cfg)
{
    const char *url = getenv("KASCON_REGISTRAR");
    const char *plain = getenv("KASCON_REGISTRAR_PLAINTEXT");
    memset(cfg, 0, sizeof *cfg);
    if (url && strncmp(url, "sqlite://", 9) == 0)
        url += 9;
    snprintf(cfg->url, sizeof cfg->url, "%s", url ? url : "");
    cfg->plaintext = plain && (strcmp(plain, "1") == 0 || strcmp(plain, "yes") == 0);
}

int ops_registrar_probe(const struct registrar_config *cfg, char *err, size_t n)
{
    struct run r = {.cfg = cfg, .err = err, .errn = n};
    int rc = target_open(cfg->url, &r.t, err, n);
    if (!rc)
        rc = reg_check_versions(&r);
    target_close(r.t);
    return rc;
}

void ops_registrar_status_line(const struct ops_ctx *ctx, char *buf, size_t n)
{
    struct store *st = ctx->st;
    struct store_registrar_state s;
    buf[0] = '\0';
    if (store_registrar_state_get(st, &s) || !s.enabled || s.pending == 0)
        return;
    if (s.last_error[0] && s.failed_at >= s.applied_at)
        snprintf(buf, n,
                 ngettext("Registrar: %ld change waiting (%s)",
                          "Registrar: %ld changes waiting (%s)", (unsigned long)s.pending),
                 s.pending, s.last_error);
    else
        snprintf(buf, n,
                 ngettext("Registrar: %ld change waiting", "Registrar: %ld changes waiting",
                          (unsigned long)s.pending),
                 s.pending);
}
