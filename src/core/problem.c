/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/groups.h"
#include "i18n.h"

struct catalogue_entry {
    int code;
    const char *msgid;
    const char *hint;
};

static const struct catalogue_entry catalogue[] = {
    {E_EXT_FORMAT, N_("extension number must be 2 to 15 digits"), NULL},
    {E_EXT_FIRST_DIGIT, N_("extension number must start with a digit from 2 to 9"), NULL},
    {E_FULLWIDTH, N_("full-width characters are not allowed"),
     N_("type the value with half-width (ASCII) characters")},
    {E_EMPTY, N_("a value is required"), NULL},
    {E_MOBILE_FORMAT, N_("mobile number must be 11 digits"), NULL},
    {E_MOBILE_PREFIX, N_("mobile number must start with 070, 080 or 090"), NULL},
    {E_MOBILE_LEADING_ZERO, N_("the leading 0 of the mobile number is missing"),
     N_("Excel drops leading zeros: format the column as text, or save the file without opening it "
        "in Excel")},
    {E_MOBILE_EXPONENT, N_("the mobile number was turned into an exponent (like 9.01E+09)"),
     N_("Excel shows long numbers as exponents: format the column as text and type the numbers "
        "again")},
    {E_MOBILE_NOT_PROVISIONED,
     N_("mobile number is not registered for Office Link use at this site"),
     N_("ask the carrier to register the Office Link option for this mobile")},
    {E_MOBILE_ASSIGNED, N_("mobile number is already assigned to another extension"), NULL},
    {E_EXT_HAS_MOBILE, N_("extension already has a mobile assigned"), NULL},
    {E_VIRTUAL_ASSIGN, N_("a virtual extension cannot be assigned a mobile"), NULL},
    {E_MOBILE_NOT_ASSIGNED, N_("mobile number is not assigned to this extension"), NULL},
    {E_SIP_ID_FORMAT, N_("SIP user name must be 1 to 32 letters or digits"), NULL},
    {E_SIP_PW_FORMAT, N_("SIP password must be 1 to 16 letters or digits"), NULL},
    {E_WEB_USER_FORMAT, N_("web console user name must be 1 to 16 letters or digits"), NULL},
    {E_WEB_PW_FORMAT, N_("web console password must be exactly 8 letters or digits"), NULL},
    {E_WEB_PW_MIX, N_("web console password needs at least one letter and one digit"), NULL},
    {E_WEB_PW_EQUALS_USER, N_("web console password must differ from the user name"), NULL},
    {E_WEB_PAIR, N_("web console user name and password must be given together"), NULL},
    {E_HOLD_CODE_FORMAT, N_("hold code must be 1 to 4 of 0-9, * and #"), NULL},
    {E_DIAL_CONFIRM_FORMAT,
     N_("dial-confirm code must be 1 to 3 of 0-9, * and #, starting with * or #"), NULL},
    {E_DTMF_SEND_FORMAT, N_("DTMF-send code must be 1 to 3 of 0-9, * and #, starting with * or #"),
     NULL},
    {W_HOLD_CODE_ONE_CHAR, N_("a one-character hold code is easily dialled by mistake"), NULL},
    {E_OPERATOR_CODE_FORMAT, N_("code must be 1 to 8 of 0-9, * and #"), NULL},
    {E_PREFIX_COLLISION, N_("numbering plan collision: one number is a prefix of another"), NULL},
    {E_CAPACITY, N_("the site's extension capacity would be exceeded"), NULL},
    {E_DOMAIN_FORMAT, N_("site domain name is not a valid domain name"), NULL},
    {E_ADMIN_NAME_FORMAT,
     N_("administrator user name must be 1 to 32 letters, digits, '.', '_' or '-'"), NULL},
    {E_ADMIN_PW_POLICY,
     N_("password must be 8 to 64 printable ASCII characters with a letter and a digit"), NULL},
    {E_CAPACITY_FORMAT, N_("capacity must be a whole number from 1 to 100000"), NULL},
    {E_CIDR_FORMAT,
     N_("trusted networks must be a comma-separated list of addresses in CIDR form (192.0.2.0/24)"),
     NULL},
    {E_SETTING_UNKNOWN, N_("unknown setting"), NULL},
    {E_SETTING_VALUE, N_("invalid value for this setting"), NULL},
    {E_LOGIN_FAILED, N_("login failed: check the site domain name, user name and password"), NULL},
    {E_CAPACITY_BELOW_USE, N_("capacity cannot be lower than the number of registered extensions"),
     NULL},
    {E_PW_MISMATCH, N_("the new password and its confirmation differ"), NULL},
    {E_PW_CURRENT_WRONG, N_("the current password is wrong"), NULL},
    {E_KEY_FORMAT,
     N_("not an SSH public key (expected one line such as \"ssh-ed25519 AAAA... comment\")"), NULL},
    {E_ADMIN_PW_REUSED, N_("the new password must differ from the current one"), NULL},
    {E_DUP_EXTENSION,
     N_("parameter error (duplicate registration): extension number already exists"), NULL},
    {E_DUP_SIP_ID, N_("SIP user name is already used"), NULL},
    {E_DUP_WEB_USER, N_("web console user name is already used"), NULL},
    {E_DUP_SITE, N_("site already exists"), NULL},
    {E_DUP_ADMIN, N_("administrator already exists"), NULL},
    {E_WEB_USER_ADMIN, N_("web console user name is an administrator's user name"),
     N_("administrators and web console users of a site log in with the same kind of name:"
        " choose another")},
    {E_ADMIN_WEB_USER, N_("user name is a web console user's name"),
     N_("administrators and web console users of a site log in with the same kind of name:"
        " choose another")},
    {E_DUP_LINE, N_("mobile number is already provisioned"), NULL},
    {E_DUP_KEY, N_("this key is already registered for the administrator"), NULL},
    {E_EXT_NOT_FOUND, N_("extension number is not registered"), NULL},
    {E_DELETE_ASSIGNED, N_("a mobile is assigned to this extension: unassign it first"), NULL},
    {E_DELETE_IN_GROUP,
     N_("extension is a member of a group: remove it from the group or use force delete"), NULL},
    {E_PAIR_MISMATCH, N_("extension and mobile number do not match what is registered"), NULL},
    {E_SITE_NOT_FOUND, N_("no such site"), NULL},
    {E_ADMIN_NOT_FOUND, N_("no such administrator"), NULL},
    {E_LINE_OTHER_SITE, N_("mobile number belongs to another site"), NULL},
    {E_KEY_NOT_FOUND, N_("no such key"), NULL},
    {E_CHANGED_MEANWHILE, N_("someone else changed this item meanwhile: it has been reloaded"),
     NULL},
    {E_LOCKED, N_("another administrator is editing this item: it is shown read-only"), NULL},
    {E_LOCK_LOST, N_("the edit lock expired and another administrator took it"), NULL},
    {E_NOT_CSV_ZIP, N_("not a CSV file: this is an Excel workbook (.xlsx) or another ZIP file"),
     N_("in Excel choose File > Save As > CSV (comma delimited)")},
    {E_NOT_CSV_OLE, N_("not a CSV file: this is an encrypted or legacy Office file"),
     N_("remove the encryption as your company's rules allow, then save as CSV")},
    {E_NOT_CSV_BINARY, N_("not a CSV file: binary data"), NULL},
    {E_UNDECODABLE, N_("bytes that are neither Shift_JIS (CP932) nor UTF-8"),
     N_("save the file from Excel as CSV (comma delimited), or as CSV UTF-8")},
    {E_COLUMN_COUNT, N_("wrong number of columns"),
     N_("check the number of commas against the format")},
    {E_RESERVED_FIELD, N_("reserved field has a wrong value"), NULL},
    {E_CSV_SYNTAX, N_("malformed CSV (unbalanced quotes)"), NULL},
    {E_FILE_EMPTY, N_("the file has no rows"), NULL},
    {E_FILE_READ, N_("the file cannot be read"), NULL},
    {E_UNENCODABLE, N_("a character has no form in the chosen encoding"),
     N_("export in UTF-8 instead")},
    {E_CDR_TIME, N_("time must be written as YYYY/MM/DD HH:MM:SS"), NULL},
    {E_CDR_CALL_TYPE, N_("call type must be completed or not completed"), NULL},
    {E_CDR_NUMBER, N_("number must be up to 32 of 0-9, *, # and +"), NULL},
    {E_CDR_CAUSE, N_("cause must be a Q.850 code from 0 to 127"), NULL},
    {E_CDR_TEXT_LONG, N_("text is longer than 64 characters"), NULL},
    {E_CDR_TIME_ORDER, N_("answer or end time is before the call time"), NULL},
    {E_CDR_DISPOSITION,
     N_("unknown disposition (expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION)"), NULL},
    {E_CDR_DAY_FORMAT, N_("day must be written as YYYY-MM-DD"), NULL},
    {E_CDR_FILE_NOT_FOUND, N_("no call history file for this day"), NULL},
    {E_CDR_UNENCODABLE, N_("a character cannot be written in Shift_JIS (CP932)"),
     N_("save the call history as UTF-8 instead")},
    {E_SECRET_LENGTH, N_("enter at most 30 characters"), NULL},
    {E_SECRET_WRONG, N_("the answer to the secret question is wrong"), NULL},
    {E_SECRET_LOCKED,
     N_("call history is locked after three wrong answers: try again in 60 minutes"), NULL},
    {E_SECRET_NOT_SET, N_("no secret question is set: set one in Change authentication settings"),
     NULL},
    {E_CDR_NO_SUCH_TIME, N_("no such date or time"), NULL},
    {E_CDR_RANGE, N_("the start of the period is after its end"),
     N_("swap the two dates, or leave one empty")},
    {E_FILE_WRITE, N_("the file cannot be written"), NULL},
    {E_FILE_TOO_LARGE, N_("the file is larger than an import may be (bytes)"), NULL},
    {E_GROUP_NUMBER_FORMAT,
     N_("group number must be a whole number from 1 to 99999 without leading zeros"), NULL},
    {E_GROUP_NOT_FOUND, N_("no such group"), NULL},
    {E_DUP_GROUP, N_("group number is already registered"), NULL},
    {E_PICKUP_GROUPS_FULL, N_("a site can have at most 4096 pickup groups"), NULL},
    {E_HUNT_GROUPS_FULL, N_("a site can have at most 10000 call hunting groups"), NULL},
    {E_GROUP_MEMBERS_FULL, N_("a group can have at most 64 member extensions"), NULL},
    {E_ALREADY_MEMBER, N_("extension is already a member of this group"), NULL},
    {E_NOT_MEMBER, N_("extension is not a member of this group"), NULL},
    {E_IN_OTHER_HUNT, N_("an extension can be a member of only one call hunting group"), NULL},
    {E_HUNT_TYPE, N_("hunting type must be round robin or pilot"), NULL},
    {E_HUNT_REP_MEMBER, N_("a representative extension cannot be a member of a call hunting group"),
     NULL},
    {E_HUNT_REP_TAKEN,
     N_("extension is already the representative extension of another call hunting group"), NULL},
    {E_DELETE_REPRESENTATIVE,
     N_("extension is the representative extension of a call hunting group: change the "
        "representative or delete the group first"),
     NULL},
    {E_ORDER_MISMATCH, N_("the new order must list every member exactly once"), NULL},
    {E_ORDER_NOT_PILOT, N_("the member order can be changed in pilot groups only"), NULL},
    {E_FWD_DEST_FORMAT,
     N_("forwarding destination must be an internal number (2 to 15 digits starting"
        " 2-9) or an outside number (10 to 20 digits starting with 0)"),
     NULL},
    {E_FWD_SPECIAL,
     N_("numbers starting with 1 are special services (110, 119, ...) and cannot be"
        " forwarding destinations"),
     NULL},
    {E_FWD_SELF, N_("an extension cannot forward to itself"), NULL},
    {E_FWD_LOOP,
     N_("forwarding loop: the destination's unconditional forwarding leads back to"
        " this extension"),
     NULL},
    {E_FWD_DELAY, N_("no-answer delay must be a whole number of seconds from 5 to 60"), NULL},
    {E_FWD_KIND, N_("forwarding kind must be unconditional, busy, no-answer or out-of-coverage"),
     NULL},
    {E_TRANSFER_SAME, N_("the recipient already uses this extension"), NULL},
    {E_EXCHANGE_SAME, N_("choose two different extensions"), NULL},
    {E_EXT_NO_MOBILE, N_("no mobile is assigned to this extension"), NULL},
    {E_STORAGE, N_("database error"), NULL},
    {E_NO_MEMORY, N_("out of memory"), NULL},
    {E_HASH_FAILED, N_("the Web console passwords could not be hashed"), NULL},
    {E_INTERRUPTED, N_("interrupted: nothing of it was kept"), NULL},
};

static const char *const plan_kind_msgids[PLAN_KIND_COUNT] = {
    [PLAN_SITE_NUMBER] = N_("site number"),
    [PLAN_GW_ID] = N_("GW identifier"),
    [PLAN_PARK_CODE] = N_("park hold code"),
    [PLAN_PICKUP_CODE] = N_("pickup code"),
    [PLAN_GROUP_PICKUP_CODE] = N_("group pickup code"),
    [PLAN_HOLD_CODE] = N_("hold code"),
    [PLAN_DIAL_CONFIRM_CODE] = N_("dial-confirm code"),
    [PLAN_DTMF_SEND_CODE] = N_("DTMF-send code"),
    [PLAN_EXTENSION] = N_("extension"),
};

static const struct catalogue_entry *lookup(int code)
{
    for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++)
        if (catalogue[i].code == code)
            return &catalogue[i];
    return NULL;
}

const char *core_code_msgid(int code)
{
    const struct catalogue_entry *e = lookup(code);
    return e ? e->msgid : N_("unknown error");
}

const char *core_code_hint(int code)
{
    const struct catalogue_entry *e = lookup(code);
    return e ? e->hint : NULL;
}

const char *core_plan_kind_msgid(int kind)
{
    if (kind < 0 || kind >= PLAN_KIND_COUNT)
        return "";
    return plan_kind_msgids[kind];
}

void core_problems_init(struct core_problems *list)
{
    memset(list, 0, sizeof *list);
}

void core_problems_free(struct core_problems *list)
{
    free(list->items);
    core_problems_init(list);
}

struct core_problem *core_problems_add(struct core_problems *list, const struct core_problem *p)
{
    if (list->count >= CORE_PROBLEMS_KEPT) {
        /* Counted, not kept: the caller may still fill in the copy. */
        list->more++;
        list->spare = *p;
        return &list->spare;
    }
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 16;
        struct core_problem *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return NULL;
        list->items = items;
        list->capacity = cap;
    }
    list->items[list->count] = *p;
    return &list->items[list->count++];
}

void core_problem_set(struct core_problem *p, int code, const char *value)
{
    memset(p, 0, sizeof *p);
    p->code = code;
    p->other_kind = -1;
    p->field = -1;
    if (!value)
        return;
    /* The value as given, on one line: a CR, LF or other control byte of
     * a CSV value is shown escaped, so that every message stays one line. */
    size_t k = 0;
    for (const unsigned char *v = (const unsigned char *)value; *v; v++) {
        char esc[8] = "";
        if (*v == '\r')
            snprintf(esc, sizeof esc, "\\r");
        else if (*v == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (*v == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else if (*v < 0x20 || *v == 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", *v);
        size_t len = esc[0] ? strlen(esc) : 1;
        if (k + len >= sizeof p->value)
            break;
        if (esc[0])
            memcpy(p->value + k, esc, len);
        else
            p->value[k] = (char)*v;
        k += len;
    }
    p->value[k] = '\0';
}

int core_problems_add_code(struct core_problems *list, int code, const char *value, int field)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    p.field = field;
    return core_problems_add(list, &p) ? code : E_STORAGE;
}

void core_problem_format(const struct core_problem *p, char *buf, size_t n)
{
    const char *msg = _(core_code_msgid(p->code));
    if (p->other_kind == CORE_OTHER_TEXT && p->other[0]) {
        snprintf(buf, n, _("%s: \"%s\" (%s)"), msg, p->value, p->other);
    } else if (p->other_kind == CORE_OTHER_GROUPS && p->other[0]) {
        char refs[512];
        core_group_refs_format(p->other, refs, sizeof refs);
        if (p->value[0])
            snprintf(buf, n, _("%s: \"%s\" (%s)"), msg, p->value, refs);
        else
            snprintf(buf, n, _("%s (%s)"), msg, refs);
    } else if (p->other_kind >= 0 && p->other[0])
        snprintf(buf, n, _("%s: \"%s\" (collides with %s \"%s\")"), msg, p->value,
                 _(core_plan_kind_msgid(p->other_kind)), p->other);
    else if (p->value[0])
        snprintf(buf, n, _("%s: \"%s\""), msg, p->value);
    else
        snprintf(buf, n, "%s", msg);
}
