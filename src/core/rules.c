/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/rules.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool core_is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}
static bool all_of(const char *s, bool (*pred)(char))
{
    for (; *s; s++)
        if (!pred(*s))
            return false;
    return true;
}

/* Shared shape of the simple "n to m characters of a class" rules, the
 * limit and class being the field's descriptor (core/field.h): empty and
 * non-ASCII values get their own codes so that users learn the cause. */
static int check_class(const char *s, size_t min, const struct core_field_rule *rule, int code)
{
    if (!s || !*s)
        return min == 0 ? CORE_OK : E_EMPTY;
    if (!core_is_ascii(s))
        return E_FULLWIDTH;
    size_t n = strlen(s);
    if (n < min || n > (size_t)rule->max_chars)
        return code;
    for (const char *p = s; *p; p++)
        if (!core_chars_accept(rule->chars, (unsigned char)*p))
            return code;
    return CORE_OK;
}

int core_check_extension(const char *ext)
{
    int rc = check_class(ext, 2, &core_field_extension, E_EXT_FORMAT);
    if (rc)
        return rc;
    if (ext[0] == '0' || ext[0] == '1')
        return E_EXT_FIRST_DIGIT;
    return CORE_OK;
}

/* Excel's "General" format shows 09012345678 as 9.01E+09 (or 9012345678E0
 * variants); recognise mantissa, optional fraction, E, optional sign, digits. */
static bool looks_exponent(const char *s)
{
    if (!is_digit(*s))
        return false;
    while (is_digit(*s))
        s++;
    if (*s == '.') {
        s++;
        if (!is_digit(*s))
            return false;
        while (is_digit(*s))
            s++;
    }
    if (*s != 'E' && *s != 'e')
        return false;
    s++;
    if (*s == '+' || *s == '-')
        s++;
    if (!is_digit(*s))
        return false;
    while (is_digit(*s))
        s++;
    return *s == '\0';
}

int core_check_mobile(const char *mobile)
{
    if (!mobile || !*mobile)
        return E_EMPTY;
    if (!core_is_ascii(mobile))
        return E_FULLWIDTH;
    if (looks_exponent(mobile))
        return E_MOBILE_EXPONENT;
    size_t n = strlen(mobile);
    if (!all_of(mobile, is_digit))
        return E_MOBILE_FORMAT;
    if (n == CORE_MOBILE_LEN - 1 && mobile[1] == '0' &&
        (mobile[0] == '7' || mobile[0] == '8' || mobile[0] == '9'))
        return E_MOBILE_LEADING_ZERO;
    if (n != CORE_MOBILE_LEN)
        return E_MOBILE_FORMAT;
    if (strncmp(mobile, "070", 3) && strncmp(mobile, "080", 3) && strncmp(mobile, "090", 3))
        return E_MOBILE_PREFIX;
    return CORE_OK;
}

int core_check_sip_id(const char *sip_id)
{
    return check_class(sip_id, 1, &core_field_sip_id, E_SIP_ID_FORMAT);
}

int core_check_sip_password(const char *pw)
{
    return check_class(pw, 1, &core_field_sip_password, E_SIP_PW_FORMAT);
}

int core_check_web_user(const char *user)
{
    return check_class(user, 1, &core_field_web_user, E_WEB_USER_FORMAT);
}

static bool equal_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

int core_check_web_password(const char *pw, const char *user)
{
    int rc = check_class(pw, CORE_WEB_PW_LEN, &core_field_web_password, E_WEB_PW_FORMAT);
    if (rc)
        return rc;
    bool letter = false, digit = false;
    for (const char *p = pw; *p; p++) {
        letter |= is_alpha(*p);
        digit |= is_digit(*p);
    }
    if (!letter || !digit)
        return E_WEB_PW_MIX;
    if (user && equal_ignoring_case(pw, user))
        return E_WEB_PW_EQUALS_USER;
    return CORE_OK;
}

int core_check_domain(const char *domain)
{
    if (!domain || !*domain)
        return E_EMPTY;
    if (!core_is_ascii(domain))
        return E_FULLWIDTH;
    size_t n = strlen(domain);
    if (n > (size_t)core_field_domain.max_chars)
        return E_DOMAIN_FORMAT;
    size_t label = 0;
    bool dot = false;
    for (size_t i = 0; i <= n; i++) {
        char c = domain[i];
        if (c == '.' || c == '\0') {
            if (label == 0 || label > 63 || domain[i - 1] == '-')
                return E_DOMAIN_FORMAT;
            dot |= c == '.';
            label = 0;
            continue;
        }
        if (!(is_alnum(c) || (c == '-' && label > 0)))
            return E_DOMAIN_FORMAT;
        label++;
    }
    return dot ? CORE_OK : E_DOMAIN_FORMAT;
}

void core_normalize_domain(char *domain)
{
    for (; *domain; domain++)
        if (*domain >= 'A' && *domain <= 'Z')
            *domain = (char)(*domain - 'A' + 'a');
}

int core_check_admin_name(const char *name)
{
    return check_class(name, 1, &core_field_admin_name, E_ADMIN_NAME_FORMAT);
}

int core_check_admin_password(const char *pw)
{
    int rc = check_class(pw, CORE_ADMIN_PW_MIN, &core_field_admin_password, E_ADMIN_PW_POLICY);
    if (rc == E_FULLWIDTH || rc == E_EMPTY)
        rc = E_ADMIN_PW_POLICY;
    if (rc)
        return rc;
    bool letter = false, digit = false;
    for (const char *p = pw; *p; p++) {
        letter |= is_alpha(*p);
        digit |= is_digit(*p);
    }
    return letter && digit ? CORE_OK : E_ADMIN_PW_POLICY;
}

int core_check_capacity(const char *text, long *out)
{
    if (!text || !*text || strlen(text) > (size_t)core_field_capacity.max_chars ||
        !all_of(text, is_digit))
        return E_CAPACITY_FORMAT;
    long v = 0;
    for (const char *p = text; *p; p++)
        v = v * 10 + (*p - '0');
    if (v < 1 || v > CORE_CAPACITY_MAX)
        return E_CAPACITY_FORMAT;
    *out = v;
    return CORE_OK;
}

int core_check_audit_retention(const char *text, int *days)
{
    if (text && !strcmp(text, "off")) {
        *days = 0;
        return CORE_OK;
    }
    if (!text || !*text || strlen(text) > 5 || !all_of(text, is_digit))
        return E_SETTING_VALUE;
    int v = atoi(text);
    if (v < 1 || v > CORE_AUDIT_RETENTION_MAX)
        return E_SETTING_VALUE;
    *days = v;
    return CORE_OK;
}

int core_check_hold_code(const char *code, int *warning)
{
    *warning = CORE_OK;
    if (!code || !*code)
        return CORE_OK;
    int rc = check_class(code, 1, &core_field_hold_code, E_HOLD_CODE_FORMAT);
    if (rc == CORE_OK && strlen(code) == 1)
        *warning = W_HOLD_CODE_ONE_CHAR;
    return rc;
}

static int check_star_hash_code(const char *code, const struct core_field_rule *rule, int error)
{
    int rc = check_class(code, 1, rule, error);
    if (rc)
        return rc;
    return code[0] == '*' || code[0] == '#' ? CORE_OK : error;
}

int core_check_dial_confirm_code(const char *code)
{
    return check_star_hash_code(code, &core_field_dial_confirm_code, E_DIAL_CONFIRM_FORMAT);
}

int core_check_dtmf_send_code(const char *code)
{
    return check_star_hash_code(code, &core_field_dtmf_send_code, E_DTMF_SEND_FORMAT);
}

int core_check_operator_code(const char *code)
{
    return check_class(code, 1, &core_field_operator_code, E_OPERATOR_CODE_FORMAT);
}

/* Parses "addr/len" (len optional: a host) into family, bytes and length. */
static bool parse_cidr(const char *text, int *family, unsigned char addr[16], int *bits)
{
    char buf[64];
    size_t n = strlen(text);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, text, n + 1);
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    int max;
    if (inet_pton(AF_INET, buf, addr) == 1) {
        *family = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, buf, addr) == 1) {
        *family = AF_INET6;
        max = 128;
    } else {
        return false;
    }
    *bits = max;
    if (slash) {
        const char *p = slash + 1;
        if (!*p || strlen(p) > 3 || !all_of(p, is_digit))
            return false;
        *bits = atoi(p);
        if (*bits > max)
            return false;
    }
    return true;
}

/* Calls fn for each trimmed item of a comma-separated list; stops on false. */
static bool each_item(const char *list, bool (*fn)(const char *item, void *ctx), void *ctx)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *end = p;
        while (*end && *end != ',' && *end != ' ')
            end++;
        char item[64];
        size_t n = (size_t)(end - p);
        if (n >= sizeof item)
            return fn("", ctx);
        memcpy(item, p, n);
        item[n] = '\0';
        if (!fn(item, ctx))
            return false;
        p = end;
    }
    return true;
}

static bool valid_item(const char *item, void *ctx)
{
    (void)ctx;
    int family, bits;
    unsigned char addr[16];
    return parse_cidr(item, &family, addr, &bits);
}

int core_check_cidr_list(const char *list)
{
    if (!list)
        return CORE_OK;
    if (!core_is_ascii(list))
        return E_FULLWIDTH;
    return each_item(list, valid_item, NULL) ? CORE_OK : E_CIDR_FORMAT;
}

struct contains_ctx {
    int family;
    unsigned char addr[16];
    bool found;
};

static bool match_item(const char *item, void *ctx)
{
    struct contains_ctx *c = ctx;
    int family, bits;
    unsigned char net[16];
    if (!parse_cidr(item, &family, net, &bits) || family != c->family)
        return true;
    int full = bits / 8, rest = bits % 8;
    if (memcmp(net, c->addr, (size_t)full) != 0)
        return true;
    if (rest) {
        unsigned char mask = (unsigned char)(0xff << (8 - rest));
        if ((net[full] & mask) != (c->addr[full] & mask))
            return true;
    }
    c->found = true;
    return false;
}

bool core_cidr_list_contains(const char *list, const char *address)
{
    struct contains_ctx c = {0};
    if (inet_pton(AF_INET, address, c.addr) == 1)
        c.family = AF_INET;
    else if (inet_pton(AF_INET6, address, c.addr) == 1)
        c.family = AF_INET6;
    else
        return false;
    each_item(list, match_item, &c);
    return c.found;
}
