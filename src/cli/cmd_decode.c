/*
 * obdgw decode [--legacy] [--wmi WMI] HEX...
 *
 * Decodes one ECU reply given as hex ("41 0C 1A F8 0D 32") with the same
 * library code the scanner uses: service 01/02 PIDs, readiness, DTC lists
 * (03/07/0A), 04, 06 and 09, and negative responses with their NRC. Several
 * HEX arguments are joined into one reply. `--legacy` reads DTC lists in the
 * J1850/ISO 9141/KWP form (no count byte).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/dtcdb.h"
#include "obdgw/obd.h"
#include "obdgw/pid.h"
#include "obdgw/uds.h"
#include "obdgw/vin.h"

static const char *svc_name(const cli_t *cli, uint8_t sid)
{
    switch (sid) {
    case 0x01: return T(cli, "current data", "当前数据");
    case 0x02: return T(cli, "freeze frame", "冻结帧");
    case 0x03: return T(cli, "stored DTCs", "已确认故障码");
    case 0x04: return T(cli, "clear DTCs", "清除故障码");
    case 0x06: return T(cli, "monitor test results", "监测测试结果");
    case 0x07: return T(cli, "pending DTCs", "待定故障码");
    case 0x09: return T(cli, "vehicle information", "车辆信息");
    case 0x0A: return T(cli, "permanent DTCs", "永久故障码");
    default: return T(cli, "service", "服务");
    }
}

static int fail(const cli_t *cli, int rc)
{
    cli_err(cli, "%s: %s", T(cli, "reply does not parse", "应答无法解析"), obd_strerror(rc));
    return EXIT_DATA;
}

static void add_value(const cli_t *cli, cJSON *arr, uint8_t pid, const obd_value_t *v)
{
    char txt[96];
    obd_value_format(v, cli->lang, txt, sizeof txt);
    if (!arr) {
        printf("  %s %s\n", PAD(T(cli, v->field->en, v->field->zh), 34), txt);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    char num[8];
    snprintf(num, sizeof num, "0x%02X", pid);
    cJSON_AddStringToObject(o, "pid", num);
    cJSON_AddStringToObject(o, "field", v->field->key);
    cJSON_AddStringToObject(o, "name", T(cli, v->field->en, v->field->zh));
    if (v->available)
        cJSON_AddNumberToObject(o, "value", v->value);
    else
        cJSON_AddNullToObject(o, "value");
    cJSON_AddStringToObject(o, "unit", v->field->unit ? v->field->unit : "");
    cJSON_AddStringToObject(o, "text", txt);
    cJSON_AddItemToArray(arr, o);
}

static void print_readiness(const cli_t *cli, const uint8_t *d, size_t n, bool this_cycle, cJSON *root)
{
    obd_readiness_t r;
    if (obd_readiness_decode(d, n, this_cycle, &r) != OBD_OK)
        return;
    cJSON *mons = root ? cJSON_AddArrayToObject(root, "monitors") : NULL;
    if (!root)
        printf("  %s: %s\n", T(cli, "ignition type", "点火方式"),
               r.compression ? T(cli, "compression (diesel)", "压燃（柴油）") : T(cli, "spark", "点燃（汽油）"));
    for (int m = 0; m < OBD_MON_COUNT; m++) {
        if (!r.mon[m].supported)
            continue;
        if (mons) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "monitor", obd_monitor_key((obd_monitor_t)m));
            cJSON_AddStringToObject(o, "name", obd_monitor_name((obd_monitor_t)m, cli->lang));
            cJSON_AddBoolToObject(o, "complete", r.mon[m].complete);
            cJSON_AddItemToArray(mons, o);
        } else {
            printf("    %s %s\n", PAD(obd_monitor_name((obd_monitor_t)m, cli->lang), 36),
                   r.mon[m].complete ? T(cli, "complete", "已完成") : T(cli, "NOT complete", "未完成"));
        }
    }
}

static int decode_pids(const cli_t *cli, const uint8_t *p, size_t n, uint8_t sid, cJSON *root)
{
    obd_pid_reply_t r;
    int rc = obd_parse_pid_reply(p, n, sid, &r);
    if (rc)
        return fail(cli, rc);
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "values") : NULL;
    for (size_t i = 0; i < r.count; i++) {
        const obd_pid_t *def = obd_pid_lookup(r.pids[i].pid);
        if (!root) {
            if (sid == OBD_SVC_FREEZE_FRAME)
                printf("PID 0x%02X %s (%s %u)\n", r.pids[i].pid, def ? T(cli, def->en, def->zh) : "?",
                       T(cli, "frame", "帧"), r.pids[i].frame);
            else
                printf("PID 0x%02X %s\n", r.pids[i].pid, def ? T(cli, def->en, def->zh) : "?");
        }
        obd_value_t v[OBD_PID_MAX_FIELDS];
        int k = obd_pid_decode(r.pids[i].pid, r.pids[i].data, r.pids[i].len, v, OBD_PID_MAX_FIELDS);
        if (k < 0) {
            if (!root)
                printf("  %s\n", obd_strerror(k));
            continue;
        }
        for (int f = 0; f < k; f++)
            add_value(cli, arr, r.pids[i].pid, &v[f]);
        if (def && (def->flags & OBD_PF_READINESS))
            print_readiness(cli, r.pids[i].data, r.pids[i].len, def->pid == 0x41, root);
    }
    return EXIT_OK;
}

static int decode_dtcs(const cli_t *cli, const uint8_t *p, size_t n, uint8_t sid, bool legacy, const char *wmi,
                       cJSON *root)
{
    obd_dtc_list_t l;
    int rc = obd_parse_dtc_reply(p, n, sid, !legacy, &l);
    if (rc)
        return fail(cli, rc);
    dtcdb_t *db = NULL;
    if (dtcdb_open(&db, NULL, NULL) != OBD_OK)
        cli_err(cli, "%s", T(cli, "DTC database not found: codes shown without descriptions",
                             "找不到故障码数据库：仅显示代码"));
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "dtcs") : NULL;
    if (!root)
        printf("%s: %zu\n", svc_name(cli, sid), l.count);
    for (size_t i = 0; i < l.count; i++) {
        dtcdb_entry_t e;
        char text[OBD_DTC_TEXT_LEN];
        obd_dtc_format(l.dtcs[i], text);
        const char *desc = "";
        if (db && dtcdb_lookup(db, l.dtcs[i], wmi, cli->lang, &e) == OBD_OK)
            desc = e.desc;
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "code", text);
            cJSON_AddStringToObject(o, "description", desc);
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("  %s  %s\n", text, desc);
        }
    }
    dtcdb_close(db);
    return EXIT_OK;
}

static int decode_mode06(const cli_t *cli, const uint8_t *p, size_t n, cJSON *root)
{
    obd_mode06_reply_t *r = malloc(sizeof *r);
    if (!r)
        return EXIT_FAIL;
    int rc = obd_parse_mode06(p, n, r);
    if (rc) {
        free(r);
        return fail(cli, rc);
    }
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "tests") : NULL;
    if (r->is_support && !root) {
        uint8_t mids[256];
        size_t k = obd_pidset_list(&r->support, mids, sizeof mids);
        printf("%s:", T(cli, "supported monitor ids", "支持的监测 ID"));
        for (size_t i = 0; i < k; i++)
            printf(" %02X", mids[i]);
        putchar('\n');
    }
    for (size_t i = 0; i < r->count; i++) {
        const obd_test_result_t *t = &r->tests[i];
        const obd_uas_t *u = obd_uas_lookup(t->uasid);
        const char *mid = obd_mid_name(t->mid, cli->lang);
        const char *unit = u ? u->unit : "";
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "mid", t->mid);
            cJSON_AddNumberToObject(o, "tid", t->tid);
            if (mid)
                cJSON_AddStringToObject(o, "monitor", mid);
            cJSON_AddNumberToObject(o, "value", t->value);
            cJSON_AddNumberToObject(o, "min", t->min);
            cJSON_AddNumberToObject(o, "max", t->max);
            cJSON_AddStringToObject(o, "unit", unit);
            cJSON_AddBoolToObject(o, "passed", t->passed);
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("  MID %02X TID %02X %-32s %g %s [%g..%g] %s\n", t->mid, t->tid, mid ? mid : "", t->value, unit,
                   t->min, t->max, t->passed ? T(cli, "PASS", "合格") : T(cli, "FAIL", "不合格"));
        }
    }
    free(r);
    return EXIT_OK;
}

static int decode_mode09(const cli_t *cli, const uint8_t *p, size_t n, cJSON *root)
{
    obd_info_reply_t *r = malloc(sizeof *r);
    if (!r)
        return EXIT_FAIL;
    int rc = obd_parse_mode09(p, n, r);
    if (rc) {
        free(r);
        return fail(cli, rc);
    }
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "items") : NULL;
    if (r->infotype == OBD_INFO_IPT_SPARK || r->infotype == OBD_INFO_IPT_COMPRESSION) {
        obd_ipt_t ipt;
        /* Counters the table does not name (more than defined, odd sizes)
         * fall through to the hex listing below instead of vanishing. */
        if (obd_ipt_decode(r->infotype, r, &ipt) == OBD_OK) {
            for (size_t i = 0; i < ipt.count; i++) {
                if (arr) {
                    cJSON *o = cJSON_CreateObject();
                    cJSON_AddStringToObject(o, "key", ipt.c[i].key);
                    cJSON_AddNumberToObject(o, "value", ipt.c[i].value);
                    cJSON_AddItemToArray(arr, o);
                } else {
                    printf("  %s %u\n", PAD(T(cli, ipt.c[i].en, ipt.c[i].zh), 40), ipt.c[i].value);
                }
            }
            free(r);
            return EXIT_OK;
        }
    }
    for (size_t i = 0; i < r->count; i++) {
        char text[OBD_MAX_INFO_ITEM_LEN * 2 + 1] = "";
        bool is_text = r->infotype == OBD_INFO_VIN || r->infotype == OBD_INFO_CALID || r->infotype == OBD_INFO_ECUNAME;
        if (!is_text || obd_info_text(&r->items[i], text, sizeof text) != OBD_OK) {
            for (unsigned b = 0; b < r->items[i].len; b++)
                snprintf(text + 2 * b, sizeof text - 2 * b, "%02X", r->items[i].data[b]);
        }
        if (arr) {
            cJSON_AddItemToArray(arr, cJSON_CreateString(text));
            continue;
        }
        printf("  [%zu] %s\n", i + 1, text);
        if (r->infotype == OBD_INFO_VIN) {
            obd_vin_info_t vi;
            const char *mk = NULL;
            if (obd_vin_decode(text, &vi) == OBD_OK && (mk = obd_vin_manufacturer(&vi, cli->lang), true))
                printf("      %s %s, %s %d, %s %s\n", T(cli, "maker", "厂商"), mk ? mk : T(cli, "unknown", "未知"), T(cli, "model year", "车型年份"),
                       vi.model_year, T(cli, "check digit", "校验位"),
                       vi.check == OBD_VIN_CHECK_OK         ? T(cli, "valid", "正确")
                       : vi.check == OBD_VIN_CHECK_MISMATCH ? T(cli, "MISMATCH", "不符")
                                                            : T(cli, "not used", "未使用"));
        }
    }
    free(r);
    return EXIT_OK;
}

int cmd_decode(cli_t *cli, int argc, char **argv)
{
    bool legacy = false;
    const char *wmi = NULL;
    char hex[4096] = "";
    size_t hl = 0;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--legacy")) {
            legacy = true;
        } else if (!strcmp(argv[i], "--wmi") && i + 1 < argc) {
            wmi = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw decode [--legacy] [--wmi WMI] [--json] HEX...\n", T(cli, "usage", "用法"));
            return EXIT_OK;
        } else {
            size_t l = strlen(argv[i]);
            if (hl + l + 2 > sizeof hex) {
                cli_err(cli, "decode: %s", T(cli, "reply too long", "应答太长"));
                return EXIT_USAGE;
            }
            memcpy(hex + hl, argv[i], l);
            hl += l;
            hex[hl++] = ' ';
            hex[hl] = 0;
        }
    }
    uint8_t buf[2048];
    size_t n = 0;
    if (hl == 0 || cli_hex_parse(hex, buf, sizeof buf, &n) != OBD_OK || n == 0) {
        cli_err(cli, "decode: %s", T(cli, "give the reply as hex bytes, e.g. 41 0C 1A F8",
                                      "请以十六进制字节给出应答，例如 41 0C 1A F8"));
        return EXIT_USAGE;
    }
    cJSON *root = cli->json ? cJSON_CreateObject() : NULL;
    int ex;
    uint8_t sid = buf[0] == OBD_NEGATIVE_RESPONSE && n >= 2 ? buf[1] : (uint8_t)(buf[0] - 0x40);
    if (root) {
        char s[8];
        snprintf(s, sizeof s, "0x%02X", sid);
        cJSON_AddStringToObject(root, "service", s);
    }
    if (buf[0] == OBD_NEGATIVE_RESPONSE) {
        if (n != 3) {
            ex = fail(cli, n < 3 ? OBD_ESHORT : OBD_ELEN);
        } else {
            const char *nrc = uds_nrc_name(buf[2], cli->lang);
            if (root) {
                cJSON_AddBoolToObject(root, "negative", true);
                cJSON_AddNumberToObject(root, "nrc", buf[2]);
                cJSON_AddStringToObject(root, "nrc_name", nrc ? nrc : "");
            } else {
                printf("%s 0x%02X (%s): NRC 0x%02X %s\n", T(cli, "ECU refused service", "ECU 拒绝服务"), sid,
                       svc_name(cli, sid), buf[2], nrc ? nrc : "");
            }
            ex = EXIT_OK;
        }
    } else {
        switch (sid) {
        case 0x01:
        case 0x02: ex = decode_pids(cli, buf, n, sid, root); break;
        case 0x03:
        case 0x07:
        case 0x0A: ex = decode_dtcs(cli, buf, n, sid, legacy, wmi, root); break;
        case 0x04: {
            obd_nr_t nr;
            int rc = obd_parse_clear_reply(buf, n, &nr);
            ex = rc ? fail(cli, rc) : EXIT_OK;
            if (!rc && !root)
                printf("%s\n", T(cli, "DTCs cleared (positive reply)", "故障码已清除（肯定应答）"));
            break;
        }
        case 0x06: ex = decode_mode06(cli, buf, n, root); break;
        case 0x09: ex = decode_mode09(cli, buf, n, root); break;
        default:
            cli_err(cli, "decode: %s 0x%02X", T(cli, "no decoder for reply", "无法解析此应答"), buf[0]);
            ex = EXIT_DATA;
        }
    }
    if (root) {
        if (ex == EXIT_OK)
            cli_json_print(root);
        else
            cJSON_Delete(root);
    }
    return ex;
}
