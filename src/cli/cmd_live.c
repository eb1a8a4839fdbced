/*
 * obdgw live --adapter DEV --pid rpm,speed,0x05 [--count N | --duration S] [--single] [--json]
 *
 * Streams decoded values as fast as the link allows: multi-PID requests on
 * CAN (up to six PIDs each), per-ECU physical requests, and a per-ECU fallback
 * to single-PID requests when an ECU or adapter mishandles multi-PID ones.
 * Text: one line per value. --json: one JSON object per line (pid, name,
 * value, unit, timestamp, ecu). The achieved rate goes to stderr at the end.
 *
 * With --bay N the bay service reads the bay's adapter (the same session
 * code, src/daemon/remote.c) and streams each sample back as it is read;
 * this side decodes and prints them exactly as above. Ctrl-C sends "stop":
 * the daemon ends the stream cleanly (a recording is saved) and answers
 * with the totals.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "obdgw/pid.h"
#include "obdgw/session.h"
#include "obdgw/store.h"
#include "obdgw/stream.h"
#include "obdgw/uds.h"

static volatile sig_atomic_t stop_flag;

/* Wall clock ms: signal samples carry it (as PID samples do) and are scheduled by it. */
static uint64_t wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

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

/* One OEM signal event: a value (or "no value"), or the per-signal error that ends it. */
static void emit_signal(cli_t *cli, const sig_set_t *set, const sig_sample_t *x, uint64_t t_first)
{
    const sig_signal_t *g = &set->sigs[x->sig];
    const sig_command_t *c = &set->cmds[g->cmd];
    char txt[128] = "", nb[160], ecu[12], did[8];
    snprintf(ecu, sizeof ecu, "%X", (unsigned)x->rx_id);
    snprintf(did, sizeof did, "%04X", c->did);
    const char *err_key = NULL;
    char err_txt[160] = "";
    if (x->kind == SIG_EV_REFUSED) {
        err_key = "refused";
        snprintf(err_txt, sizeof err_txt, "%s 22 %04X: NRC %02X %s (%s)", T(cli, "the module refused", "控制单元拒绝了"),
                 c->did, x->nrc, uds_nrc_key(x->nrc), uds_nrc_name(x->nrc, cli->lang));
    } else if (x->kind == SIG_EV_NO_ANSWER) {
        err_key = "no_answer";
        snprintf(err_txt, sizeof err_txt, "%s %X (22 %04X)", T(cli, "no answer from", "无应答："), (unsigned)c->rx_id,
                 c->did);
    } else {
        sig_value_format(g, &x->v, cli->lang, txt, sizeof txt);
    }
    bool fb;
    const char *name = sig_name(g, cli->lang, &fb);
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "signal", g->id);
        cJSON_AddStringToObject(o, "name", name);
        if (fb)
            cJSON_AddBoolToObject(o, "name_fallback", true);
        if (err_key) {
            cJSON_AddStringToObject(o, "error", err_key);
            cJSON_AddStringToObject(o, "message", err_txt);
            if (x->nrc)
                cJSON_AddNumberToObject(o, "nrc", x->nrc);
        } else if (x->v.state == SIG_V_OK || x->v.state == SIG_V_UNMAPPED) {
            cJSON_AddNumberToObject(o, "value", x->v.state == SIG_V_OK && !g->nmap ? x->v.value : (double)x->v.raw);
            if (x->v.text)
                cJSON_AddStringToObject(o, "text", x->v.text);
            if (x->v.clamped)
                cJSON_AddBoolToObject(o, "clamped", true);
        } else {
            cJSON_AddNullToObject(o, "value");
            cJSON_AddStringToObject(o, "state", x->v.state == SIG_V_SHORT ? "no_value" : "not_available");
        }
        cJSON_AddStringToObject(o, "unit", sig_unit_text(g, cli->lang));
        cJSON_AddStringToObject(o, "path", g->path);
        cJSON_AddNumberToObject(o, "timestamp", (double)x->t_ms / 1000.0);
        cJSON_AddStringToObject(o, "ecu", ecu);
        cJSON_AddStringToObject(o, "did", did);
        char *j = cJSON_PrintUnformatted(o);
        if (j)
            puts(j);
        free(j);
        cJSON_Delete(o);
        return;
    }
    if (err_key) {
        cli_err(cli, "live: %s %s: %s", g->id, cli_signal_name(cli, g, nb, sizeof nb), err_txt);
        return;
    }
    printf("%7.3f %X %s %s\n", (double)(x->t_ms - t_first) / 1000.0, (unsigned)x->rx_id,
           PAD(cli_signal_name(cli, g, nb, sizeof nb), 34), txt);
}

/* Record one signal event (values and states; errors are not samples). */
static int record_signal(store_rec_writer_t *rw, const sig_set_t *set, const sig_sample_t *x, obd_lang_t lang)
{
    if (x->kind != SIG_EV_VALUE)
        return OBD_OK;
    const sig_signal_t *g = &set->sigs[x->sig];
    char txt[64] = "";
    bool numeric = x->v.state == SIG_V_OK && !g->nmap && !x->v.text;
    if (!numeric)
        sig_value_format(g, &x->v, lang, txt, sizeof txt);
    return store_rec_add_signal(rw, x->t_ms, x->rx_id, g->id, g->name, sig_unit_text(g, OBD_LANG_EN), numeric,
                                x->v.value, txt);
}

static bool with_signals; /* the rate counts PID and signal values */

static void summary(cli_t *cli, long samples, double secs, unsigned requests, unsigned fallbacks)
{
    fprintf(stderr, "%s: %ld %s %.2f s = %.1f %s (%u %s%s)\n", T(cli, "live", "实时数据"), samples,
            T(cli, "samples in", "个采样，用时"), secs, secs > 0 ? samples / secs : 0.0,
            with_signals ? T(cli, "values/s", "个值/秒") : T(cli, "PIDs/s", "PID/秒"),
            requests, T(cli, "requests", "次请求"),
            fallbacks ? T(cli, "; some ECUs only take single-PID requests", "；部分控制单元仅支持单 PID 请求") : "");
}

static void rec_saved(cli_t *cli, long long id, long long samples, const char *ro)
{
    fprintf(stderr, "%s #%lld: %lld %s%s%s\n", T(cli, "recording saved", "数据流记录已保存"), id, samples,
            T(cli, "samples", "个采样"), ro ? T(cli, ", RO ", "，工单 ") : "", ro ? ro : "");
}

static void warn_unsupported(cli_t *cli, uint8_t pid)
{
    const obd_pid_t *p = obd_pid_lookup(pid);
    cli_err(cli, "live: %s 0x%02X %s", T(cli, "no ECU supports PID", "没有控制单元支持 PID"), pid,
            p ? T(cli, p->en, p->zh) : "");
}

/* One line from obdgwd: a sample, the unsupported PIDs, or the end. */
static int daemon_line(cli_t *cli, char *line, const char *ro, int *exit_code)
{
    cJSON *j = cJSON_Parse(line);
    if (!j)
        return 0;
    const cJSON *smp = cJSON_GetObjectItemCaseSensitive(j, "s");
    const cJSON *uns = cJSON_GetObjectItemCaseSensitive(j, "unsupported");
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(j, "exit");
    int done = 0;
    if (cJSON_IsArray(smp) && cJSON_GetArraySize(smp) == 4) {
        obd_live_sample_t x = { 0 };
        x.t_ms = (uint64_t)cJSON_GetArrayItem(smp, 0)->valuedouble;
        x.addr = (uint32_t)cJSON_GetArrayItem(smp, 1)->valuedouble;
        x.pid = (uint8_t)cJSON_GetArrayItem(smp, 2)->valueint;
        const cJSON *h = cJSON_GetArrayItem(smp, 3);
        size_t n = 0;
        if (cJSON_IsString(h) && cli_hex_parse(h->valuestring, x.data, sizeof x.data, &n) == OBD_OK) {
            x.len = (uint8_t)n;
            emit(cli, &x);
        }
    } else if (cJSON_IsArray(uns)) {
        const cJSON *u;
        cJSON_ArrayForEach(u, uns) warn_unsupported(cli, (uint8_t)u->valueint);
    } else if (cJSON_IsNumber(ex)) {
        done = 1;
        *exit_code = ex->valueint;
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "text");
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, "live");
        if (cJSON_IsString(t) && t->valuestring[0])
            fprintf(stderr, "obdgw: %s\n", t->valuestring);
        if (cJSON_IsObject(l)) {
#define NUM(k) (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(l, k)) ? cJSON_GetObjectItemCaseSensitive(l, k)->valuedouble : 0)
            summary(cli, (long)NUM("samples"), NUM("secs"), (unsigned)NUM("requests"), (unsigned)NUM("fallbacks"));
            if (cJSON_GetObjectItemCaseSensitive(l, "rec_id"))
                rec_saved(cli, (long long)NUM("rec_id"), (long long)NUM("rec_samples"), ro);
#undef NUM
        }
    }
    cJSON_Delete(j);
    return done;
}

static int live_daemon(cli_t *cli, const char *sock, int argc, char **argv, const char *ro)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *av = cJSON_AddArrayToObject(req, "argv");
    for (int i = 0; i < argc; i++) {
        if ((!strcmp(argv[i], "--socket") || !strcmp(argv[i], "--lang") || !strcmp(argv[i], "--store")) && i + 1 < argc) {
            i++;
            continue;
        }
        if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--daemon"))
            continue;
        cJSON_AddItemToArray(av, cJSON_CreateString(argv[i]));
    }
    int fd = cli_daemon_send(cli, sock, req, "live");
    if (fd < 0)
        return EXIT_FAIL;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int ex = EXIT_FAIL;
    bool asked = false, done = false;
    while (buf && !done) {
        if (stop_flag && !asked) {
            asked = true; /* the daemon stops the stream and answers with the totals */
            if (write(fd, "stop\n", 5) != 5)
                break;
        }
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int pr = poll(&p, 1, 200);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = 0;
        char *start = buf, *nl;
        while (!done && (nl = strchr(start, '\n'))) {
            *nl = 0;
            done = daemon_line(cli, start, ro, &ex);
            start = nl + 1;
        }
        fflush(stdout);
        len -= (size_t)(start - buf);
        memmove(buf, start, len);
        if (len + 1 >= cap) { /* a line longer than 64 KiB is no answer of ours */
            break;
        }
    }
    if (!done)
        cli_err(cli, "live: %s", T(cli, "obdgwd ended the stream without an answer", "obdgwd 未应答即结束了数据流"));
    free(buf);
    close(fd);
    return ex;
}

int cmd_live(cli_t *cli, int argc, char **argv)
{
    cli_link_args_t la = { 0 };
    const char *pidlist = NULL;
    long count = 0;
    double duration = 0;
    bool single = false, record = false;
    long max_misses = 0;
    double silence_s = 0;
    const char *ro = NULL, *sock = NULL;
    const char *sig_ids = NULL, *sig_file = NULL, *sig_path = NULL, *vin = NULL;
    int bay = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--bay") && i + 1 < argc) {
            char *end;
            bay = (int)strtol(argv[++i], &end, 10);
            if (*end || bay <= 0) {
                cli_err(cli, "live: --bay %s", T(cli, "needs a bay number", "需要工位号"));
                return EXIT_USAGE;
            }
            continue;
        }
        if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
            sock = argv[++i];
            continue;
        }
        int r = cli_link_opt(cli, &la, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if ((!strcmp(argv[i], "--pid") || !strcmp(argv[i], "-p")) && i + 1 < argc) {
            pidlist = argv[++i];
        } else if (!strcmp(argv[i], "--signal") && i + 1 < argc) {
            sig_ids = argv[++i];
        } else if (!strcmp(argv[i], "--signals") && i + 1 < argc) {
            sig_file = argv[++i];
        } else if (!strcmp(argv[i], "--path") && i + 1 < argc) {
            sig_path = argv[++i];
        } else if (!strcmp(argv[i], "--vin") && i + 1 < argc) {
            vin = argv[++i];
        } else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            count = atol(argv[++i]);
        } else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
            duration = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--single")) {
            single = true;
        } else if (!strcmp(argv[i], "--max-misses") && i + 1 < argc) {
            max_misses = atol(argv[++i]);
            if (max_misses < 1 || max_misses > 250) {
                cli_err(cli, "live: --max-misses %s", T(cli, "takes 1-250", "取值 1-250"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--silence") && i + 1 < argc) {
            silence_s = atof(argv[++i]);
            if (!(silence_s > 0 && silence_s <= 3600)) {
                cli_err(cli, "live: --silence %s", T(cli, "takes 0-3600 seconds", "取值 0-3600 秒"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--record")) {
            record = true;
        } else if (!strcmp(argv[i], "--ro") && i + 1 < argc) {
            ro = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw live --adapter DEV --pid rpm,speed,0x05 [--count N | --duration S] [--single] [--json]\n"
                   "                  [--protocol N] [--baud N] [--max-misses N] [--silence S]\n"
                   "                  [--record [--ro RO]] [--store FILE]\n"
                   "       obdgw live --adapter DEV --signal ID,... | --signals FILE [--path P] [--vin VIN] [--pid ...]\n"
                   "       obdgw live --bay N --pid ... (the same, through the obdgwd bay service)\n"
                   "  %s\n  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "--record stores every sample (attached to the RO) with min/max/mean per PID.",
                     "--record 保存每个采样（关联到工单），并统计每个 PID 的最小/最大/平均值。"),
                   T(cli, "A PID the ECU lists but does not answer is given up after --max-misses polls (5) or --silence seconds (5).",
                     "控制单元列出但不应答的 PID，在连续 --max-misses 次（默认 5）或 --silence 秒（默认 5）无应答后停止请求。"));
            return EXIT_OK;
        } else {
            cli_err(cli, "live: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    uint8_t pids[OBD_LIVE_MAX_PIDS];
    size_t npids = 0;
    bool want_sigs = sig_ids || sig_file;
    int ex = EXIT_OK;
    if (sig_path && !want_sigs) {
        cli_err(cli, "live: %s", T(cli, "--path goes with --signals or --signal", "--path 需与 --signals 或 --signal 一起使用"));
        return EXIT_USAGE;
    }
    if (!want_sigs || pidlist) {
        ex = parse_pids(cli, pidlist ? pidlist : "", pids, &npids);
        if (ex)
            return ex;
    }
    if (want_sigs && bay) {
        cli_err(cli, "live: %s", T(cli, "OEM signals are not streamed through obdgwd yet: use --adapter",
                                    "主机厂信号暂不支持经由 obdgwd 传输：请使用 --adapter"));
        return EXIT_USAGE;
    }
    sig_set_t *sset = NULL;
    static bool ssel[SIG_MAX_SIGNALS];
    int year = 0;
    if (want_sigs && (ex = cli_signals_select(cli, sig_file, sig_ids, sig_path, vin, &sset, ssel, &year)))
        return ex;
    if (count < 0 || duration < 0) {
        cli_err(cli, "live: %s", T(cli, "--count and --duration must be positive", "--count 与 --duration 必须为正数"));
        return EXIT_USAGE;
    }
    if (ro && !record) {
        cli_err(cli, "live: %s", T(cli, "--ro goes with --record", "--ro 需与 --record 一起使用"));
        return EXIT_USAGE;
    }
    if (bay) {
        if (la.adapter) {
            cli_err(cli, "live: %s", T(cli, "give --bay N or --adapter DEV, not both", "--bay 与 --adapter 只能二选一"));
            return EXIT_USAGE;
        }
        return live_daemon(cli, sock, argc, argv, ro);
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
    static obd_live_t lv;
    memset(&lv, 0, sizeof lv);
    uint8_t unsup[OBD_LIVE_MAX_PIDS];
    size_t nunsup = 0;
    int rc = npids ? obd_live_init(&lv, l, pids, npids, !single, unsup, &nunsup) : OBD_OK;
    lv.max_misses = (unsigned)max_misses;
    lv.silence_ms = (unsigned)(silence_s * 1000);
    if (rc) {
        cli_link_fail(cli, l, "live", rc);
        obd_link_close(l);
        store_close(st);
        free(sset);
        return EXIT_FAIL;
    }
    static sig_live_t slv;
    if (sset) {
        for (size_t i = 0; i < sset->nsigs; i++) /* a definition we refuse: said once, the others stream */
            if (ssel[i] && sset->sigs[i].err[0]) {
                char nb[160];
                cli_err(cli, "live: %s %s: %s: %s", sset->sigs[i].id, cli_signal_name(cli, &sset->sigs[i], nb, sizeof nb),
                        T(cli, "definition refused", "定义不被支持"), sset->sigs[i].err);
            }
        if ((rc = sig_live_init(&slv, sset, ssel, year, !single))) {
            cli_err(cli, "live: %s", obd_strerror(rc));
            obd_link_close(l);
            store_close(st);
            free(sset);
            return EXIT_FAIL;
        }
        if (!sig_live_active(&slv) && !npids) {
            cli_err(cli, "live: %s", T(cli, "none of the selected signals can be read", "所选信号均无法读取"));
            obd_link_close(l);
            store_close(st);
            free(sset);
            return EXIT_NOTFOUND;
        }
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
    for (size_t k = 0; k < nunsup; k++)
        warn_unsupported(cli, unsup[k]);
    if (npids && nunsup == npids && !sset) {
        obd_link_close(l);
        return EXIT_NOTFOUND;
    }
    bool pids_on = npids && nunsup < npids;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    uint64_t t0 = obd_now_ms();
    long samples = 0;
    unsigned req0 = lv.requests;
    obd_live_sample_t buf[OBD_LIVE_MAX_PIDS * OBD_SCAN_MAX_ECUS];
    if (!count && !duration)
        count = 10 * (long)(npids + (sset ? sig_live_active(&slv) : 0));
    size_t silent_told = 0;
    static sig_sample_t sbuf[SIG_MAX_SIGNALS];
    uint64_t sig_t0 = 0;
    while (!stop_flag) {
        if (sset && sig_live_active(&slv)) {
            int sn = sig_live_poll(&slv, l, wall_now_ms(), cli->lang, sbuf, SIG_MAX_SIGNALS);
            if (sn < 0) {
                cli_link_fail(cli, l, "live", sn);
                ex = EXIT_FAIL;
                break;
            }
            for (int k = 0; k < sn && !(count && samples >= count); k++) {
                if (!sig_t0)
                    sig_t0 = sbuf[k].t_ms;
                emit_signal(cli, sset, &sbuf[k], sig_t0);
                if (sbuf[k].kind != SIG_EV_VALUE)
                    continue;
                if (rw && (rc = record_signal(rw, sset, &sbuf[k], cli->lang))) {
                    cli_store_fail(cli, st, "live: recording stopped", rc);
                    ex = EXIT_FAIL;
                    stop_flag = 1;
                    break;
                }
                samples++;
            }
            fflush(stdout);
            if (count && samples >= count)
                break;
            if (!pids_on) {
                if (!sig_live_active(&slv)) {
                    cli_err(cli, "live: %s", T(cli, "no selected signal is answered any more", "所选信号均已无应答或被拒绝"));
                    ex = EXIT_FAIL;
                    break;
                }
                uint64_t now = wall_now_ms();
                if (slv.next_due_ms > now) { /* signals only: wait for the next command that is due */
                    uint64_t w = slv.next_due_ms - now;
                    struct timespec ts = { (time_t)(w / 1000), (long)(w % 1000) * 1000000L };
                    nanosleep(&ts, NULL);
                }
                if (duration && (double)(obd_now_ms() - t0) >= duration * 1000)
                    break;
                continue;
            }
        } else if (!pids_on) {
            cli_err(cli, "live: %s", T(cli, "no selected signal is answered any more", "所选信号均已无应答或被拒绝"));
            ex = EXIT_FAIL;
            break;
        }
        int n = obd_live_poll(&lv, l, buf, sizeof buf / sizeof buf[0]);
        char who[256];
        size_t active = obd_live_active(&lv), asked = 0;
        for (size_t e = 0; e < lv.necus; e++)
            for (size_t k = 0; k < lv.npids; k++)
                asked += obd_pidset_has(&lv.ecus[e].pids, lv.pids[k]);
        if (asked - active > silent_told) { /* say once which PIDs went silent */
            silent_told = asked - active;
            cli_err(cli, "live: %s: %s", T(cli, "no answer, no longer asked", "无应答，已停止请求"),
                    obd_live_silent_text(&lv, who, sizeof who));
        }
        if (n < 0 && lv.all_silent) {
            cli_err(cli, "live: %s (%s)",
                    T(cli, "the vehicle is unreachable for these PIDs: nothing answered",
                      "这些 PID 均无应答：无法读取车辆数据"),
                    who);
            ex = EXIT_FAIL;
            break;
        }
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
    with_signals = sset != NULL;
    summary(cli, samples, secs, lv.requests - req0 + (sset ? slv.requests : 0), lv.fallbacks);
    if (sset) {
        for (size_t m = 0; m < slv.nmods; m++)
            if (slv.mods[m].limit_learnt)
                fprintf(stderr, "live: %X: %s %u\n", (unsigned)slv.mods[m].rx_id,
                        T(cli, "DIDs per request, learnt from the module:", "每次请求的 DID 数（从控制单元应答得知）："),
                        slv.mods[m].max_dids);
        sig_live_free(&slv);
        free(sset);
    }
    if (rw) {
        store_recording_t rec;
        rc = store_rec_end(rw, &rec);
        if (rc) {
            cli_store_fail(cli, st, "live: recording", rc);
            ex = EXIT_FAIL;
        } else {
            rec_saved(cli, (long long)rec.id, (long long)rec.samples, ro);
        }
    }
    obd_link_close(l);
    store_close(st);
    return ex;
}
