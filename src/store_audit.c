/*
 * store_audit.c — the append-only, hash-chained audit log and QC sign-offs.
 *
 * Chain: entry n stores prev_hash = hash of entry n-1 (64 '0' for the
 * first) and hash = SHA-256 over
 *     prev_hash (64 lowercase hex chars) "\n"
 *     id "\n" ts_ms "\n"                      (decimal)
 *     for action, ro, actor, details:  <byte length> ":" <bytes> "\n"
 * The length prefixes make the serialization unambiguous whatever the text
 * holds. SQL triggers refuse UPDATE and DELETE on the table; the chain
 * catches edits made around them (a dropped trigger, a hex editor).
 * Truncating the newest entries is not detectable from the chain alone.
 *
 * QC sign-off hash: SHA-256 over the report JSON bytes immediately followed
 * by the report HTML bytes (no separator), lowercase hex.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "store_priv.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void to_hex(const unsigned char *d, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * n] = 0;
}

int store__sha256_hex(const void *a, size_t alen, const void *b, size_t blen, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) && (!alen || EVP_DigestUpdate(c, a, alen)) &&
             (!blen || EVP_DigestUpdate(c, b, blen)) && EVP_DigestFinal_ex(c, md, &mdlen) && mdlen == 32;
    EVP_MD_CTX_free(c);
    if (!ok)
        return OBD_EINVAL;
    to_hex(md, 32, hex);
    return OBD_OK;
}

static int update_field(EVP_MD_CTX *c, const char *t)
{
    char len[24];
    size_t n = t ? strlen(t) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    return EVP_DigestUpdate(c, len, (size_t)k) && (!n || EVP_DigestUpdate(c, t, n)) && EVP_DigestUpdate(c, "\n", 1);
}

static int entry_hash(const char *prev, int64_t id, int64_t ts, const char *action, const char *ro, const char *actor,
                      const char *details, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    char head[64];
    int k = snprintf(head, sizeof head, "\n%lld\n%lld\n", (long long)id, (long long)ts);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) && EVP_DigestUpdate(c, prev, strlen(prev)) &&
             EVP_DigestUpdate(c, head, (size_t)k) && update_field(c, action) && update_field(c, ro) &&
             update_field(c, actor) && update_field(c, details) && EVP_DigestFinal_ex(c, md, &mdlen) && mdlen == 32;
    EVP_MD_CTX_free(c);
    if (!ok)
        return OBD_EINVAL;
    to_hex(md, 32, hex);
    return OBD_OK;
}

/* A 17-character run of the VIN alphabet with letters and digits: audit
 * details must reference vehicles by RO or id, never by VIN. */
bool store__audit_has_vin(const char *s)
{
    size_t run = 0;
    bool letter = false, digit = false, ok = true;
    for (const char *p = s;; p++) {
        char ch = *p;
        bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (alnum) {
            run++;
            letter |= (ch >= 'A' && ch <= 'Z');
            digit |= (ch >= '0' && ch <= '9');
            ok &= !(ch >= 'a' && ch <= 'z') && ch != 'I' && ch != 'O' && ch != 'Q';
            continue;
        }
        if (run == 17 && ok && letter && digit)
            return true;
        if (!ch)
            return false;
        run = 0;
        letter = digit = false;
        ok = true;
    }
}

int store__audit_tx(store_t *st, const char *action, const char *ro, const char *actor, const char *details)
{
    if (!details || !*details)
        details = "{}";
    if (store__audit_has_vin(details))
        return store__err(st, OBD_EINVAL, "audit details must not contain a VIN");
    sqlite3_stmt *s = store__stmt(st, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    if (!s)
        return OBD_EDB;
    int64_t id = 1;
    char prev[65] = ZERO_HASH;
    int sr = sqlite3_step(s);
    if (sr == SQLITE_ROW) {
        id = sqlite3_column_int64(s, 0) + 1;
        store__col_text(s, 1, prev, sizeof prev);
    }
    sqlite3_reset(s);
    if (sr != SQLITE_ROW && sr != SQLITE_DONE)
        return store__dberr(st, "read audit log");
    int64_t ts = store__now_ms(st);
    char hash[65];
    if (entry_hash(prev, id, ts, action, ro ? ro : "", actor ? actor : "", details, hash))
        return store__err(st, OBD_EINVAL, "SHA-256 unavailable");
    s = store__stmt(st, "INSERT INTO audit(id, ts_ms, action, ro, actor, details, prev_hash, hash)"
                        " VALUES(?,?,?,?,?,?,?,?)");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, ts);
    store__bind_text(s, 3, action);
    store__bind_text(s, 4, ro);
    store__bind_text(s, 5, actor);
    store__bind_text(s, 6, details);
    store__bind_text(s, 7, prev);
    store__bind_text(s, 8, hash);
    sr = sqlite3_step(s);
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? OBD_OK : store__dberr(st, "append audit entry");
}

static bool key_ok(const char *k, size_t max)
{
    if (!k || !*k || strlen(k) > max)
        return false;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_' || *k == '-' || *k == '.'))
            return false;
    return true;
}

int store_audit_append(store_t *st, const char *action, const char *ro, const char *actor, const char *details_json)
{
    if (!st)
        return OBD_EINVAL;
    if (!key_ok(action, 32))
        return store__err(st, OBD_EINVAL, "audit action must be a short lower-case key");
    if (details_json && *details_json) {
        cJSON *j = cJSON_Parse(details_json);
        bool obj = j && cJSON_IsObject(j);
        cJSON_Delete(j);
        if (!obj)
            return store__err(st, OBD_EINVAL, "audit details must be a JSON object");
    }
    int rc = store__begin(st);
    if (rc)
        return rc;
    if ((rc = store__audit_tx(st, action, ro, actor, details_json))) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_audit_verify(store_t *st, int64_t *count, int64_t *bad_id)
{
    if (!st)
        return OBD_EINVAL;
    if (count)
        *count = 0;
    if (bad_id)
        *bad_id = 0;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, ts_ms, action, ro, actor, details, prev_hash, hash FROM audit ORDER BY id", -1,
                           &s, NULL) != SQLITE_OK)
        return store__dberr(st, "read audit log");
    char prev[65] = ZERO_HASH;
    int64_t last_id = 0, n = 0;
    int rc = OBD_OK, sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *ph = (const char *)sqlite3_column_text(s, 6);
        const char *h = (const char *)sqlite3_column_text(s, 7);
        char want[65];
        entry_hash(prev, id, sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 2),
                   (const char *)sqlite3_column_text(s, 3), (const char *)sqlite3_column_text(s, 4),
                   (const char *)sqlite3_column_text(s, 5), want);
        const char *why = NULL;
        if (id != last_id + 1)
            why = "entries missing before it";
        else if (!ph || strcmp(ph, prev))
            why = "previous-hash link broken";
        else if (!h || strcmp(h, want))
            why = "contents do not match its hash";
        if (why) {
            if (bad_id)
                *bad_id = id;
            rc = store__err(st, OBD_EBADDATA, "audit entry %lld: %s", (long long)id, why);
            break;
        }
        snprintf(prev, sizeof prev, "%s", h);
        last_id = id;
        n++;
    }
    if (rc == OBD_OK && sr != SQLITE_DONE)
        rc = store__dberr(st, "read audit log");
    sqlite3_finalize(s);
    if (count)
        *count = n;
    return rc;
}

/* ---------------- QC sign-off ---------------- */

int store_qc_sign(store_t *st, const char *ro, const char *inspector, const char *verdict_key, const char *report_json,
                  const char *report_html, char sha256_hex[65])
{
    if (!st)
        return OBD_EINVAL;
    if (!inspector || !*inspector)
        return store__err(st, OBD_EINVAL, "QC sign-off needs the inspector's name");
    if (!key_ok(verdict_key, 24))
        return store__err(st, OBD_EINVAL, "QC verdict must be a short lower-case key");
    if (!report_json || !report_html)
        return store__err(st, OBD_EINVAL, "QC sign-off needs the report JSON and HTML");
    char hex[65];
    if (store__sha256_hex(report_json, strlen(report_json), report_html, strlen(report_html), hex))
        return store__err(st, OBD_EINVAL, "SHA-256 unavailable");
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t w;
    if ((rc = store__wo_open(st, ro, &w)))
        goto done;
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO qc_signoffs(wo_id, inspector, verdict, signed_ms, report_json,"
                                      " report_html, sha256) VALUES(?,?,?,?,?,?,?)");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, w.id);
    store__bind_text(s, 2, inspector);
    store__bind_text(s, 3, verdict_key);
    sqlite3_bind_int64(s, 4, store__now_ms(st));
    store__bind_text(s, 5, report_json);
    store__bind_text(s, 6, report_html);
    store__bind_text(s, 7, hex);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "save QC sign-off");
        goto done;
    }
    char details[200];
    snprintf(details, sizeof details, "{\"signoff_id\":%lld,\"verdict\":\"%s\",\"sha256\":\"%s\"}",
             (long long)sqlite3_last_insert_rowid(st->db), verdict_key, hex);
    rc = store__audit_tx(st, "qc_sign", ro, inspector, details);
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    rc = store__commit(st);
    if (!rc && sha256_hex)
        memcpy(sha256_hex, hex, 65);
    return rc;
}

int store_qc_verify(store_t *st, const char *ro, char sha256_hex[65])
{
    if (!st)
        return OBD_EINVAL;
    store_wo_t w;
    int rc = store__wo_by_ro(st, ro, &w);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT id, report_json, report_html, sha256 FROM qc_signoffs WHERE wo_id=? ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "read QC sign-off");
    sqlite3_bind_int64(s, 1, w.id);
    int n = 0, sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        const char *j = (const char *)sqlite3_column_text(s, 1);
        int jl = sqlite3_column_bytes(s, 1);
        const char *h = (const char *)sqlite3_column_text(s, 2);
        int hl = sqlite3_column_bytes(s, 2);
        const char *stored = (const char *)sqlite3_column_text(s, 3);
        char hex[65];
        store__sha256_hex(j, (size_t)jl, h, (size_t)hl, hex);
        if (!stored || strcmp(stored, hex)) {
            rc = store__err(st, OBD_EBADDATA, "QC sign-off %lld of RO %s: report does not match its SHA-256",
                            (long long)sqlite3_column_int64(s, 0), ro);
            break;
        }
        if (sha256_hex)
            memcpy(sha256_hex, hex, 65);
        n++;
    }
    if (!rc && sr != SQLITE_DONE)
        rc = store__dberr(st, "read QC sign-off");
    sqlite3_finalize(s);
    if (!rc && n == 0)
        rc = store__err(st, OBD_ENOTFOUND, "RO %s has no QC sign-off", ro);
    return rc;
}

int store_qc_get(store_t *st, const char *ro, char inspector[48], int64_t *signed_ms, char verdict[24],
                 char sha256_hex[65])
{
    if (!st)
        return OBD_EINVAL;
    store_wo_t w;
    int rc = store__wo_by_ro(st, ro, &w);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT inspector, signed_ms, verdict, sha256 FROM qc_signoffs WHERE wo_id=?"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "read QC sign-off");
    sqlite3_bind_int64(s, 1, w.id);
    int sr = sqlite3_step(s);
    if (sr == SQLITE_ROW) {
        const char *i = (const char *)sqlite3_column_text(s, 0);
        const char *v = (const char *)sqlite3_column_text(s, 2);
        const char *h = (const char *)sqlite3_column_text(s, 3);
        if (inspector)
            snprintf(inspector, 48, "%s", i ? i : "");
        if (signed_ms)
            *signed_ms = sqlite3_column_int64(s, 1);
        if (verdict)
            snprintf(verdict, 24, "%s", v ? v : "");
        if (sha256_hex)
            snprintf(sha256_hex, 65, "%s", h ? h : "");
        rc = OBD_OK;
    } else if (sr == SQLITE_DONE) {
        rc = store__err(st, OBD_ENOTFOUND, "RO %s has no QC sign-off", ro);
    } else {
        rc = store__dberr(st, "read QC sign-off");
    }
    sqlite3_finalize(s);
    return rc;
}
