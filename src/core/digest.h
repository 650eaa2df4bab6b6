/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Digests: SHA-256 (FIPS 180-4), one-shot and over a stream of bytes, and
 * MD5 (RFC 1321) for the digest credentials Kamailio reads. */
#ifndef KASCON_CORE_DIGEST_H
#define KASCON_CORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* A digest being computed over a stream of bytes. */
struct core_digest {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t fill;
};
void core_sha256_init(struct core_digest *c);
void core_sha256_update(struct core_digest *c, const void *data, size_t n);
/* Ends the stream: the digest in lower-case hex. */
void core_sha256_hex(struct core_digest *c, char out[65]);
void core_sha256(const void *data, size_t len, unsigned char digest[32]);
/* MD5 of data as 32 lower-case hex digits and a NUL: an interoperability
 * format (Kamailio's ha1, ha1b), not a protection of kascon's secrets. */
void core_md5_hex(const void *data, size_t len, char out[33]);

#endif
