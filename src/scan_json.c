/*
 * scan_json.c — the documented JSON form of a scan (docs/scan.schema.json).
 * Used by `obdgw scan --json`, the store and the DMS link alike.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "obdgw/pid.h"
#include "obdgw/scan_text.h"
#include "obdgw/session.h"

#define SCAN_SCHEMA "obdgw.scan/1"

static void addr_text(uint32_t a, char *out, size_t cap)
{
    snprintf(out, cap, a > 0xFFF ? "%08X" : a > 0xFF ? "%03X" : "%02X", (unsigned)a);
}

static void add_dtc_list(cJSON *parent, const char *key, const obd_dtc_set_t *set, dtcdb_t *db, const char *wmi,
                         obd_lang_t lang)
{
    cJSON *arr = cJSON_AddArrayToObject(parent, key);
    for (size_t i = 0; i < set->count; i++) {
        cJSON *o = cJSON_CreateObject();
        char t[OBD_DTC_TEXT_LEN];
        obd_dtc_format(set->dtcs[i], t);
        cJSON_AddStringToObject(o, "code", t);
        dtcdb_entry_t e;
        if (db && dtcdb_lookup(db, set->dtcs[i], wmi, lang, &e) == OBD_OK) {
            cJSON_AddStringToObject(o, "description", e.desc);
            cJSON_AddBoolToObject(o, "described", e.found);
            if (e.system[0])
                cJSON_AddStringToObject(o, "system", e.system);
        } else {
            cJSON_AddStringToObject(o, "description", "");
            cJSON_AddBoolToObject(o, "described", false);
        }
        if (set->uds_format) {
            /* OBD on UDS: the 3-byte DTC's failure type byte and the UDS status byte. */
            cJSON_AddNumberToObject(o, "ftb", set->ftb[i]);
            cJSON_AddNumberToObject(o, "status", set->status[i]);
        }
        cJSON_AddItemToArray(arr, o);
    }
}

const char *obd_addressing_key(obd_addressing_t a)
{
    static const char *const k[OBD_ADDR_COUNT] = { "not_asked", "functional", "physical", "nrc", "none" };
    return (unsigned)a < OBD_ADDR_COUNT ? k[a] : "not_asked";
}

const char *obd_read_state_key(obd_read_state_t st)
{
    static const char *const k[OBD_READ_COUNT] = { "not_asked",   "ok",            "ok_with_deviation", "unreadable",
                                                   "no_answer",   "not_supported", "refused" };
    return (unsigned)st < OBD_READ_COUNT ? k[st] : "not_asked";
}

const char *obd_vin_source_key(obd_vin_source_t v)
{
    static const char *const k[OBD_VIN_SRC_COUNT] = { "none", "mode09", "mode09_unlisted", "uds_f190", "uds_f802" };
    return (unsigned)v < OBD_VIN_SRC_COUNT ? k[v] : "none";
}

/* A set filled by code that predates `state` (old store rows) gets one from the flags. */
static const char *read_state(const obd_dtc_set_t *s)
{
    return obd_read_state_key(obd_dtc_set_state(s));
}

static void svc_key(unsigned svc, char out[4])
{
    snprintf(out, 4, "%02X", svc & 0xFFu);
}

/* How one DTC list came: state, addressing, the deviation named, the kept
 * bytes of an unreadable reply. */
static void add_read_detail(cJSON *parent, const char *key, const obd_dtc_set_t *set, obd_lang_t lang)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);
    obd_read_state_t st = obd_dtc_set_state(set);
    cJSON_AddStringToObject(o, "state", obd_read_state_key(st));
    if (set->addressing != OBD_ADDR_NOT_ASKED)
        cJSON_AddStringToObject(o, "addressing", obd_addressing_key((obd_addressing_t)set->addressing));
    else
        cJSON_AddNullToObject(o, "addressing");
    if (set->nrc) {
        char n[8];
        snprintf(n, sizeof n, "0x%02X", set->nrc);
        cJSON_AddStringToObject(o, "nrc", n);
    }
    char dv[sizeof set->deviation + 1];
    memcpy(dv, set->deviation, sizeof set->deviation);
    dv[sizeof set->deviation] = 0;
    if (dv[0]) {
        char t[200];
        cJSON_AddStringToObject(o, "deviation", obd_deviation_text(dv, lang, t, sizeof t));
    }
    if (st == OBD_READ_UNREADABLE || set->rawlen) {
        /* raw: the first OBD_READ_RAW_MAX bytes kept; raw_len: the reply's full length. */
        char hex[2 * OBD_READ_RAW_MAX + 1] = "";
        size_t n = set->rawlen > OBD_READ_RAW_MAX ? OBD_READ_RAW_MAX : set->rawlen;
        cJSON_AddStringToObject(o, "raw", obd_hex_text(set->raw, n, hex, sizeof hex));
        cJSON_AddNumberToObject(o, "raw_len", set->rawlen);
    }
    if (set->uds_format)
        cJSON_AddBoolToObject(o, "uds_format", true);
}

/* A read state, null when the scan does not know (scans saved before the states existed). */
static void add_state(cJSON *o, const char *key, uint8_t st, bool derived_ok)
{
    if (st != OBD_READ_NOT_ASKED && st < OBD_READ_COUNT)
        cJSON_AddStringToObject(o, key, obd_read_state_key((obd_read_state_t)st));
    else if (derived_ok)
        cJSON_AddStringToObject(o, key, "ok");
    else
        cJSON_AddNullToObject(o, key);
}

static void add_readiness(cJSON *o, const char *key, const obd_readiness_t *r, obd_lang_t lang)
{
    cJSON *j = cJSON_AddObjectToObject(o, key);
    cJSON_AddBoolToObject(j, "mil_on", r->mil_on);
    cJSON_AddNumberToObject(j, "dtc_count", r->dtc_count);
    cJSON_AddStringToObject(j, "ignition", r->compression ? "compression" : "spark");
    int sup, inc;
    obd_readiness_counts(r, &sup, &inc);
    cJSON_AddNumberToObject(j, "supported", sup);
    cJSON_AddNumberToObject(j, "incomplete", inc);
    cJSON *mons = cJSON_AddArrayToObject(j, "monitors");
    for (int m = 0; m < OBD_MON_COUNT; m++) {
        if (!r->mon[m].supported)
            continue;
        cJSON *mo = cJSON_CreateObject();
        cJSON_AddStringToObject(mo, "monitor", obd_monitor_key((obd_monitor_t)m));
        cJSON_AddStringToObject(mo, "name", obd_monitor_name((obd_monitor_t)m, lang));
        cJSON_AddBoolToObject(mo, "complete", r->mon[m].complete);
        cJSON_AddItemToArray(mons, mo);
    }
}

static void add_counter(cJSON *o, const char *key, int v)
{
    if (v >= 0)
        cJSON_AddNumberToObject(o, key, v);
}

static void add_pid_values(cJSON *arr, uint8_t pid, const uint8_t *d, size_t n, obd_lang_t lang)
{
    obd_value_t v[OBD_PID_MAX_FIELDS];
    int nv = obd_pid_decode(pid, d, n, v, OBD_PID_MAX_FIELDS);
    char num[8];
    snprintf(num, sizeof num, "0x%02X", pid);
    const obd_pid_t *pt = obd_pid_lookup(pid);
    for (int i = 0; i < nv; i++) {
        if (!v[i].available)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "pid", num);
        cJSON_AddStringToObject(o, "key", pt ? pt->key : "");
        cJSON_AddStringToObject(o, "field", v[i].field->key);
        char label[160];
        cJSON_AddStringToObject(o, "name", obd_value_label(pid, &v[i], lang, label, sizeof label));
        cJSON_AddNumberToObject(o, "value", v[i].value);
        cJSON_AddStringToObject(o, "unit", v[i].field->unit ? v[i].field->unit : "");
        char txt[96];
        obd_value_format(&v[i], lang, txt, sizeof txt);
        cJSON_AddStringToObject(o, "text", txt);
        cJSON_AddItemToArray(arr, o);
    }
}

cJSON *obd_scan_json(const obd_scan_t *s, dtcdb_t *db, obd_lang_t lang)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "schema", SCAN_SCHEMA);
    char ts[40];
    time_t t = (time_t)(s->started_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(j, "started", ts);
    cJSON_AddNumberToObject(j, "duration_ms", s->duration_ms);
    cJSON_AddNumberToObject(j, "requests", s->requests);
    cJSON_AddStringToObject(j, "lang", obd_lang_code(lang));

    cJSON *ad = cJSON_AddObjectToObject(j, "adapter");
    cJSON_AddStringToObject(ad, "name", s->link.adapter);
    cJSON_AddStringToObject(ad, "device", s->link.device);
    if (s->link.battery_v >= 0)
        cJSON_AddNumberToObject(ad, "battery_v", round(s->link.battery_v * 10) / 10);
    else
        cJSON_AddNullToObject(ad, "battery_v");
    cJSON_AddStringToObject(j, "protocol", obd_proto_key(s->link.protocol));
    cJSON_AddStringToObject(j, "protocol_name", obd_proto_name(s->link.protocol));
    cJSON_AddStringToObject(j, "obd_protocol", obd_protocol_kind_key((obd_protocol_kind_t)s->obd_protocol));

    const char *wmi = NULL;
    char wmibuf[4] = "";
    if (s->vin[0]) {
        cJSON_AddStringToObject(j, "vin", s->vin);
        memcpy(wmibuf, s->vin, 3);
        wmi = wmibuf;
        obd_vin_info_t vi;
        if (obd_vin_decode(s->vin, &vi) == OBD_OK) {
            cJSON *veh = cJSON_AddObjectToObject(j, "vehicle");
            const char *mk = obd_vin_manufacturer(&vi, lang);
            if (mk)
                cJSON_AddStringToObject(veh, "manufacturer", mk);
            else
                cJSON_AddNullToObject(veh, "manufacturer");
            if (vi.model_year)
                cJSON_AddNumberToObject(veh, "model_year", vi.model_year);
            const char *country = obd_tr(lang, vi.country_en, vi.country_zh);
            if (country)
                cJSON_AddStringToObject(veh, "country", country);
            static const char *ck[] = { "ok", "mismatch", "not_used" };
            cJSON_AddStringToObject(veh, "check_digit", ck[vi.check % 3]);
        }
    } else {
        cJSON_AddNullToObject(j, "vin");
    }
    cJSON_AddStringToObject(j, "vin_source",
                            obd_vin_source_key(s->vin[0] ? (obd_vin_source_t)s->vin_source : OBD_VIN_SRC_NONE));
    if (s->vin[0] && s->vin_from) {
        char a[12];
        addr_text(s->vin_from, a, sizeof a);
        cJSON_AddStringToObject(j, "vin_ecu", a);
    } else {
        cJSON_AddNullToObject(j, "vin_ecu");
    }
    cJSON_AddBoolToObject(j, "vin_check_failed", s->vin[0] && s->vin_check_failed);
    /* Unknown is null: no ECU answered PID 01, so nothing is known about the MIL. */
    bool known = obd_scan_status_known(s);
    cJSON_AddBoolToObject(j, "status_known", known);
    if (known) {
        cJSON_AddBoolToObject(j, "mil_on", s->mil_on);
        cJSON_AddNumberToObject(j, "dtc_count", s->dtc_count);
    } else {
        cJSON_AddNullToObject(j, "mil_on");
        cJSON_AddNullToObject(j, "dtc_count");
    }
    cJSON_AddNumberToObject(j, "physical_retries", s->physical_retries);
    cJSON *notes = cJSON_AddArrayToObject(j, "notes");
    for (size_t i = 0; i < s->nnotes && i < sizeof s->notes / sizeof s->notes[0]; i++) {
        char en[sizeof s->notes[0] + 1], nt[320];
        memcpy(en, s->notes[i], sizeof s->notes[i]);
        en[sizeof s->notes[i]] = 0;
        cJSON_AddItemToArray(notes, cJSON_CreateString(obd_scan_note_text(en, lang, nt, sizeof nt)));
    }
    cJSON_AddBoolToObject(j, "recently_cleared", s->recently_cleared);
    if (s->recently_cleared)
        cJSON_AddStringToObject(j, "recently_cleared_reason", s->cleared_why);
    cJSON *totals = cJSON_AddObjectToObject(j, "totals");
    cJSON_AddNumberToObject(totals, "stored", (double)obd_scan_count(s, 0));
    cJSON_AddNumberToObject(totals, "pending", (double)obd_scan_count(s, 1));
    cJSON_AddNumberToObject(totals, "permanent", (double)obd_scan_count(s, 2));

    cJSON *ecus = cJSON_AddArrayToObject(j, "ecus");
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        cJSON *o = cJSON_CreateObject();
        char a[12];
        addr_text(e->addr, a, sizeof a);
        cJSON_AddStringToObject(o, "address", a);
        if (e->name[0])
            cJSON_AddStringToObject(o, "name", e->name);
        cJSON *d = cJSON_AddObjectToObject(o, "dtcs");
        add_dtc_list(d, "stored", &e->stored, db, wmi, lang);
        add_dtc_list(d, "pending", &e->pending, db, wmi, lang);
        add_dtc_list(d, "permanent", &e->permanent, db, wmi, lang);
        cJSON *rs = cJSON_AddObjectToObject(o, "dtc_reads");
        cJSON_AddStringToObject(rs, "stored", read_state(&e->stored));
        cJSON_AddStringToObject(rs, "pending", read_state(&e->pending));
        cJSON_AddStringToObject(rs, "permanent", read_state(&e->permanent));
        cJSON *rd = cJSON_AddObjectToObject(o, "dtc_read_details");
        add_read_detail(rd, "stored", &e->stored, lang);
        add_read_detail(rd, "pending", &e->pending, lang);
        add_read_detail(rd, "permanent", &e->permanent, lang);
        cJSON *am = cJSON_AddObjectToObject(o, "addressing");
        for (unsigned svc = 1; svc <= OBD_ADDR_SVC_MAX; svc++)
            if (e->addressing[svc] != OBD_ADDR_NOT_ASKED) {
                char k[4];
                svc_key(svc, k);
                cJSON_AddStringToObject(am, k, obd_addressing_key((obd_addressing_t)e->addressing[svc]));
            }
        cJSON_AddBoolToObject(o, "physical_first", e->physical_first);
        cJSON *sp = cJSON_AddArrayToObject(o, "silent_pids");
        {
            uint8_t sl[256];
            size_t ns = obd_pidset_list(&e->silent_pids, sl, sizeof sl);
            for (size_t k = 0; k < ns; k++) {
                char num[8];
                snprintf(num, sizeof num, "0x%02X", sl[k]);
                cJSON_AddItemToArray(sp, cJSON_CreateString(num));
            }
        }
        /* Per-ECU PID 01 values: null when the ECU gave no readiness. */
        if (e->has_readiness) {
            cJSON_AddBoolToObject(o, "mil_on", e->readiness.mil_on);
            cJSON_AddNumberToObject(o, "dtc_count", e->readiness.dtc_count);
        } else {
            cJSON_AddNullToObject(o, "mil_on");
            cJSON_AddNullToObject(o, "dtc_count");
        }
        add_state(o, "freeze_frame_state", e->ff_state, e->has_ff);
        add_state(o, "mode06_state", e->m06_state, e->m06_read);
        add_state(o, "mode09_state", e->info_state, e->ncalid || e->ncvn || e->name[0]);
        if (e->has_readiness)
            add_readiness(o, "readiness", &e->readiness, lang);
        if (e->has_readiness_cycle)
            add_readiness(o, "readiness_this_cycle", &e->readiness_cycle, lang);
        cJSON *sc = cJSON_AddObjectToObject(o, "since_clear");
        add_counter(sc, "warmups", e->warmups_since_clear);
        add_counter(sc, "km", e->km_since_clear);
        add_counter(sc, "minutes", e->min_since_clear);
        add_counter(sc, "km_with_mil", e->km_with_mil);
        add_counter(sc, "minutes_with_mil", e->min_with_mil);
        if (e->odometer_km >= 0)
            cJSON_AddNumberToObject(o, "odometer_km", e->odometer_km);
        if (e->has_ff) {
            cJSON *ff = cJSON_AddObjectToObject(o, "freeze_frame");
            char t2[OBD_DTC_TEXT_LEN];
            obd_dtc_format(e->ff_dtc, t2);
            cJSON_AddStringToObject(ff, "dtc", t2);
            cJSON *vals = cJSON_AddArrayToObject(ff, "values");
            for (size_t k = 0; k < e->nff; k++)
                add_pid_values(vals, e->ff[k].pid, e->ff[k].data, e->ff[k].len, lang);
        }
        if (e->m06_read) {
            cJSON *ma = cJSON_AddArrayToObject(o, "mode06");
            for (size_t k = 0; k < e->nm06; k++) {
                const obd_test_result_t *tr = &e->m06[k];
                const obd_uas_t *u = obd_uas_lookup(tr->uasid);
                const char *mn = obd_mid_name(tr->mid, lang);
                char mid[8], tid[8];
                snprintf(mid, sizeof mid, "0x%02X", tr->mid);
                snprintf(tid, sizeof tid, "0x%02X", tr->tid);
                cJSON *m = cJSON_CreateObject();
                cJSON_AddStringToObject(m, "mid", mid);
                cJSON_AddStringToObject(m, "tid", tid);
                cJSON_AddStringToObject(m, "monitor", mn ? mn : "");
                cJSON_AddNumberToObject(m, "uasid", tr->uasid);
                cJSON_AddNumberToObject(m, "value", tr->value);
                cJSON_AddNumberToObject(m, "min", tr->min);
                cJSON_AddNumberToObject(m, "max", tr->max);
                cJSON_AddStringToObject(m, "unit", u && tr->known_unit ? u->unit : "");
                cJSON_AddBoolToObject(m, "passed", tr->passed);
                cJSON_AddItemToArray(ma, m);
            }
        }
        cJSON *pids = cJSON_AddArrayToObject(o, "supported_pids");
        uint8_t list[256];
        size_t np = obd_pidset_list(&e->pids, list, sizeof list);
        for (size_t k = 0; k < np; k++) {
            char num[8];
            snprintf(num, sizeof num, "0x%02X", list[k]);
            cJSON_AddItemToArray(pids, cJSON_CreateString(num));
        }
        if (e->ncalid) {
            cJSON *ca = cJSON_AddArrayToObject(o, "calid");
            for (size_t k = 0; k < e->ncalid; k++)
                cJSON_AddItemToArray(ca, cJSON_CreateString(e->calid[k]));
        }
        if (e->ncvn) {
            cJSON *cv = cJSON_AddArrayToObject(o, "cvn");
            for (size_t k = 0; k < e->ncvn; k++) {
                char h[12];
                snprintf(h, sizeof h, "%08X", (unsigned)e->cvn[k]);
                cJSON_AddItemToArray(cv, cJSON_CreateString(h));
            }
        }
        cJSON_AddItemToArray(ecus, o);
    }
    cJSON *raw = cJSON_AddArrayToObject(j, "raw");
    for (size_t i = 0; i < s->nraw; i++) {
        const obd_raw_reply_t *r = &s->raw[i];
        cJSON *o = cJSON_CreateObject();
        char hex[2 * 256 + 1] = "", a[12];
        cJSON_AddStringToObject(o, "request", obd_hex_text(r->req, r->reqlen, hex, sizeof hex));
        addr_text(r->addr, a, sizeof a);
        cJSON_AddStringToObject(o, "ecu", a);
        unsigned n = r->len > sizeof r->data ? (unsigned)sizeof r->data : r->len;
        cJSON_AddStringToObject(o, "reply", obd_hex_text(r->data, n, hex, sizeof hex));
        if (r->len > n)
            cJSON_AddNumberToObject(o, "reply_len", r->len);
        cJSON_AddItemToArray(raw, o);
    }
    return j;
}
