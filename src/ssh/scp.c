/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The legacy scp protocol, as OpenSSH's `scp -O`, PuTTY's `pscp -scp` and
 * Tera Term's SCP dialog speak it: the exec commands "scp -t TARGET" (the
 * client uploads) and "scp -f PATH..." (the client downloads), served in
 * the administrator's file area with the SFTP server's rules.  The area is
 * "/" (also "~" and "."), holding inbox/ and outbox/: uploads go into
 * inbox/ only (an upload to the area itself lands there), under a
 * temporary name that takes the file's name only when complete, 0600
 * whatever mode the client sends, within the size limit per file and the
 * area's quota; no directory, link or "..".  Times sent with -p are not
 * kept: a file's 24 hours start when it is written.  A download may name
 * several files and patterns (*.csv in outbox/), matched here since no shell
 * runs the command.
 *
 * The protocol: each side answers a record with one byte, 0 for yes, or 1
 * (a refusal of that one file) or 2 (the end of everything) followed by a
 * message line, which the client prints.
 *
 * This file reads the command and runs it; the protocol's bytes are
 * scp_proto.c, uploads scp_sink.c, downloads scp_source.c. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "io/area.h"
#include "ssh/log.h"
#include "ssh/scp_internal.h"

static int split_words(const char *in, char *out, size_t size, char **argv, int max)
{
    int argc = 0;
    size_t o = 0;
    const char *p = in;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return argc;
        if (argc == max)
            return -1;
        argv[argc++] = &out[o];
        while (*p && *p != ' ' && *p != '\t') {
            char c = *p++;
            if (c == '\'') {
                while (*p && *p != '\'') {
                    if (o + 1 >= size)
                        return -1;
                    out[o++] = *p++;
                }
                if (*p++ != '\'')
                    return -1;
                continue;
            }
            if (c == '"') {
                while (*p && *p != '"') {
                    if (*p == '\\' && strchr("\"\\$`", p[1]))
                        p++;
                    if (o + 1 >= size)
                        return -1;
                    out[o++] = *p++;
                }
                if (*p++ != '"')
                    return -1;
                continue;
            }
            if (c == '\\') {
                if (!*p)
                    return -1;
                c = *p++;
            }
            if (o + 1 >= size)
                return -1;
            out[o++] = c;
        }
        out[o++] = '\0';
    }
}

bool sshd_scp_command(const char *command)
{
    return command && !strncmp(command, "scp", 3) && (command[3] == ' ' || command[3] == '\t');
}

/* Parses "scp [-dfprtv] [--] PATH..."; returns NULL or what is wrong. */
static const char *parse_command(const char *command, struct scp_cmd *c)
{
    memset(c, 0, sizeof *c);
    char *argv[SCP_MAX_ARGS + 1];
    int argc = split_words(command, c->words, sizeof c->words, argv, SCP_MAX_ARGS + 1);
    if (argc < 1)
        return "cannot read the command (unbalanced quotes, or too many names)";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *o = argv[i] + 1; *o; o++) {
            switch (*o) {
            case 't':
                c->to = true;
                break;
            case 'f':
                c->from = true;
                break;
            case 'r':
                c->recursive = true;
                break;
            case 'd':
                c->dir_target = true;
                break;
            case 'p':
                c->preserve = true;
                break;
            case 'v':
            case 'q':
                break;
            default:
                return "unknown option (this server takes -t, -f, -d, -p, -r and -v)";
            }
        }
    }
    if (c->to == c->from)
        return "give -t or -f: this is the server's side of scp";
    for (; i < argc; i++)
        c->argv[c->argc++] = argv[i];
    if (c->argc == 0)
        return "no file named";
    if (c->to && c->argc != 1)
        return "one target only";
    return NULL;
}

int sshd_scp_run(ssh_session ssh, ssh_channel channel, const struct io_area *area,
                 const struct sshd_config *cfg, const char *command, const char *refusal,
                 const char *who, const char *addr)
{
    static struct scp c;
    memset(&c, 0, sizeof c);
    c.ssh = ssh;
    c.channel = channel;
    c.area = area;
    c.cfg = cfg;
    c.who = who;
    c.addr = addr;
    struct scp_cmd cmd;
    const char *bad = refusal ? refusal : parse_command(command, &cmd);
    if (bad) {
        scp_refuse(&c, 2, "%s", bad);
        if (refusal || strstr(command, " -t"))
            scp_await_end(&c);
        return 1;
    }
    if (cmd.to)
        scp_sink(&c, &cmd);
    else
        scp_source(&c, &cmd);
    /* An uploading client ends the transfer: pscp takes the server's end
     * of input before its own for a broken connection, so after a refusal
     * the client's end is awaited (it sends it once it has shown the
     * message).  A downloading client waits for the server's. */
    if (cmd.to)
        scp_await_end(&c);
    return c.errors ? 1 : 0;
}
