/*
 * obdgw sim [--scenario FILE] [--personality KEY] [--baud N] [--ecu-delay MS] [--seed N] [--tcp PORT | --pty]
 *
 * Runs the vehicle + ELM327 simulator until SIGINT/SIGTERM.
 *   --pty (default): opens a pseudo-terminal and prints its path
 *     ("/dev/pts/N") as the first line on stdout, so scripts and people can
 *     point `obdgw scan --adapter /dev/pts/N` (or any ELM327 tool) at it;
 *   --tcp PORT: listens on 127.0.0.1:PORT (0 = any free port) and prints
 *     "tcp://127.0.0.1:NNNNN"; one client at a time, like a Wi-Fi adapter.
 *   --can IFACE: the ECUs answer on a CAN bus over ISO-TP (src/sim_can.c),
 *     with --fault KIND[=N][@ADDR] injected (docs/socketcan.md).
 * Each client session starts with a freshly powered adapter; the vehicle
 * keeps its state (a clear stays cleared) until the simulator stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "obdgw/sim.h"
#include "obdgw/sim_can.h"

static volatile int sim_stop;

static void on_signal(int sig)
{
    (void)sig;
    sim_stop = 1;
}

static void usage(const cli_t *cli, FILE *f)
{
    fprintf(f, "%s: obdgw sim [--scenario FILE] [--personality KEY] [--baud N] [--ecu-delay MS] [--seed N]\n"
               "                 [--tcp PORT | --pty | --can IFACE [--fault KIND[=N][@ADDR]]...]\n",
            T(cli, "usage", "用法"));
    fprintf(f, "  %s:", T(cli, "personalities", "适配器类型"));
    for (int p = 0; p < SIM_PERSONALITY_COUNT; p++)
        fprintf(f, " %s", sim_personality_key((sim_personality_t)p));
    fprintf(f, "\n  %s\n", T(cli, "Scenario format: docs/simulator.md. Default: the built-in 2021 FAW-VW with a misfire.",
                             "场景文件格式见 docs/simulator.md；默认使用内置的 2021 款一汽-大众（1 缸失火）。"));
}

static int num_arg(cli_t *cli, int argc, char **argv, int *i, long lo, long hi, long *out)
{
    if (*i + 1 >= argc) {
        cli_err(cli, "sim: %s %s", argv[*i], T(cli, "needs a value", "缺少参数值"));
        return -1;
    }
    const char *s = argv[++*i];
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) {
        cli_err(cli, "sim: %s '%s' %s %ld-%ld", argv[*i - 1], s, T(cli, "must be a number", "必须是数字"), lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* Wait until a client has the pty slave open (the master stops reporting a hang-up). */
static bool wait_client_pty(int m)
{
    while (!sim_stop) {
        struct pollfd p = { .fd = m, .events = POLLIN };
        int r = poll(&p, 1, 100);
        if (r < 0 && errno != EINTR)
            return false;
        if (r > 0 && !(p.revents & POLLHUP))
            return true;
        if (r > 0) {
            struct timespec ts = { 0, 50 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
    }
    return false;
}

static int serve_pty(cli_t *cli, sim_vehicle_t *v, const sim_adapter_opts_t *ao)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0 || grantpt(m) || unlockpt(m)) {
        cli_err(cli, "sim: %s: %s", T(cli, "cannot open a pseudo-terminal", "无法创建伪终端"), strerror(errno));
        if (m >= 0)
            close(m);
        return EXIT_FAIL;
    }
    const char *name = ptsname(m);
    /* Raw line discipline on the slave side: bytes pass untouched, no echo. */
    int s = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    struct termios t;
    if (s < 0 || tcgetattr(s, &t)) {
        cli_err(cli, "sim: %s: %s", T(cli, "cannot set up the pseudo-terminal", "无法设置伪终端"), strerror(errno));
        if (s >= 0)
            close(s);
        close(m);
        return EXIT_FAIL;
    }
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    close(s);
    printf("%s\n", name);
    fflush(stdout);
    int rc = EXIT_OK;
    while (!sim_stop && wait_client_pty(m)) {
        sim_adapter_t *a = sim_adapter_new(v, ao);
        if (!a) {
            rc = EXIT_FAIL;
            break;
        }
        int r = sim_serve_fd(a, m, &sim_stop);
        sim_adapter_free(a);
        if (r < 0) {
            cli_err(cli, "sim: %s", obd_strerror(r));
            rc = EXIT_FAIL;
            break;
        }
    }
    close(m);
    return rc;
}

static int serve_tcp(cli_t *cli, sim_vehicle_t *v, const sim_adapter_opts_t *ao, int port)
{
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof sa;
    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(l, (struct sockaddr *)&sa, sizeof sa) || listen(l, 1) || getsockname(l, (struct sockaddr *)&sa, &sl)) {
        cli_err(cli, "sim: 127.0.0.1:%d: %s", port, strerror(errno));
        if (l >= 0)
            close(l);
        return EXIT_FAIL;
    }
    printf("tcp://127.0.0.1:%u\n", (unsigned)ntohs(sa.sin_port));
    fflush(stdout);
    int rc = EXIT_OK;
    while (!sim_stop) {
        struct pollfd p = { .fd = l, .events = POLLIN };
        int r = poll(&p, 1, 200);
        if (r <= 0)
            continue;
        int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0)
            continue;
        sim_adapter_t *a = sim_adapter_new(v, ao);
        if (!a) {
            close(c);
            rc = EXIT_FAIL;
            break;
        }
        int e = sim_serve_fd(a, c, &sim_stop);
        sim_adapter_free(a);
        close(c);
        if (e < 0)
            fprintf(stderr, "obdgw: sim: %s: %s\n", T(cli, "client session ended", "客户端会话结束"), obd_strerror(e));
    }
    close(l);
    return rc;
}

int cmd_sim(cli_t *cli, int argc, char **argv)
{
    const char *scenario = NULL;
    sim_adapter_opts_t ao = { .personality = SIM_STN };
    long port = -1, x;
    const char *can_if = NULL;
    sim_can_opts_t co = { .pad = -2 };
    bool delay_given = false;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(cli, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--scenario") && i + 1 < argc) {
            scenario = argv[++i];
        } else if (!strcmp(a, "--personality") && i + 1 < argc) {
            int p = sim_personality_parse(argv[++i]);
            if (p < 0) {
                cli_err(cli, "sim: %s '%s'", T(cli, "unknown personality", "未知的适配器类型"), argv[i]);
                usage(cli, stderr);
                return EXIT_USAGE;
            }
            ao.personality = (sim_personality_t)p;
        } else if (!strcmp(a, "--baud")) {
            if (num_arg(cli, argc, argv, &i, 0, 4000000, &x))
                return EXIT_USAGE;
            ao.baud = (int)x;
        } else if (!strcmp(a, "--ecu-delay")) {
            if (num_arg(cli, argc, argv, &i, 0, 5000, &x))
                return EXIT_USAGE;
            ao.ecu_delay_ms = (int)x;
            delay_given = true;
        } else if (!strcmp(a, "--seed")) {
            if (num_arg(cli, argc, argv, &i, 0, 4294967295L, &x))
                return EXIT_USAGE;
            ao.seed = (unsigned)x;
        } else if (!strcmp(a, "--tcp")) {
            if (num_arg(cli, argc, argv, &i, 0, 65535, &port))
                return EXIT_USAGE;
        } else if (!strcmp(a, "--pty")) {
            port = -1;
        } else if (!strcmp(a, "--can") && i + 1 < argc) {
            can_if = argv[++i];
        } else if (!strcmp(a, "--fault") && i + 1 < argc) {
            if (co.nfaults >= SIM_CAN_MAX_FAULTS || sim_can_fault_parse(argv[++i], &co.faults[co.nfaults])) {
                cli_err(cli, "sim: --fault '%s': %s", argv[i],
                        T(cli, "expected silent|pending=N|fc-wait=N|wrong-sn|truncate|busy=N [@ADDR]",
                          "应为 silent|pending=N|fc-wait=N|wrong-sn|truncate|busy=N [@地址]"));
                return EXIT_USAGE;
            }
            co.nfaults++;
        } else {
            cli_err(cli, "sim: %s '%s'", T(cli, "unknown option", "未知选项"), a);
            usage(cli, stderr);
            return EXIT_USAGE;
        }
    }
    sim_vehicle_t *v = NULL;
    char err[200] = "";
    int rc = scenario ? sim_vehicle_load(scenario, &v, err, sizeof err) : sim_vehicle_builtin(&v);
    if (rc) {
        cli_err(cli, "sim: %s: %s", T(cli, "bad scenario", "场景文件有误"), err[0] ? err : obd_strerror(rc));
        return EXIT_FAIL;
    }
    if (!delay_given && sim_vehicle_response_ms(v) >= 0)
        ao.ecu_delay_ms = sim_vehicle_response_ms(v); /* the scenario's response_ms */
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "obdgw: sim: %s, %s, %s %s; %s\n", scenario ? scenario : T(cli, "built-in vehicle", "内置车辆"),
            obd_proto_name(sim_vehicle_protocol(v)), T(cli, "adapter", "适配器"), sim_personality_key(ao.personality),
            T(cli, "Ctrl-C to stop", "按 Ctrl-C 停止"));
    if (can_if) {
        co.ecu_delay_ms = ao.ecu_delay_ms;
        sim_vehicle_seed(v, ao.seed);
        rc = sim_can_serve(v, can_if, &co, &sim_stop, NULL, NULL, err, sizeof err);
        if (rc)
            cli_err(cli, "sim: %s", err[0] ? err : obd_strerror(rc));
        sim_vehicle_free(v);
        return rc ? EXIT_FAIL : EXIT_OK;
    }
    rc = port >= 0 ? serve_tcp(cli, v, &ao, (int)port) : serve_pty(cli, v, &ao);
    sim_vehicle_free(v);
    return rc;
}
