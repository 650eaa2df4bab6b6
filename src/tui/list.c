/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A list that pages by key (keyset paging): it holds only the rows on the
 * screen and asks the caller for the rows just after its last key or just
 * before its first one. The caller's query is then an indexed range scan
 * with LIMIT, which costs the same on row 10 as on row 100,000, and the
 * list never asks how many rows there are. Keys are opaque strings whose
 * order is the caller's. */
#include <config.h>

#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "i18n.h"
#include "tui/internal.h"

/* Rows fetched before the first repaint tells the real page height. */
#define DEFAULT_PAGE 20
/* A page shown longer than this is fetched again at the next repaint (the
 * console repaints at least every idle tick): what another session or
 * kasconctl changed shows without a key. */
#define FRESH_MS 2000

/* Bumped when a screen is popped: the lists of the screen below were
 * fetched before whatever the popped screen changed. */
static unsigned epoch;

struct row {
    char **cols;
    char *key;
};

struct tui_list_sink {
    struct row *rows;
    int count, max, ncols;
    bool nomem;
};

struct tui_list {
    const struct tui_list_column *cols;
    int ncols;
    tui_list_fetch_fn fetch;
    tui_list_activate_fn activate;
    void *ctx;
    struct row *rows; /* the visible window, in display order */
    int count, sel, page;
    int head; /* lines of the column titles (1, or 2 when wrapped) */
    bool loaded;
    struct tui_rect r;
    struct timespec fetched; /* when the rows were last read */
    unsigned epoch;          /* the epoch they were read in */
    char *seek_key;          /* the last tui_list_seek's, for an empty page */
};

static void free_row(struct row *row, int ncols)
{
    for (int c = 0; c < ncols && row->cols; c++)
        free(row->cols[c]);
    free(row->cols);
    free(row->key);
}

static void free_rows(struct row *rows, int n, int ncols)
{
    for (int i = 0; i < n; i++)
        free_row(&rows[i], ncols);
    free(rows);
}

int tui_list_sink_row(struct tui_list_sink *sink, const char *const *cols, const char *key)
{
    if (sink->count >= sink->max)
        return -1;
    struct row *row = &sink->rows[sink->count];
    row->cols = calloc((size_t)sink->ncols, sizeof *row->cols);
    row->key = strdup(key ? key : "");
    bool ok = row->cols && row->key;
    for (int c = 0; ok && c < sink->ncols; c++) {
        row->cols[c] = strdup(cols[c] ? cols[c] : "");
        ok = row->cols[c] != NULL;
    }
    if (!ok) {
        free_row(row, sink->ncols);
        sink->nomem = true;
        return -1;
    }
    sink->count++;
    return sink->count < sink->max ? 0 : -1;
}

/* One call to the caller's fetch. Rows come back in display order (a
 * BEFORE fetch is reversed here). Returns the number of rows, or -1 when
 * the fetch failed; the list is unchanged then. */
static int fetch(struct tui_list *l, const char *key, enum tui_list_dir dir, int max,
                 struct row **out)
{
    struct tui_list_sink sink = {NULL, 0, max, l->ncols, false};
    *out = NULL;
    if (max <= 0)
        return 0;
    sink.rows = calloc((size_t)max, sizeof *sink.rows);
    if (!sink.rows)
        return -1;
    if (l->fetch(l->ctx, key, dir, max, &sink) != 0 || sink.nomem) {
        free_rows(sink.rows, sink.count, l->ncols);
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &l->fetched);
    l->epoch = epoch;
    if (dir == TUI_LIST_BEFORE)
        for (int i = 0; i < sink.count / 2; i++) {
            struct row t = sink.rows[i];
            sink.rows[i] = sink.rows[sink.count - 1 - i];
            sink.rows[sink.count - 1 - i] = t;
        }
    *out = sink.rows;
    return sink.count;
}

/* Joins a + b into the window, then drops rows from the front (drop_front)
 * or the back until at most the page height is left. Takes ownership. */
static void join(struct tui_list *l, struct row *a, int na, struct row *b, int nb, bool drop_front,
                 int *dropped)
{
    int n = na + nb;
    struct row *all = malloc((size_t)(n ? n : 1) * sizeof *all);
    if (!all) {
        free_rows(a, na, l->ncols);
        free_rows(b, nb, l->ncols);
        l->rows = NULL;
        l->count = 0;
        *dropped = 0;
        return;
    }
    if (na)
        memcpy(all, a, (size_t)na * sizeof *all);
    if (nb)
        memcpy(all + na, b, (size_t)nb * sizeof *all);
    free(a);
    free(b);
    int drop = n > l->page ? n - l->page : 0;
    int start = drop_front ? drop : 0;
    for (int i = 0; i < drop; i++)
        free_row(&all[drop_front ? i : n - 1 - i], l->ncols);
    memmove(all, all + start, (size_t)(n - drop) * sizeof *all);
    l->rows = all;
    l->count = n - drop;
    *dropped = drop;
}

static void clamp_sel(struct tui_list *l)
{
    if (l->sel >= l->count)
        l->sel = l->count - 1;
    if (l->sel < 0)
        l->sel = 0;
}

static int page_rows(const struct tui_list *l)
{
    return l->page > 0 ? l->page : DEFAULT_PAGE;
}

/* Moves the selection k rows down, fetching past the window as needed. */
static void down(struct tui_list *l, int k)
{
    if (l->sel + k < l->count && k < page_rows(l)) {
        l->sel += k;
        return;
    }
    struct row *more;
    const char *last = l->count ? l->rows[l->count - 1].key : NULL;
    int m = fetch(l, last, TUI_LIST_AFTER, k, &more);
    if (m < 0)
        return;
    int dropped;
    join(l, l->rows, l->count, more, m, true, &dropped);
    l->sel = l->sel + k - dropped;
    clamp_sel(l);
}

static void up(struct tui_list *l, int k)
{
    if (l->sel - k >= 0 && k < page_rows(l)) {
        l->sel -= k;
        return;
    }
    if (l->count == 0)
        return;
    struct row *more;
    int m = fetch(l, l->rows[0].key, TUI_LIST_BEFORE, k, &more);
    if (m < 0)
        return;
    int dropped;
    join(l, more, m, l->rows, l->count, false, &dropped);
    l->sel = l->sel - k + m;
    clamp_sel(l);
}

/* Tops the window up to the page height: more rows after it, then, at the
 * end of the data, rows before it. */
static void fill(struct tui_list *l)
{
    int page = page_rows(l), dropped;
    if (l->count < page) {
        struct row *more;
        const char *last = l->count ? l->rows[l->count - 1].key : NULL;
        int m = fetch(l, last, TUI_LIST_AFTER, page - l->count, &more);
        if (m > 0)
            join(l, l->rows, l->count, more, m, true, &dropped);
        else
            free(more);
    }
    if (l->count > 0 && l->count < page) {
        struct row *more;
        int m = fetch(l, l->rows[0].key, TUI_LIST_BEFORE, page - l->count, &more);
        if (m > 0) {
            join(l, more, m, l->rows, l->count, false, &dropped);
            l->sel += m;
        } else {
            free(more);
        }
    }
    l->loaded = true;
    clamp_sel(l);
}

static void replace(struct tui_list *l, struct row *rows, int n)
{
    free_rows(l->rows, l->count, l->ncols);
    l->rows = rows;
    l->count = n;
}

static void jump(struct tui_list *l, enum tui_list_dir dir)
{
    struct row *rows;
    int n = fetch(l, NULL, dir, page_rows(l), &rows);
    if (n < 0)
        return;
    replace(l, rows, n);
    l->sel = dir == TUI_LIST_AFTER ? 0 : n - 1;
    l->loaded = true;
    clamp_sel(l);
}

/* Makes the window start at the first row at or after key: the row before
 * key is found first, because fetches are exclusive of their key. */
static void start_at(struct tui_list *l, const char *key)
{
    struct row *prev = NULL, *rows;
    int np = key ? fetch(l, key, TUI_LIST_BEFORE, 1, &prev) : 0;
    if (np < 0)
        return;
    int n = fetch(l, np ? prev[0].key : NULL, TUI_LIST_AFTER, page_rows(l), &rows);
    free_rows(prev, np, l->ncols);
    if (n < 0)
        return;
    replace(l, rows, n);
    l->sel = 0;
    fill(l);
}

void tui_list_seek(struct tui_list *list, const char *key)
{
    char *copy = key ? strdup(key) : NULL;
    free(list->seek_key);
    list->seek_key = copy;
    start_at(list, key);
}

void tui_list_reload(struct tui_list *list)
{
    struct tui_list *l = list;
    char *selkey = l->count ? strdup(l->rows[l->sel].key) : NULL;
    int oldsel = l->sel;
    start_at(l, l->count ? l->rows[0].key : l->seek_key);
    l->sel = oldsel;
    for (int i = 0; selkey && i < l->count; i++)
        if (strcmp(l->rows[i].key, selkey) == 0)
            l->sel = i;
    clamp_sel(l);
    free(selkey);
}

struct tui_list *tui_list_new(const struct tui_list_column *cols, int ncols,
                              tui_list_fetch_fn fetchfn, tui_list_activate_fn activate, void *ctx)
{
    if (ncols < 1 || ncols > TUI_LIST_MAX_COLS)
        return NULL;
    struct tui_list *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->cols = cols;
    l->ncols = ncols;
    l->fetch = fetchfn;
    l->activate = activate;
    l->ctx = ctx;
    return l;
}

void tui_list_free(struct tui_list *list)
{
    if (!list)
        return;
    free_rows(list->rows, list->count, list->ncols);
    free(list->seek_key);
    free(list);
}

const char *tui_list_selected(const struct tui_list *list)
{
    return list->count ? list->rows[list->sel].key : NULL;
}

/* Fits the window to a new height, keeping the selected row on screen. */
static void resize(struct tui_list *l, int page)
{
    l->page = page;
    if (!l->loaded) {
        fill(l);
        return;
    }
    if (l->count > page) {
        int start = l->sel >= page ? l->sel - page + 1 : 0, dropped;
        for (int i = 0; i < start; i++)
            free_row(&l->rows[i], l->ncols);
        memmove(l->rows, l->rows + start, (size_t)(l->count - start) * sizeof *l->rows);
        l->count -= start;
        l->sel -= start;
        join(l, l->rows, l->count, NULL, 0, false, &dropped);
    } else if (l->count < page) {
        fill(l);
    }
}

static void draw_cell(int y, int x, int w, enum tui_style st, const char *s, bool right)
{
    char buf[1024];
    int tw = tui_text_truncate(buf, sizeof buf, s, w);
    if (right && tw < w) {
        tui_draw_text(y, x, w - tw, st, "");
        x += w - tw;
        w = tw;
    }
    tui_draw_text(y, x, w, st, buf);
}

/* The display width of the character at s (0 at the end). */
static int char_cols(const char *s)
{
    wchar_t wc;
    size_t n = tui_utf8_decode(s, &wc);
    if (n == 0 || n == (size_t)-1)
        return *s ? 1 : 0;
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

/* The width of the character ending at byte n of s. */
static int char_cols_before(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    return i > 0 ? char_cols(s + i - 1) : 0;
}

/* The narrowest width at which title wraps into at most two lines with
 * its words whole (a cut next to a wide character is Japanese custom). */
static int two_line_width(const char *title)
{
    int whole = tui_text_width(title);
    for (int w = (whole + 1) / 2; w < whole; w++) {
        size_t next, n = tui_text_wrap(title, w, &next);
        bool whole_words =
            title[n] == ' ' || char_cols(title + n) >= 2 || char_cols_before(title, n) >= 2;
        if (n > 0 && whole_words && tui_text_width(title + next) <= w)
            return w;
    }
    return whole;
}

/* Takes up to *need columns from w[c] down to floor[c], left to right. */
static void shrink_to(int *w, const int *floor, int n, int *need)
{
    for (int c = 0; c<n && * need> 0; c++)
        if (w[c] > floor[c]) {
            int take = w[c] - floor[c] < *need ? w[c] - floor[c] : *need;
            w[c] -= take;
            *need -= take;
        }
}

/* Column widths for a list avail columns wide.  A column is as wide as
 * its declared width and its title; where they do not fit, columns give
 * up data width down to their title's, then their title goes on two
 * lines; only a terminal too narrow for that cuts titles.  Room to spare
 * goes to the flexible columns (width 0).  On a wide terminal (132
 * columns) it first widens the columns whose rows on screen are cut, then
 * the flexible ones, or every column in proportion when none is.
 * Returns the header's lines (1 or 2). */
#define FLEX_MIN 8
#define WIDE_LIST 128
static int layout(const struct tui_list *l, int avail, int *w)
{
    int n = l->ncols, sum = n - 1, nflex = 0;
    int head[TUI_LIST_MAX_COLS], two[TUI_LIST_MAX_COLS], floor3[TUI_LIST_MAX_COLS];
    for (int c = 0; c < n; c++) {
        const char *t = _(l->cols[c].title);
        int decl = l->cols[c].width;
        head[c] = tui_text_width(t);
        two[c] = two_line_width(t);
        w[c] = decl > head[c] ? decl : head[c];
        if (!decl && w[c] < FLEX_MIN)
            w[c] = FLEX_MIN;
        floor3[c] = 3;
        nflex += decl == 0;
        sum += w[c];
    }
    if (sum <= avail) {
        int extra = avail - sum;
        if (avail >= WIDE_LIST) {
            for (int c = 0; c < n && extra > 0; c++) {
                int want = w[c];
                for (int r = 0; r < l->count; r++) {
                    int cw = tui_text_width(l->rows[r].cols[c]);
                    if (cw > want)
                        want = cw;
                }
                int add = want - w[c] < extra ? want - w[c] : extra;
                w[c] += add;
                extra -= add;
            }
            /* A flexible column of right-aligned numbers would push them
             * to the far edge: then every column widens instead. */
            int left_flex = 0;
            for (int c = 0; c < n; c++)
                left_flex += !l->cols[c].width && !l->cols[c].right;
            if (!left_flex) {
                int base = 0, given = 0;
                for (int c = 0; c < n; c++)
                    base += w[c];
                for (int c = 0; c < n; c++) {
                    int add = (int)((long)extra * w[c] / (base ? base : 1));
                    w[c] += add;
                    given += add;
                }
                extra -= given;
            }
        }
        /* The rest to the flexible columns. */
        int targets = nflex;
        for (int c = 0; c < n && extra > 0 && targets > 0; c++)
            if (!l->cols[c].width) {
                int add = targets > 1 ? extra / targets : extra;
                w[c] += add;
                extra -= add;
                targets--;
            }
        return 1;
    }
    int need = sum - avail;
    shrink_to(w, head, n, &need);
    shrink_to(w, two, n, &need);
    shrink_to(w, floor3, n, &need);
    for (int c = 0; c < n; c++)
        if (w[c] < head[c])
            return 2;
    return 1;
}

static void draw_header(const struct tui_list *l, const struct tui_rect *r, const int *w, int lines)
{
    for (int i = 0; i < lines; i++)
        tui_draw_text(r->y + i, r->x, r->w, TUI_HEADER, "");
    int x = r->x;
    for (int c = 0; c < l->ncols && x < r->x + r->w; c++) {
        const char *t = _(l->cols[c].title);
        int cw = x + w[c] > r->x + r->w ? r->x + r->w - x : w[c];
        size_t next, n = lines > 1 ? tui_text_wrap(t, cw, &next) : strlen(t);
        char first[512];
        snprintf(first, sizeof first, "%.*s", (int)n, t);
        /* Titles sit on the last header line when they need only one. */
        if (lines > 1 && !t[next])
            draw_cell(r->y + 1, x, cw, TUI_HEADER, first, l->cols[c].right);
        else
            draw_cell(r->y, x, cw, TUI_HEADER, first, l->cols[c].right);
        if (lines > 1 && t[next])
            draw_cell(r->y + 1, x, cw, TUI_HEADER, t + next, l->cols[c].right);
        x += w[c] + 1;
    }
}

void tui_list_stale_all(void)
{
    epoch++;
}

static bool stale(const struct tui_list *l)
{
    if (!l->loaded)
        return false;
    if (l->epoch != epoch)
        return true;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (long)(now.tv_sec - l->fetched.tv_sec) * 1000 +
              (now.tv_nsec - l->fetched.tv_nsec) / 1000000;
    return ms >= FRESH_MS;
}

bool tui_list_freshen(struct tui_list *list)
{
    if (!stale(list))
        return false;
    /* Set first: a failed fetch is not retried at every repaint. */
    list->epoch = epoch;
    clock_gettime(CLOCK_MONOTONIC, &list->fetched);
    tui_list_reload(list);
    return true;
}

void tui_list_draw(struct tui_list *list, const struct tui_rect *r)
{
    struct tui_list *l = list;
    tui_list_freshen(l);
    int w[TUI_LIST_MAX_COLS];
    int head = layout(l, r->w, w);
    l->r = *r;
    l->head = head;
    int page = r->h - head;
    if (page < 1)
        return;
    if (page != l->page || !l->loaded) {
        resize(l, page);
        layout(l, r->w, w); /* the rows now on screen may widen columns */
    }
    draw_header(l, r, w, head);
    for (int row = 0; row < l->count; row++) {
        int y = r->y + head + row;
        enum tui_style st = row == l->sel ? TUI_SELECTED : TUI_NORMAL;
        tui_draw_text(y, r->x, r->w, st, "");
        int x = r->x;
        for (int c = 0; c < l->ncols && x < r->x + r->w; c++) {
            int cw = x + w[c] > r->x + r->w ? r->x + r->w - x : w[c];
            draw_cell(y, x, cw, st, l->rows[row].cols[c], l->cols[c].right);
            x += w[c] + 1;
        }
    }
    if (l->count == 0)
        tui_draw_text(r->y + head, r->x, r->w, TUI_DIM, _("(no entries)"));
}

int tui_list_key(struct tui_list *list, int key)
{
    struct tui_list *l = list;
    int page = page_rows(l), y, x;
    switch (key) {
    case KEY_DOWN:
        down(l, 1);
        break;
    case KEY_UP:
        up(l, 1);
        break;
    case KEY_NPAGE:
        down(l, page);
        break;
    case KEY_PPAGE:
        up(l, page);
        break;
    case KEY_HOME:
        jump(l, TUI_LIST_AFTER);
        break;
    case KEY_END:
        jump(l, TUI_LIST_BEFORE);
        break;
    case KEY_MOUSE:
        if (!tui_mouse_click(&y, &x) || y < l->r.y + l->head || y >= l->r.y + l->head + l->count ||
            x < l->r.x || x >= l->r.x + l->r.w)
            return TUI_UNHANDLED;
        /* A click selects; a click on the selected row opens it. */
        if (y - l->r.y - l->head != l->sel) {
            l->sel = y - l->r.y - l->head;
            break;
        }
        /* fall through */
    default:
        if (!tui_key_is_enter(key) && key != KEY_MOUSE)
            return TUI_UNHANDLED;
        if (l->count && l->activate)
            l->activate(l->ctx, l->rows[l->sel].key);
    }
    return TUI_HANDLED;
}
