/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MD5 (RFC 1321), for the digest credentials Kamailio reads (ha1, ha1b):
 * an interoperability format, not a protection of kascon's own secrets. */
#ifndef KASCON_REGISTRAR_MD5_H
#define KASCON_REGISTRAR_MD5_H

#include <stddef.h>

/* Writes the 32 lowercase hex digits and a NUL to hex[33]. */
void md5_hex(const void *data, size_t len, char hex[33]);

#endif
