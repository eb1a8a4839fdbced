/*
 * log.c — obdgwd's log: levels, to stderr (with sd-daemon "<N>" prefixes
 * when stderr is the journal) or to syslog. Callers keep VINs and plates
 * out of INFO and above; RO numbers and ids are fine.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "daemon.h"

static int g_level = LOG_LVL_INFO;
static bool g_syslog;
static bool g_journal;

void dlog_setup(int level, bool use_syslog)
{
    g_level = level;
    if (use_syslog && !g_syslog)
        openlog("obdgwd", LOG_PID, LOG_DAEMON);
    g_syslog = use_syslog;
    g_journal = getenv("JOURNAL_STREAM") != NULL;
}

int dlog_level_parse(const char *s)
{
    static const struct {
        const char *k;
        int v;
    } t[] = { { "error", LOG_LVL_ERR }, { "warning", LOG_LVL_WARN }, { "warn", LOG_LVL_WARN },
              { "info", LOG_LVL_INFO }, { "debug", LOG_LVL_DEBUG } };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].k))
            return t[i].v;
    return -1;
}

void dlog(int level, const char *fmt, ...)
{
    if (level > g_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (g_syslog) {
        syslog(level, "%s", msg);
        return;
    }
    static const char *const names[] = { [LOG_LVL_ERR] = "error", [LOG_LVL_WARN] = "warning",
                                         [5] = "notice", [LOG_LVL_INFO] = "info", [LOG_LVL_DEBUG] = "debug" };
    const char *n = level >= 0 && level <= LOG_LVL_DEBUG && names[level] ? names[level] : "log";
    if (g_journal) {
        fprintf(stderr, "<%d>%s\n", level, msg);
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        struct tm tm;
        localtime_r(&ts.tv_sec, &tm);
        fprintf(stderr, "%02d:%02d:%02d.%03ld obdgwd %s: %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
                ts.tv_nsec / 1000000, n, msg);
    }
}
