/*
 * store.c — the evidence store's core: opening (pragmas, corrupt/read-only/
 * newer-file checks), the schema and its forward migrations, errors,
 * transactions, statements, work orders and stage names.
 *
 * Durability: WAL + synchronous=FULL, so a COMMIT that returned is on disk
 * (the WAL is fsynced per commit). Every public write runs in one
 * BEGIN IMMEDIATE ... COMMIT and rolls back on any error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "obdgw/vin.h"
#include "store_priv.h"

/* ---------------- schema history ----------------
 * Never edit a released migration: append a new one and bump
 * STORE_SCHEMA_VERSION. Each runs inside the opening transaction. */

/* Version 1: the core — vehicles, work orders and complete scans. */
static const char MIGRATION_1[] =
    "CREATE TABLE vehicles("
    " id INTEGER PRIMARY KEY,"
    " vin TEXT NOT NULL UNIQUE,"
    " first_seen_ms INTEGER NOT NULL);"
    "CREATE TABLE work_orders("
    " id INTEGER PRIMARY KEY,"
    " ro TEXT NOT NULL UNIQUE,"
    " vehicle_id INTEGER REFERENCES vehicles(id),"
    " vin TEXT NOT NULL DEFAULT '',"
    " plate TEXT NOT NULL DEFAULT '',"
    " mileage_in_km INTEGER NOT NULL DEFAULT -1,"
    " complaint TEXT NOT NULL DEFAULT '',"
    " complaint_codes TEXT NOT NULL DEFAULT '',"
    " bay TEXT NOT NULL DEFAULT '',"
    " technician TEXT NOT NULL DEFAULT '',"
    " status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, 1)),"
    " opened_ms INTEGER NOT NULL,"
    " closed_ms INTEGER NOT NULL DEFAULT 0,"
    " source TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX work_orders_vin ON work_orders(vin, status);"
    "CREATE TABLE scans("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER REFERENCES work_orders(id) ON DELETE CASCADE," /* NULL: unassigned */
    " vehicle_id INTEGER REFERENCES vehicles(id),"
    " stage TEXT NOT NULL CHECK(stage IN ('pre','diag','self','post','qc','adhoc')),"
    " technician TEXT NOT NULL DEFAULT '',"
    " vin TEXT NOT NULL DEFAULT '',"
    " vin_from INTEGER NOT NULL DEFAULT 0,"
    " started_ms INTEGER NOT NULL,"
    " duration_ms INTEGER NOT NULL DEFAULT 0,"
    " requests INTEGER NOT NULL DEFAULT 0,"
    " saved_ms INTEGER NOT NULL,"
    " mileage_km REAL," /* NULL: unknown */
    " mileage_source TEXT NOT NULL DEFAULT '',"
    " adapter TEXT NOT NULL DEFAULT '',"
    " device TEXT NOT NULL DEFAULT '',"
    " protocol INTEGER NOT NULL DEFAULT 0,"
    " multi_pid INTEGER NOT NULL DEFAULT 0,"
    " battery_v REAL," /* NULL: not measured */
    " assign_note TEXT NOT NULL DEFAULT '',"
    " mil_on INTEGER NOT NULL DEFAULT 0,"
    " dtc_count INTEGER NOT NULL DEFAULT 0,"
    " recently_cleared INTEGER NOT NULL DEFAULT 0,"
    " cleared_why TEXT NOT NULL DEFAULT '',"
    " necus INTEGER NOT NULL," /* answering ECUs: lets a check see a scan is whole */
    " json TEXT NOT NULL);"    /* canonical obdgw.scan/1 text (no descriptions, English) */
    "CREATE INDEX scans_wo ON scans(wo_id, started_ms);"
    "CREATE INDEX scans_vin ON scans(vin);"
    "CREATE TABLE scan_ecus("
    " scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " addr INTEGER NOT NULL,"
    " answered INTEGER NOT NULL DEFAULT 1," /* 0: answered an earlier scan of the RO, not this one */
    " name TEXT NOT NULL DEFAULT '',"
    " pids BLOB,"            /* 32-byte supported-PID bitmap */
    " readiness_raw BLOB,"   /* PID 01 A-D as received; NULL: not read */
    " readiness_cycle BLOB," /* PID 41 decoded and packed (the scan keeps no raw bytes) */
    " warmups INTEGER NOT NULL DEFAULT -1,"
    " km_since_clear INTEGER NOT NULL DEFAULT -1,"
    " min_since_clear INTEGER NOT NULL DEFAULT -1,"
    " km_with_mil INTEGER NOT NULL DEFAULT -1,"
    " min_with_mil INTEGER NOT NULL DEFAULT -1,"
    " odometer_km REAL,"     /* PID A6; NULL: not supported */
    " ff_dtc INTEGER,"       /* DTC that stored freeze frame 0; NULL: no frame */
    " PRIMARY KEY(scan_id, idx)) WITHOUT ROWID;"
    "CREATE TABLE scan_dtc_reads("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " kind TEXT NOT NULL CHECK(kind IN ('stored','pending','permanent')),"
    " read INTEGER NOT NULL, unsupported INTEGER NOT NULL, nrc INTEGER NOT NULL,"
    " PRIMARY KEY(scan_id, idx, kind),"
    " FOREIGN KEY(scan_id, idx) REFERENCES scan_ecus(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE TABLE scan_dtcs("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,"
    " code INTEGER NOT NULL, dtc TEXT NOT NULL,"
    " PRIMARY KEY(scan_id, idx, kind, seq),"
    " FOREIGN KEY(scan_id, idx, kind) REFERENCES scan_dtc_reads(scan_id, idx, kind) ON DELETE CASCADE)"
    " WITHOUT ROWID;"
    "CREATE INDEX scan_dtcs_dtc ON scan_dtcs(dtc);"
    "CREATE TABLE scan_ff("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " pid INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(scan_id, idx, seq),"
    " FOREIGN KEY(scan_id, idx) REFERENCES scan_ecus(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE TABLE scan_calid("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL, calid TEXT NOT NULL,"
    " PRIMARY KEY(scan_id, idx, seq),"
    " FOREIGN KEY(scan_id, idx) REFERENCES scan_ecus(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE TABLE scan_cvn("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL, cvn INTEGER NOT NULL,"
    " PRIMARY KEY(scan_id, idx, seq),"
    " FOREIGN KEY(scan_id, idx) REFERENCES scan_ecus(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE TABLE scan_raw("
    " scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " req BLOB NOT NULL, addr INTEGER NOT NULL, len INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(scan_id, seq)) WITHOUT ROWID;";

/* Version 2: what the workshop process added — Mode 06 results, additional
 * findings, clears, live recordings, the audit chain and QC sign-offs. */
static const char MIGRATION_2[] =
    "ALTER TABLE scan_ecus ADD COLUMN m06_read INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE scan_m06("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " mid INTEGER NOT NULL, tid INTEGER NOT NULL, uasid INTEGER NOT NULL,"
    " raw_value INTEGER NOT NULL, raw_min INTEGER NOT NULL, raw_max INTEGER NOT NULL,"
    " value REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,"
    " passed INTEGER NOT NULL, known_unit INTEGER NOT NULL,"
    " PRIMARY KEY(scan_id, idx, seq),"
    " FOREIGN KEY(scan_id, idx) REFERENCES scan_ecus(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE TABLE findings("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,"
    " code TEXT NOT NULL, ecu INTEGER NOT NULL,"
    " first_scan_id INTEGER REFERENCES scans(id) ON DELETE SET NULL,"
    " state TEXT NOT NULL DEFAULT 'proposed' CHECK(state IN ('proposed','approved','declined')),"
    " created_ms INTEGER NOT NULL,"
    " decided_by TEXT NOT NULL DEFAULT '', decided_ms INTEGER NOT NULL DEFAULT 0,"
    " note TEXT NOT NULL DEFAULT '',"
    " UNIQUE(wo_id, code));"
    "CREATE TABLE clears("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,"
    " who TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " preclear_scan_id INTEGER REFERENCES scans(id) ON DELETE SET NULL,"
    " cleared_ms INTEGER NOT NULL);"
    "CREATE TABLE clear_ecus("
    " clear_id INTEGER NOT NULL REFERENCES clears(id) ON DELETE CASCADE, addr INTEGER NOT NULL,"
    " PRIMARY KEY(clear_id, addr)) WITHOUT ROWID;"
    "CREATE TABLE recordings("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER REFERENCES work_orders(id) ON DELETE CASCADE,"
    " started_ms INTEGER NOT NULL, ended_ms INTEGER NOT NULL DEFAULT 0,"
    " adapter TEXT NOT NULL DEFAULT '', pids TEXT NOT NULL DEFAULT '',"
    " samples INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX recordings_wo ON recordings(wo_id);"
    /* One row per sample, clustered by recording; t_off is ms from
     * recordings.started_ms (small varints keep a row near 20 bytes). */
    "CREATE TABLE rec_samples("
    " rec_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, t_off INTEGER NOT NULL, ecu INTEGER NOT NULL, pid INTEGER NOT NULL,"
    " data BLOB NOT NULL,"
    " PRIMARY KEY(rec_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE rec_stats("
    " rec_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,"
    " ecu INTEGER NOT NULL, pid INTEGER NOT NULL, field INTEGER NOT NULL,"
    " n INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL, mean REAL NOT NULL,"
    " PRIMARY KEY(rec_id, ecu, pid, field)) WITHOUT ROWID;"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY,"
    " ts_ms INTEGER NOT NULL, action TEXT NOT NULL, ro TEXT NOT NULL, actor TEXT NOT NULL,"
    " details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TABLE qc_signoffs("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,"
    " inspector TEXT NOT NULL, verdict TEXT NOT NULL, signed_ms INTEGER NOT NULL,"
    " report_json TEXT NOT NULL, report_html TEXT NOT NULL, sha256 TEXT NOT NULL);"
    "CREATE TRIGGER qc_no_update BEFORE UPDATE ON qc_signoffs"
    " BEGIN SELECT RAISE(ABORT, 'QC sign-offs are immutable'); END;";

/* Version 3: the DMS outbox (src/store_outbox.c, include/obdgw/outbox.h).
 * `id` orders delivery; msg_id is the idempotency key the DMS sees. */
static const char MIGRATION_3[] =
    "CREATE TABLE outbox("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " msg_id TEXT NOT NULL UNIQUE,"
    " topic TEXT NOT NULL,"
    " payload BLOB NOT NULL,"
    " qos INTEGER NOT NULL DEFAULT 1 CHECK(qos IN (0, 1, 2)),"
    " retain INTEGER NOT NULL DEFAULT 0,"
    " prio INTEGER NOT NULL DEFAULT 1 CHECK(prio IN (0, 1)),"
    " ro TEXT NOT NULL DEFAULT '',"
    " bytes INTEGER NOT NULL,"
    " created_ms INTEGER NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX outbox_prio ON outbox(prio, id);";

/* Version 4: UDS full-system scans (src/store_uds.c, include/obdgw/store_uds.h)
 * with every probed module (silent ones too), and UDS clears with what each
 * module answered. An OBD clear keeps kind 'obd' and preclear_scan_id. */
static const char MIGRATION_4[] =
    "CREATE TABLE uds_scans("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER REFERENCES work_orders(id) ON DELETE CASCADE," /* NULL: unassigned */
    " vehicle_id INTEGER REFERENCES vehicles(id),"
    " stage TEXT NOT NULL CHECK(stage IN ('pre','diag','self','post','qc','adhoc')),"
    " technician TEXT NOT NULL DEFAULT '',"
    " vin TEXT NOT NULL DEFAULT ''," /* what the modules reported (F190) */
    " started_ms INTEGER NOT NULL,"
    " duration_ms INTEGER NOT NULL DEFAULT 0,"
    " requests INTEGER NOT NULL DEFAULT 0,"
    " tester_present INTEGER NOT NULL DEFAULT 0,"
    " saved_ms INTEGER NOT NULL,"
    " adapter TEXT NOT NULL DEFAULT '',"
    " assign_note TEXT NOT NULL DEFAULT '',"
    " probed INTEGER NOT NULL," /* modules rows: lets a check see a scan is whole */
    " answered INTEGER NOT NULL);"
    "CREATE INDEX uds_scans_wo ON uds_scans(wo_id, started_ms);"
    "CREATE TABLE uds_modules("
    " scan_id INTEGER NOT NULL REFERENCES uds_scans(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " tx_id INTEGER NOT NULL, rx_id INTEGER NOT NULL,"
    " name TEXT NOT NULL DEFAULT '',"
    " answered INTEGER NOT NULL,"
    " state TEXT NOT NULL CHECK(state IN ('no_answer','ok','needs_oem_authorisation','dtc_read_not_supported',"
    "'dtc_read_no_answer','dtc_reply_malformed')),"
    " nrc INTEGER NOT NULL DEFAULT 0,"
    " dtcs_read INTEGER NOT NULL DEFAULT 0,"
    " avail_mask INTEGER NOT NULL DEFAULT 0,"
    " session_held INTEGER NOT NULL DEFAULT 0,"
    " busy_retries INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(scan_id, idx)) WITHOUT ROWID;"
    "CREATE TABLE uds_idents("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, did INTEGER NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(scan_id, idx, did),"
    " FOREIGN KEY(scan_id, idx) REFERENCES uds_modules(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE TABLE uds_dtcs("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " code INTEGER NOT NULL, dtc TEXT NOT NULL, status INTEGER NOT NULL,"
    " PRIMARY KEY(scan_id, idx, seq),"
    " FOREIGN KEY(scan_id, idx) REFERENCES uds_modules(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE INDEX uds_dtcs_dtc ON uds_dtcs(dtc);"
    "CREATE TABLE uds_records("
    " scan_id INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " code INTEGER NOT NULL, kind TEXT NOT NULL CHECK(kind IN ('snapshot','extended_data')), data BLOB NOT NULL,"
    " PRIMARY KEY(scan_id, idx, seq),"
    " FOREIGN KEY(scan_id, idx) REFERENCES uds_modules(scan_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
    "ALTER TABLE clears ADD COLUMN kind TEXT NOT NULL DEFAULT 'obd' CHECK(kind IN ('obd','uds'));"
    "ALTER TABLE clears ADD COLUMN preclear_uds_scan_id INTEGER REFERENCES uds_scans(id) ON DELETE SET NULL;"
    "CREATE TABLE clear_modules("
    " clear_id INTEGER NOT NULL REFERENCES clears(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " tx_id INTEGER NOT NULL, rx_id INTEGER NOT NULL,"
    " outcome TEXT NOT NULL, nrc INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(clear_id, seq)) WITHOUT ROWID;";

/* Version 5: UDS scans propose additional findings (增项) too. A finding
 * keeps where it was first seen: source 'obd' (first_scan_id, ecu = reply
 * address) or 'uds' (uds_scan_id, ecu = the module's request id, rx_id its
 * response id). UNIQUE(wo_id, code) still holds: one finding per code and
 * RO whichever scan saw it. */
static const char MIGRATION_5[] =
    "ALTER TABLE findings ADD COLUMN source TEXT NOT NULL DEFAULT 'obd' CHECK(source IN ('obd','uds'));"
    "ALTER TABLE findings ADD COLUMN uds_scan_id INTEGER REFERENCES uds_scans(id) ON DELETE SET NULL;"
    "ALTER TABLE findings ADD COLUMN rx_id INTEGER NOT NULL DEFAULT 0;";

/* Version 6: the outbox's totals (count and bytes, read before every
 * enqueue batch against the bound) come from this covering index instead
 * of a walk over every queued row and its payload pages: 3.5 ms instead of
 * ~350 ms with 100,000 queued 6 KB scans (a long broker outage). */
static const char MIGRATION_6[] = "CREATE INDEX outbox_bytes ON outbox(bytes);";

/* Version 7: how the scan answered (#10, #18). Per DTC list its read state
 * ('ok', 'ok_with_deviation', 'unreadable', 'no_answer', 'not_supported',
 * 'refused', 'not_asked'), the addressing that got the answer, the named
 * deviation and the kept bytes of an unreadable reply; OBD-on-UDS failure
 * type and status bytes per DTC; per ECU the addressing per service (11
 * bytes, index = service), the PIDs it lists but never answered, the freeze
 * frame / Mode 06 / Mode 09 read states; per scan the protocol kind, the
 * VIN's source and check flag, whether PID 01 was answered at all, the
 * physical retries and the notes (JSON array of English sentences).
 * NULL in state, addressing, vin_source, vin_check_failed and status_known
 * marks a row written before version 7: the loader derives them from the
 * older columns (read/unsupported/nrc, the VIN, readiness). */
static const char MIGRATION_7[] =
    "ALTER TABLE scan_dtc_reads ADD COLUMN state TEXT CHECK(state IN ('not_asked','ok','ok_with_deviation',"
    "'unreadable','no_answer','not_supported','refused'));"
    "ALTER TABLE scan_dtc_reads ADD COLUMN addressing TEXT CHECK(addressing IN ('not_asked','functional','physical',"
    "'nrc','none'));"
    "ALTER TABLE scan_dtc_reads ADD COLUMN deviation TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE scan_dtc_reads ADD COLUMN raw BLOB;"
    "ALTER TABLE scan_dtc_reads ADD COLUMN raw_len INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE scan_dtc_reads ADD COLUMN uds_format INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE scan_dtcs ADD COLUMN ftb INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE scan_dtcs ADD COLUMN status INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE scan_ecus ADD COLUMN addressing BLOB;"
    "ALTER TABLE scan_ecus ADD COLUMN silent_pids BLOB;"
    "ALTER TABLE scan_ecus ADD COLUMN ff_state TEXT;"
    "ALTER TABLE scan_ecus ADD COLUMN m06_state TEXT;"
    "ALTER TABLE scan_ecus ADD COLUMN info_state TEXT;"
    "ALTER TABLE scan_ecus ADD COLUMN physical_first INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE scan_ecus ADD COLUMN fallback_svcs INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE scans ADD COLUMN obd_protocol TEXT NOT NULL DEFAULT 'classic'"
    " CHECK(obd_protocol IN ('classic','obd_on_uds'));"
    "ALTER TABLE scans ADD COLUMN vin_source TEXT;"
    "ALTER TABLE scans ADD COLUMN vin_check_failed INTEGER;"
    "ALTER TABLE scans ADD COLUMN status_known INTEGER;"
    "ALTER TABLE scans ADD COLUMN physical_retries INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE scans ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';";

/* Version 8: the inbound journal (#19). Every QoS 1 message from the DMS
 * (work orders, requests) is committed to dms_inbox on Paho's thread before
 * the callback returns, and applied from there (deleted in the transaction
 * that applies it); dms_seen holds every applied work order's msg_id, the
 * idempotency key. docs/outbox.md, "Inbound". */
static const char MIGRATION_8[] =
    "CREATE TABLE dms_inbox("
    " id INTEGER PRIMARY KEY,"
    " topic TEXT NOT NULL,"
    " payload BLOB NOT NULL,"
    " qos INTEGER NOT NULL DEFAULT 1,"
    " retained INTEGER NOT NULL DEFAULT 0,"
    " response_topic TEXT NOT NULL DEFAULT '',"
    " corr BLOB,"
    " received_ms INTEGER NOT NULL);"
    "CREATE TABLE dms_seen("
    " msg_id TEXT PRIMARY KEY,"
    " ro TEXT NOT NULL DEFAULT '',"
    " applied_ms INTEGER NOT NULL) WITHOUT ROWID;";

/* Version 9: OEM signals in live recordings (#14, docs/signals.md). One row
 * per decoded value: the signalset's id, the module's response id, the
 * value (NULL when it is a state without a number) and its text (map
 * entry, yes/no); per signal the name and unit as shown then and
 * n/min/max/mean over the numeric values. */
static const char MIGRATION_9[] =
    "CREATE TABLE rec_signals("
    " rec_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, t_off INTEGER NOT NULL, ecu INTEGER NOT NULL, signal TEXT NOT NULL,"
    " value REAL, text TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(rec_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE rec_signal_stats("
    " rec_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,"
    " signal TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL, ecu INTEGER NOT NULL,"
    " n INTEGER NOT NULL, min REAL, max REAL, mean REAL,"
    " PRIMARY KEY(rec_id, signal)) WITHOUT ROWID;";

/* Version 10 (#19): nothing the DMS was not told is forgotten, no recording
 * stays open forever.
 * dms_pending holds every announcement (scan, finding, QC, report) whose
 * outbox enqueue was refused (outbox full, too large), with its payload as
 * it would have been sent: obdgwd queues them when the outbox has room,
 * oldest first (src/store_pending.c, `obdgw dms pending|resend`). `stuck`:
 * refused for a reason a retry cannot fix (too large) - only a resend tries.
 * recordings get their owner (pid, boot id, process start time in clock
 * ticks since boot) and a state: a recording whose owner process is gone
 * (kill -9, power cut) is closed as 'interrupted' at the next store open
 * (src/store_live.c). Rows left open by an older build (ended_ms 0, owner
 * unknown) become 'recording' with owner 0. */
static const char MIGRATION_10[] =
    "CREATE TABLE dms_pending("
    " id INTEGER PRIMARY KEY,"
    " msg_id TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL DEFAULT '',"
    " topic TEXT NOT NULL,"
    " payload BLOB NOT NULL,"
    " ro TEXT NOT NULL DEFAULT '',"
    " vin TEXT NOT NULL DEFAULT '',"
    " scan_id INTEGER NOT NULL DEFAULT 0,"
    " why TEXT NOT NULL DEFAULT '',"
    " stuck INTEGER NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " created_ms INTEGER NOT NULL);"
    "CREATE INDEX dms_pending_ro ON dms_pending(ro, stuck);"
    "ALTER TABLE recordings ADD COLUMN state TEXT NOT NULL DEFAULT 'done'"
    " CHECK(state IN ('recording','done','interrupted'));"
    "ALTER TABLE recordings ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE recordings ADD COLUMN owner_boot TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE recordings ADD COLUMN owner_start INTEGER NOT NULL DEFAULT 0;"
    "UPDATE recordings SET state='recording' WHERE ended_ms=0;"
    "CREATE INDEX recordings_open ON recordings(state) WHERE state='recording';";

/* Version 11 (#13): the car's whole life in the workshop (src/store_history.c,
 * include/obdgw/store_history.h). Each RO gets a repair class; the classes
 * carry the quality-guarantee window (days, km, match by code or system;
 * defaults from 机动车维修管理规定 art. 37: 20,000 km / 100 days, 5,000 km /
 * 30 days, 2,000 km / 10 days, "whichever first"); a class without a window
 * cannot exist. deliveries holds the handover (time, who, mileage out,
 * forced without final QC) and the 3-day follow-up call; comebacks the
 * DTCs a pre-repair scan found that an earlier delivered RO of the VIN had
 * repaired within its window; qc_checks the team lead's check; warranty_packs
 * each claim pack's frozen manifest hash. */
static const char MIGRATION_11[] =
    "ALTER TABLE work_orders ADD COLUMN repair_class TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX work_orders_vin_opened ON work_orders(vin, opened_ms);"
    "CREATE INDEX work_orders_opened ON work_orders(opened_ms);"
    "CREATE INDEX clears_wo ON clears(wo_id);"
    "CREATE INDEX qc_signoffs_wo ON qc_signoffs(wo_id);"
    "CREATE TABLE guarantee_classes("
    " name TEXT PRIMARY KEY,"
    " days INTEGER NOT NULL DEFAULT 0,"
    " km INTEGER NOT NULL DEFAULT 0,"
    " match TEXT NOT NULL DEFAULT 'code' CHECK(match IN ('code','system')),"
    " CHECK(days > 0 OR km > 0)) WITHOUT ROWID;"
    "INSERT INTO guarantee_classes(name, days, km, match) VALUES"
    " ('major', 100, 20000, 'code'), ('level2', 30, 5000, 'code'), ('minor', 10, 2000, 'code');"
    "CREATE TABLE deliveries("
    " wo_id INTEGER PRIMARY KEY REFERENCES work_orders(id) ON DELETE CASCADE,"
    " delivered_ms INTEGER NOT NULL,"
    " who TEXT NOT NULL DEFAULT '',"
    " mileage_out_km INTEGER NOT NULL DEFAULT -1,"
    " forced INTEGER NOT NULL DEFAULT 0,"
    " reason TEXT NOT NULL DEFAULT '',"
    " followup_ms INTEGER NOT NULL DEFAULT 0,"
    " followup_by TEXT NOT NULL DEFAULT '',"
    " followup_note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX deliveries_followup ON deliveries(followup_ms, delivered_ms);"
    "CREATE TABLE comebacks("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,"
    " code TEXT NOT NULL,"
    " source TEXT NOT NULL CHECK(source IN ('obd','uds')),"
    " scan_id INTEGER NOT NULL,"
    " earlier_wo_id INTEGER REFERENCES work_orders(id) ON DELETE SET NULL,"
    " earlier_ro TEXT NOT NULL,"
    " earlier_code TEXT NOT NULL,"
    " match TEXT NOT NULL CHECK(match IN ('code','system')),"
    " repair_class TEXT NOT NULL,"
    " days REAL NOT NULL,"
    " km REAL," /* NULL: unknown */
    " detected_ms INTEGER NOT NULL,"
    " UNIQUE(wo_id, code, earlier_ro));"
    "CREATE TABLE qc_checks("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL CHECK(kind IN ('lead')),"
    " who TEXT NOT NULL,"
    " scan_id INTEGER REFERENCES scans(id) ON DELETE SET NULL,"
    " verdict TEXT NOT NULL DEFAULT '',"
    " checked_ms INTEGER NOT NULL);"
    "CREATE INDEX qc_checks_wo ON qc_checks(wo_id);"
    "CREATE TABLE warranty_packs("
    " id INTEGER PRIMARY KEY,"
    " wo_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,"
    " code TEXT NOT NULL,"
    " who TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL,"
    " manifest TEXT NOT NULL,"
    " sha256 TEXT NOT NULL);"
    "CREATE TRIGGER warranty_no_update BEFORE UPDATE ON warranty_packs"
    " BEGIN SELECT RAISE(ABORT, 'warranty packs are immutable'); END;";

static const char *const migrations[] = { MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, MIGRATION_5,
                                          MIGRATION_6, MIGRATION_7, MIGRATION_8, MIGRATION_9, MIGRATION_10,
                                          MIGRATION_11 };
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(NMIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");

int store__migration_count(void) { return NMIGRATIONS; }

/* ---------------- errors ---------------- */

int store__err(store_t *st, int code, const char *fmt, ...)
{
    if (st) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->err, sizeof st->err, fmt, ap);
        va_end(ap);
    }
    return code;
}

int store__map_sqlite(int rc)
{
    switch (rc & 0xFF) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return OBD_OK;
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return OBD_EIO;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return OBD_EBADDATA;
    default:
        return OBD_EDB;
    }
}

int store__dberr(store_t *st, const char *what)
{
    int rc = sqlite3_extended_errcode(st->db);
    const char *why;
    switch (rc & 0xFF) {
    case SQLITE_FULL:
        why = "disk full";
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        why = "store is read-only";
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        why = "database is corrupt";
        break;
    case SQLITE_BUSY:
        why = "database is busy (another writer)";
        break;
    default:
        why = sqlite3_errmsg(st->db);
    }
    return store__err(st, store__map_sqlite(rc), "%s: %s", what, why);
}

const char *store_errmsg(const store_t *st) { return st ? st->err : "no store"; }

/* ---------------- statements, transactions ---------------- */

sqlite3_stmt *store__stmt(store_t *st, const char *sql)
{
    for (size_t i = 0; i < st->ncache; i++)
        if (st->cache[i].sql == sql || !strcmp(st->cache[i].sql, sql)) {
            sqlite3_reset(st->cache[i].stmt);
            sqlite3_clear_bindings(st->cache[i].stmt);
            return st->cache[i].stmt;
        }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        store__dberr(st, "prepare");
        return NULL;
    }
    if (st->ncache < STORE_STMT_CACHE) {
        st->cache[st->ncache].sql = sql;
        st->cache[st->ncache].stmt = s;
        st->ncache++;
        return s;
    }
    /* Cache full: should not happen (the SQL set is fixed); fail loudly. */
    sqlite3_finalize(s);
    store__err(st, OBD_EDB, "statement cache full");
    return NULL;
}

int store__exec(store_t *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return store__dberr(st, "write");
    }
    return OBD_OK;
}

int store__begin(store_t *st)
{
    if (st->readonly)
        return store__err(st, OBD_EIO, "store is read-only (%s): nothing was written", st->path);
    if (st->user_tx) {
        if (sqlite3_exec(st->db, "SAVEPOINT obdgw_w", NULL, NULL, NULL) != SQLITE_OK)
            return store__dberr(st, "savepoint");
        st->sp_depth++;
        return OBD_OK;
    }
    if (st->in_tx)
        return store__err(st, OBD_EINVAL, "transaction already open");
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store__dberr(st, "begin");
    st->in_tx = true;
    return OBD_OK;
}

int store__commit(store_t *st)
{
    if (st->sp_depth > 0) {
        if (sqlite3_exec(st->db, "RELEASE obdgw_w", NULL, NULL, NULL) != SQLITE_OK) {
            int rc = store__dberr(st, "release savepoint");
            store__rollback(st);
            return rc;
        }
        st->sp_depth--;
        return OBD_OK;
    }
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = store__dberr(st, "commit");
        store__rollback(st);
        return rc;
    }
    st->in_tx = false;
    return OBD_OK;
}

void store__rollback(store_t *st)
{
    /* Statements may still hold the transaction; reset the cached ones. */
    for (size_t i = 0; i < st->ncache; i++)
        sqlite3_reset(st->cache[i].stmt);
    if (st->sp_depth > 0) {
        /* only this write's part; the caller's transaction stays open */
        sqlite3_exec(st->db, "ROLLBACK TO obdgw_w; RELEASE obdgw_w", NULL, NULL, NULL);
        st->sp_depth--;
        return;
    }
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = false;
    st->user_tx = false;
}

int store_set_cache_kb(store_t *st, int kb)
{
    if (!st || kb < 64)
        return OBD_EINVAL;
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", kb);
    return store__exec(st, sql);
}

int store_tx_begin(store_t *st)
{
    if (!st)
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (!rc) {
        st->user_tx = true;
        st->sp_depth = 0;
    }
    return rc;
}

int store_tx_commit(store_t *st)
{
    if (!st || !st->user_tx)
        return st ? store__err(st, OBD_EINVAL, "no transaction open") : OBD_EINVAL;
    st->user_tx = false;
    st->sp_depth = 0;
    return store__commit(st);
}

void store_tx_rollback(store_t *st)
{
    if (!st || !st->user_tx)
        return;
    st->user_tx = false;
    st->sp_depth = 0;
    store__rollback(st);
}

void store__bind_text(sqlite3_stmt *s, int i, const char *t) { sqlite3_bind_text(s, i, t ? t : "", -1, SQLITE_TRANSIENT); }

void store__col_text(sqlite3_stmt *s, int col, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

int64_t store__now_ms(store_t *st)
{
    if (st->fixed_now_ms)
        return st->fixed_now_ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void store__set_now(store_t *st, int64_t now_ms) { st->fixed_now_ms = now_ms; }
sqlite3 *store__db(store_t *st) { return st->db; }

dtcdb_t *store__dtcdb(store_t *st)
{
    if (!st->dtcdb_tried) {
        st->dtcdb_tried = true;
        if (dtcdb_open(&st->dtcdb, NULL, NULL) != OBD_OK)
            st->dtcdb = NULL; /* findings then match complaint codes by code only */
    }
    return st->dtcdb;
}

/* ---------------- open / migrate ---------------- */

static int user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

/* Apply migrations from+1 .. to in one transaction (all or none). */
static int migrate(store_t *st, int from, int to)
{
    if (from >= to)
        return OBD_OK;
    int rc = store__begin(st);
    if (rc)
        return rc;
    for (int v = from + 1; v <= to; v++) {
        char *msg = NULL;
        if (sqlite3_exec(st->db, migrations[v - 1], NULL, NULL, &msg) != SQLITE_OK) {
            rc = store__dberr(st, "schema migration");
            snprintf(st->err + strlen(st->err), sizeof st->err - strlen(st->err), " (to version %d: %s)", v,
                     msg ? msg : "?");
            sqlite3_free(msg);
            store__rollback(st);
            return rc;
        }
        char pv[48];
        snprintf(pv, sizeof pv, "PRAGMA user_version=%d", v);
        if ((rc = store__exec(st, pv))) {
            store__rollback(st);
            return rc;
        }
    }
    return store__commit(st);
}

static bool file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static long file_size(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

/* True when we may not write `path` (or create files beside it, as WAL needs). */
static bool write_protected(const char *path)
{
    if (!strcmp(path, ":memory:"))
        return false;
    if (file_exists(path) && access(path, W_OK) != 0)
        return true;
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    return access(dir, W_OK) != 0;
}

static int open_common(const char *path, int target, bool exact, store_t **out, char *err, size_t errcap)
{
    *out = NULL;
    store_t *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err ? err : (char[1]){ 0 }, err ? errcap : 1, "out of memory");
        return -ENOMEM;
    }
    snprintf(st->path, sizeof st->path, "%s", path ? path : "");
    int rc = OBD_OK;
    bool exists = path && strcmp(path, ":memory:") && file_exists(path);
    if (!path || !*path) {
        rc = store__err(st, OBD_EINVAL, "no store path given");
        goto fail;
    }
    if (!exists && write_protected(path)) {
        rc = store__err(st, OBD_EIO, "cannot create store %s: directory is read-only", path);
        goto fail;
    }
    bool ro = exists && write_protected(path);
    if (ro) {
        /* WAL readers need to create the -shm file; on a write-protected file
         * or directory we read the file as immutable, which is only sound
         * when no WAL content is pending. */
        char wal[600];
        snprintf(wal, sizeof wal, "%s-wal", path);
        if (file_size(wal) > 0) {
            rc = store__err(st, OBD_EIO, "store %s is read-only and has unmerged WAL data: open it writable once",
                            path);
            goto fail;
        }
        char uri[1200];
        snprintf(uri, sizeof uri, "file:%s?immutable=1", path);
        if (sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
            rc = store__dberr(st, "open");
            goto fail;
        }
        st->readonly = true;
    } else if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = store__err(st, OBD_EIO, "cannot open store %s: %s", path, st->db ? sqlite3_errmsg(st->db) : "no memory");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);

    /* Read the version before anything writes: a corrupt file or one from a
     * newer build must be left exactly as it is. */
    int ver = 0;
    int src = user_version(st->db, &ver);
    if (src != SQLITE_OK) {
        int code = store__map_sqlite(src);
        if (code == OBD_EBADDATA)
            rc = store__err(st, OBD_EBADDATA, "database is corrupt: %s is not an obdgw store (%s)", path,
                            sqlite3_errstr(src));
        else
            rc = store__err(st, code ? code : OBD_EDB, "cannot read store %s: %s", path, sqlite3_errstr(src));
        goto fail;
    }
    if (ver > STORE_SCHEMA_VERSION) {
        rc = store__err(st, OBD_EBADDATA,
                        "store %s has schema version %d, newer than this obdgw (%d): upgrade obdgw; file left untouched",
                        path, ver, STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (ver < target && st->readonly) {
        rc = store__err(st, OBD_EIO, "store %s is read-only and needs a schema upgrade (version %d to %d)", path, ver,
                        target);
        goto fail;
    }
    if (!st->readonly) {
        if (store__exec(st, "PRAGMA journal_mode=WAL") || store__exec(st, "PRAGMA synchronous=FULL") ||
            store__exec(st, "PRAGMA foreign_keys=ON")) {
            rc = store__map_sqlite(sqlite3_extended_errcode(st->db));
            if (!rc)
                rc = OBD_EDB;
            goto fail;
        }
    }
    if (exact && ver > target) {
        rc = store__err(st, OBD_EINVAL, "store is at version %d, above %d", ver, target);
        goto fail;
    }
    if ((rc = migrate(st, ver, target)))
        goto fail;
    *out = st;
    return OBD_OK;
fail:
    if (err && errcap)
        snprintf(err, errcap, "%s", st->err);
    store_close(st);
    return rc;
}

int store_open(const char *path, store_t **out, char *err, size_t errcap)
{
    return open_common(path, STORE_SCHEMA_VERSION, false, out, err, errcap);
}

int store__open_at_version(const char *path, int version, store_t **out, char *err, size_t errcap)
{
    if (version < 0 || version > NMIGRATIONS) {
        if (err && errcap)
            snprintf(err, errcap, "no schema version %d", version);
        return OBD_EINVAL;
    }
    return open_common(path, version, true, out, err, errcap);
}

void store_close(store_t *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->ncache; i++)
        sqlite3_finalize(st->cache[i].stmt);
    if (st->db)
        sqlite3_close_v2(st->db);
    if (st->dtcdb)
        dtcdb_close(st->dtcdb);
    free(st);
}

int store_schema_version(store_t *st)
{
    int v = -1;
    if (user_version(st->db, &v) != SQLITE_OK)
        return store__dberr(st, "schema version");
    return v;
}

int store_quick_check(store_t *st)
{
    if (!st)
        return OBD_EINVAL;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "quick check");
    int rc = OBD_OK, sr = sqlite3_step(s);
    if (sr == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        if (!t || strcmp(t, "ok")) {
            char one[201];
            snprintf(one, sizeof one, "%s", t ? t : "?");
            for (char *p = one; *p; p++)
                if (*p == '\n')
                    *p = ' '; /* one line for the log */
            rc = store__err(st, OBD_EBADDATA, "database is damaged: %s", one);
        }
    } else {
        rc = store__map_sqlite(sr) == OBD_EBADDATA ? store__err(st, OBD_EBADDATA, "database is damaged: %s",
                                                                 sqlite3_errstr(sr))
                                                   : store__dberr(st, "quick check");
    }
    sqlite3_finalize(s);
    return rc;
}

bool store_is_readonly(const store_t *st) { return st && st->readonly; }

int store_integrity_check(store_t *st)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "integrity check");
    int rc = OBD_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        if (!t || strcmp(t, "ok"))
            rc = store__err(st, OBD_EBADDATA, "database is corrupt: %s", t ? t : "?");
    } else {
        rc = store__dberr(st, "integrity check");
    }
    sqlite3_finalize(s);
    if (rc == OBD_OK) {
        if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
            return store__dberr(st, "foreign key check");
        if (sqlite3_step(s) == SQLITE_ROW)
            rc = store__err(st, OBD_EBADDATA, "database is inconsistent: a row of %s has no parent",
                            (const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    return rc;
}

/* ---------------- stages ---------------- */

static const struct {
    const char *key, *en, *zh;
} stages[STORE_STAGE_COUNT] = {
    [STORE_STAGE_RECEPTION] = { "pre", "Reception (pre-repair)", "接车检测(修前)" },
    [STORE_STAGE_DIAGNOSTIC] = { "diag", "Diagnosis", "诊断" },
    [STORE_STAGE_SELFCHECK] = { "self", "Technician self-check", "自检" },
    [STORE_STAGE_POST] = { "post", "Post-repair", "修后检测" },
    [STORE_STAGE_QC] = { "qc", "Final inspection (QC)", "总检" },
    [STORE_STAGE_ADHOC] = { "adhoc", "Ad hoc", "临时检测" },
};

const char *store_stage_key(store_stage_t s)
{
    return (unsigned)s < STORE_STAGE_COUNT ? stages[s].key : "unknown";
}

const char *store_stage_name(store_stage_t s, obd_lang_t lang)
{
    if ((unsigned)s >= STORE_STAGE_COUNT)
        return obd_tr(lang, "Unknown stage", "未知阶段");
    return obd_tr(lang, stages[s].en, stages[s].zh);
}

int store_stage_parse(const char *key, store_stage_t *out)
{
    static const struct {
        const char *alias;
        store_stage_t s;
    } aliases[] = {
        { "reception", STORE_STAGE_RECEPTION }, { "pre-repair", STORE_STAGE_RECEPTION },
        { "prerepair", STORE_STAGE_RECEPTION }, { "diagnostic", STORE_STAGE_DIAGNOSTIC },
        { "diagnosis", STORE_STAGE_DIAGNOSTIC }, { "selfcheck", STORE_STAGE_SELFCHECK },
        { "self-check", STORE_STAGE_SELFCHECK }, { "post-repair", STORE_STAGE_POST },
        { "final", STORE_STAGE_QC },
    };
    if (!key || !out)
        return OBD_EINVAL;
    for (int i = 0; i < STORE_STAGE_COUNT; i++)
        if (!strcasecmp(key, stages[i].key)) {
            *out = (store_stage_t)i;
            return OBD_OK;
        }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcasecmp(key, aliases[i].alias)) {
            *out = aliases[i].s;
            return OBD_OK;
        }
    return OBD_EFORMAT;
}

/* ---------------- vehicles ---------------- */

bool store__vin_valid(const char *vin)
{
    if (!vin || strlen(vin) != OBD_VIN_LEN)
        return false;
    for (const char *p = vin; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z' && *p != 'I' && *p != 'O' && *p != 'Q') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

int store__vehicle_id(store_t *st, const char *vin, int64_t *id)
{
    *id = 0;
    if (!vin || !*vin)
        return OBD_OK;
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO vehicles(vin, first_seen_ms) VALUES(?, ?)"
                                      " ON CONFLICT(vin) DO NOTHING");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, vin);
    sqlite3_bind_int64(s, 2, store__now_ms(st));
    if (sqlite3_step(s) != SQLITE_DONE) {
        sqlite3_reset(s);
        return store__dberr(st, "save vehicle");
    }
    sqlite3_reset(s);
    s = store__stmt(st, "SELECT id FROM vehicles WHERE vin=?");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, vin);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? OBD_OK : store__dberr(st, "read vehicle");
}

/* ---------------- work orders ---------------- */

#define WO_COLS                                                                                                 \
    "id, ro, vin, plate, mileage_in_km, complaint, complaint_codes, bay, technician, status, opened_ms, closed_ms," \
    " source"

static void wo_from_row(sqlite3_stmt *s, store_wo_t *w)
{
    memset(w, 0, sizeof *w);
    w->id = sqlite3_column_int64(s, 0);
    store__col_text(s, 1, w->ro, sizeof w->ro);
    store__col_text(s, 2, w->vin, sizeof w->vin);
    store__col_text(s, 3, w->plate, sizeof w->plate);
    w->mileage_in_km = sqlite3_column_int(s, 4);
    store__col_text(s, 5, w->complaint, sizeof w->complaint);
    store__col_text(s, 6, w->complaint_codes, sizeof w->complaint_codes);
    store__col_text(s, 7, w->bay, sizeof w->bay);
    store__col_text(s, 8, w->technician, sizeof w->technician);
    w->status = sqlite3_column_int(s, 9) ? STORE_WO_CLOSED : STORE_WO_OPEN;
    w->opened_ms = sqlite3_column_int64(s, 10);
    w->closed_ms = sqlite3_column_int64(s, 11);
    store__col_text(s, 12, w->source, sizeof w->source);
}

static int wo_fetch(store_t *st, sqlite3_stmt *s, const char *what, store_wo_t *out)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (out)
            wo_from_row(s, out);
        sqlite3_reset(s);
        return OBD_OK;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return store__err(st, OBD_ENOTFOUND, "RO %s not found", what);
    return store__dberr(st, "read work order");
}

int store__wo_by_ro(store_t *st, const char *ro, store_wo_t *out)
{
    if (!ro || !*ro)
        return store__err(st, OBD_EINVAL, "no RO number given");
    sqlite3_stmt *s = store__stmt(st, "SELECT " WO_COLS " FROM work_orders WHERE ro=?");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, ro);
    return wo_fetch(st, s, ro, out);
}

int store__wo_by_id(store_t *st, int64_t id, store_wo_t *out)
{
    sqlite3_stmt *s = store__stmt(st, "SELECT " WO_COLS " FROM work_orders WHERE id=?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    char what[32];
    snprintf(what, sizeof what, "#%lld", (long long)id);
    return wo_fetch(st, s, what, out);
}

int store__wo_open(store_t *st, const char *ro, store_wo_t *out)
{
    int rc = store__wo_by_ro(st, ro, out);
    if (rc)
        return rc;
    if (out->status == STORE_WO_CLOSED)
        return store__err(st, OBD_ESTATE, "RO %s is closed", ro);
    return OBD_OK;
}

int store_wo_get(store_t *st, const char *ro, store_wo_t *out)
{
    if (!st || !out)
        return OBD_EINVAL;
    return store__wo_by_ro(st, ro, out);
}

static int check_ro_number(store_t *st, const char *ro)
{
    if (!ro || !*ro)
        return store__err(st, OBD_EINVAL, "RO number is empty");
    size_t n = strlen(ro);
    if (n >= STORE_RO_LEN)
        return store__err(st, OBD_EINVAL, "RO number is longer than %d characters", STORE_RO_LEN - 1);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)ro[i] < 0x20 || ro[i] == 0x7F || ro[i] == '"' || ro[i] == '\\')
            return store__err(st, OBD_EINVAL, "RO number contains a control character or quote");
    return OBD_OK;
}

/* Upper-case the VIN in place; "" allowed. */
static int check_vin(store_t *st, char *vin)
{
    if (!vin[0])
        return OBD_OK;
    for (char *p = vin; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (!store__vin_valid(vin))
        return store__err(st, OBD_EINVAL, "VIN is not 17 characters of A-Z (no I, O, Q) and 0-9");
    return OBD_OK;
}

static int wo_audit(store_t *st, const char *action, const store_wo_t *w)
{
    char details[160];
    snprintf(details, sizeof details, "{\"wo_id\":%lld,\"source\":\"%s\",\"has_vin\":%s}", (long long)w->id,
             w->source[0] == 'd' ? "dms" : "cli", w->vin[0] ? "true" : "false");
    return store__audit_tx(st, action, w->ro, w->technician[0] ? w->technician : w->source, details);
}

static int wo_insert_row(store_t *st, store_wo_t *wo, int64_t vid)
{
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO work_orders(ro, vehicle_id, vin, plate, mileage_in_km, complaint,"
                                      " complaint_codes, bay, technician, status, opened_ms, closed_ms, source)"
                                      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, wo->ro);
    if (vid)
        sqlite3_bind_int64(s, 2, vid);
    store__bind_text(s, 3, wo->vin);
    store__bind_text(s, 4, wo->plate);
    sqlite3_bind_int(s, 5, wo->mileage_in_km < 0 ? -1 : wo->mileage_in_km);
    store__bind_text(s, 6, wo->complaint);
    store__bind_text(s, 7, wo->complaint_codes);
    store__bind_text(s, 8, wo->bay);
    store__bind_text(s, 9, wo->technician);
    sqlite3_bind_int(s, 10, wo->status == STORE_WO_CLOSED);
    sqlite3_bind_int64(s, 11, wo->opened_ms);
    sqlite3_bind_int64(s, 12, wo->closed_ms);
    store__bind_text(s, 13, wo->source);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "save work order");
    wo->id = sqlite3_last_insert_rowid(st->db);
    return OBD_OK;
}

static int wo_insert(store_t *st, store_wo_t *wo)
{
    int64_t vid = 0;
    int rc = store__vehicle_id(st, wo->vin, &vid);
    if (!rc)
        rc = wo_insert_row(st, wo, vid);
    if (rc)
        return rc;
    rc = wo_audit(st, "wo_add", wo);
    if (!rc && wo->status == STORE_WO_CLOSED)
        rc = wo_audit(st, "wo_close", wo);
    return rc;
}

static void wo_defaults(store_t *st, store_wo_t *wo, const char *source)
{
    if (!wo->source[0])
        snprintf(wo->source, sizeof wo->source, "%s", source);
    if (!wo->opened_ms)
        wo->opened_ms = store__now_ms(st);
    if (wo->status == STORE_WO_CLOSED && !wo->closed_ms)
        wo->closed_ms = store__now_ms(st);
    if (wo->status != STORE_WO_CLOSED)
        wo->closed_ms = 0;
}

int store_wo_add(store_t *st, store_wo_t *wo)
{
    if (!st || !wo)
        return OBD_EINVAL;
    int rc = check_ro_number(st, wo->ro);
    if (!rc)
        rc = check_vin(st, wo->vin);
    if (rc)
        return rc;
    wo_defaults(st, wo, "cli");
    if ((rc = store__begin(st)))
        return rc;
    store_wo_t old;
    rc = store__wo_by_ro(st, wo->ro, &old);
    if (rc == OBD_OK)
        rc = store__err(st, OBD_EEXIST, "RO %s exists already", wo->ro);
    else if (rc == OBD_ENOTFOUND)
        rc = wo_insert(st, wo);
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

/* Copy a text field when the caller gave one. */
#define TAKE(dst, src)                                   \
    do {                                                 \
        if ((src)[0])                                    \
            snprintf((dst), sizeof(dst), "%s", (src));   \
    } while (0)

/* Audit details of a DMS change: what it changed, old and new (the VIN and
 * the plate only as set/changed: no personal data in the audit log), the
 * msg_id it came with and the technician the payload names (a claim, not
 * the actor). A text that reads like a VIN is kept as its SHA-256. */
static void change_str(cJSON *ch, const char *key, const char *old, const char *new)
{
    if (!strcmp(old, new))
        return;
    cJSON *c = cJSON_AddObjectToObject(ch, key);
    const char *v[2] = { old, new };
    const char *k[2] = { "old", "new" };
    for (int i = 0; i < 2; i++) {
        char probe[STORE_TEXT_LEN + 16];
        snprintf(probe, sizeof probe, "{\"x\":\"%s\"}", v[i]);
        if (store__audit_has_vin(probe)) {
            char hex[65], kk[16];
            store__sha256_hex(v[i], strlen(v[i]), NULL, 0, hex);
            snprintf(kk, sizeof kk, "%s_sha256", k[i]);
            cJSON_AddStringToObject(c, kk, hex);
        } else {
            cJSON_AddStringToObject(c, k[i], v[i]);
        }
    }
}

static char *wo_change_details(const store_wo_t *old, const store_wo_t *cur, const char *msg_id, const char *claimed)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "wo_id", (double)cur->id);
    cJSON_AddStringToObject(d, "source", "dms");
    if (msg_id && *msg_id)
        cJSON_AddStringToObject(d, "msg_id", msg_id);
    if (claimed && *claimed)
        cJSON_AddStringToObject(d, "claimed_technician", claimed);
    cJSON *ch = cJSON_AddObjectToObject(d, "changes");
    if (strcmp(old->vin, cur->vin)) {
        cJSON *c = cJSON_AddObjectToObject(ch, "vin");
        cJSON_AddBoolToObject(c, "old_set", old->vin[0] != 0);
        cJSON_AddBoolToObject(c, "new_set", cur->vin[0] != 0);
    }
    if (strcmp(old->plate, cur->plate))
        cJSON_AddBoolToObject(cJSON_AddObjectToObject(ch, "plate"), "changed", true);
    if (old->mileage_in_km != cur->mileage_in_km) {
        cJSON *c = cJSON_AddObjectToObject(ch, "mileage_in_km");
        cJSON_AddNumberToObject(c, "old", old->mileage_in_km);
        cJSON_AddNumberToObject(c, "new", cur->mileage_in_km);
    }
    change_str(ch, "complaint", old->complaint, cur->complaint);
    change_str(ch, "complaint_codes", old->complaint_codes, cur->complaint_codes);
    change_str(ch, "bay", old->bay, cur->bay);
    change_str(ch, "technician", old->technician, cur->technician);
    if (old->status != cur->status) {
        cJSON *c = cJSON_AddObjectToObject(ch, "status");
        cJSON_AddStringToObject(c, "old", old->status == STORE_WO_CLOSED ? "closed" : "open");
        cJSON_AddStringToObject(c, "new", cur->status == STORE_WO_CLOSED ? "closed" : "open");
    }
    char *s = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    return s;
}

/* Inside a transaction: insert or update by RO number. `dms` (the DMS
 * path): a closed RO is frozen (OBD_ESTATE), the audit actor is `actor`
 * and the entry keeps old and new values. */
static int wo_upsert_tx(store_t *st, store_wo_t *wo, bool dms, const char *actor, const char *msg_id)
{
    store_wo_t cur;
    int rc = store__wo_by_ro(st, wo->ro, &cur);
    if (rc == OBD_ENOTFOUND) {
        wo_defaults(st, wo, "dms");
        if (!dms)
            return wo_insert(st, wo);
        int64_t vid = 0;
        if ((rc = store__vehicle_id(st, wo->vin, &vid)))
            return rc;
        store_wo_t none;
        memset(&none, 0, sizeof none);
        none.mileage_in_km = -1;
        none.status = STORE_WO_OPEN;
        rc = wo_insert_row(st, wo, vid);
        if (rc)
            return rc;
        char *det = wo_change_details(&none, wo, msg_id, wo->technician);
        rc = det ? store__audit_tx(st, "wo_add", wo->ro, actor, det) : OBD_EINVAL;
        free(det);
        if (!rc && wo->status == STORE_WO_CLOSED)
            rc = store__audit_tx(st, "wo_close", wo->ro, actor, "{\"source\":\"dms\"}");
        return rc;
    }
    if (rc)
        return rc;
    if (dms && cur.status == STORE_WO_CLOSED)
        return store__err(st, OBD_ESTATE, "RO %s is closed: a closed RO is not changed", wo->ro);
    if (wo->vin[0] && cur.vin[0] && strcmp(wo->vin, cur.vin))
        return store__err(st, OBD_ESTATE, "RO %s has a different VIN", wo->ro);
    store_wo_t old = cur;
    bool was_closed = cur.status == STORE_WO_CLOSED;
    TAKE(cur.vin, wo->vin);
    TAKE(cur.plate, wo->plate);
    if (wo->mileage_in_km >= 0 && (wo->mileage_in_km || cur.mileage_in_km < 0))
        cur.mileage_in_km = wo->mileage_in_km;
    TAKE(cur.complaint, wo->complaint);
    TAKE(cur.complaint_codes, wo->complaint_codes);
    TAKE(cur.bay, wo->bay);
    TAKE(cur.technician, wo->technician);
    TAKE(cur.source, wo->source);
    bool closing = !was_closed && wo->status == STORE_WO_CLOSED; /* never reopens */
    if (closing) {
        cur.status = STORE_WO_CLOSED;
        cur.closed_ms = wo->closed_ms ? wo->closed_ms : store__now_ms(st);
    }
    int64_t vid = 0;
    if ((rc = store__vehicle_id(st, cur.vin, &vid)))
        return rc;
    sqlite3_stmt *s = store__stmt(st, "UPDATE work_orders SET vehicle_id=?, vin=?, plate=?, mileage_in_km=?,"
                                      " complaint=?, complaint_codes=?, bay=?, technician=?, status=?, closed_ms=?,"
                                      " source=? WHERE id=?");
    if (!s)
        return OBD_EDB;
    if (vid)
        sqlite3_bind_int64(s, 1, vid);
    store__bind_text(s, 2, cur.vin);
    store__bind_text(s, 3, cur.plate);
    sqlite3_bind_int(s, 4, cur.mileage_in_km);
    store__bind_text(s, 5, cur.complaint);
    store__bind_text(s, 6, cur.complaint_codes);
    store__bind_text(s, 7, cur.bay);
    store__bind_text(s, 8, cur.technician);
    sqlite3_bind_int(s, 9, cur.status == STORE_WO_CLOSED);
    sqlite3_bind_int64(s, 10, cur.closed_ms);
    store__bind_text(s, 11, cur.source);
    sqlite3_bind_int64(s, 12, cur.id);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "update work order");
    if (dms) {
        char *det = wo_change_details(&old, &cur, msg_id, wo->technician);
        rc = det ? store__audit_tx(st, closing ? "wo_close" : "wo_update", cur.ro, actor, det) : OBD_EINVAL;
        free(det);
    } else {
        rc = wo_audit(st, "wo_update", &cur);
        if (!rc && closing)
            rc = wo_audit(st, "wo_close", &cur);
    }
    if (!rc)
        *wo = cur;
    return rc;
}

int store_wo_upsert(store_t *st, store_wo_t *wo)
{
    if (!st || !wo)
        return OBD_EINVAL;
    int rc = check_ro_number(st, wo->ro);
    if (!rc)
        rc = check_vin(st, wo->vin);
    if (rc)
        return rc;
    if ((rc = store__begin(st)))
        return rc;
    if ((rc = wo_upsert_tx(st, wo, false, NULL, NULL))) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_wo_apply(store_t *st, store_wo_t *wo, const char *msg_id, const char *actor)
{
    if (!st || !wo || !msg_id || !*msg_id)
        return OBD_EINVAL;
    int rc = check_ro_number(st, wo->ro);
    if (!rc)
        rc = check_vin(st, wo->vin);
    if (rc)
        return rc;
    if ((rc = store__begin(st)))
        return rc;
    sqlite3_stmt *s = store__stmt(st, "SELECT ro FROM dms_seen WHERE msg_id=?");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    store__bind_text(s, 1, msg_id);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr == SQLITE_ROW) {
        store__rollback(st);
        return STORE_WO_DUPLICATE;
    }
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "work order msg_id lookup");
        store__rollback(st);
        return rc;
    }
    if ((rc = wo_upsert_tx(st, wo, true, actor && *actor ? actor : "dms", msg_id))) {
        store__rollback(st);
        return rc;
    }
    s = store__stmt(st, "INSERT INTO dms_seen(msg_id, ro, applied_ms) VALUES(?,?,?)");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    store__bind_text(s, 1, msg_id);
    store__bind_text(s, 2, wo->ro);
    sqlite3_bind_int64(s, 3, store__now_ms(st));
    sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "work order msg_id");
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_wo_close(store_t *st, const char *ro)
{
    if (!st)
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t w;
    if ((rc = store__wo_open(st, ro, &w)))
        goto done;
    w.closed_ms = store__now_ms(st);
    w.status = STORE_WO_CLOSED;
    sqlite3_stmt *s = store__stmt(st, "UPDATE work_orders SET status=1, closed_ms=? WHERE id=?");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, w.closed_ms);
    sqlite3_bind_int64(s, 2, w.id);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        rc = store__dberr(st, "close work order");
    else
        rc = wo_audit(st, "wo_close", &w);
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_wo_list(store_t *st, bool open_only, int (*fn)(void *ctx, const store_wo_t *wo), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    sqlite3_stmt *s;
    const char *sql = open_only ? "SELECT " WO_COLS " FROM work_orders WHERE status=0 ORDER BY opened_ms DESC, id DESC"
                                : "SELECT " WO_COLS " FROM work_orders ORDER BY opened_ms DESC, id DESC";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "list work orders");
    int rc;
    store_wo_t w;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wo_from_row(s, &w);
        if (fn(ctx, &w))
            break;
    }
    int out = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list work orders");
    sqlite3_finalize(s);
    return out;
}
