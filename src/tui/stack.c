/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screen stack: pushing a screen (its state allocated, its form made,
 * its init run), popping it (all of that given back), and what a screen
 * sets on its own frame: title, help, subtitle and result.  It draws
 * nothing and reads no key: paint.c draws the frames, app.c gives the top
 * one its keys.  A terminal runs one console, so the stack is one static
 * instance, as curses itself is. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

#define MAX_DEPTH 16

static struct {
    struct tui_frame frames[MAX_DEPTH];
    int depth;
    char status[256]; /* tui_set_status: on the result heading */
} stack;

/* Every change of depth is told to the forms (form.c): a form made now
 * belongs to the top frame, and only open frames' forms count as edits. */
static void set_depth(int depth)
{
    stack.depth = depth;
    tui_forms_set_depth(depth);
}

struct tui_frame *tui_frame_at(int i)
{
    return i >= 0 && i < stack.depth ? &stack.frames[i] : NULL;
}

struct tui_frame *tui_top_frame(void)
{
    return tui_frame_at(stack.depth - 1);
}

int tui_depth(void)
{
    return stack.depth;
}

/* Gives back what a frame holds: the screen's own resources, its form,
 * then the state the toolkit allocated. */
static void frame_release(struct tui_frame *f)
{
    if (f->screen->free)
        f->screen->free(f->state);
    tui_form_free(f->form);
    if (f->owned)
        free(f->state);
    f->form = NULL;
    f->state = NULL;
}

int tui_push(const struct tui_screen *screen, void *arg)
{
    if (stack.depth >= MAX_DEPTH)
        return -1;
    struct tui_frame *f = &stack.frames[stack.depth];
    memset(f, 0, sizeof *f);
    f->screen = screen;
    f->state = arg;
    if (screen->state_size) {
        if (!(f->state = calloc(1, screen->state_size)))
            return -1;
        f->owned = true;
    }
    /* The new screen is the top one while init runs (tui_screen_form). */
    set_depth(stack.depth + 1);
    int rc = 0;
    if (screen->form && !(f->form = tui_form_new(screen->form->fields, screen->form->count,
                                                 screen->form->submit, f->state)))
        rc = -1;
    if (!rc && screen->init)
        rc = screen->init(f->state, arg);
    if (rc) {
        set_depth(stack.depth - 1);
        frame_release(f);
    }
    return rc;
}

void tui_pop(void)
{
    struct tui_frame *f = tui_top_frame();
    if (!f)
        return;
    set_depth(stack.depth - 1);
    bool help = f->screen == &tui_help_screen;
    frame_release(f);
    if (!help)
        tui_list_stale_all();
    /* Back on a screen, its old result is no longer news (a screen that
     * pops itself after saving sets the result after the pop). */
    if (!help && stack.depth > 0)
        tui_result_clear();
}

struct tui_form *tui_screen_form(void)
{
    struct tui_frame *f = tui_top_frame();
    return f ? f->form : NULL;
}

void tui_submit(void *state)
{
    (void)state;
    struct tui_form *form = tui_screen_form();
    if (form)
        tui_form_submit(form);
}

void tui_set_title(const char *msgid)
{
    struct tui_frame *f = tui_top_frame();
    if (f)
        f->title = msgid;
}

void tui_set_help(const char *msgid)
{
    struct tui_frame *f = tui_top_frame();
    if (f)
        f->help = msgid;
}

const char *tui_frame_title(const struct tui_frame *f)
{
    return f->title ? f->title : f->screen->title;
}

void tui_set_subtitle(const char *text)
{
    struct tui_frame *f = tui_top_frame();
    if (f)
        snprintf(f->subtitle, sizeof f->subtitle, "%s", text ? text : "");
}

static void set_result(const char *text, bool error)
{
    struct tui_frame *f = tui_top_frame();
    if (!f)
        return;
    snprintf(f->result, sizeof f->result, "%s", text ? text : "");
    f->result_error = error;
}

void tui_result_ok(const char *text)
{
    set_result(text, false);
}

void tui_result_error(const char *text)
{
    set_result(text, true);
}

void tui_set_status(const char *text)
{
    snprintf(stack.status, sizeof stack.status, "%s", text ? text : "");
}

void tui_result_clear(void)
{
    set_result("", false);
}

bool tui_action_enabled(const struct tui_action *a, void *state)
{
    return !a->enabled || a->enabled(state);
}

const char *tui_status(void)
{
    return stack.status;
}
