/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The product's field rules (doc/spec.md §3), as pure functions.  Each returns
 * CORE_OK (0) or a code of the error catalogue. */
#ifndef KASCON_CORE_RULES_H
#define KASCON_CORE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/field.h"
#include "core/problem.h"

#define CORE_EXT_MAX 15
#define CORE_MOBILE_LEN 11
#define CORE_SIP_ID_MAX 32
#define CORE_SIP_PW_MAX 16
#define CORE_WEB_USER_MAX 16
#define CORE_WEB_PW_LEN 8
#define CORE_DOMAIN_MAX 253
#define CORE_ADMIN_NAME_MAX 32
#define CORE_ADMIN_PW_MIN 8
#define CORE_ADMIN_PW_MAX 64
#define CORE_CODE_MAX 8
#define CORE_HOLD_CODE_MAX 4
#define CORE_STAR_CODE_MAX 3 /* dial-confirm and DTMF-send codes */
#define CORE_CAPACITY_MAX 100000
#define CORE_CAPACITY_DIGITS 6

int core_check_extension(const char *ext);
int core_check_mobile(const char *mobile);
int core_check_sip_id(const char *sip_id);
int core_check_sip_password(const char *pw);
int core_check_web_user(const char *user);
int core_check_web_password(const char *pw, const char *user);
int core_check_domain(const char *domain);
int core_check_admin_name(const char *name);
int core_check_admin_password(const char *pw);
int core_check_capacity(const char *text, long *out);
/* How many days the audit log is kept: 1 to CORE_AUDIT_RETENTION_MAX, or
 * "off" (0: kept until purged by hand).  E_SETTING_VALUE otherwise. */
#define CORE_AUDIT_RETENTION_MAX 36500
int core_check_audit_retention(const char *text, int *days);
/* Comma-separated IPv4/IPv6 networks in CIDR form; empty is allowed. */
int core_check_cidr_list(const char *list);
/* Whether an address (text) lies in one of the networks of a CIDR list. */
bool core_cidr_list_contains(const char *list, const char *address);

/* Feature codes.  The hold code may be empty (deletes it); a one-character
 * hold code passes with *warning set to W_HOLD_CODE_ONE_CHAR. */
int core_check_hold_code(const char *code, int *warning);
int core_check_dial_confirm_code(const char *code);
int core_check_dtmf_send_code(const char *code);
/* Operator-set numbers: site number, GW id, park/pickup/group-pickup codes. */
int core_check_operator_code(const char *code);

bool core_is_ascii(const char *s);
/* Lower-cases an ASCII domain in place. */
void core_normalize_domain(char *domain);

#endif
