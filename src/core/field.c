/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/field.h"

#include <stddef.h>

#include "core/cdr.h"
#include "core/forwarding.h"
#include "core/groups.h"
#include "core/rules.h"
#include "i18n.h"

const struct core_field_rule core_field_extension = {CORE_EXT_MAX, CORE_CHARS_DIGITS};
const struct core_field_rule core_field_mobile = {CORE_MOBILE_LEN, CORE_CHARS_DIGITS};
const struct core_field_rule core_field_ext_or_mobile = {
    CORE_EXT_MAX > CORE_MOBILE_LEN ? CORE_EXT_MAX : CORE_MOBILE_LEN, CORE_CHARS_DIGITS};
const struct core_field_rule core_field_sip_id = {CORE_SIP_ID_MAX, CORE_CHARS_ALNUM};
const struct core_field_rule core_field_sip_password = {CORE_SIP_PW_MAX, CORE_CHARS_ALNUM};
const struct core_field_rule core_field_web_user = {CORE_WEB_USER_MAX, CORE_CHARS_ALNUM};
const struct core_field_rule core_field_web_password = {CORE_WEB_PW_LEN, CORE_CHARS_ALNUM};
const struct core_field_rule core_field_domain = {CORE_DOMAIN_MAX, CORE_CHARS_DOMAIN};
const struct core_field_rule core_field_admin_name = {CORE_ADMIN_NAME_MAX, CORE_CHARS_NAME};
const struct core_field_rule core_field_admin_password = {CORE_ADMIN_PW_MAX, CORE_CHARS_ASCII};
const struct core_field_rule core_field_hold_code = {CORE_HOLD_CODE_MAX, CORE_CHARS_DIAL};
const struct core_field_rule core_field_dial_confirm_code = {CORE_STAR_CODE_MAX, CORE_CHARS_DIAL};
const struct core_field_rule core_field_dtmf_send_code = {CORE_STAR_CODE_MAX, CORE_CHARS_DIAL};
const struct core_field_rule core_field_operator_code = {CORE_CODE_MAX, CORE_CHARS_DIAL};
const struct core_field_rule core_field_capacity = {CORE_CAPACITY_DIGITS, CORE_CHARS_DIGITS};
const struct core_field_rule core_field_group_number = {CORE_GROUP_NUMBER_DIGITS,
                                                        CORE_CHARS_DIGITS};
/* Up to the members of one group, each up to 15 digits, with ", ". */
const struct core_field_rule core_field_group_members = {
    CORE_GROUP_MEMBERS_MAX * (CORE_EXT_MAX + 2), CORE_CHARS_NUMLIST};
const struct core_field_rule core_field_fwd_dest = {CORE_FWD_DEST_MAX, CORE_CHARS_DIGITS};
const struct core_field_rule core_field_fwd_delay = {CORE_FWD_DELAY_DIGITS, CORE_CHARS_DIGITS};
const struct core_field_rule core_field_secret = {CORE_SECRET_CHARS, CORE_CHARS_ANY};
/* YYYY/MM/DD HH:MM:SS */
const struct core_field_rule core_field_cdr_time = {19, CORE_CHARS_DATETIME};
const struct core_field_rule core_field_cdr_number = {CORE_CDR_NUMBER_MAX, CORE_CHARS_DIAL};
const struct core_field_rule core_field_cdr_cause = {3, CORE_CHARS_DIGITS};

static bool digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool alnum(uint32_t c)
{
    return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool core_chars_accept(enum core_chars chars, uint32_t c)
{
    switch (chars) {
    case CORE_CHARS_DIGITS:
        return digit(c);
    case CORE_CHARS_DIAL:
        return digit(c) || c == '*' || c == '#';
    case CORE_CHARS_ALNUM:
        return alnum(c);
    case CORE_CHARS_ASCII:
        return c >= 0x21 && c <= 0x7e;
    case CORE_CHARS_NAME:
        return alnum(c) || c == '.' || c == '_' || c == '-';
    case CORE_CHARS_DOMAIN:
        return alnum(c) || c == '.' || c == '-';
    case CORE_CHARS_DATETIME:
        return digit(c) || c == '/' || c == '-' || c == ':' || c == ' ';
    case CORE_CHARS_NUMLIST:
        return digit(c) || c == ',' || c == ' ';
    case CORE_CHARS_ANY:
        break;
    }
    return c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0);
}

uint32_t core_chars_halfwidth(enum core_chars chars, uint32_t c)
{
    if (chars == CORE_CHARS_ANY)
        return c;
    uint32_t h = c;
    if (c >= 0xff01 && c <= 0xff5e)
        h = c - 0xff01 + 0x21; /* ０-９, Ａ-Ｚ, ａ-ｚ, －, ＊, ＃ ... */
    else if (c == 0x3000)
        h = ' ';
    else if (c == 0x30fc || c == 0x2212 || c == 0x2010 || c == 0x2011 || c == 0xff70)
        h = '-'; /* ー (as an input method gives a hyphen), minus, hyphens */
    return core_chars_accept(chars, h) ? h : c;
}

const char *core_chars_msgid(enum core_chars chars)
{
    switch (chars) {
    case CORE_CHARS_DIGITS:
        return N_("Only half-width digits can be typed here.");
    case CORE_CHARS_DIAL:
        return N_("Only half-width digits, * and # can be typed here.");
    case CORE_CHARS_ALNUM:
        return N_("Only half-width letters and digits can be typed here.");
    case CORE_CHARS_ASCII:
        return N_("Only half-width letters, digits and symbols can be typed here.");
    case CORE_CHARS_NAME:
        return N_("Only half-width letters, digits, '.', '_' and '-' can be typed here.");
    case CORE_CHARS_DOMAIN:
        return N_("Only half-width letters, digits, '.' and '-' can be typed here.");
    case CORE_CHARS_DATETIME:
        return N_("Only half-width digits, '/', '-', ':' and spaces can be typed here.");
    case CORE_CHARS_NUMLIST:
        return N_("Only half-width digits, commas and spaces can be typed here.");
    case CORE_CHARS_ANY:
        break;
    }
    return NULL;
}
