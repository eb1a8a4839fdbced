/*
 * obdgw live --adapter DEV --pid rpm,speed,0x05 [--count N | --duration S] [--single] [--json]
 *
 * Streams decoded values as fast as the link allows: multi-PID requests on
 * CAN (up to six PIDs each), per-ECU physical requests, and a per-ECU fallback
 * to single-PID requests when an ECU or adapter mishandles multi-PID ones.
 * Text: one line per value. --json: one JSON object per line (pid, name,
 * value, unit, timestamp, ecu). The achieved rate goes to stderr at the end.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/pid.h"
#include "obdgw/session.h"
#include "obdgw/store.h"
#include "obdgw/stream.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int parse_pids(cli_t *cli, const char *list, uint8_t *pids, size_t *n)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const obd_pid_t *p = obd_pid_find(tok);
        if (!p || (p->flags & OBD_PF_BITMAP)) {
            cli_err(cli, "live: %s '%s' (%s)", T(cli, "unknown PID", "未知 PID"), tok,
                    T(cli, "see 'obdgw pid --list'", "参见 'obdgw pid --list'"));
            return EXIT_NOTFOUND;
        }
        if (*n >= OBD_LIVE_MAX_PIDS) {
            cli_err(cli, "live: %s %d", T(cli, "too many PIDs; at most", "PID 太多，最多"), OBD_LIVE_MAX_PIDS);
            return EXIT_USAGE;
        }
        bool dup = false;
        for (size_t k = 0; k < *n; k++)
            dup |= pids[k] == p->pid;
        if (!dup)
            pids[(*n)++] = p->pid;
    }
    if (!*n) {
        cli_err(cli, "live: %s", T(cli, "give --pid rpm,speed,...", "请用 --pid rpm,speed,... 指定数据项"));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static void emit(cli_t *cli, const obd_live_sample_t *smp)
{
    static uint64_t first_ms; /* text output shows seconds since the first sample */
    if (!first_ms)
        first_ms = smp->t_ms;
    obd_value_t v[OBD_PID_MAX_FIELDS];
    int nv = obd_pid_decode(smp->pid, smp->data, smp->len, v, OBD_PID_MAX_FIELDS);
    const obd_pid_t *p = obd_pid_lookup(smp->pid);
    for (int f = 0; f < nv; f++) {
        if (!v[f].available)
            continue;
        char txt[96];
        obd_value_format(&v[f], cli->lang, txt, sizeof txt);
        if (cli->json) {
            cJSON *o = cJSON_CreateObject();
            char num[8], ecu[12];
            snprintf(num, sizeof num, "0x%02X", smp->pid);
            snprintf(ecu, sizeof ecu, "%X", (unsigned)smp->addr);
            cJSON_AddStringToObject(o, "pid", num);
            cJSON_AddStringToObject(o, "key", p ? p->key : "");
            cJSON_AddStringToObject(o, "field", v[f].field->key);
            char label[160];
            cJSON_AddStringToObject(o, "name", obd_value_label(smp->pid, &v[f], cli->lang, label, sizeof label));
            cJSON_AddNumberToObject(o, "value", v[f].value);
            cJSON_AddStringToObject(o, "unit", v[f].field->unit ? v[f].field->unit : "");
            cJSON_AddNumberToObject(o, "timestamp", (double)smp->t_ms / 1000.0);
            cJSON_AddStringToObject(o, "ecu", ecu);
            char *s = cJSON_PrintUnformatted(o);
            if (s)
                puts(s);
            free(s);
            cJSON_Delete(o);
        } else {
            char label[160];
            printf("%7.3f %X %s %s\n", (double)(smp->t_ms - first_ms) / 1000.0, (unsigned)smp->addr,
                   PAD(obd_value_label(smp->pid, &v[f], cli->lang, label, sizeof label), 34), txt);
        }
    }
}

int cmd_live(cli_t *cli, int argc, char **argv)
{
    cli_link_args_t la = { 0 };
    const char *pidlist = NULL;
    long count = 0;
    double duration = 0;
    bool single = false, record = false;
    const char *ro = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_link_opt(cli, &la, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if ((!strcmp(argv[i], "--pid") || !strcmp(argv[i], "-p")) && i + 1 < argc) {
            pidlist = argv[++i];
        } else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            count = atol(argv[++i]);
        } else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
            duration = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--single")) {
            single = true;
        } else if (!strcmp(argv[i], "--record")) {
            record = true;
        } else if (!strcmp(argv[i], "--ro") && i + 1 < argc) {
            ro = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw live --adapter DEV --pid rpm,speed,0x05 [--count N | --duration S] [--single] [--json]\n"
                   "                  [--record [--ro RO]] [--store FILE]\n"
                   "  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "--record stores every sample (attached to the RO) with min/max/mean per PID.",
                     "--record 保存每个采样（关联到工单），并统计每个 PID 的最小/最大/平均值。"));
            return EXIT_OK;
        } else {
            cli_err(cli, "live: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    uint8_t pids[OBD_LIVE_MAX_PIDS];
    size_t npids = 0;
    int ex = parse_pids(cli, pidlist ? pidlist : "", pids, &npids);
    if (ex)
        return ex;
    if (count < 0 || duration < 0) {
        cli_err(cli, "live: %s", T(cli, "--count and --duration must be positive", "--count 与 --duration 必须为正数"));
        return EXIT_USAGE;
    }
    if (ro && !record) {
        cli_err(cli, "live: %s", T(cli, "--ro goes with --record", "--ro 需与 --record 一起使用"));
        return EXIT_USAGE;
    }
    store_t *st = NULL;
    store_rec_writer_t *rw = NULL;
    if (record && !(st = cli_store_open(cli, "live")))
        return EXIT_FAIL;
    obd_link_t *l = cli_link_open(cli, &la, "live");
    if (!l) {
        store_close(st);
        return EXIT_FAIL;
    }
    obd_live_t lv;
    uint8_t unsup[OBD_LIVE_MAX_PIDS];
    size_t nunsup = 0;
    int rc = obd_live_init(&lv, l, pids, npids, !single, unsup, &nunsup);
    if (rc) {
        cli_link_fail(cli, l, "live", rc);
        obd_link_close(l);
        store_close(st);
        return EXIT_FAIL;
    }
    if (st) {
        rc = store_rec_begin(st, ro, la.adapter, pids, npids, &rw);
        if (rc) {
            cli_store_fail(cli, st, "live", rc);
            obd_link_close(l);
            store_close(st);
            return rc == OBD_ESTATE ? EXIT_REFUSED : rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
        }
    }
    for (size_t k = 0; k < nunsup; k++) {
        const obd_pid_t *p = obd_pid_lookup(unsup[k]);
        cli_err(cli, "live: %s 0x%02X %s", T(cli, "no ECU supports PID", "没有控制单元支持 PID"), unsup[k],
                p ? T(cli, p->en, p->zh) : "");
    }
    if (nunsup == npids) {
        obd_link_close(l);
        return EXIT_NOTFOUND;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    uint64_t t0 = obd_now_ms();
    long samples = 0;
    unsigned req0 = lv.requests;
    obd_live_sample_t buf[OBD_LIVE_MAX_PIDS * OBD_SCAN_MAX_ECUS];
    if (!count && !duration)
        count = 10 * (long)npids;
    while (!stop_flag) {
        int n = obd_live_poll(&lv, l, buf, sizeof buf / sizeof buf[0]);
        if (n < 0) {
            cli_link_fail(cli, l, "live", n);
            ex = EXIT_FAIL;
            break;
        }
        int take = n;
        if (count && samples + take > count)
            take = (int)(count - samples);
        if (rw && take > 0 && (rc = store_rec_add(rw, buf, (size_t)take))) {
            cli_store_fail(cli, st, "live: recording stopped", rc);
            ex = EXIT_FAIL;
            break;
        }
        for (int k = 0; k < take; k++, samples++)
            emit(cli, &buf[k]);
        fflush(stdout);
        if (count && samples >= count)
            break;
        if (duration && (double)(obd_now_ms() - t0) >= duration * 1000)
            break;
    }
    double secs = (double)(obd_now_ms() - t0) / 1000.0;
    fprintf(stderr, "%s: %ld %s %.2f s = %.1f %s (%u %s%s)\n", T(cli, "live", "实时数据"), samples,
            T(cli, "samples in", "个采样，用时"), secs, secs > 0 ? samples / secs : 0.0, T(cli, "PIDs/s", "PID/秒"),
            lv.requests - req0, T(cli, "requests", "次请求"),
            lv.fallbacks ? T(cli, "; some ECUs only take single-PID requests", "；部分控制单元仅支持单 PID 请求") : "");
    if (rw) {
        store_recording_t rec;
        rc = store_rec_end(rw, &rec);
        if (rc) {
            cli_store_fail(cli, st, "live: recording", rc);
            ex = EXIT_FAIL;
        } else {
            fprintf(stderr, "%s #%lld: %lld %s%s%s\n", T(cli, "recording saved", "数据流记录已保存"), (long long)rec.id,
                    (long long)rec.samples, T(cli, "samples", "个采样"), ro ? T(cli, ", RO ", "，工单 ") : "",
                    ro ? ro : "");
        }
    }
    obd_link_close(l);
    store_close(st);
    return ex;
}
