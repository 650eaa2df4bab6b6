/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SSH public keys of administrators, as OpenSSH writes them in *.pub files
 * ("ssh-ed25519 AAAA... comment").  Parsing only: no cryptography here. */
#ifndef KASCON_CORE_PUBKEY_H
#define KASCON_CORE_PUBKEY_H

#include <stddef.h>

#define CORE_PUBKEY_MAX 4096
#define CORE_PUBKEY_COMMENT_MAX 128

/* Parses one public-key line.  On success writes the canonical form
 * "TYPE BASE64" (what is stored and compared) and the comment (may be
 * empty).  Returns CORE_OK or E_KEY_FORMAT: unknown type, bad base64, or a
 * key blob that does not name its own type. */
int core_pubkey_parse(const char *line, char *key, size_t key_n, char *comment, size_t comment_n);

#endif
