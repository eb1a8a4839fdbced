/*
 * store_purge.c — retention. Old scans, recordings and findings go; closed
 * ROs past their keep time go with everything hanging off them (foreign keys
 * cascade); vehicles nothing refers to any more go. The audit log stays: it
 * names ROs by number, never by VIN.
 *
 * Deleted rows are overwritten (secure_delete) and the WAL is checkpointed,
 * so a purged VIN does not linger in free pages.
 */
#include <stdio.h>

#include "store_priv.h"

#define DAY_MS (86400LL * 1000)

static int count_of(store_t *st, const char *sql, int64_t arg, int64_t *n)
{
    sqlite3_stmt *s = store__stmt(st, sql);
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, arg);
    int sr = sqlite3_step(s);
    *n = sr == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return sr == SQLITE_ROW ? OBD_OK : store__dberr(st, "purge");
}

static int delete_where(store_t *st, const char *sql, int64_t arg, int64_t *n)
{
    sqlite3_stmt *s = store__stmt(st, sql);
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, arg);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "purge");
    if (n)
        *n += sqlite3_changes(st->db);
    return OBD_OK;
}

int store_purge(store_t *st, int older_than_days, int closed_days, int64_t *removed)
{
    if (!st || older_than_days < 0 || closed_days < 0)
        return OBD_EINVAL;
    if (removed)
        *removed = 0;
    if (st->readonly)
        return store__begin(st); /* the read-only error */
    int64_t now = store__now_ms(st);
    int64_t scans = 0, recs = 0, finds = 0, ros = 0, n;
    sqlite3_exec(st->db, "PRAGMA secure_delete=ON", NULL, NULL, NULL);
    int rc = store__begin(st);
    if (rc)
        goto out;
    if (older_than_days > 0) {
        int64_t cut = now - older_than_days * DAY_MS;
        if ((rc = delete_where(st, "DELETE FROM scans WHERE saved_ms < ?", cut, &scans)) ||
            (rc = delete_where(st, "DELETE FROM uds_scans WHERE saved_ms < ?", cut, &scans)) ||
            (rc = delete_where(st, "DELETE FROM recordings WHERE started_ms < ?", cut, &recs)) ||
            (rc = delete_where(st, "DELETE FROM findings WHERE created_ms < ?", cut, &finds)))
            goto done;
    }
    if (closed_days > 0) {
        int64_t cut = now - closed_days * DAY_MS;
        if ((rc = count_of(st, "SELECT COUNT(*) FROM scans WHERE wo_id IN"
                               " (SELECT id FROM work_orders WHERE status = 1 AND closed_ms < ?)",
                           cut, &n)))
            goto done;
        scans += n;
        if ((rc = count_of(st, "SELECT COUNT(*) FROM uds_scans WHERE wo_id IN"
                               " (SELECT id FROM work_orders WHERE status = 1 AND closed_ms < ?)",
                           cut, &n)))
            goto done;
        scans += n;
        if ((rc = count_of(st, "SELECT COUNT(*) FROM recordings WHERE wo_id IN"
                               " (SELECT id FROM work_orders WHERE status = 1 AND closed_ms < ?)",
                           cut, &n)))
            goto done;
        recs += n;
        if ((rc = count_of(st, "SELECT COUNT(*) FROM findings WHERE wo_id IN"
                               " (SELECT id FROM work_orders WHERE status = 1 AND closed_ms < ?)",
                           cut, &n)))
            goto done;
        finds += n;
        if ((rc = delete_where(st, "DELETE FROM work_orders WHERE status = 1 AND closed_ms < ?", cut, &ros)))
            goto done;
    }
    if ((rc = delete_where(st, "DELETE FROM vehicles WHERE id NOT IN"
                               " (SELECT vehicle_id FROM work_orders WHERE vehicle_id IS NOT NULL)"
                               " AND id NOT IN (SELECT vehicle_id FROM scans WHERE vehicle_id IS NOT NULL)"
                               " AND id NOT IN (SELECT vehicle_id FROM uds_scans WHERE vehicle_id IS NOT NULL)"
                               " AND ? >= 0",
                           0, NULL)))
        goto done;
    char details[200];
    snprintf(details, sizeof details,
             "{\"older_than_days\":%d,\"closed_days\":%d,\"scans\":%lld,\"recordings\":%lld,\"findings\":%lld,"
             "\"work_orders\":%lld}",
             older_than_days, closed_days, (long long)scans, (long long)recs, (long long)finds, (long long)ros);
    rc = store__audit_tx(st, "purge", "", "retention", details);
done:
    if (rc)
        store__rollback(st);
    else
        rc = store__commit(st);
out:
    sqlite3_exec(st->db, "PRAGMA secure_delete=OFF", NULL, NULL, NULL);
    if (!rc) {
        sqlite3_exec(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL); /* best effort */
        if (removed)
            *removed = scans;
    }
    return rc;
}
