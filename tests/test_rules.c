/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Table-driven tests of the core rules: every edge named in doc/spec.md §3. */
#include <config.h>

#include <string.h>
#include <time.h>

#include "core/digest.h"
#include "core/lockout.h"
#include "core/numplan.h"
#include "core/password.h"
#include "core/problem.h"
#include "core/rules.h"
#include "tap.h"

struct check_case {
    int (*check)(const char *);
    const char *name;
    const char *value;
    int want;
};

static int web_pw_user_x(const char *pw)
{
    return core_check_web_password(pw, "user01");
}
static int hold(const char *code)
{
    int warning;
    return core_check_hold_code(code, &warning);
}

static const struct check_case cases[] = {
    {core_check_extension, "extension", "20", CORE_OK},
    {core_check_extension, "extension", "2", E_EXT_FORMAT},
    {core_check_extension, "extension", "299999999999999", CORE_OK},
    {core_check_extension, "extension", "2999999999999999", E_EXT_FORMAT},
    {core_check_extension, "extension", "100", E_EXT_FIRST_DIGIT},
    {core_check_extension, "extension", "0200", E_EXT_FIRST_DIGIT},
    {core_check_extension, "extension", "900", CORE_OK},
    {core_check_extension, "extension", "20a", E_EXT_FORMAT},
    {core_check_extension, "extension", "", E_EMPTY},
    {core_check_extension, "extension", "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x90", E_FULLWIDTH},
    {core_check_extension, "extension", " 200", E_EXT_FORMAT},
    {core_check_mobile, "mobile", "09012345678", CORE_OK},
    {core_check_mobile, "mobile", "08012345678", CORE_OK},
    {core_check_mobile, "mobile", "07012345678", CORE_OK},
    {core_check_mobile, "mobile", "06012345678", E_MOBILE_PREFIX},
    {core_check_mobile, "mobile", "0901234567", E_MOBILE_FORMAT},
    {core_check_mobile, "mobile", "090123456789", E_MOBILE_FORMAT},
    {core_check_mobile, "mobile", "9012345678", E_MOBILE_LEADING_ZERO},
    {core_check_mobile, "mobile", "7012345678", E_MOBILE_LEADING_ZERO},
    {core_check_mobile, "mobile", "9.01E+09", E_MOBILE_EXPONENT},
    {core_check_mobile, "mobile", "9.01235E+9", E_MOBILE_EXPONENT},
    {core_check_mobile, "mobile", "090-1234-5678", E_MOBILE_FORMAT},
    {core_check_mobile, "mobile", "\xef\xbc\x90\xef\xbc\x99\xef\xbc\x90", E_FULLWIDTH},
    {core_check_mobile, "mobile", "", E_EMPTY},
    {core_check_sip_id, "sip id", "a", CORE_OK},
    {core_check_sip_id, "sip id", "abcdefghijklmnopqrstuvwxyz012345", CORE_OK},
    {core_check_sip_id, "sip id", "abcdefghijklmnopqrstuvwxyz0123456", E_SIP_ID_FORMAT},
    {core_check_sip_id, "sip id", "ab_c", E_SIP_ID_FORMAT},
    {core_check_sip_password, "sip password", "0123456789abcdef", CORE_OK},
    {core_check_sip_password, "sip password", "0123456789abcdefg", E_SIP_PW_FORMAT},
    {core_check_web_user, "web user", "user01", CORE_OK},
    {core_check_web_user, "web user", "user0123456789012", E_WEB_USER_FORMAT},
    {web_pw_user_x, "web password", "abcd1234", CORE_OK},
    {web_pw_user_x, "web password", "abcdefgh", E_WEB_PW_MIX},
    {web_pw_user_x, "web password", "12345678", E_WEB_PW_MIX},
    {web_pw_user_x, "web password", "abc1234", E_WEB_PW_FORMAT},
    {web_pw_user_x, "web password", "abcd12345", E_WEB_PW_FORMAT},
    {web_pw_user_x, "web password", "abcd-123", E_WEB_PW_FORMAT},
    {hold, "hold code", "#7", CORE_OK},
    {hold, "hold code", "*#09", CORE_OK},
    {hold, "hold code", "*#091", E_HOLD_CODE_FORMAT},
    {hold, "hold code", "", CORE_OK},
    {hold, "hold code", "#a", E_HOLD_CODE_FORMAT},
    {core_check_dial_confirm_code, "dial-confirm", "#71", CORE_OK},
    {core_check_dial_confirm_code, "dial-confirm", "71", E_DIAL_CONFIRM_FORMAT},
    {core_check_dial_confirm_code, "dial-confirm", "#712", E_DIAL_CONFIRM_FORMAT},
    {core_check_dial_confirm_code, "dial-confirm", "", E_EMPTY},
    {core_check_dtmf_send_code, "dtmf-send", "*9", CORE_OK},
    {core_check_dtmf_send_code, "dtmf-send", "9*", E_DTMF_SEND_FORMAT},
    {core_check_domain, "domain", "tokyo.example.jp", CORE_OK},
    {core_check_domain, "domain", "tokyo", E_DOMAIN_FORMAT},
    {core_check_domain, "domain", "-a.example.jp", E_DOMAIN_FORMAT},
    {core_check_domain, "domain", "a..jp", E_DOMAIN_FORMAT},
    {core_check_domain, "domain", "a_b.jp", E_DOMAIN_FORMAT},
    {core_check_admin_name, "admin name", "admin", CORE_OK},
    {core_check_admin_name, "admin name", "ad min", E_ADMIN_NAME_FORMAT},
    {core_check_admin_password, "admin password", "secret12", CORE_OK},
    {core_check_admin_password, "admin password", "secret1", E_ADMIN_PW_POLICY},
    {core_check_admin_password, "admin password", "secretsecret", E_ADMIN_PW_POLICY},
    {core_check_cidr_list, "cidr", "192.0.2.0/24, 2001:db8::/32,198.51.100.7", CORE_OK},
    {core_check_cidr_list, "cidr", "192.0.2.0/33", E_CIDR_FORMAT},
    {core_check_cidr_list, "cidr", "example.com", E_CIDR_FORMAT},
    {core_check_cidr_list, "cidr", "", CORE_OK},
};

static void test_field_rules(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        tap_is(cases[i].check(cases[i].value), cases[i].want, "%s \"%s\" -> %d", cases[i].name,
               cases[i].value, cases[i].want);
    int warning = 0;
    tap_is(core_check_hold_code("#", &warning), CORE_OK, "one-character hold code is accepted");
    tap_is(warning, W_HOLD_CODE_ONE_CHAR, "... with a warning");
    tap_is(core_check_web_password("User0001", "user0001"), E_WEB_PW_EQUALS_USER,
           "web password equal to the user, ignoring case");
    long cap = 0;
    tap_is(core_check_capacity("100000", &cap), CORE_OK, "capacity 100000");
    tap_is(cap, 100000, "capacity parsed");
    tap_is(core_check_capacity("0", &cap), E_CAPACITY_FORMAT, "capacity 0 refused");
    tap_is(core_check_capacity("100001", &cap), E_CAPACITY_FORMAT, "capacity over the limit");
    tap_ok(core_cidr_list_contains("192.0.2.0/24", "192.0.2.200"), "address in network");
    tap_ok(!core_cidr_list_contains("192.0.2.0/24", "192.0.3.1"), "address outside network");
    tap_ok(core_cidr_list_contains("10.0.0.0/8,2001:db8::/32", "2001:db8::1"), "IPv6 in network");
    tap_ok(core_cidr_list_contains("192.0.2.1", "192.0.2.1"), "host without length");
}

static void test_prefix_rule(void)
{
    struct core_plan plan;
    struct core_problem p;
    core_plan_init(&plan);
    core_plan_add(&plan, PLAN_HOLD_CODE, "#7");
    core_plan_add(&plan, PLAN_SITE_NUMBER, "81");
    for (int i = 200; i < 300; i++) {
        char ext[8];
        snprintf(ext, sizeof ext, "%d", i);
        core_plan_add(&plan, PLAN_EXTENSION, ext);
    }
    tap_is(core_plan_check(&plan, "#71", &p), E_PREFIX_COLLISION, "#71 collides with hold code #7");
    tap_ok(!strcmp(p.other, "#7") && p.other_kind == PLAN_HOLD_CODE,
           "the collision names #7 as hold code");
    tap_is(core_plan_check(&plan, "#", &p), E_PREFIX_COLLISION, "# is a prefix of #7");
    tap_is(core_plan_check(&plan, "#8", &p), CORE_OK, "#8 is free");
    tap_is(core_plan_check(&plan, "2", &p), E_PREFIX_COLLISION, "2 is a prefix of extensions");
    tap_is(core_plan_check(&plan, "20", &p), E_PREFIX_COLLISION,
           "a code equal to an extension's first digits");
    tap_is(core_plan_check(&plan, "2000", &p), E_PREFIX_COLLISION,
           "an extension starting with 200");
    tap_ok(!strcmp(p.other, "200") && p.other_kind == PLAN_EXTENSION, "names extension 200");
    tap_is(core_plan_check(&plan, "250", &p), E_PREFIX_COLLISION, "an equal value collides");
    tap_is(core_plan_check(&plan, "300", &p), CORE_OK, "300 is free");
    tap_is(core_plan_check(&plan, "8", &p), E_PREFIX_COLLISION, "8 is a prefix of the site number");
    tap_is(core_plan_check(&plan, "810", &p), E_PREFIX_COLLISION,
           "the site number is a prefix of 810");
    tap_is(core_plan_check_all(&plan, &p), CORE_OK, "the plan itself is prefix-free");
    core_plan_add(&plan, PLAN_DIAL_CONFIRM_CODE, "#71");
    tap_is(core_plan_check_all(&plan, &p), E_PREFIX_COLLISION, "#7 and #71 together are found");
    core_plan_remove(&plan, PLAN_HOLD_CODE, "#7");
    tap_is(core_plan_check_all(&plan, &p), CORE_OK, "removing #7 clears it");
    core_plan_free(&plan);
}

static void test_lockout(void)
{
    struct core_lock_state s = {0, 0};
    int64_t t = 1000000;
    tap_ok(core_lockout_allows(&s, true, t), "fresh account allowed");
    tap_ok(!core_lockout_fail(&s, t), "first failure does not lock");
    tap_ok(!core_lockout_fail(&s, t + 1), "second failure does not lock");
    tap_ok(core_lockout_fail(&s, t + 2), "third failure locks");
    tap_ok(!core_lockout_allows(&s, true, t + 3), "locked account refused");
    tap_ok(!core_lockout_allows(&s, true, t + 2 + CORE_LOCK_SECONDS - 1), "still locked at 59:59");
    tap_ok(!core_lockout_allows(&s, false, t + 2 + CORE_LOCK_SECONDS * 5),
           "no auto unlock: locked");
    tap_ok(core_lockout_allows(&s, true, t + 2 + CORE_LOCK_SECONDS),
           "auto unlock after 60 minutes");
    tap_is(s.failures, 0, "auto unlock clears the failures");
    core_lockout_fail(&s, t);
    core_lockout_fail(&s, t);
    core_lockout_succeed(&s);
    tap_is(s.failures, 0, "a success resets the count");
    tap_ok(core_password_expired(0, 90, 90LL * 86400), "expired after 90 days");
    tap_ok(!core_password_expired(1, 90, 90LL * 86400), "not before");
    tap_ok(!core_password_expired(0, 0, 1LL << 40), "max age 0 never expires");
}

static void test_passwords(void)
{
    char hash[CORE_HASH_MAX];
    tap_is(core_password_hash("secret12", hash, sizeof hash), 0, "hashing works");
    tap_ok(!strncmp(hash, "$y$", 3), "yescrypt hash");
    tap_ok(core_password_verify("secret12", hash), "right password verifies");
    tap_ok(!core_password_verify("secret13", hash), "wrong password does not");
    tap_ok(!core_password_verify("", hash), "empty password does not");
    char again[CORE_HASH_MAX];
    core_password_hash("secret12", again, sizeof again);
    tap_ok(strcmp(hash, again) != 0, "salted: two hashes differ");
    /* An unknown user costs the same as a known one: within 3x of a verify.
     * The CPU time this thread spent, the least of three: on a busy machine
     * the wall clock also counts the time other processes had the CPU. */
    double verify = 1e9, burn = 1e9;
    for (int i = 0; i < 3; i++) {
        struct timespec t0, t1, t2;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        core_password_verify("secret12", hash);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
        core_password_burn("secret12");
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t2);
        double v = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        double b = (t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9;
        verify = v < verify ? v : verify;
        burn = b < burn ? b : burn;
    }
    tap_ok(burn > verify / 3, "dummy verification does real work (%.1f ms vs %.1f ms of CPU)",
           burn * 1e3, verify * 1e3);
}

static void test_catalogue(void)
{
    struct core_problem p;
    char buf[256];
    core_problem_set(&p, E_DUP_EXTENSION, "200");
    core_problem_format(&p, buf, sizeof buf);
    tap_ok(strstr(buf, "duplicate registration") && strstr(buf, "200"), "233 names the value: %s",
           buf);
    tap_ok(core_code_hint(E_MOBILE_LEADING_ZERO) != NULL, "leading zero has an Excel hint");
}

/* The descriptors the console's fields enforce are the ones the checks use:
 * a value of exactly the limit passes, one more character fails. */
static void test_field_descriptors(void)
{
    char buf[64];
    memset(buf, '2', sizeof buf);
    buf[core_field_extension.max_chars] = '\0';
    tap_is(core_check_extension(buf), CORE_OK, "extension of the descriptor's 15 digits passes");
    buf[core_field_extension.max_chars] = '2';
    buf[core_field_extension.max_chars + 1] = '\0';
    tap_is(core_check_extension(buf), E_EXT_FORMAT, "one digit more fails");
    tap_is(core_field_web_password.max_chars, 8, "web password: 8 characters");
    tap_is(core_field_group_number.max_chars, 5, "group number: 5 digits");
    tap_is(core_check_web_password("abcd1234", "u"), CORE_OK, "8 characters pass");
    tap_is(core_check_web_password("abcd12345", "u"), E_WEB_PW_FORMAT, "9 fail");
    tap_is((int)core_chars_halfwidth(CORE_CHARS_DIGITS, 0xff12), '2', "２ becomes 2");
    tap_is((int)core_chars_halfwidth(CORE_CHARS_ALNUM, 0xff41), 'a', "ａ becomes a");
    tap_is((int)core_chars_halfwidth(CORE_CHARS_DOMAIN, 0xff0d), '-', "－ becomes - in a domain");
    tap_is((int)core_chars_halfwidth(CORE_CHARS_NAME, 0x30fc), '-', "ー becomes - in a name");
    tap_is((int)core_chars_halfwidth(CORE_CHARS_DIGITS, 0x30fc), 0x30fc,
           "ー stays ー in a number (refused)");
    tap_is((int)core_chars_halfwidth(CORE_CHARS_DIGITS, 0xff41), 0xff41,
           "ａ stays in a number field (refused)");
    tap_is((int)core_chars_halfwidth(CORE_CHARS_ANY, 0xff12), 0xff12, "free text keeps ２");
    tap_ok(!core_chars_accept(CORE_CHARS_DIGITS, 0xff12), "２ itself is not a digit");
    tap_ok(core_chars_accept(CORE_CHARS_DIAL, '#'), "# is a dial character");
    tap_ok(!core_chars_accept(CORE_CHARS_ALNUM, '-'), "- is not alphanumeric");
    tap_ok(core_chars_accept(CORE_CHARS_ANY, 0x3042), "あ in free text");
    tap_ok(!core_chars_accept(CORE_CHARS_ANY, '\n'), "no control characters in free text");
    tap_ok(core_chars_msgid(CORE_CHARS_DIGITS) != NULL, "digits have a message");
}

/* The published test vectors (FIPS 180-4's, RFC 1321's), and inputs around
 * the 56- and 64-byte edges where the padding takes a second block, fed in
 * pieces that cross block boundaries; the reference is sha256sum/md5sum. */
static void test_digests(void)
{
    static const struct {
        const char *in, *sha256, *md5;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "d41d8cd98f00b204e9800998ecf8427e"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
         "900150983cd24fb0d6963f7d28e17f72"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
         "8215ef0796a20bcaaae116d3876c664a"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "f371bc4a311f2b009eef952dd83ca80e2b60026c8e935592d0f9c308453c813e",
         "57edf4a22be3c955ac49da2e2107b67a"},
        {"0123456789012345678901234567890123456789012345678901234567890123",
         "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56",
         "7f7bfd348709deeaace19e3f535f8c54"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t len = strlen(v[i].in);
        char hex[65];
        struct core_digest c;
        core_sha256_init(&c);
        for (size_t at = 0; at < len; at += 7)
            core_sha256_update(&c, v[i].in + at, len - at < 7 ? len - at : 7);
        core_sha256_hex(&c, hex);
        tap_ok(!strcmp(hex, v[i].sha256), "SHA-256 of a %zu-byte input, fed 7 bytes at a time",
               len);
        unsigned char raw[32];
        core_sha256(v[i].in, len, raw);
        char raw_hex[65];
        for (int b = 0; b < 32; b++)
            snprintf(raw_hex + 2 * b, 3, "%02x", raw[b]);
        tap_ok(!strcmp(raw_hex, v[i].sha256), "... and one-shot, as bytes");
        core_md5_hex(v[i].in, len, hex);
        tap_ok(!strcmp(hex, v[i].md5), "MD5 of a %zu-byte input", len);
    }
}

int main(void)
{
    test_field_rules();
    test_field_descriptors();
    test_prefix_rule();
    test_lockout();
    test_passwords();
    test_catalogue();
    test_digests();
    return tap_done();
}
