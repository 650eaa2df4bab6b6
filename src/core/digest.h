/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SHA-256 (FIPS 180-4), for the fingerprints of SSH public keys as
 * ssh-keygen -l shows them.  Not used to protect anything. */
#ifndef KASCON_CORE_DIGEST_H
#define KASCON_CORE_DIGEST_H

#include <stddef.h>

void core_sha256(const void *data, size_t len, unsigned char digest[32]);

#endif
