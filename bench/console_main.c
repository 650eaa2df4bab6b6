/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console as a plain program, for the ForceCommand of the OpenSSH
 * server that bench/ssh.py compares kascond with: the same console_run
 * that kascond runs, so that the comparison is between the SSH servers. */
#include <config.h>

#include <stdio.h>

#include "console/console.h"
#include "i18n.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s DB DOMAIN USER\n", argv[0]);
        return 2;
    }
    kascon_i18n_init();
    struct console_opts opts = {
        .db_path = argv[1],
        .source = "bench",
        .preauth_domain = argv[2],
        .preauth_user = argv[3],
        .in = stdin,
        .out = stdout,
    };
    return console_run(&opts);
}
