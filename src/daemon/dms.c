/*
 * dms.c — the DMS side of the MQTT link: topic names, the message envelope
 * every payload carries, and inbound work orders (validated before the
 * store sees them). Topics and schemas: docs/dms-asyncapi.yaml and
 * docs/schemas/. No VIN or plate ever goes into a topic name.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "obdgw/utf8.h"

void dms_topic(char *out, size_t cap, const char *site, const char *leaf)
{
    snprintf(out, cap, "obdgw/v1/%s/%s", site, leaf);
}

cJSON *dms_envelope(const char *schema, const char *msg_id, const char *site)
{
    cJSON *e = cJSON_CreateObject();
    if (!e)
        return NULL;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    cJSON_AddStringToObject(e, "schema", schema);
    cJSON_AddNumberToObject(e, "schema_version", DMS_SCHEMA_VERSION);
    cJSON_AddStringToObject(e, "msg_id", msg_id);
    cJSON_AddStringToObject(e, "site", site);
    cJSON_AddNumberToObject(e, "created_ms", (double)((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000));
    return e;
}

/* A string member: absent is fine (*out ""), present must be a string of
 * valid UTF-8 without control characters, at most max_chars characters
 * (the schema's maxLength) and shorter than cap bytes (the store's field).
 * Returns false with `why` set otherwise (field and reason). */
static bool opt_str(const cJSON *o, const char *key, size_t max_chars, char *out, size_t cap, char *why,
                    size_t whycap)
{
    out[0] = 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v) || !v->valuestring) {
        snprintf(why, whycap, "'%s' is not a string", key);
        return false;
    }
    size_t n = strlen(v->valuestring);
    obd_text_err_t te = obd_text_check(v->valuestring, n, max_chars, cap - 1);
    if (te == OBD_TEXT_TOO_LONG) {
        snprintf(why, whycap, "'%s' is too long: %zu characters, %zu bytes (at most %zu characters and %zu bytes of UTF-8)",
                 key, obd_utf8_chars(v->valuestring), n, max_chars, cap - 1);
        return false;
    }
    if (te) {
        snprintf(why, whycap, "'%s' %s", key, obd_text_err_en(te));
        return false;
    }
    memcpy(out, v->valuestring, n + 1);
    return true;
}

/* A \u0000 escape inside a JSON string: cJSON would cut the string there
 * ("RO-10\u0000HIDDEN" read as "RO-10"), so such a payload is refused. */
static bool has_nul_escape(const unsigned char *p, size_t n)
{
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        if (!in_str) {
            in_str = p[i] == '"';
            continue;
        }
        if (p[i] == '"') {
            in_str = false;
        } else if (p[i] == '\\' && i + 1 < n) {
            if (p[i + 1] == 'u' && i + 5 < n && !memcmp(p + i + 2, "0000", 4))
                return true;
            i++; /* the escaped character */
        }
    }
    return false;
}

/* The first member name that appears twice in object o (NULL: none). */
static const char *dup_key(const cJSON *o)
{
    for (const cJSON *a = o->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && !strcmp(a->string, b->string))
                return a->string;
    return NULL;
}

/* RO numbers from the DMS: a letter or digit first (so never an option such
 * as "-o"), then letters, digits, '-', '_', '.', '/'; 1 to 31 characters. */
static bool ro_syntax_ok(const char *ro)
{
    size_t n = strlen(ro);
    if (!n || n > 31)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = ro[i];
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.' && c != '/')))
            return false;
    }
    return true;
}

#define DMS_MAX_MEMBERS 64

int dms_apply_wo(store_t *st, const char *site, const char *actor, const unsigned char *payload, size_t len,
                 char *msg_id, size_t idcap, char *ro, size_t rocap, char *why, size_t whycap)
{
    msg_id[0] = ro[0] = why[0] = 0;
    cJSON *j = cJSON_ParseWithLength((const char *)payload, len);
    if (!j) {
        snprintf(why, whycap, "not JSON");
        return -EINVAL;
    }
    int rc = -EINVAL;
    /* the msg_id for the log and the error event, if it is a clean one */
    const cJSON *mv = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "msg_id") : NULL;
    if (cJSON_IsString(mv) && mv->valuestring &&
        obd_text_check(mv->valuestring, strlen(mv->valuestring), 63, idcap - 1) == OBD_TEXT_OK)
        snprintf(msg_id, idcap, "%s", mv->valuestring);
    size_t bad_at = 0;
    if (!obd_utf8_valid(payload, len, &bad_at)) {
        snprintf(why, whycap, "not valid UTF-8 (byte %zu)", bad_at);
        goto out;
    }
    if (memchr(payload, 0, len)) {
        snprintf(why, whycap, "contains a NUL byte");
        goto out;
    }
    if (has_nul_escape(payload, len)) {
        snprintf(why, whycap, "a string contains \\u0000 (NUL)");
        goto out;
    }
    char schema[32], action[16], site_in[DCFG_SITE_LEN];
    store_wo_t w;
    memset(&w, 0, sizeof w);
    w.mileage_in_km = -1;
    if (!cJSON_IsObject(j)) {
        snprintf(why, whycap, "not a JSON object");
        goto out;
    }
    if (cJSON_GetArraySize(j) > DMS_MAX_MEMBERS) {
        snprintf(why, whycap, "more than %d members", DMS_MAX_MEMBERS);
        goto out;
    }
    const char *dk = dup_key(j);
    if (dk) {
        snprintf(why, whycap, "member '%.40s' appears twice", dk);
        goto out;
    }
    if (!opt_str(j, "msg_id", 63, msg_id, idcap, why, whycap) ||
        !opt_str(j, "schema", 31, schema, sizeof schema, why, whycap) ||
        !opt_str(j, "action", 15, action, sizeof action, why, whycap) ||
        !opt_str(j, "site", DCFG_SITE_LEN - 1, site_in, sizeof site_in, why, whycap) ||
        !opt_str(j, "ro", 31, w.ro, sizeof w.ro, why, whycap))
        goto out;
    snprintf(ro, rocap, "%s", w.ro);
    if (!msg_id[0]) {
        snprintf(why, whycap, "no msg_id");
        goto out;
    }
    if (strcmp(schema, "dms.wo")) {
        snprintf(why, whycap, "schema '%s' is not dms.wo", schema);
        goto out;
    }
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(j, "schema_version");
    if (!cJSON_IsNumber(sv) || sv->valuedouble != DMS_SCHEMA_VERSION) {
        snprintf(why, whycap, "schema_version is not %d", DMS_SCHEMA_VERSION);
        goto out;
    }
    if (site_in[0] && strcmp(site_in, site)) {
        snprintf(why, whycap, "for site '%s', not this one", site_in);
        goto out;
    }
    if (!w.ro[0]) {
        snprintf(why, whycap, "no ro");
        goto out;
    }
    if (!ro_syntax_ok(w.ro)) {
        snprintf(why, whycap, "'ro' must start with a letter or digit, then letters, digits, - _ . / (at most 31)");
        goto out;
    }
    if (strcmp(action, "open") && strcmp(action, "update") && strcmp(action, "close")) {
        snprintf(why, whycap, "action '%s' is not open, update or close", action);
        goto out;
    }
    if (!opt_str(j, "vin", 17, w.vin, sizeof w.vin, why, whycap) ||
        !opt_str(j, "plate", 23, w.plate, sizeof w.plate, why, whycap) ||
        !opt_str(j, "complaint", 255, w.complaint, sizeof w.complaint, why, whycap) ||
        !opt_str(j, "complaint_codes", 127, w.complaint_codes, sizeof w.complaint_codes, why, whycap) ||
        !opt_str(j, "bay", 15, w.bay, sizeof w.bay, why, whycap) ||
        !opt_str(j, "technician", 47, w.technician, sizeof w.technician, why, whycap))
        goto out;
    const cJSON *mi = cJSON_GetObjectItemCaseSensitive(j, "mileage_km");
    if (mi && !cJSON_IsNull(mi)) {
        if (!cJSON_IsNumber(mi) || mi->valuedouble < 0 || mi->valuedouble > 5e6 ||
            mi->valuedouble != (double)(int)mi->valuedouble) {
            snprintf(why, whycap, "mileage_km is not a whole number of km in 0..5000000");
            goto out;
        }
        w.mileage_in_km = (int)mi->valuedouble;
    }
    snprintf(w.source, sizeof w.source, "dms");
    if (!strcmp(action, "close"))
        w.status = STORE_WO_CLOSED;
    int src = store_wo_apply(st, &w, msg_id, actor);
    if (src == STORE_WO_DUPLICATE) {
        rc = DMS_WO_DUPLICATE;
        goto out;
    }
    if (src) {
        snprintf(why, whycap, "%s", store_errmsg(st));
        rc = src;
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(j);
    return rc;
}

/* ---------------- announcements the DMS was not told ---------------- */

size_t dms_pending_pass(store_t *st, const outbox_limits_t *lim, size_t max, int64_t *remaining)
{
    int64_t n = 0, stuck = 0;
    *remaining = 0;
    if (outbox_pending_count(st, &n, &stuck) || !n)
        return 0;
    *remaining = n;
    if (n == stuck)
        return 0; /* only messages too large to send: `obdgw dms resend ID` after a fix */
    /* room first (a read): a full outbox is not asked every second */
    outbox_stats_t os;
    int64_t maxn = lim->max_messages > 0 ? lim->max_messages : OUTBOX_DEFAULT_MAX_MESSAGES;
    int64_t maxb = lim->max_bytes > 0 ? lim->max_bytes : OUTBOX_DEFAULT_MAX_BYTES;
    if (outbox_stats(st, &os) || os.messages - os.low_messages >= maxn || os.bytes >= maxb)
        return 0;
    outbox_requeue_t q;
    if (outbox_pending_requeue(st, 0, max, lim, NULL, &q)) {
        dlog(LOG_LVL_WARN, "outbox: pending DMS messages not queued: %s", store_errmsg(st));
        return 0;
    }
    *remaining = q.remaining;
    if (q.queued)
        dlog(LOG_LVL_INFO, "outbox: %zu DMS message(s) refused earlier queued now (%lld still pending%s%s)", q.queued,
             (long long)q.remaining, q.refused ? ": " : "", q.refused ? q.why : "");
    if (q.queued && !q.remaining)
        dlog(LOG_LVL_INFO, "outbox: nothing pending any more: the DMS has been told of everything stored");
    return q.queued;
}
