/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the console's screens share.  Each screen is one file of screens/
 * ending in its `const struct tui_screen scr_NAME_screen`; the build
 * collects their declarations into screens/list.h, and the menu tree in
 * menu.c is the one table that places them. */
#ifndef KASCON_SCREENS_H
#define KASCON_SCREENS_H

#include <time.h>

#include "console/console.h"
#include "io/area.h"
#include "ops/ops.h"
#include "tui/tui.h"

#include "screens/list.h"

/* The one console of this process: its database and who is logged in. */
struct scr_console {
    struct store *st;
    const struct console_opts *opts;
    struct ops_session session;
    bool logged_in;
    bool password_changed_notice; /* shown once on the main menu */
    bool idle_warned;
    char lock_session[64]; /* this console's id in the locks table */
    struct io_area area;   /* over SSH: the administrator's files (scr_area) */
    bool area_open;
    struct ops_ctx ops; /* filled by scr_ops() */
};

struct scr_console *scr_console(void);
/* A login judged on a read (session.record_pending): its audit row is
 * written once the first screen is drawn (console.c). */
void scr_login_recorded_later(void);
/* The context of this console's operations: its store, and once logged
 * in, the site, the administrator (or user) and the console's locks. */
const struct ops_ctx *scr_ops(void);

/* Shows a problem in the result area and, when it belongs to a field of
 * the form (field_map[problem->field] >= 0), at that field too. */
/* True, after saying so in the result area, when the form holds no change
 * since it was loaded: 登録/設定 then writes nothing. */
bool scr_unchanged(struct tui_form *form);
void scr_show_problem(struct tui_form *form, const int *field_map, int nmap,
                      const struct core_problem *problem);
void scr_show_problems(struct tui_form *form, const int *field_map, int nmap,
                       const struct core_problems *problems);
/* The end of a tui_list fetch callback over a store page walk, whose 1
 * means the page is full: shows a failure and returns it, else 0. */
int scr_fetch_result(int rc);
/* A filter form above a keyset list: Tab goes through the fields, then to
 * the list and back to the first field; Enter on any field submits. */
struct scr_filter_list {
    struct tui_form *form;
    struct tui_list *list;
    bool on_list; /* focus: the list, or the form */
    size_t nfields;
    tui_form_submit_fn submit;
    void *ctx;
};
/* Makes the form and the list (both call back with ctx); -1 when out of memory. */
int scr_filter_list_init(struct scr_filter_list *fl, const struct tui_field *fields, size_t nfields,
                         tui_form_submit_fn submit, const struct tui_list_column *cols, int ncols,
                         tui_list_fetch_fn fetch, tui_list_activate_fn activate, void *ctx);
void scr_filter_list_free(struct scr_filter_list *fl);
/* The form in its first form_rows rows, then the header line (if any), then the list. */
void scr_filter_list_draw(struct scr_filter_list *fl, const struct tui_rect *body, int form_rows,
                          const char *header);
int scr_filter_list_key(struct scr_filter_list *fl, int key);

/* The administrator's file area when the console runs over SSH
 * (console_opts.files_root), opened on first use; NULL on a local
 * terminal.  Over SSH, CSV files are read from inbox/ and written to
 * outbox/ only: a form's file field then holds a name in that box. */
const struct io_area *scr_area(void);
/* Whether the console runs over SSH with file areas (files_root set). */
bool scr_remote(void);
/* Writes the scp command that copies a file between the administrator's
 * PC and a box ("scp -P PORT USER@SITE@HOST:outbox/NAME ." to fetch, or
 * "scp -P PORT FILE USER@SITE@HOST:inbox/" to upload when name is NULL). */
void scr_scp_command(enum io_area_box box, const char *name, char *buf, size_t n);

/* Over SSH, below a form whose file field names a box: where the file
 * goes and, once written, the scp command that fetches it (`fetch`, or
 * empty).  `row` is the first free row of the body. */
void scr_draw_fetch(const struct tui_rect *body, int row, const char *fetch);

/* An output file typed in a form field: a path on a local terminal, a
 * name in outbox/ over SSH (written under a temporary name and published
 * when complete). */
struct scr_output {
    FILE *f;
    bool in_area;
    char name[IO_AREA_NAME_MAX + 1];
    char temp[IO_AREA_TEMP_MAX];
    char shown[1100]; /* the path, or "outbox/NAME" */
};
/* Opens it: asks before overwriting, and shows a failure at the field.
 * NULL when nothing is to be written. */
FILE *scr_open_output(struct tui_form *form, size_t field, const char *title,
                      struct scr_output *out);
/* Closes it; `ok` false (or a failed close) discards a file in outbox/.
 * Returns 0 or an errno value. */
int scr_close_output(struct scr_output *out, bool ok);

/* Formats a problem in the user's language (message, value, hint). */
void scr_format_problem(const struct core_problem *p, char *buf, size_t n);

/* A row lock held by an edit form. */
struct scr_lock {
    char object[128];
    bool held;               /* ours: the form may save */
    bool lost;               /* was ours, expired and taken */
    struct store_lock other; /* who holds it, when not ours */
    struct timespec tried;   /* the last scr_lock_take */
};
/* Takes the lock on "object" for this console; false (read only) when
 * another session holds it, described by scr_lock_describe. */
bool scr_lock_take(struct scr_lock *lock, const char *object);
void scr_lock_release(struct scr_lock *lock);
void scr_lock_describe(const struct scr_lock *lock, char *buf, size_t n);
/* Above a read-only form: who holds it; moves *area below the line. */
void scr_lock_draw_banner(const struct scr_lock *lock, struct tui_rect *area);
/* An edit form's lock: takes it on `object` unless held already (a reload
 * keeps it), and makes the form read-only while another session holds it. */
void scr_lock_form(struct scr_lock *lock, const char *object, struct tui_form *form);
/* The banner (when read-only), then the form below it. */
void scr_lock_draw_form(const struct scr_lock *lock, struct tui_form *form,
                        const struct tui_rect *body);
/* What a screen shows is read again this often: another session, kasconctl
 * or the extension user may have changed it (the console repaints at least
 * every idle tick).  scr_stale is true, and restarts the period, once
 * *read_at is that old. */
#define SCR_FRESH_MS 2000
bool scr_stale(struct timespec *read_at);
/* True every two seconds while a read-only form waits for a lock another
 * session holds (never over unsaved edits or a lease that was lost): the
 * screen then reads the row again and tries the lock, so that what the
 * other session saved shows, and the form opens once they let it go. */
bool scr_lock_retry_due(struct scr_lock *lock, const struct tui_form *form);
/* The console's tick renews every held lease; logout drops them all. */
void scr_lock_renew_all(void);
void scr_lock_release_all(void);

/* After a successful login (or an SSH pre-authentication). */
void scr_enter_session(void);
void scr_logout(void);

/* Pickup and call hunting groups: the list's argument points to the kind
 * (enum core_group_kind, as int); the group screen's a scr_group_ref whose number
 * is the group's, or minus a proposed number (0: none) for a new group. */
struct scr_group_ref {
    int kind;
    int number;
};
/* 均等 / パイロット, translated. */
const char *scr_hunt_type_label(int pilot);
/* A site-wide feature-code form (code_form.c): what one screen edits. */
struct scr_code_form {
    const char *lock; /* the lock object is "site:ID:<lock>" */
    const struct tui_field *fields;
    size_t nfields;
    int field_of[OPS_C_FIELDS]; /* form field of each enum ops_code_field, or -1 */
    const char *notes;          /* msgid above the form: the guide's 注意事項 */
    void (*show)(struct tui_form *form, const struct store_site *site);
    /* Fills the operation's input from the form (pointers into it). */
    void (*read)(struct tui_form *form, struct ops_codes_input *in);
    /* Asks before saving (NULL: no question); false cancels. */
    bool (*confirm)(const struct ops_codes_input *in);
    /* The result line of a save, translated. */
    void (*done)(const struct ops_codes_input *in, char *buf, size_t n);
};
/* The state of a feature-code screen (state_size), filled by init. */
struct scr_code_state {
    const struct scr_code_form *desc;
    struct tui_form *form;
    struct store_site site;
    struct scr_lock lock;
};
int scr_code_form_init(void *state, const struct scr_code_form *desc);
void scr_code_form_free(void *state);
void scr_code_form_draw(void *state, const struct tui_rect *body);
int scr_code_form_key(void *state, int key);
extern const struct tui_action scr_code_form_actions[];

/* The root of the menu tree, for scr_menu_screen; an extension user's
 * (ユーザーカスコン) is their own, smaller tree. */
struct scr_menu;
extern const struct scr_menu scr_main_menu, scr_user_main_menu;

#endif
