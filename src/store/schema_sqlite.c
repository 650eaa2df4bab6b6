/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite schema.  The PostgreSQL one (schema_pg.c) is numbered alike:
 * a migration added here is added there too, under the same number. */
#include <config.h>

#include "store/internal.h"

/* Numbered migrations: migrations[i] brings user_version i to i + 1.
 * Append only; never edit a migration that has shipped. */
const char *const store_sqlite_migrations[] = {
    /* 1: the initial schema */
    "CREATE TABLE sites ("
    " id INTEGER PRIMARY KEY,"
    " domain TEXT NOT NULL UNIQUE,"
    " capacity INTEGER NOT NULL CHECK (capacity > 0),"
    " site_number TEXT, gw_id TEXT, park_code TEXT, pickup_code TEXT, group_pickup_code TEXT,"
    " hold_code TEXT, hold_disconnect INTEGER NOT NULL DEFAULT 0,"
    " dial_confirm_code TEXT, dtmf_erase INTEGER NOT NULL DEFAULT 0, dtmf_send_code TEXT,"
    " restrict_admin INTEGER NOT NULL DEFAULT 0, restrict_user INTEGER NOT NULL DEFAULT 0,"
    " trusted_networks TEXT NOT NULL DEFAULT '',"
    " auto_unlock INTEGER NOT NULL DEFAULT 1,"
    " password_max_age_days INTEGER NOT NULL DEFAULT 90,"
    " secret_question TEXT, secret_answer_hash TEXT,"
    " secret_failures INTEGER NOT NULL DEFAULT 0, secret_locked_at INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE admins ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " name TEXT NOT NULL,"
    " pw_hash TEXT NOT NULL,"
    " pw_changed_at INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0, locked_at INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, name));"
    "CREATE TABLE admin_keys ("
    " id INTEGER PRIMARY KEY,"
    " admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '',"
    " UNIQUE (admin_id, key));"
    "CREATE TABLE lines ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " mobile TEXT NOT NULL UNIQUE);"
    "CREATE INDEX lines_site ON lines(site_id, mobile);"
    "CREATE TABLE extensions ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " ext TEXT NOT NULL,"
    " ext_num INTEGER NOT NULL,"
    " is_virtual INTEGER NOT NULL DEFAULT 0,"
    " sip_id TEXT NOT NULL, sip_password TEXT NOT NULL,"
    " web_user TEXT, web_pw_hash TEXT,"
    " web_failures INTEGER NOT NULL DEFAULT 0, web_locked_at INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, ext), UNIQUE (site_id, sip_id), UNIQUE (site_id, web_user));"
    "CREATE INDEX extensions_order ON extensions(site_id, ext_num);"
    "CREATE TABLE assignments ("
    " extension_id INTEGER PRIMARY KEY REFERENCES extensions(id),"
    " line_id INTEGER NOT NULL UNIQUE REFERENCES lines(id));"
    "CREATE TABLE pickup_groups ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " number INTEGER NOT NULL,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, number));"
    "CREATE TABLE pickup_members ("
    " group_id INTEGER NOT NULL REFERENCES pickup_groups(id) ON DELETE CASCADE,"
    " extension_id INTEGER NOT NULL REFERENCES extensions(id),"
    " position INTEGER NOT NULL,"
    " PRIMARY KEY (group_id, extension_id));"
    "CREATE INDEX pickup_members_ext ON pickup_members(extension_id);"
    /* A hunting group's representative is required and routes to one
     * group only (UNIQUE); hunt_members.extension_id is UNIQUE because an
     * extension is in at most one hunting group (§5.3).  Lists page by
     * (site_id, number); member counts read the (group_id, ...) keys. */
    "CREATE TABLE hunt_groups ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " number INTEGER NOT NULL,"
    " pilot INTEGER NOT NULL DEFAULT 0,"
    " rep_extension_id INTEGER NOT NULL UNIQUE REFERENCES extensions(id),"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, number));"
    "CREATE TABLE hunt_members ("
    " group_id INTEGER NOT NULL REFERENCES hunt_groups(id) ON DELETE CASCADE,"
    " extension_id INTEGER NOT NULL UNIQUE REFERENCES extensions(id),"
    " position INTEGER NOT NULL,"
    " PRIMARY KEY (group_id, extension_id));"
    "CREATE TABLE forwarding ("
    " extension_id INTEGER PRIMARY KEY REFERENCES extensions(id) ON DELETE CASCADE,"
    " unconditional TEXT, busy TEXT, no_answer TEXT, no_answer_delay INTEGER,"
    " out_of_coverage TEXT, voicemail INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1);"
    /* Call records: a file is one part (at most 40,000 records) of one
     * day of a site.  Records are clustered by (file, position) so that a
     * page of a file is one range read and a load appends in key order. */
    "CREATE TABLE cdr_files ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " day TEXT NOT NULL, part INTEGER NOT NULL, records INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (site_id, day, part));"
    "CREATE TABLE cdr ("
    " file_id INTEGER NOT NULL REFERENCES cdr_files(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " call_time TEXT NOT NULL, answer_time TEXT, end_time TEXT,"
    " completed INTEGER NOT NULL, service TEXT, received TEXT, caller TEXT, callee TEXT,"
    " transferrer TEXT, disconnect_type TEXT, disconnector TEXT, cause INTEGER,"
    " PRIMARY KEY (file_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " site_id INTEGER,"
    " actor TEXT NOT NULL, source TEXT NOT NULL,"
    " action TEXT NOT NULL, object TEXT NOT NULL,"
    " before TEXT, after TEXT);"
    "CREATE INDEX audit_site ON audit(site_id, id);"
    "CREATE TABLE locks ("
    " object TEXT PRIMARY KEY,"
    " session TEXT NOT NULL, holder TEXT NOT NULL,"
    " taken_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);",
    /* 2: a bulk operation is one audit entry; its rows, compact, here
     * (clustered by entry, so showing them is one range read) */
    "CREATE TABLE audit_rows ("
    " audit_id INTEGER NOT NULL REFERENCES audit(id) ON DELETE CASCADE,"
    " row INTEGER NOT NULL,"
    " action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT,"
    " PRIMARY KEY (audit_id, row)) WITHOUT ROWID;",
    /* 3: the registrar outbox.  Once a registrar is attached to the
     * database (registrar_state.enabled), every change to what Kamailio
     * reads is queued in the changing transaction itself, by trigger, as
     * the key of the Kamailio rows to bring in step: 'd' a domain row,
     * 's' a subscriber and its forwarding preferences (key: SIP ID),
     * 'a' an alias (key: extension or mobile number), 'site' every row
     * of the domain.  The writer recomputes those rows from the tables,
     * so an entry applied twice or late still converges. */
    "CREATE TABLE registrar_outbox ("
    " id INTEGER PRIMARY KEY, domain TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL);"
    "CREATE TABLE registrar_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " enabled INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT NOT NULL DEFAULT '', failed_at INTEGER NOT NULL DEFAULT 0,"
    " applied_at INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO registrar_state (id) VALUES (1);"
    "CREATE TRIGGER registrar_site_ins AFTER INSERT ON sites"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key) VALUES (NEW.domain, 'site', '');"
    " END;"
    "CREATE TRIGGER registrar_site_upd AFTER UPDATE OF domain ON sites"
    " WHEN (SELECT enabled FROM registrar_state) AND OLD.domain <> NEW.domain BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key) VALUES (OLD.domain, 'site', ''),"
    " (NEW.domain, 'site', '');"
    " END;"
    "CREATE TRIGGER registrar_ext_ins AFTER INSERT ON extensions"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT domain, 's', NEW.sip_id FROM sites WHERE id = NEW.site_id"
    "  UNION ALL SELECT domain, 'a', NEW.ext FROM sites WHERE id = NEW.site_id;"
    " END;"
    "CREATE TRIGGER registrar_ext_del AFTER DELETE ON extensions"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT domain, 's', OLD.sip_id FROM sites WHERE id = OLD.site_id"
    "  UNION ALL SELECT domain, 'a', OLD.ext FROM sites WHERE id = OLD.site_id;"
    " END;"
    /* An alias names the SIP ID and exists only with a password: the
     * aliases are queued only when one of those moves. */
    "CREATE TRIGGER registrar_ext_upd"
    " AFTER UPDATE OF site_id, ext, sip_id, sip_password ON extensions"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT domain, 's', OLD.sip_id FROM sites WHERE id = OLD.site_id"
    "  UNION SELECT domain, 's', NEW.sip_id FROM sites WHERE id = NEW.site_id"
    "  UNION SELECT domain, 'a', OLD.ext FROM sites WHERE id = OLD.site_id"
    "   AND (OLD.site_id, OLD.ext, OLD.sip_id, OLD.sip_password = '')"
    "    IS NOT (NEW.site_id, NEW.ext, NEW.sip_id, NEW.sip_password = '')"
    "  UNION SELECT domain, 'a', NEW.ext FROM sites WHERE id = NEW.site_id"
    "   AND (OLD.site_id, OLD.ext, OLD.sip_id, OLD.sip_password = '')"
    "    IS NOT (NEW.site_id, NEW.ext, NEW.sip_id, NEW.sip_password = '')"
    "  UNION SELECT s.domain, 'a', l.mobile FROM assignments a"
    "   JOIN lines l ON l.id = a.line_id JOIN sites s ON s.id = l.site_id"
    "   WHERE a.extension_id = NEW.id"
    "   AND (OLD.site_id, OLD.ext, OLD.sip_id, OLD.sip_password = '')"
    "    IS NOT (NEW.site_id, NEW.ext, NEW.sip_id, NEW.sip_password = '');"
    " END;"
    "CREATE TRIGGER registrar_asg_ins AFTER INSERT ON assignments"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 'a', l.mobile FROM lines l JOIN sites s ON s.id = l.site_id"
    "  WHERE l.id = NEW.line_id;"
    " END;"
    "CREATE TRIGGER registrar_asg_del AFTER DELETE ON assignments"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 'a', l.mobile FROM lines l JOIN sites s ON s.id = l.site_id"
    "  WHERE l.id = OLD.line_id;"
    " END;"
    "CREATE TRIGGER registrar_asg_upd AFTER UPDATE ON assignments"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 'a', l.mobile FROM lines l JOIN sites s ON s.id = l.site_id"
    "  WHERE l.id IN (OLD.line_id, NEW.line_id);"
    " END;"
    "CREATE TRIGGER registrar_fwd_ins AFTER INSERT ON forwarding"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 's', e.sip_id FROM extensions e JOIN sites s ON s.id = e.site_id"
    "  WHERE e.id = NEW.extension_id;"
    " END;"
    "CREATE TRIGGER registrar_fwd_upd AFTER UPDATE ON forwarding"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 's', e.sip_id FROM extensions e JOIN sites s ON s.id = e.site_id"
    "  WHERE e.id = NEW.extension_id;"
    " END;"
    "CREATE TRIGGER registrar_fwd_del AFTER DELETE ON forwarding"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 's', e.sip_id FROM extensions e JOIN sites s ON s.id = e.site_id"
    "  WHERE e.id = OLD.extension_id;"
    " END;",
    /* 4: lists that read only what they show.  Partial indexes: bulk
     * imports write ordinary, unlocked profiles, which touch neither. */
    "CREATE INDEX extensions_virtual ON extensions(site_id, ext_num) WHERE is_virtual = 1;"
    "CREATE INDEX extensions_locked ON extensions(site_id, web_user) WHERE web_locked_at > 0;"
    "CREATE INDEX cdr_files_list ON cdr_files(site_id, day DESC, part);",
    /* 5: settings of the whole installation (audit retention), and the
     * terminal encoding of each administrator and extension user ('' is
     * the login's locale, 'cp932' a Shift_JIS terminal such as TeraTerm's
     * default) */
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "ALTER TABLE admins ADD COLUMN terminal_encoding TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE extensions ADD COLUMN terminal_encoding TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX audit_at ON audit(at);",
    /* 6: a site's totals kept with the rows they count, and the lists
     * that skipped rows made index ranges.  Every statement that adds or
     * removes an extension, a line or an assignment updates site_counts
     * in its own transaction (store_counts_add); lines.assigned mirrors
     * assignments, so that the unassigned mobiles are one range of a
     * partial index, as the ordinary profiles are (the virtual ones have
     * theirs since 4). */
    "CREATE TABLE site_counts ("
    " site_id INTEGER PRIMARY KEY REFERENCES sites(id),"
    " extensions INTEGER NOT NULL DEFAULT 0,"
    " lines INTEGER NOT NULL DEFAULT 0,"
    " assigned INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO site_counts (site_id, extensions, lines, assigned) SELECT s.id,"
    " (SELECT count(*) FROM extensions e WHERE e.site_id = s.id),"
    " (SELECT count(*) FROM lines l WHERE l.site_id = s.id),"
    " (SELECT count(*) FROM lines l JOIN assignments a ON a.line_id = l.id"
    "  WHERE l.site_id = s.id) FROM sites s;"
    "ALTER TABLE lines ADD COLUMN assigned INTEGER NOT NULL DEFAULT 0;"
    "UPDATE lines SET assigned = 1 WHERE id IN (SELECT line_id FROM assignments);"
    "CREATE INDEX lines_unassigned ON lines(site_id, mobile) WHERE assigned = 0;"
    "CREATE INDEX extensions_ordinary ON extensions(site_id, ext_num) WHERE is_virtual = 0;",
    /* 7: nothing here: PostgreSQL partitions its call records by day
     * (schema_pg.c), SQLite keeps one table clustered by file. */
    "",
};

const int store_sqlite_migration_count =
    (int)(sizeof store_sqlite_migrations / sizeof store_sqlite_migrations[0]);
