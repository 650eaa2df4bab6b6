/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Row locks of the edit forms (doc/spec.md §5): one lease per edited object,
 * renewed by the console's tick while the form is open, released on save,
 * cancel, logout and exit.  A form whose object another session holds is
 * shown read-only with who holds it and since when. */
#include <config.h>

#include <string.h>
#include <time.h>

#include "i18n.h"
#include "screens/screens.h"

#define LEASE_SECONDS 120
#define MAX_HELD 8

static struct scr_lock *held[MAX_HELD];

static void remember(struct scr_lock *l)
{
    for (int i = 0; i < MAX_HELD; i++)
        if (!held[i]) {
            held[i] = l;
            return;
        }
}

static void forget(struct scr_lock *l)
{
    for (int i = 0; i < MAX_HELD; i++)
        if (held[i] == l)
            held[i] = NULL;
}

bool scr_lock_take(struct scr_lock *l, const char *object)
{
    memset(l, 0, sizeof *l);
    snprintf(l->object, sizeof l->object, "%s", object);
    int rc = ops_lock_take(scr_ops(), l->object, LEASE_SECONDS, &l->other);
    clock_gettime(CLOCK_MONOTONIC, &l->tried);
    l->held = rc == CORE_OK;
    if (l->held)
        remember(l);
    return l->held;
}

void scr_lock_release(struct scr_lock *l)
{
    if (!l->held)
        return;
    ops_lock_release(scr_ops(), l->object);
    l->held = false;
    forget(l);
}

void scr_lock_describe(const struct scr_lock *l, char *buf, size_t n)
{
    time_t since = (time_t)l->other.taken_at;
    struct tm tm;
    char when[32] = "";
    if (localtime_r(&since, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    snprintf(buf, n, _("Read only: %s is editing this since %s."), l->other.holder, when);
}

void scr_lock_draw_banner(const struct scr_lock *l, struct tui_rect *r)
{
    if (l->held)
        return;
    char line[256];
    scr_lock_describe(l, line, sizeof line);
    tui_draw_text(r->y, r->x, r->w, TUI_ERROR, line);
    r->y += 2;
    r->h -= 2;
}

void scr_lock_form(struct scr_lock *l, const char *object, struct tui_form *form)
{
    if (!l->held)
        scr_lock_take(l, object);
    tui_form_set_readonly(form, !l->held);
}

void scr_lock_draw_form(const struct scr_lock *l, struct tui_form *form,
                        const struct tui_rect *body)
{
    struct tui_rect r = *body;
    scr_lock_draw_banner(l, &r);
    tui_form_draw(form, &r);
}

void scr_lock_renew_all(void)
{
    for (int i = 0; i < MAX_HELD; i++) {
        if (!held[i])
            continue;
        if (ops_lock_renew(scr_ops(), held[i]->object, LEASE_SECONDS) == E_LOCK_LOST) {
            /* The version check still protects the save; say it now. */
            held[i]->held = false;
            held[i]->lost = true;
            held[i] = NULL;
            tui_result_error(_("The edit lock was lost: another administrator may change this"
                               " item; saving checks that it did not change."));
        }
    }
}

void scr_lock_release_all(void)
{
    ops_lock_release_all(scr_ops());
    memset(held, 0, sizeof held);
}

bool scr_stale(struct timespec *read_at)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms =
        (long)(now.tv_sec - read_at->tv_sec) * 1000 + (now.tv_nsec - read_at->tv_nsec) / 1000000;
    if (ms < SCR_FRESH_MS)
        return false;
    *read_at = now;
    return true;
}

bool scr_lock_retry_due(struct scr_lock *l, const struct tui_form *form)
{
    if (l->held || l->lost || (form && tui_form_dirty(form)))
        return false;
    return scr_stale(&l->tried);
}
