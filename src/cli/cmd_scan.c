/*
 * obdgw scan --adapter DEV [--protocol N] [--baud N] [--json] [--lang en|zh] [-v]
 *
 * A full OBD scan through any link (ELM327 on a serial port or Wi-Fi, the
 * simulator): adapter, protocol, battery, VIN, every ECU's DTCs with
 * descriptions, freeze frames, readiness, since-clear counters.
 * Also holds the link options shared by live and clear.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/usb.h"
#include "obdgw/dtcdb.h"
#include "obdgw/pid.h"
#include "obdgw/scan_text.h"
#include "obdgw/session.h"
#include "obdgw/store.h"

int cli_link_opt(cli_t *cli, cli_link_args_t *a, int argc, char **argv, int *i)
{
    int c = cli_common_opt(cli, argc, argv, i);
    if (c)
        return c;
    const char *o = argv[*i];
    bool has = *i + 1 < argc;
    if ((!strcmp(o, "--adapter") || !strcmp(o, "-a")) && has) {
        a->adapter = argv[++*i];
    } else if (!strcmp(o, "--protocol") && has) {
        const char *v = argv[++*i];
        char *end;
        long p = strtol(v, &end, 16);
        if (*end || p < 0 || p >= OBD_PROTO_COUNT) {
            cli_err(cli, "%s: '%s' (%s)", T(cli, "bad protocol", "协议无效"), v,
                    T(cli, "0 = auto, 1-9 or A-C as the ELM327 numbers them", "0 = 自动，1-9 或 A-C（ELM327 编号）"));
            return -1;
        }
        a->opts.protocol = (obd_proto_t)p;
    } else if (!strcmp(o, "--baud") && has) {
        a->opts.baud = atoi(argv[++*i]);
    } else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
        a->opts.verbose++;
    } else {
        return 0;
    }
    return 1;
}

obd_link_t *cli_link_open(cli_t *cli, cli_link_args_t *a, const char *cmd)
{
    if (!a->adapter)
        a->adapter = getenv("OBDGW_ADAPTER");
    if (!a->adapter) {
        cli_err(cli, "%s: %s", cmd,
                T(cli, "no adapter: give --adapter /dev/ttyUSB0 | tcp://192.168.0.10:35000 | sim",
                  "未指定诊断接头：请用 --adapter /dev/ttyUSB0 | tcp://192.168.0.10:35000 | sim"));
        return NULL;
    }
    /* usb:PORT / usb-serial:SERIAL: the tty of that adapter, or what is plugged */
    usb_sel_t sel;
    char tty[USB_TTY_LEN], uerr[256];
    int u = usb_spec_parse(a->adapter, &sel, uerr, sizeof uerr);
    if (u < 0) {
        cli_err(cli, "%s: %s: %s", cmd, T(cli, "bad USB adapter", "USB 接头参数无效"), uerr);
        return NULL;
    }
    if (u == 1) {
        usb_site_ids_t site;
        static usb_adapter_t list[32];
        size_t n = 0;
        if (usb_site_ids_from_env(&site, uerr, sizeof uerr) ||
            usb_enumerate(&site, NULL, false, list, 32, &n, uerr, sizeof uerr)) {
            cli_err(cli, "%s: %s: %s", cmd, a->adapter, uerr);
            return NULL;
        }
        const usb_adapter_t *ad = usb_select(list, n, &sel);
        if (!ad || !ad->tty[0]) {
            char plugged[1024];
            usb_list_text(list, n, cli->lang, plugged, sizeof plugged);
            cli_err(cli, "%s: %s: %s; %s", cmd, a->adapter,
                    ad ? T(cli, "plugged in but it has no tty (is its driver loaded?)", "已插入但没有串口设备（驱动未加载？）")
                       : T(cli, "no such adapter plugged in", "未找到该诊断接头"),
                    plugged);
            return NULL;
        }
        snprintf(tty, sizeof tty, "%s", ad->tty);
    }
    obd_link_t *l;
    char err[256];
    int rc = obd_link_open(u == 1 ? tty : a->adapter, &a->opts, &l, err, sizeof err);
    if (rc) {
        const char *hint = rc == OBD_ENOVEHICLE ? T(cli, "check the ignition is on and the adapter is seated in the OBD socket",
                                                    "请确认点火开关已打开、接头已插好在 OBD 座上")
                           : rc == OBD_EADAPTER ? T(cli, "check the port and the adapter's power",
                                                    "请检查端口和接头供电")
                                                : T(cli, "check the adapter path or address", "请检查接头路径或地址");
        cli_err(cli, "%s: %s (%s)", cmd, err[0] ? err : obd_strerror(rc), hint);
        return NULL;
    }
    return l;
}

void cli_link_fail(cli_t *cli, obd_link_t *l, const char *cmd, int rc)
{
    cli_err(cli, "%s: %s%s%s", cmd, obd_strerror(rc), l && l->errmsg[0] ? ": " : "", l ? l->errmsg : "");
}

static void progress(void *ctx, const char *en, const char *zh)
{
    cli_t *cli = ctx;
    if (!cli->json && cli->verbose_progress)
        fprintf(stderr, "… %s\n", T(cli, en, zh));
}

/* One DTC list: its codes, or what became of the read — "no answer" only
 * when nothing came (never "none"), the bytes of an unreadable reply, the
 * deviation of one decoded anyway; "[physical]" when only a physical
 * request got the answer. */
static void print_dtcs(cli_t *cli, const char *label, const obd_dtc_set_t *set, dtcdb_t *db, const char *wmi)
{
    obd_read_state_t st = obd_dtc_set_state(set);
    const char *phys = set->addressing == OBD_ADDR_PHYSICAL ? T(cli, "  [physical]", "  [物理寻址]") : "";
    char txt[256];
    switch (st) {
    case OBD_READ_NO_ANSWER:
    case OBD_READ_NOT_ASKED:
        printf("  %s %s\n", PAD(label, 10), T(cli, "(no answer)", "（无应答）"));
        return;
    case OBD_READ_UNSUPPORTED:
        if (set->deviation[0]) { /* the adapter refused the request: no ECU was asked */
            printf("  %s %s%s%s\n", PAD(label, 10), T(cli, "(", "（"), obd_dtc_set_state_text(set, cli->lang, txt, sizeof txt),
                   T(cli, ")", "）"));
            return;
        }
        printf("  %s %s%s\n", PAD(label, 10), T(cli, "(not supported by this ECU)", "（该控制单元不支持）"), phys);
        return;
    case OBD_READ_REFUSED:
        if (set->deviation[0]) { /* the ECU never finished (0x78) */
            printf("  %s %s%s%s\n", PAD(label, 10), T(cli, "(", "（"), obd_dtc_set_state_text(set, cli->lang, txt, sizeof txt),
                   T(cli, ")", "）"));
            return;
        }
        printf("  %s %s 0x%02X%s\n", PAD(label, 10), T(cli, "(refused, NRC)", "（拒绝，否定响应码）"), set->nrc, phys);
        return;
    case OBD_READ_UNREADABLE:
        printf("  %s %s%s%s%s\n", PAD(label, 10), T(cli, "(", "（"),
               obd_dtc_set_state_text(set, cli->lang, txt, sizeof txt), T(cli, ")", "）"), phys);
        return;
    default:
        break;
    }
    const char *dev = st == OBD_READ_DEVIATION ? obd_dtc_set_state_text(set, cli->lang, txt, sizeof txt) : NULL;
    if (!set->count) {
        printf("  %s %s%s%s%s\n", PAD(label, 10), T(cli, "none", "无"), dev ? " · " : "", dev ? dev : "", phys);
        return;
    }
    for (size_t i = 0; i < set->count; i++) {
        char t[OBD_DTC_TEXT_LEN];
        obd_dtc_format(set->dtcs[i], t);
        dtcdb_entry_t e;
        const char *desc = "";
        if (db && dtcdb_lookup(db, set->dtcs[i], wmi, cli->lang, &e) == OBD_OK)
            desc = e.desc;
        if (set->uds_format)
            printf("  %s %s-%02X  %s  (%s 0x%02X)%s\n", PAD(i ? "" : label, 10), t, set->ftb[i], desc,
                   T(cli, "status", "状态"), set->status[i], i ? "" : phys);
        else
            printf("  %s %s  %s%s\n", PAD(i ? "" : label, 10), t, desc, i ? "" : phys);
    }
    if (dev)
        printf("  %s %s\n", PAD("", 10), dev);
}

/* A read other than the DTC lists, when it did not simply work. */
static void print_read_state(cli_t *cli, const char *label, uint8_t st)
{
    if (st == OBD_READ_NOT_ASKED || st == OBD_READ_OK || st >= OBD_READ_COUNT)
        return;
    printf("  %s: %s\n", label, obd_read_state_name((obd_read_state_t)st, cli->lang));
}

static void print_scan(cli_t *cli, const obd_scan_t *s, dtcdb_t *db)
{
    const char *wmi = NULL;
    char wmib[4] = "";
    printf("%s %s  (%s)", PAD(T(cli, "Adapter", "诊断接头"), 12), s->link.adapter, s->link.device);
    if (s->link.battery_v >= 0)
        printf("  %s %.1f V", T(cli, "battery", "蓄电池"), s->link.battery_v);
    printf("\n%s %s", PAD(T(cli, "Protocol", "协议"), 12), obd_proto_name(s->link.protocol));
    if (s->obd_protocol == OBD_PROTOCOL_ON_UDS)
        printf(" · %s", obd_protocol_kind_name(OBD_PROTOCOL_ON_UDS, cli->lang));
    printf("\n");
    if (s->vin[0]) {
        memcpy(wmib, s->vin, 3);
        wmi = wmib;
        obd_vin_info_t vi;
        printf("%-12s %s", "VIN", s->vin);
        if (obd_vin_decode(s->vin, &vi) == OBD_OK) {
            const char *mk = obd_vin_manufacturer(&vi, cli->lang);
            printf("  (%s", mk ? mk : T(cli, "unknown maker", "未知厂商"));
            if (vi.model_year)
                printf(", %d", vi.model_year);
            if (vi.check == OBD_VIN_CHECK_MISMATCH || s->vin_check_failed)
                printf(", %s", T(cli, "check digit does NOT match: kept as read", "校验位不符：按读取原样保留"));
            printf(")");
        } else if (s->vin_check_failed) {
            printf("  (%s)", T(cli, "check digit does NOT match: kept as read", "校验位不符：按读取原样保留"));
        }
        char src[96];
        if (obd_scan_vin_source_text(s, cli->lang, src, sizeof src)[0])
            printf("  %s%s", T(cli, "from ", "来源："), src);
        printf("\n");
    } else {
        printf("%-12s %s\n", "VIN", T(cli, "not reported by the vehicle", "车辆未提供"));
    }
    char mil[128];
    printf("%s %s\n", PAD(T(cli, "MIL", "故障灯"), 12), obd_scan_mil_text(s, cli->lang, mil, sizeof mil));
    printf("%s %zu:", PAD(T(cli, "ECUs", "控制单元"), 12), s->necus);
    for (size_t i = 0; i < s->necus; i++)
        printf(" %X%s%s%s", (unsigned)s->ecus[i].addr, s->ecus[i].name[0] ? " (" : "", s->ecus[i].name,
               s->ecus[i].name[0] ? ")" : "");
    printf("\n");

    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        printf("\nECU %X %s\n", (unsigned)e->addr, e->name);
        print_dtcs(cli, T(cli, "stored", "已确认"), &e->stored, db, wmi);
        print_dtcs(cli, T(cli, "pending", "待定"), &e->pending, db, wmi);
        print_dtcs(cli, T(cli, "permanent", "永久"), &e->permanent, db, wmi);
        char ps[48];
        if (obd_ecu_physical_services(e, ps, sizeof ps)[0])
            printf("  %s: %s\n", T(cli, "answered only when addressed physically", "仅物理寻址时应答的服务"), ps);
        uint8_t sl[256];
        size_t ns = obd_pidset_list(&e->silent_pids, sl, sizeof sl);
        if (ns) {
            printf("  %s:", T(cli, "PIDs listed but never answered", "已列出但从未应答的 PID"));
            for (size_t k = 0; k < ns; k++)
                printf(" %02X", sl[k]);
            printf("\n");
        }
        print_read_state(cli, T(cli, "freeze frame", "冻结帧"), e->ff_state);
        print_read_state(cli, T(cli, "monitor tests (06)", "监测测试 (06)"), e->m06_state);
        print_read_state(cli, T(cli, "vehicle information (09)", "车辆信息 (09)"), e->info_state);
        if (e->has_ff) {
            char t[OBD_DTC_TEXT_LEN];
            obd_dtc_format(e->ff_dtc, t);
            printf("  %s (%s):\n", T(cli, "freeze frame", "冻结帧"), t);
            for (size_t k = 0; k < e->nff; k++) {
                obd_value_t v[OBD_PID_MAX_FIELDS];
                int nv = obd_pid_decode(e->ff[k].pid, e->ff[k].data, e->ff[k].len, v, OBD_PID_MAX_FIELDS);
                for (int f = 0; f < nv; f++) {
                    if (!v[f].available)
                        continue;
                    char txt[96];
                    obd_value_format(&v[f], cli->lang, txt, sizeof txt);
                    char label[160];
                    printf("    %s %s\n", PAD(obd_value_label(e->ff[k].pid, &v[f], cli->lang, label, sizeof label), 36), txt);
                }
            }
        }
        if (e->m06_read) {
            size_t failed = 0;
            for (size_t k = 0; k < e->nm06; k++)
                failed += !e->m06[k].passed;
            printf("  %s: %zu %s, %zu %s\n", T(cli, "monitor tests (06)", "监测测试 (06)"), e->nm06,
                   T(cli, "results", "项结果"), failed, T(cli, "out of limits", "项超出限值"));
            for (size_t k = 0; k < e->nm06; k++) {
                const obd_test_result_t *tr = &e->m06[k];
                if (tr->passed)
                    continue;
                const obd_uas_t *u = obd_uas_lookup(tr->uasid);
                const char *mn = obd_mid_name(tr->mid, cli->lang);
                const char *unit = u && tr->known_unit ? u->unit : "";
                printf("    %s  MID %02X TID %02X  %g %s [%g..%g]\n", mn ? mn : "", tr->mid, tr->tid, tr->value, unit,
                       tr->min, tr->max);
            }
        }
        int sup = 0, inc = 0;
        if (e->has_readiness)
            obd_readiness_counts(&e->readiness, &sup, &inc);
        if (sup) {
            printf("  %s: %d %s, %d %s%s", T(cli, "readiness", "就绪监测"), sup, T(cli, "supported", "项支持"), inc,
                   T(cli, "incomplete", "项未完成"), inc ? ": " : "");
            bool first = true;
            for (int m = 0; m < OBD_MON_COUNT; m++) {
                const obd_monitor_state_t *ms = &e->readiness.mon[m];
                if (ms->supported && !ms->complete) {
                    printf("%s%s", first ? "" : ", ", obd_monitor_name((obd_monitor_t)m, cli->lang));
                    first = false;
                }
            }
            printf("\n");
        }
        if (e->warmups_since_clear >= 0 || e->km_since_clear >= 0) {
            printf("  %s:", T(cli, "since codes cleared", "自上次清码"));
            if (e->warmups_since_clear >= 0)
                printf(" %d %s", e->warmups_since_clear, T(cli, "warm-ups", "次暖机"));
            if (e->km_since_clear >= 0)
                printf(" %d km", e->km_since_clear);
            if (e->min_since_clear >= 0)
                printf(" %d min", e->min_since_clear);
            printf("\n");
        }
        if (e->odometer_km >= 0)
            printf("  %s: %.1f km\n", T(cli, "odometer", "里程表"), e->odometer_km);
    }
    if (s->recently_cleared)
        printf("\n%s: %s\n", T(cli, "WARNING codes look recently cleared", "警告：故障码疑似近期被清除"),
               obd_scan_cleared_text(s, cli->lang, (char[128]){ 0 }, 128));
    if (s->nnotes) {
        printf("\n%s\n", T(cli, "Notes:", "说明："));
        for (size_t i = 0; i < s->nnotes && i < sizeof s->notes / sizeof s->notes[0]; i++) {
            char en[sizeof s->notes[0] + 1], nt[320];
            memcpy(en, s->notes[i], sizeof s->notes[i]);
            en[sizeof s->notes[i]] = 0;
            printf("  - %s\n", obd_scan_note_text(en, cli->lang, nt, sizeof nt));
        }
    }
    printf("\n%s %.1f s (%u %s", T(cli, "Scan took", "扫描用时"), s->duration_ms / 1000.0, s->requests,
           T(cli, "requests", "次请求"));
    if (s->physical_retries)
        printf("%s%u%s", T(cli, ", ", "，其中 "), s->physical_retries, T(cli, " repeated physically", " 次物理寻址重发"));
    printf(")\n");
}

/* Save the scan (attached to --ro, or to the one open RO with its VIN).
 * Returns the exit code contribution: a scan that could not be saved is a
 * failure even though it was shown. */
static int save_scan(cli_t *cli, const obd_scan_t *s, const char *ro, store_stage_t stage, const char *tech,
                     double mileage, const char *adapter, cJSON *json)
{
    store_t *st = cli_store_open(cli, "scan");
    if (!st) {
        cli_err(cli, "scan: %s", T(cli, "the scan above was NOT saved", "以上扫描结果未保存"));
        return EXIT_FAIL;
    }
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.ro, sizeof m.ro, "%s", ro ? ro : "");
    m.stage = stage;
    snprintf(m.technician, sizeof m.technician, "%s", cli_actor(tech));
    m.mileage_km = mileage;
    snprintf(m.adapter, sizeof m.adapter, "%s", adapter ? adapter : "");
    int rc = store_scan_save(st, s, &m);
    int ex = EXIT_OK;
    if (rc) {
        cli_store_fail(cli, st, "scan", rc);
        cli_err(cli, "scan: %s", T(cli, "the scan above was NOT saved", "以上扫描结果未保存"));
        ex = rc == OBD_ESTATE ? EXIT_REFUSED : rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
    } else if (json) {
        cJSON *o = cJSON_AddObjectToObject(json, "saved");
        cJSON_AddNumberToObject(o, "scan", (double)m.id);
        cJSON_AddStringToObject(o, "ro", m.ro);
        cJSON_AddStringToObject(o, "stage", store_stage_key(m.stage));
        if (!m.ro[0])
            cJSON_AddStringToObject(o, "unassigned_because", m.assign_note);
    } else if (m.ro[0]) {
        printf("\n%s #%lld · %s %s · %s\n", T(cli, "Saved as scan", "已保存为扫描"), (long long)m.id,
               T(cli, "RO", "工单"), m.ro, store_stage_name(m.stage, cli->lang));
    } else {
        printf("\n%s #%lld · %s (%s)\n", T(cli, "Saved as scan", "已保存为扫描"), (long long)m.id,
               T(cli, "not attached to an RO", "未关联工单"), m.assign_note);
    }
    store_close(st);
    return ex;
}

int cmd_scan(cli_t *cli, int argc, char **argv)
{
    cli_link_args_t la = { 0 };
    const char *ro = NULL, *tech = NULL;
    store_stage_t stage = STORE_STAGE_ADHOC;
    bool stage_given = false, no_store = false;
    double mileage = -1;
    for (int i = 1; i < argc; i++) {
        int r = cli_link_opt(cli, &la, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        bool has = i + 1 < argc;
        if (!strcmp(argv[i], "--ro") && has) {
            ro = argv[++i];
        } else if (!strcmp(argv[i], "--stage") && has) {
            if (store_stage_parse(argv[++i], &stage)) {
                cli_err(cli, "scan: %s '%s' (pre, diag, self, post, qc, adhoc)", T(cli, "unknown stage", "未知阶段"),
                        argv[i]);
                return EXIT_USAGE;
            }
            stage_given = true;
        } else if (!strcmp(argv[i], "--tech") && has) {
            tech = argv[++i];
        } else if (!strcmp(argv[i], "--mileage") && has) {
            mileage = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--no-store")) {
            no_store = true;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw scan --adapter DEV [--protocol N] [--baud N] [--json] [-v]\n"
                   "                  [--ro RO] [--stage pre|diag|self|post|qc|adhoc] [--tech NAME]\n"
                   "                  [--mileage KM] [--store FILE | --no-store]\n"
                   "  DEV: /dev/ttyUSB0 | /dev/rfcomm0 | tcp://HOST:PORT | sim[:SCENARIO][,personality=P]\n"
                   "  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "Every scan is saved: attached to --ro, else to the open RO with the same VIN.",
                     "每次扫描都会保存：关联到 --ro 指定的工单，否则关联到车架号相同的进行中工单。"));
            return EXIT_OK;
        } else {
            cli_err(cli, "scan: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (no_store && (ro || stage_given)) {
        cli_err(cli, "scan: %s", T(cli, "--no-store cannot go with --ro/--stage", "--no-store 不能与 --ro/--stage 同用"));
        return EXIT_USAGE;
    }
    if (ro && !stage_given)
        stage = STORE_STAGE_DIAGNOSTIC;
    cli->verbose_progress = la.opts.verbose > 0;
    obd_link_t *l = cli_link_open(cli, &la, "scan");
    if (!l)
        return EXIT_FAIL;
    obd_scan_t *s = calloc(1, sizeof *s);
    dtcdb_t *db = NULL;
    if (dtcdb_open(&db, NULL, NULL) != OBD_OK) {
        cli_err(cli, "scan: %s", T(cli, "DTC database not found: codes are shown without descriptions",
                                   "找不到故障码数据库：故障码将不带说明显示"));
        db = NULL;
    }
    int rc = s ? obd_scan_run(l, s, progress, cli) : -12;
    int ex = EXIT_OK;
    if (rc && (!s || s->necus == 0)) {
        cli_link_fail(cli, l, "scan", rc);
        ex = EXIT_FAIL;
    } else {
        if (rc) /* part of the scan is there: show it, and say it is partial */
            cli_link_fail(cli, l, "scan (partial)", rc);
        cJSON *j = cli->json ? obd_scan_json(s, db, cli->lang) : NULL;
        if (!cli->json)
            print_scan(cli, s, db);
        int sx = no_store ? EXIT_OK : save_scan(cli, s, ro, stage, tech, mileage, la.adapter, j);
        if (j)
            cli_json_print(j);
        ex = rc ? EXIT_FAIL : sx;
    }
    dtcdb_close(db);
    free(s);
    obd_link_close(l);
    return ex;
}
