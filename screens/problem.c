/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Problems shown to the user: the result line with the code, message and
 * hint, and the message at the form field it belongs to. */
#include <config.h>

#include "i18n.h"
#include "screens/screens.h"

void scr_format_problem(const struct core_problem *p, char *buf, size_t n)
{
    char msg[512];
    core_problem_format(p, msg, sizeof msg);
    const char *hint = core_code_hint(p->code);
    if (hint)
        snprintf(buf, n, "%03d %s — %s", p->code, msg, _(hint));
    else
        snprintf(buf, n, "%03d %s", p->code, msg);
}

bool scr_unchanged(struct tui_form *form)
{
    if (tui_form_dirty(form))
        return false;
    tui_form_clear_errors(form);
    tui_result_ok(_("Nothing has been changed, so nothing was saved."));
    return true;
}

void scr_show_problem(struct tui_form *form, const int *field_map, int nmap,
                      const struct core_problem *problem)
{
    char text[768];
    scr_format_problem(problem, text, sizeof text);
    tui_result_error(text);
    if (form && problem->field >= 0 && problem->field < nmap && field_map[problem->field] >= 0) {
        char msg[512];
        core_problem_format(problem, msg, sizeof msg);
        tui_form_set_error(form, (size_t)field_map[problem->field], msg);
        tui_form_set_focus(form, (size_t)field_map[problem->field]);
    }
}

void scr_show_problems(struct tui_form *form, const int *field_map, int nmap,
                       const struct core_problems *problems)
{
    /* Every problem goes to its field; the result area names the first. */
    for (size_t i = problems->count; i-- > 0;)
        scr_show_problem(form, field_map, nmap, &problems->items[i]);
}

int scr_fetch_result(int rc)
{
    if (!rc || rc == 1)
        return 0;
    struct core_problem p;
    core_problem_set(&p, rc, NULL);
    scr_show_problem(NULL, NULL, 0, &p);
    return rc;
}
