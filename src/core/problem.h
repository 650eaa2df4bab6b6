/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error catalogue: every problem a user can be told about has a stable
 * three-digit code and an English msgid (translated through gettext). */
#ifndef KASCON_CORE_PROBLEM_H
#define KASCON_CORE_PROBLEM_H

#include <stddef.h>

enum core_code {
    CORE_OK = 0,
    /* field format */
    E_EXT_FORMAT = 101,          /* not 2-15 ASCII digits */
    E_EXT_FIRST_DIGIT = 102,     /* first digit 0 or 1 */
    E_FULLWIDTH = 103,           /* full-width characters */
    E_EMPTY = 104,               /* required value missing */
    E_MOBILE_FORMAT = 111,       /* not 11 digits */
    E_MOBILE_PREFIX = 112,       /* not 070/080/090 */
    E_MOBILE_LEADING_ZERO = 113, /* Excel dropped the leading 0 */
    E_MOBILE_EXPONENT = 114,     /* Excel turned it into 9.01E+09 */
    E_MOBILE_NOT_PROVISIONED = 115,
    E_MOBILE_ASSIGNED = 116, /* mobile already assigned elsewhere */
    E_EXT_HAS_MOBILE = 117,  /* extension already has a mobile */
    E_VIRTUAL_ASSIGN = 118,  /* a virtual extension is never assigned */
    E_MOBILE_NOT_ASSIGNED = 119,
    E_SIP_ID_FORMAT = 121,
    E_SIP_PW_FORMAT = 122,
    E_WEB_USER_FORMAT = 123,
    E_WEB_PW_FORMAT = 124, /* not exactly 8 letters/digits */
    E_WEB_PW_MIX = 125,    /* needs a letter and a digit */
    E_WEB_PW_EQUALS_USER = 126,
    E_WEB_PAIR = 127, /* web user and password go together */
    E_HOLD_CODE_FORMAT = 131,
    E_DIAL_CONFIRM_FORMAT = 132,
    E_DTMF_SEND_FORMAT = 133,
    W_HOLD_CODE_ONE_CHAR = 134, /* a warning, not a refusal */
    E_OPERATOR_CODE_FORMAT = 135,
    E_PREFIX_COLLISION = 141,
    E_CAPACITY = 151,
    E_DOMAIN_FORMAT = 161,
    E_ADMIN_NAME_FORMAT = 162,
    E_ADMIN_PW_POLICY = 163,
    E_CAPACITY_FORMAT = 164,
    E_ADMIN_PW_REUSED = 165,
    E_CIDR_FORMAT = 166,
    E_SETTING_UNKNOWN = 167,
    E_SETTING_VALUE = 168,
    E_LOGIN_FAILED = 170, /* one message for every login failure */
    E_CAPACITY_BELOW_USE = 171,
    E_PW_MISMATCH = 172, /* new password typed twice differently */
    E_PW_CURRENT_WRONG = 173,
    E_KEY_FORMAT = 174,    /* not an OpenSSH public key line */
    E_DUP_EXTENSION = 233, /* the guide's パラメータエラー(重複登録) */
    E_DUP_SIP_ID = 234,
    E_DUP_WEB_USER = 235,
    E_DUP_SITE = 236,
    E_DUP_ADMIN = 237,
    E_DUP_LINE = 238,
    E_DUP_KEY = 239,
    E_WEB_USER_ADMIN = 240, /* a web user named like an administrator */
    E_EXT_NOT_FOUND = 241,
    E_DELETE_ASSIGNED = 242, /* unassign the mobile first (§4.5) */
    E_DELETE_IN_GROUP = 243, /* member of a group (FAQ §7) */
    E_PAIR_MISMATCH = 244,   /* delete row pair does not match */
    E_SITE_NOT_FOUND = 245,
    E_ADMIN_NOT_FOUND = 246,
    E_LINE_OTHER_SITE = 247,
    E_KEY_NOT_FOUND = 248,
    E_ADMIN_WEB_USER = 249,    /* an administrator named like a web user */
    E_CHANGED_MEANWHILE = 251, /* optimistic version check failed */
    E_LOCKED = 252,            /* another session holds the row lock */
    E_LOCK_LOST = 253,         /* our lease was taken over after expiry */
    E_NOT_CSV_ZIP = 301,       /* .xlsx or other ZIP container */
    E_NOT_CSV_OLE = 302,       /* encrypted or legacy Office file */
    E_NOT_CSV_BINARY = 303,
    E_UNDECODABLE = 304,
    E_COLUMN_COUNT = 305,
    E_RESERVED_FIELD = 306,
    E_CSV_SYNTAX = 307,
    E_FILE_EMPTY = 308,
    E_FILE_READ = 309,
    E_UNENCODABLE = 310, /* export: no form in the chosen encoding */
    E_FILE_WRITE = 311,
    E_FILE_TOO_LARGE = 312, /* over the import size limit */
    E_CDR_TIME = 401,       /* not YYYY/MM/DD HH:MM:SS */
    E_CDR_CALL_TYPE = 402,  /* not 成立 / 不成立 */
    E_CDR_NUMBER = 403,     /* not up to 32 of 0-9 * # + */
    E_CDR_CAUSE = 404,      /* not a Q.850 code 0-127 */
    E_CDR_TEXT_LONG = 405,
    E_CDR_TIME_ORDER = 406,  /* answer or end before the call time */
    E_CDR_DISPOSITION = 407, /* unknown Asterisk disposition */
    E_CDR_DAY_FORMAT = 408,
    E_CDR_FILE_NOT_FOUND = 409,
    E_CDR_UNENCODABLE = 410, /* no CP932 form for a character */
    E_SECRET_LENGTH = 411,   /* over 30 characters (guide §6.3) */
    E_SECRET_WRONG = 412,
    E_SECRET_LOCKED = 413,
    E_SECRET_NOT_SET = 414,
    E_CDR_NO_SUCH_TIME = 415, /* well written, but 2026-02-30 or 2026-13-01 */
    E_CDR_RANGE = 416,        /* a filter's from after its to */
    /* groups (§5.1, §5.3) */
    E_GROUP_NUMBER_FORMAT = 501, /* not 1-99999 without leading zeros */
    E_GROUP_NOT_FOUND = 502,
    E_DUP_GROUP = 503,
    E_PICKUP_GROUPS_FULL = 504, /* 4096 per site */
    E_HUNT_GROUPS_FULL = 505,   /* 10000 per site */
    E_GROUP_MEMBERS_FULL = 506, /* 64 per group */
    E_ALREADY_MEMBER = 507,
    E_NOT_MEMBER = 508,
    E_IN_OTHER_HUNT = 509, /* one hunting group per extension; names it */
    E_HUNT_TYPE = 510,
    E_HUNT_REP_MEMBER = 511, /* representative vs. hunting membership */
    E_HUNT_REP_TAKEN = 512,  /* one group per representative */
    E_DELETE_REPRESENTATIVE = 513,
    E_ORDER_MISMATCH = 514, /* a new order must list every member once */
    E_ORDER_NOT_PILOT = 515,
    /* forwarding (§3.5) and moving extension numbers (§6.1, §6.2) */
    E_FWD_DEST_FORMAT = 601, /* not an internal or outside number */
    E_FWD_SPECIAL = 602,     /* 1XX special services (110, 119) */
    E_FWD_SELF = 603,
    E_FWD_LOOP = 604,  /* unconditional forwarding leads back */
    E_FWD_DELAY = 605, /* no-answer delay not 5-60 s */
    E_FWD_KIND = 606,
    E_TRANSFER_SAME = 611, /* the recipient's mobile is the extension's own */
    E_EXCHANGE_SAME = 612,
    E_EXT_NO_MOBILE = 613,
    E_STORAGE = 901,
    E_NO_MEMORY = 902,
    E_HASH_FAILED = 903, /* a bulk import's web passwords: a worker failed or died */
    E_INTERRUPTED = 904, /* a signal stopped a long write; nothing of it was kept */
};

/* What kind of value a numbering-plan entry is; names it in messages. */
enum core_plan_kind {
    PLAN_SITE_NUMBER,
    PLAN_GW_ID,
    PLAN_PARK_CODE,
    PLAN_PICKUP_CODE,
    PLAN_GROUP_PICKUP_CODE,
    PLAN_HOLD_CODE,
    PLAN_DIAL_CONFIRM_CODE,
    PLAN_DTMF_SEND_CODE,
    PLAN_EXTENSION,
    PLAN_KIND_COUNT
};

/* other_kind when other holds group references (core/groups.h). */
#define CORE_OTHER_GROUPS 100
/* other_kind when other is shown as it is (a forwarding chain). */
#define CORE_OTHER_TEXT 101

/* A problem found by a rule: the code plus what it is about.  Front ends
 * format it with core_problem_format; nothing below them builds text. */
struct core_problem {
    int code;
    char value[64]; /* the offending value, as given */
    char other[64]; /* the value it collides with, if any */
    int other_kind; /* enum core_plan_kind of other, CORE_OTHER_GROUPS, or -1 */
    int field;      /* form field or CSV column (0-based), or -1 */
    long row;       /* CSV record (1-based), or 0 */
};

/* A list of problems: bulk checks report the first CORE_PROBLEMS_KEPT
 * of them and count the rest (`more`), so that a file of nothing but
 * errors costs bounded memory. */
#define CORE_PROBLEMS_KEPT 1000
struct core_problems {
    struct core_problem *items;
    size_t count, capacity;
    size_t more; /* problems found beyond the first CORE_PROBLEMS_KEPT */
    struct core_problem spare;
};

void core_problems_init(struct core_problems *list);
void core_problems_free(struct core_problems *list);
/* Appends a copy; returns a pointer to it, or NULL on no memory. */
struct core_problem *core_problems_add(struct core_problems *list, const struct core_problem *p);
/* Appends the problem `code` about `value` (NULL: none) at `field` (-1:
 * none); returns code, or E_STORAGE on no memory. */
int core_problems_add_code(struct core_problems *list, int code, const char *value, int field);

const char *core_code_msgid(int code);
/* Hint for a known Excel habit, or NULL. */
const char *core_code_hint(int code);
const char *core_plan_kind_msgid(int kind);
void core_problem_set(struct core_problem *p, int code, const char *value);
/* "MESSAGE: “VALUE” (collides with KIND “OTHER”)" in the user's language. */
void core_problem_format(const struct core_problem *p, char *buf, size_t n);

#endif
