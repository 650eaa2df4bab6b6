/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KASCON_CLI_OWNER_H
#define KASCON_CLI_OWNER_H

/* Run as root on a database (or a database directory) that another user
 * owns, switches for good to that user and its groups; otherwise does
 * nothing.  Returns 0, or -1 (said on stderr) when the switch failed. */
int cli_act_as_db_owner(const char *prog, const char *path);

#endif
