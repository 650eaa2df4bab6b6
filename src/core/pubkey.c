/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include "core/pubkey.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/problem.h"
#include "core/digest.h"

static const char *const key_types[] = {
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
};

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes up to n bytes of the blob's start into out; -1 if not base64. */
static long b64_decode_head(const char *s, size_t len, unsigned char *out, size_t n)
{
    if (len == 0 || len % 4)
        return -1;
    size_t got = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = s[i + k];
            if (c == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
            } else if (pad || (v[k] = b64_value(c)) < 0) {
                return -1;
            }
        }
        uint32_t triple =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        for (int k = 0; k < 3 - pad; k++) {
            if (got < n)
                out[got] = (unsigned char)(triple >> (16 - 8 * k));
            got++;
        }
    }
    return (long)got;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

int core_pubkey_parse(const char *line, char *key, size_t key_n, char *comment, size_t comment_n)
{
    const char *p = skip_blanks(line);
    size_t type_len = strcspn(p, " \t\r\n");
    const char *type = NULL;
    for (size_t i = 0; i < sizeof key_types / sizeof key_types[0]; i++)
        if (strlen(key_types[i]) == type_len && !strncmp(p, key_types[i], type_len))
            type = key_types[i];
    if (!type)
        return E_KEY_FORMAT;
    const char *blob = skip_blanks(p + type_len);
    size_t blob_len = strcspn(blob, " \t\r\n");
    if (type_len + 1 + blob_len + 1 > key_n || blob_len > CORE_PUBKEY_MAX)
        return E_KEY_FORMAT;
    /* The blob starts with the type as an SSH string: uint32 length, bytes. */
    unsigned char head[64];
    long got = b64_decode_head(blob, blob_len, head, sizeof head);
    if (got < 4 + (long)type_len)
        return E_KEY_FORMAT;
    uint32_t inner =
        (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
    if (inner != type_len || memcmp(head + 4, type, type_len))
        return E_KEY_FORMAT;
    snprintf(key, key_n, "%s %.*s", type, (int)blob_len, blob);
    const char *rest = skip_blanks(blob + blob_len);
    size_t rest_len = strcspn(rest, "\r\n");
    while (rest_len && (rest[rest_len - 1] == ' ' || rest[rest_len - 1] == '\t'))
        rest_len--;
    if (rest_len >= comment_n)
        rest_len = comment_n - 1;
    snprintf(comment, comment_n, "%.*s", (int)rest_len, rest);
    return CORE_OK;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The bit length of the RSA modulus: the blob is string type, mpint e,
 * mpint n (RFC 4253 6.6). */
static int rsa_bits(const unsigned char *blob, size_t len)
{
    size_t at = 0;
    for (int field = 0; field < 3; field++) {
        if (at + 4 > len)
            return 0;
        uint32_t n = be32(blob + at);
        at += 4;
        if (n > len - at)
            return 0;
        if (field == 2) {
            const unsigned char *m = blob + at;
            while (n && !*m)
                m++, n--;
            if (!n)
                return 0;
            int top = 0;
            for (unsigned v = *m; v; v >>= 1)
                top++;
            return (int)(n - 1) * 8 + top;
        }
        at += n;
    }
    return 0;
}

int core_pubkey_fingerprint(const char *key, int *bits, char *fp, size_t fp_n, const char **label)
{
    static const struct {
        const char *type, *label;
        int bits;
    } kinds[] = {
        {"ssh-ed25519", "ED25519", 256},
        {"ssh-rsa", "RSA", 0},
        {"ecdsa-sha2-nistp256", "ECDSA", 256},
        {"ecdsa-sha2-nistp384", "ECDSA", 384},
        {"ecdsa-sha2-nistp521", "ECDSA", 521},
        {"sk-ssh-ed25519@openssh.com", "ED25519-SK", 256},
        {"sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK", 256},
    };
    size_t type_len = strcspn(key, " ");
    const char *blob64 = key + type_len + (key[type_len] == ' ');
    size_t blob_len = strcspn(blob64, " \t\r\n");
    unsigned char local[CORE_PUBKEY_MAX];
    long got = b64_decode_head(blob64, blob_len, local, sizeof local);
    if (got < 4 || (size_t)got > sizeof local || fp_n < CORE_PUBKEY_FP_MAX)
        return E_KEY_FORMAT;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strlen(kinds[i].type) != type_len || strncmp(key, kinds[i].type, type_len))
            continue;
        *label = kinds[i].label;
        *bits = kinds[i].bits ? kinds[i].bits : rsa_bits(local, (size_t)got);
        unsigned char digest[32];
        core_sha256(local, (size_t)got, digest);
        static const char b64[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        size_t o = (size_t)snprintf(fp, fp_n, "SHA256:");
        for (int b = 0; b < 32; b += 3) {
            uint32_t v = (uint32_t)digest[b] << 16;
            int have = 32 - b >= 3 ? 3 : 32 - b;
            if (have > 1)
                v |= (uint32_t)digest[b + 1] << 8;
            if (have > 2)
                v |= digest[b + 2];
            for (int c = 0; c <= have; c++)
                fp[o++] = b64[v >> (18 - 6 * c) & 63];
        }
        fp[o] = '\0';
        return CORE_OK;
    }
    return E_KEY_FORMAT;
}
