/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include "core/pubkey.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/problem.h"

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
