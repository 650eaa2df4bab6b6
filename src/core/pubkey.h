/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SSH public keys of administrators, as OpenSSH writes them in *.pub files
 * ("ssh-ed25519 AAAA... comment").  Parsing and fingerprints only: keys
 * are checked by libssh, not here. */
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

/* The fingerprint of a canonical key as `ssh-keygen -l` shows it: the
 * key's size in bits, "SHA256:" and the unpadded base64 of the SHA-256 of
 * the key blob, and its type label ("ED25519", "RSA", "ECDSA", ...).
 * Returns CORE_OK or E_KEY_FORMAT. */
#define CORE_PUBKEY_FP_MAX 51 /* "SHA256:" and 43 characters, and the NUL */
int core_pubkey_fingerprint(const char *key, int *bits, char *fp, size_t fp_n, const char **label);

#endif
