/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One descriptor per field a person types (SPEC §3): how many characters
 * it takes and which ones.  The check functions of core/rules.h and the
 * others read their limits from here, so the console's fields, the CSV
 * reader and kasconctl refuse the same values for the same reason. */
#ifndef KASCON_CORE_FIELD_H
#define KASCON_CORE_FIELD_H

#include <stdbool.h>
#include <stdint.h>

enum core_chars {
    CORE_CHARS_ANY,      /* any printable character (secret question) */
    CORE_CHARS_DIGITS,   /* 0-9 */
    CORE_CHARS_DIAL,     /* 0-9 * # (feature codes, dialled numbers) */
    CORE_CHARS_ALNUM,    /* half-width letters and digits */
    CORE_CHARS_ASCII,    /* printable ASCII without space */
    CORE_CHARS_NAME,     /* letters, digits . _ - (administrator names) */
    CORE_CHARS_DOMAIN,   /* letters, digits . - */
    CORE_CHARS_DATETIME, /* digits / - : and space */
    CORE_CHARS_NUMLIST   /* digits, comma and space (lists of extensions) */
};

struct core_field_rule {
    int max_chars; /* characters, not bytes */
    enum core_chars chars;
};

extern const struct core_field_rule core_field_extension;
extern const struct core_field_rule core_field_mobile;
/* Either an extension or a mobile number (the recipient of a transfer). */
extern const struct core_field_rule core_field_ext_or_mobile;
extern const struct core_field_rule core_field_sip_id;
extern const struct core_field_rule core_field_sip_password;
extern const struct core_field_rule core_field_web_user;
extern const struct core_field_rule core_field_web_password;
extern const struct core_field_rule core_field_domain;
extern const struct core_field_rule core_field_admin_name;
extern const struct core_field_rule core_field_admin_password;
extern const struct core_field_rule core_field_hold_code;
extern const struct core_field_rule core_field_dial_confirm_code;
extern const struct core_field_rule core_field_dtmf_send_code;
extern const struct core_field_rule core_field_operator_code;
extern const struct core_field_rule core_field_capacity;
extern const struct core_field_rule core_field_group_number;
extern const struct core_field_rule core_field_group_members;
extern const struct core_field_rule core_field_fwd_dest;
extern const struct core_field_rule core_field_fwd_delay;
extern const struct core_field_rule core_field_secret;
extern const struct core_field_rule core_field_cdr_time;
extern const struct core_field_rule core_field_cdr_number;
extern const struct core_field_rule core_field_cdr_cause;

/* Whether a character (a Unicode code point) belongs to the class. */
bool core_chars_accept(enum core_chars chars, uint32_t c);
/* The character as the class takes it: a full-width digit, letter or sign
 * (U+FF01-U+FF5E, and the long-vowel mark or minus sign for '-') becomes
 * its half-width form when the class takes that form; anything else comes
 * back unchanged.  Classes that take any character convert nothing. */
uint32_t core_chars_halfwidth(enum core_chars chars, uint32_t c);
/* A sentence naming the characters the class takes (a msgid), or NULL
 * for CORE_CHARS_ANY. */
const char *core_chars_msgid(enum core_chars chars);

#endif
