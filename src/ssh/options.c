/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond's settings (options.h): defaults, "key = value" files, the
 * command line, and the usage text. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "ops/ops.h"
#include "ssh/options.h"
#include "ops/registrar.h"
#include "store/store.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG SYSCONFDIR "/kascon/kascond.conf"

static const char *prog = "kascond";

void sshd_config_defaults(struct sshd_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen_addr, sizeof cfg->listen_addr, "%s", "0.0.0.0");
    cfg->port = 2222;
    cfg->login_grace_time = 60;
    cfg->idle_timeout = 15 * 60;
    cfg->max_connections = 200;
    cfg->max_unauth_per_source = 10;
    cfg->max_auth_tries = 6;
    cfg->max_file_size = 64LL << 20;
    cfg->max_area_size = 256LL << 20;
    cfg->registrar_interval = 30;
    cfg->max_import_size = OPS_BULK_MAX_INPUT;
    snprintf(cfg->kex, sizeof cfg->kex, "%s", SSHD_DEFAULT_KEX);
    snprintf(cfg->ciphers, sizeof cfg->ciphers, "%s", SSHD_DEFAULT_CIPHERS);
    snprintf(cfg->macs, sizeof cfg->macs, "%s", SSHD_DEFAULT_MACS);
    snprintf(cfg->host_key_algorithms, sizeof cfg->host_key_algorithms, "%s",
             SSHD_DEFAULT_HOST_KEY_ALGORITHMS);
}

/* "ADDR:PORT", "[V6]:PORT", ":PORT" or "ADDR". */
static int parse_listen(const char *text, struct sshd_config *cfg)
{
    char addr[256];
    const char *port = NULL;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close)
            return -1;
        snprintf(addr, sizeof addr, "%.*s", (int)(close - text - 1), text + 1);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1])
            return -1;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon && strchr(text, ':') == colon) {
            snprintf(addr, sizeof addr, "%.*s", (int)(colon - text), text);
            port = colon + 1;
        } else {
            snprintf(addr, sizeof addr, "%s", text);
        }
    }
    if (port) {
        char *end = NULL;
        long p = strtol(port, &end, 10);
        if (!*port || *end || p < 0 || p > 65535)
            return -1;
        cfg->port = (int)p;
    }
    snprintf(cfg->listen_addr, sizeof cfg->listen_addr, "%s", addr[0] ? addr : "0.0.0.0");
    return 0;
}

static int parse_count(const char *text, int min, int *out)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < min || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

/* A byte count, with an optional K, M or G (binary) suffix. */
static int parse_size(const char *text, long long *out)
{
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    int shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (end == text || *end || v < 1 || v > (LLONG_MAX >> 30))
        return -1;
    *out = v << shift;
    return 0;
}

/* A value of one word (no blank, quote or control character) that fits. */
static int copy_word(char *dst, size_t n, const char *value)
{
    if (!value[0] || strlen(value) >= n)
        return -1;
    for (const char *p = value; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '\'' || *p == '"' || *p == 0x7f)
            return -1;
    snprintf(dst, n, "%s", value);
    return 0;
}

/* One setting, from the file or a flag; -1 for an unknown key or bad value. */
static int apply_setting(struct sshd_config *cfg, const char *key, const char *value)
{
    if (!strcmp(key, "listen"))
        return parse_listen(value, cfg);
    if (!strcmp(key, "db")) {
        snprintf(cfg->db_path, sizeof cfg->db_path, "%s", value);
        return 0;
    }
    if (!strcmp(key, "host-key")) {
        snprintf(cfg->host_key, sizeof cfg->host_key, "%s", value);
        return 0;
    }
    if (!strcmp(key, "login-grace-time"))
        return parse_count(value, 1, &cfg->login_grace_time);
    if (!strcmp(key, "idle-timeout"))
        return parse_count(value, 0, &cfg->idle_timeout);
    if (!strcmp(key, "max-connections"))
        return parse_count(value, 1, &cfg->max_connections);
    if (!strcmp(key, "max-unauthenticated-per-source"))
        return parse_count(value, 1, &cfg->max_unauth_per_source);
    if (!strcmp(key, "max-auth-tries"))
        return parse_count(value, 1, &cfg->max_auth_tries);
    if (!strcmp(key, "files")) {
        snprintf(cfg->files_root, sizeof cfg->files_root, "%s", value);
        return value[0] ? 0 : -1;
    }
    if (!strcmp(key, "max-file-size"))
        return parse_size(value, &cfg->max_file_size);
    if (!strcmp(key, "max-area-size"))
        return parse_size(value, &cfg->max_area_size);
    if (!strcmp(key, "user"))
        return copy_word(cfg->user, sizeof cfg->user, value);
    if (!strcmp(key, "kex-algorithms"))
        return copy_word(cfg->kex, sizeof cfg->kex, value);
    if (!strcmp(key, "ciphers"))
        return copy_word(cfg->ciphers, sizeof cfg->ciphers, value);
    if (!strcmp(key, "macs"))
        return copy_word(cfg->macs, sizeof cfg->macs, value);
    if (!strcmp(key, "host-key-algorithms"))
        return copy_word(cfg->host_key_algorithms, sizeof cfg->host_key_algorithms, value);
    if (!strcmp(key, "max-import-size"))
        return parse_size(value, &cfg->max_import_size);
    if (!strcmp(key, "public-host")) {
        snprintf(cfg->public_host, sizeof cfg->public_host, "%s", value);
        return value[0] && !strpbrk(value, " \t'\"") ? 0 : -1;
    }
    if (!strcmp(key, "registrar")) {
        snprintf(cfg->registrar, sizeof cfg->registrar, "%s", value);
        return 0;
    }
    if (!strcmp(key, "registrar-plaintext")) {
        if (!strcmp(value, "yes") || !strcmp(value, "1") || !strcmp(value, "on"))
            cfg->registrar_plaintext = true;
        else if (!strcmp(value, "no") || !strcmp(value, "0") || !strcmp(value, "off"))
            cfg->registrar_plaintext = false;
        else
            return -1;
        return 0;
    }
    if (!strcmp(key, "registrar-interval"))
        return parse_count(value, 1, &cfg->registrar_interval);
    if (!strcmp(key, "public-port")) {
        int port;
        if (parse_count(value, 1, &port) || port > 65535)
            return -1;
        cfg->public_port = port;
        return 0;
    }
    return -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

/* key = value lines; '#' starts a comment.  A missing default file is fine. */
static int load_config(const char *path, bool must_exist, struct sshd_config *cfg)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must_exist && errno == ENOENT)
            return 0;
        fprintf(stderr, _("%s: cannot read %s: %s\n"), prog, path, strerror(errno));
        return -1;
    }
    char line[4352];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (eq)
            *eq = '\0';
        if (!eq || apply_setting(cfg, trim(s), trim(eq + 1))) {
            fprintf(stderr, _("%s: %s:%d: unknown setting or bad value\n"), prog, path, lineno);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}

static void usage(FILE *out)
{
    fprintf(out, _("Usage: %s [OPTION]...\n"), prog);
    fputs(_("SSH server of kascon: runs the administration console for each login.\n\n"
            "  --listen ADDR:PORT        address and port to listen on (default 0.0.0.0:2222;\n"
            "                            port 0 picks a free port and logs it)\n"),
          out);
    /* The defaults this very program would take, as kascon --help shows. */
    char db[4096];
    const char *env = getenv("KASCON_DB");
    if (env && *env)
        fprintf(out, _("  --db PATH                 database (default: %s, from $KASCON_DB)\n"),
                env);
    else if (store_default_path(db, sizeof db) == 0)
        fprintf(out, _("  --db PATH                 database (default: %s, or $KASCON_DB)\n"), db);
    else
        fputs(_("  --db PATH                 database (no default: set $KASCON_DB or $HOME)\n"),
              out);
    fputs(_("  --host-key FILE           ed25519 host key, created if missing (default:\n"
            "                            ssh_host_ed25519_key in $STATE_DIRECTORY, else\n"
            "                            next to the database)\n"),
          out);
    fprintf(out, _("  --config FILE             settings file (default %s)\n"), DEFAULT_CONFIG);
    fputs(_("  --foreground              do not detach; log to standard error as well\n"
            "  --login-grace-time SEC    time allowed to log in (default 60)\n"
            "  --idle-timeout SEC        console idle timeout, 0 for none (default 900)\n"
            "  --max-connections N       connections at once (default 200)\n"
            "  --max-unauthenticated-per-source N\n"
            "                            connections not yet logged in per address (default 10)\n"
            "  --max-auth-tries N        failed attempts per connection (default 6)\n"
            "  --help                    show this help\n"
            "  --version                 show the version\n\n"
            "Settings in the file are written as \"key = value\" with the option names\n"
            "without dashes (listen, db, host-key, ...); options on the command line win.\n"),
          out);
    fputs(_("\nFile areas (sftp, scp, and the console's CSV files over SSH):\n"
            "  --files DIR               root of the administrators' areas (default: \"files\"\n"
            "                            next to the database)\n"
            "  --max-file-size BYTES     largest upload (K, M, G suffixes; default 64M)\n"
            "  --max-area-size BYTES     bytes kept per administrator (default 256M)\n"
            "  --public-host NAME        host name shown in scp commands (default: this\n"
            "                            host's name)\n"
            "  --public-port N           port shown in scp commands (default: the one\n"
            "                            listened on)\n"),
          out);
    fputs(_("\nSIP registrar (Kamailio), kept in step with every change:\n"
            "  --registrar PATH|postgresql://...\n"
            "                            its database (default: $KASCON_REGISTRAR; none: off)\n"
            "  --registrar-plaintext yes|no\n"
            "                            also write subscriber.password (default no)\n"
            "  --registrar-interval SEC  how often changes that could not be written are\n"
            "                            retried (default 30)\n"),
          out);
    fputs(_("\nService and algorithms:\n"
            "  -t                        check the settings and the host key, then exit\n"
            "  --user NAME               started as root: bind, then run as NAME for good\n"
            "  --kex-algorithms LIST     key exchanges offered (default: curve25519,\n"
            "                            Diffie-Hellman groups 16 and 18)\n"
            "  --ciphers LIST            ciphers offered (default: chacha20-poly1305,\n"
            "                            AES-GCM, AES-CTR)\n"
            "  --macs LIST               MACs offered (default: HMAC-SHA2, encrypt-then-MAC)\n"
            "  --host-key-algorithms LIST\n"
            "                            host key algorithms offered (default: ssh-ed25519,\n"
            "                            rsa-sha2-512, rsa-sha2-256)\n"
            "SIGHUP reloads the settings; open sessions keep theirs.\n"),
          out);
    fputs(_("\nLimits of the commands over SSH (ssh USER@SITE@HOST ext import < FILE):\n"
            "  --max-import-size BYTES   largest CSV on the standard input of ext import\n"
            "                            and ext delete (default 32M)\n"),
          out);
}

static const struct option long_options[] = {
    {"listen", required_argument, NULL, 'l'},
    {"db", required_argument, NULL, 'd'},
    {"host-key", required_argument, NULL, 'k'},
    {"config", required_argument, NULL, 'c'},
    {"foreground", no_argument, NULL, 'f'},
    {"login-grace-time", required_argument, NULL, 'g'},
    {"idle-timeout", required_argument, NULL, 'i'},
    {"max-connections", required_argument, NULL, 'm'},
    {"max-unauthenticated-per-source", required_argument, NULL, 'u'},
    {"max-auth-tries", required_argument, NULL, 'a'},
    {"files", required_argument, NULL, 'F'},
    {"max-file-size", required_argument, NULL, 's'},
    {"max-area-size", required_argument, NULL, 'S'},
    {"max-import-size", required_argument, NULL, 'M'},
    {"user", required_argument, NULL, 'U'},
    {"kex-algorithms", required_argument, NULL, 'K'},
    {"ciphers", required_argument, NULL, 'C'},
    {"macs", required_argument, NULL, 'X'},
    {"host-key-algorithms", required_argument, NULL, 'A'},
    {"public-host", required_argument, NULL, 'H'},
    {"public-port", required_argument, NULL, 'P'},
    {"registrar", required_argument, NULL, 'R'},
    {"registrar-plaintext", required_argument, NULL, 'W'},
    {"registrar-interval", required_argument, NULL, 'I'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* Returns 0 to go on, 1 to exit with success, 2 for a usage error. */
int sshd_parse_args(int argc, char **argv, struct sshd_config *cfg)
{
    const char *config = DEFAULT_CONFIG;
    bool explicit_config = false;
    int c;
    opterr = 0;
    optind = 0; /* parsed again on SIGHUP */
    while ((c = getopt_long(argc, argv, "t", long_options, NULL)) != -1) {
        if (c == 't')
            cfg->test_only = true;
        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        if (c == 'V') {
            printf("kascond (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return 1;
        }
        if (c == 'c') {
            config = optarg;
            explicit_config = true;
        }
        if (c == '?') {
            fprintf(stderr, _("%s: unknown option or missing value: %s\n"), prog, argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("%s: unexpected argument: %s\n"), prog, argv[optind]);
        return 2;
    }
    if (load_config(config, explicit_config, cfg))
        return 2;
    optind = 0;
    while ((c = getopt_long(argc, argv, "t", long_options, NULL)) != -1) {
        const char *key = NULL;
        for (const struct option *o = long_options; o->name; o++)
            if (o->val == c)
                key = o->name;
        if (c == 'f')
            cfg->foreground = true;
        else if (c != 'c' && key && apply_setting(cfg, key, optarg)) {
            fprintf(stderr, _("%s: bad value for --%s: %s\n"), prog, key, optarg);
            return 2;
        }
    }
    if (!cfg->db_path[0] && store_default_path(cfg->db_path, sizeof cfg->db_path)) {
        fprintf(stderr, _("%s: no database path: use --db PATH or set KASCON_DB\n"), prog);
        return 2;
    }
    /* The registrar reaches the sessions (console, exec verbs) through
     * the environment, as $KASCON_REGISTRAR does for kasconctl. */
    struct registrar_config reg;
    ops_registrar_config_from_env(&reg);
    if (cfg->registrar[0])
        snprintf(reg.url, sizeof reg.url, "%s", cfg->registrar);
    if (cfg->registrar_plaintext)
        reg.plaintext = true;
    if (reg.url[0] && reg.url[0] != '/' && !strstr(reg.url, "://")) {
        /* kascond leaves its working directory when it detaches. */
        char cwd[2048], abs[4096];
        if (getcwd(cwd, sizeof cwd)) {
            int n = snprintf(abs, sizeof abs, "%s/%s", cwd, reg.url);
            if (n > 0 && (size_t)n < sizeof reg.url)
                memcpy(reg.url, abs, (size_t)n + 1);
        }
    }
    ops_registrar_config_set(&reg, reg.url, reg.plaintext);
    snprintf(cfg->registrar, sizeof cfg->registrar, "%s", reg.url);
    /* Defaults next to an SQLite file; a PostgreSQL database has no
     * directory: the service's state directory, else the working one. */
    bool pg = store_is_postgresql(cfg->db_path);
    const char *state_dir = getenv("STATE_DIRECTORY");
    if (!cfg->files_root[0] && pg) {
        if (state_dir && *state_dir && !strchr(state_dir, ':'))
            snprintf(cfg->files_root, sizeof cfg->files_root, "%s/files", state_dir);
        else
            snprintf(cfg->files_root, sizeof cfg->files_root, "%s", "files");
    }
    if (!cfg->files_root[0]) {
        const char *slash = strrchr(cfg->db_path, '/');
        if (slash)
            snprintf(cfg->files_root, sizeof cfg->files_root, "%.*s/files",
                     (int)(slash - cfg->db_path), cfg->db_path);
        else
            snprintf(cfg->files_root, sizeof cfg->files_root, "%s", "files");
    }
    if (!cfg->host_key[0]) {
        /* Created on first start in the service's state directory
         * (systemd's StateDirectory=), else next to the database. */
        const char *state = state_dir;
        const char *slash = pg ? NULL : strrchr(cfg->db_path, '/');
        if (state && *state && !strchr(state, ':'))
            snprintf(cfg->host_key, sizeof cfg->host_key, "%s/ssh_host_ed25519_key", state);
        else if (slash)
            snprintf(cfg->host_key, sizeof cfg->host_key, "%.*s/ssh_host_ed25519_key",
                     (int)(slash - cfg->db_path), cfg->db_path);
        else
            snprintf(cfg->host_key, sizeof cfg->host_key, "%s", "ssh_host_ed25519_key");
    }
    if (cfg->files_root[0] != '/') {
        /* kascond leaves its working directory when it detaches. */
        char cwd[2048], abs[8192];
        if (getcwd(cwd, sizeof cwd)) {
            int n = snprintf(abs, sizeof abs, "%s/%s", cwd, cfg->files_root);
            if (n > 0 && (size_t)n < sizeof cfg->files_root)
                memcpy(cfg->files_root, abs, (size_t)n + 1);
        }
    }
    if (!cfg->public_host[0] && gethostname(cfg->public_host, sizeof cfg->public_host) != 0)
        snprintf(cfg->public_host, sizeof cfg->public_host, "%s", "localhost");
    return 0;
}
