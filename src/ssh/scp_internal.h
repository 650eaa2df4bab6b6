/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the legacy scp server's files only: scp.c (the command and
 * the run), scp_proto.c (bytes, lines, answers and refusals on the
 * channel; client paths), scp_sink.c (scp -t, uploads) and scp_source.c
 * (scp -f, downloads).  The last two call scp_proto.c and nothing else of
 * scp; scp.c calls all three. */
#ifndef KASCON_SSH_SCP_INTERNAL_H
#define KASCON_SSH_SCP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ssh/sftp_server.h"

#define SCP_MAX_ARGS 32
#define SCP_LINE_MAX (IO_AREA_NAME_MAX + 64)
#define SCP_CHUNK 32768

struct scp {
    ssh_session ssh;
    ssh_channel channel;
    const struct io_area *area;
    const struct sshd_config *cfg;
    const char *who, *addr;
    unsigned char buf[SCP_CHUNK];
    size_t have, at;
    bool gone; /* the client went away or stopped sending */
    int errors;
};

/* The command's words, split as a shell would split them ('...', "...",
 * backslash); nothing else of a shell applies (no variable, no pattern:
 * patterns are matched against a box's files by the download). */
struct scp_cmd {
    bool to, from, recursive, dir_target, preserve;
    int argc;
    char *argv[SCP_MAX_ARGS];
    char words[1024];
};

/* A name the area does not take. */
#define STRINGIFY(x) #x
#define STRING_OF(x) STRINGIFY(x)
#define BAD_NAME                                                                                   \
    "not a name a file can have here (at most " STRING_OF(                                         \
        IO_AREA_NAME_MAX) " bytes, no leading '.', no control character)"

/* scp_proto.c */
/* More bytes from the client into buf; false when it has gone, closed its
 * side or sent nothing for the idle timeout. */
bool scp_fill(struct scp *c);
/* Drops what the client still sends until its end, for ten seconds at most. */
void scp_await_end(struct scp *c);
int scp_get_byte(struct scp *c);
/* One line up to '\n' (not kept): 1, or 0 when the client ended before
 * its first byte, or -1 (the client went away mid-line, or the line is
 * too long), or -2 for a whole line with a NUL byte in it. */
int scp_get_line(struct scp *c, char *line, size_t n);
void scp_send_bytes(struct scp *c, const void *data, size_t n);
void scp_send_ok(struct scp *c);
/* A refusal of one file (level 1) or of everything (2): the client prints
 * "scp: MESSAGE" and, for 1, goes on with its next file. */
__attribute__((format(printf, 3, 4))) void scp_refuse(struct scp *c, int level, const char *fmt,
                                                      ...);
/* The client's answer to a record: 0 yes, -1 a refusal (its message is
 * logged), -2 the end. */
int scp_answer(struct scp *c);
/* A client path in the area; "~" and "~/..." are the area too.  NULL, or
 * why it is refused. */
const char *scp_path_status(const char *path, struct vpath *vp);

/* scp_sink.c: scp -t TARGET, the client uploads. */
void scp_sink(struct scp *c, const struct scp_cmd *cmd);
/* scp_source.c: scp -f PATH..., the client downloads. */
void scp_source(struct scp *c, const struct scp_cmd *cmd);

#endif
