/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SHA-256 (FIPS 180-4), one-shot and over a stream of bytes. */
#ifndef KASCON_CORE_DIGEST_H
#define KASCON_CORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct core_sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t fill;
};
void core_sha256_init(struct core_sha256 *c);
void core_sha256_update(struct core_sha256 *c, const void *data, size_t n);
/* Ends the stream: the digest in lower-case hex. */
void core_sha256_hex(struct core_sha256 *c, char out[65]);
void core_sha256(const void *data, size_t len, unsigned char digest[32]);

#endif
