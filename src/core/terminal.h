/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The encoding of a person's terminal: UTF-8, EUC-JP, or Shift_JIS as
 * Windows terminals speak it (CP932: PuTTY and Tera Term set to SJIS).
 * Stored per administrator and extension user, since those terminals do
 * not send LANG; a login whose client sends LANG with a codeset uses that. */
#ifndef KASCON_CORE_TERMINAL_H
#define KASCON_CORE_TERMINAL_H

enum core_term_enc { CORE_TERM_AUTO = 0, CORE_TERM_UTF8, CORE_TERM_EUCJP, CORE_TERM_CP932 };

/* "auto", "utf-8", "euc-jp", "cp932" (also "sjis", "shift_jis"); the
 * stored form is "" for auto.  E_SETTING_VALUE for anything else. */
int core_term_encoding_parse(const char *text, int *enc);
/* The stored and shown name: "auto", "utf-8", "euc-jp", "cp932". */
const char *core_term_encoding_name(int enc);
/* The codeset a locale name asks for ("ja_JP.SJIS" CP932, "ja_JP.eucJP"
 * EUC-JP, "ja_JP.UTF-8" UTF-8), CORE_TERM_AUTO when it names none or one
 * of no terminal encoding of these. */
int core_term_encoding_of_locale(const char *locale);

#endif
