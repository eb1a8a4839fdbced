/*
 * obdgwd — the bay service: every bay's adapter, one evidence store, the
 * DMS over MQTT. main() reads like the script it is: options, config, log,
 * run the loop, exit. Everything else is in loop.c and its neighbours.
 *
 *   obdgwd [--config FILE] [--check] | --version | --help
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "obdgw/version.h"

int main(int argc, char **argv)
{
    const char *path = "/etc/obdgw/obdgw.conf";
    bool check = false;
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "--config") || !strcmp(argv[i], "-c")) && i + 1 < argc) {
            path = argv[++i];
        } else if (!strcmp(argv[i], "--check")) {
            check = true;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: obdgwd [--config FILE] [--check] | --version | --help\n"
                   "  --config FILE  configuration (default /etc/obdgw/obdgw.conf; see obdgw.conf(5))\n"
                   "  --check        validate the configuration and the store, and exit\n"
                   "  --version      print the version (and the git commit it was built from)\n"
                   "Signals: SIGHUP reloads the configuration, SIGTERM stops after flushing.\n");
            return 0;
        } else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
            char line[128];
            puts(obd_version_line("obdgwd", line, sizeof line));
            return 0;
        } else {
            fprintf(stderr, "obdgwd: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }
    static dcfg_t cfg;
    char err[512];
    if (dcfg_load(path, &cfg, err, sizeof err)) {
        fprintf(stderr, "obdgwd: refusing to start: %s\n", err);
        return 2;
    }
    if (check) {
        /* the store too, when it exists: opens, not damaged, writable (a
         * missing one is created at the first start; --check creates nothing) */
        if (access(cfg.store, F_OK) != 0) {
            printf("obdgwd: %s is valid (site %s, %zu bay(s)); store %s does not exist yet (created at the first "
                   "start)\n", path, cfg.site, cfg.nbays, cfg.store);
            return 0;
        }
        store_t *st = NULL;
        if (store_open(cfg.store, &st, err, sizeof err)) {
            fprintf(stderr, "obdgwd: %s is valid, but the store is not usable: %s\n", path, err);
            return 1;
        }
        int qrc = store_quick_check(st);
        bool ro = store_is_readonly(st);
        if (qrc)
            fprintf(stderr, "obdgwd: store %s: %s: restore the last backup\n", cfg.store, store_errmsg(st));
        else if (ro)
            fprintf(stderr, "obdgwd: store %s is read-only: obdgwd could save nothing\n", cfg.store);
        store_close(st);
        if (qrc || ro)
            return 1;
        printf("obdgwd: %s is valid (site %s, %zu bay(s)); store %s passes the quick check\n", path, cfg.site,
               cfg.nbays, cfg.store);
        return 0;
    }
    dlog_setup(cfg.log_level, cfg.log_syslog);
    char line[128];
    dlog(LOG_LVL_INFO, "%s starting (config %s)", obd_version_line("obdgwd", line, sizeof line), path);
    /* glibc gives each thread that allocates its own malloc arena (up to 8
     * per core): every bay worker and Paho thread then keeps, in its own
     * arena, what its biggest job once needed. Two shared arenas: 8 bays
     * scanning peak at ~12 MB resident instead of ~16 (docs/outbox.md,
     * "Memory"); the drain rate is unchanged. Before any thread starts. */
    mallopt(M_ARENA_MAX, 2);
    return daemon_run(path, &cfg);
}
