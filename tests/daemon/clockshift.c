/*
 * clockshift.c — LD_PRELOAD shim for tests/daemon/failclosed_test.sh: steps
 * the wall clock (CLOCK_REALTIME) of one process by the number of ms in the
 * file $CLOCKSHIFT_FILE, read at every call, as NTP stepping an SBC without
 * RTC would; CLOCK_MONOTONIC is left alone. Test code only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long shift_ms(void)
{
    const char *f = getenv("CLOCKSHIFT_FILE");
    FILE *fp = f ? fopen(f, "r") : NULL;
    long long v = 0;
    if (fp) {
        if (fscanf(fp, "%lld", &v) != 1)
            v = 0;
        fclose(fp);
    }
    return v;
}

int clock_gettime(clockid_t c, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *);
    if (!real)
        real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int rc = real(c, ts);
    if (rc == 0 && (c == CLOCK_REALTIME || c == CLOCK_REALTIME_COARSE)) {
        long long ns = (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec + shift_ms() * 1000000LL;
        ts->tv_sec = (time_t)(ns / 1000000000LL);
        ts->tv_nsec = (long)(ns % 1000000000LL);
    }
    return rc;
}
