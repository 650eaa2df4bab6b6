/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A filter form above a keyset list (ピックアップグループ設定, 内線番号プロフィール
 * 設定, the audit log): one place for how focus moves between the two and
 * how they are laid out, so those screens behave alike. */
#include <config.h>

#include "screens/screens.h"

int scr_filter_list_init(struct scr_filter_list *fl, const struct tui_field *fields, size_t nfields,
                         tui_form_submit_fn submit, const struct tui_list_column *cols, int ncols,
                         tui_list_fetch_fn fetch, tui_list_activate_fn activate, void *ctx)
{
    fl->nfields = nfields;
    fl->submit = submit;
    fl->ctx = ctx;
    fl->on_list = false;
    fl->form = tui_form_new(fields, nfields, submit, ctx);
    fl->list = tui_list_new(cols, ncols, fetch, activate, ctx);
    if (!fl->form || !fl->list) {
        scr_filter_list_free(fl);
        return -1;
    }
    tui_form_set_request(fl->form);
    return 0;
}

void scr_filter_list_free(struct scr_filter_list *fl)
{
    tui_form_free(fl->form);
    tui_list_free(fl->list);
    fl->form = NULL;
    fl->list = NULL;
}

void scr_filter_list_draw(struct scr_filter_list *fl, const struct tui_rect *body, int form_rows,
                          const char *header)
{
    struct tui_rect top = {body->y, body->x, form_rows, body->w};
    tui_form_draw(fl->form, &top);
    if (header)
        tui_draw_text(body->y + form_rows, body->x, body->w, TUI_HEADER, header);
    struct tui_rect rows = {body->y + form_rows + 1, body->x, body->h - form_rows - 1, body->w};
    tui_list_draw(fl->list, &rows);
    if (fl->on_list)
        tui_show_cursor(-1, -1);
}

int scr_filter_list_key(struct scr_filter_list *fl, int key)
{
    if (key == '\t' && !fl->on_list && tui_form_focus(fl->form) + 1 < fl->nfields)
        return tui_form_key(fl->form, key);
    if (key == '\t' || key == KEY_BTAB) {
        fl->on_list = !fl->on_list;
        if (!fl->on_list)
            tui_form_set_focus(fl->form, 0);
        return TUI_HANDLED;
    }
    if (fl->on_list)
        return tui_list_key(fl->list, key);
    /* As in mc and htop: the list moves while the search field has the
     * focus; Tab goes between the fields. */
    if (key == KEY_UP || key == KEY_DOWN || key == KEY_PPAGE || key == KEY_NPAGE)
        return tui_list_key(fl->list, key);
    if (tui_key_is_enter(key)) {
        /* Every field alone is a complete request. */
        fl->submit(fl->ctx, fl->form);
        return TUI_HANDLED;
    }
    return tui_form_key(fl->form, key);
}
