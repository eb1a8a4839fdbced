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

/* A string member: absent is fine (*out ""), present must be a string
 * shorter than cap. Returns false with `why` set otherwise. */
static bool opt_str(const cJSON *o, const char *key, char *out, size_t cap, char *why, size_t whycap)
{
    out[0] = 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v) || !v->valuestring) {
        snprintf(why, whycap, "'%s' is not a string", key);
        return false;
    }
    if (strlen(v->valuestring) >= cap) {
        snprintf(why, whycap, "'%s' is longer than %zu characters", key, cap - 1);
        return false;
    }
    for (const char *p = v->valuestring; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t') {
            snprintf(why, whycap, "'%s' contains a control character", key);
            return false;
        }
    snprintf(out, cap, "%s", v->valuestring);
    return true;
}

int dms_apply_wo(store_t *st, const char *site, const unsigned char *payload, size_t len, char *msg_id, size_t idcap,
                 char *ro, size_t rocap, char *why, size_t whycap)
{
    msg_id[0] = ro[0] = why[0] = 0;
    cJSON *j = cJSON_ParseWithLength((const char *)payload, len);
    if (!j) {
        snprintf(why, whycap, "not JSON");
        return -EINVAL;
    }
    int rc = -EINVAL;
    char schema[32], action[16], site_in[DCFG_SITE_LEN];
    store_wo_t w;
    memset(&w, 0, sizeof w);
    w.mileage_in_km = -1;
    if (!cJSON_IsObject(j)) {
        snprintf(why, whycap, "not a JSON object");
        goto out;
    }
    if (!opt_str(j, "msg_id", msg_id, idcap, why, whycap) || !opt_str(j, "schema", schema, sizeof schema, why, whycap) ||
        !opt_str(j, "action", action, sizeof action, why, whycap) ||
        !opt_str(j, "site", site_in, sizeof site_in, why, whycap) || !opt_str(j, "ro", w.ro, sizeof w.ro, why, whycap))
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
    if (strcmp(action, "open") && strcmp(action, "update") && strcmp(action, "close")) {
        snprintf(why, whycap, "action '%s' is not open, update or close", action);
        goto out;
    }
    if (!opt_str(j, "vin", w.vin, sizeof w.vin, why, whycap) || !opt_str(j, "plate", w.plate, sizeof w.plate, why, whycap) ||
        !opt_str(j, "complaint", w.complaint, sizeof w.complaint, why, whycap) ||
        !opt_str(j, "complaint_codes", w.complaint_codes, sizeof w.complaint_codes, why, whycap) ||
        !opt_str(j, "bay", w.bay, sizeof w.bay, why, whycap) ||
        !opt_str(j, "technician", w.technician, sizeof w.technician, why, whycap))
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
    int src = store_wo_upsert(st, &w);
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
