/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/password.h"

#include <crypt.h>
#include <stdio.h>
#include <string.h>

#define WEB_PASSWORD_COST 3

static int hash_with_cost(const char *password, unsigned long cost, char *out, size_t n)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$y$", cost, NULL, 0, salt, sizeof salt))
        return -1;
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    const char *h = crypt_rn(password, salt, &data, sizeof data);
    if (!h || h[0] == '*' || strlen(h) >= n)
        return -1;
    snprintf(out, n, "%s", h);
    return 0;
}

static bool equal_constant_time(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = (unsigned char)(na != nb);
    size_t n = na < nb ? na : nb;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

bool core_password_verify(const char *password, const char *hash)
{
    if (!password || !hash || !*hash)
        return false;
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    const char *h = crypt_rn(password, hash, &data, sizeof data);
    if (!h || h[0] == '*')
        return false;
    return equal_constant_time(h, hash);
}

int core_password_hash(const char *password, char *out, size_t n)
{
    return hash_with_cost(password, 0, out, n);
}

int core_password_hash_web(const char *password, char *out, size_t n)
{
    return hash_with_cost(password, WEB_PASSWORD_COST, out, n);
}

void core_password_burn(const char *password)
{
    /* A fixed yescrypt setting with the default cost: hashing with it costs
     * what verifying a stored hash costs. */
    static const char fixed_bytes[16] = "kascon-timing-eq";
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$y$", 0, fixed_bytes, sizeof fixed_bytes, setting, sizeof setting))
        return;
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    (void)crypt_rn(password ? password : "", setting, &data, sizeof data);
}
