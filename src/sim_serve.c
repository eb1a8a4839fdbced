/*
 * sim_serve.c — put a simulated adapter on a file descriptor (a pty master,
 * a connected socket, one end of a socketpair) and pace its answers like the
 * real thing.
 *
 * One command at a time, as the chip works: input is buffered (bounded), the
 * next command line is handed to the adapter only once the previous answer
 * has been written, and an answer is written only after the delay the
 * adapter reported (ECU response time, end-of-reply wait, UART time) has
 * passed. The loop ends on EOF / hang-up (the client closed its end: for a
 * pty that reads as EIO) or when *stop is set (poll wakes at least every
 * 100 ms to look).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "obdgw/sim.h"

#define SERVE_IN 512
#define SERVE_OUT 65536

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Write without SIGPIPE on sockets; plain write() for ptys and pipes. */
static ssize_t out_write(int fd, const char *p, size_t n, bool *is_sock)
{
    if (*is_sock) {
        ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
        if (r >= 0 || errno != ENOTSOCK)
            return r;
        *is_sock = false;
    }
    return write(fd, p, n);
}

int sim_serve_fd(sim_adapter_t *a, int fd, volatile int *stop)
{
    if (!a || fd < 0)
        return OBD_EINVAL;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    char out[SERVE_OUT];
    char in[SERVE_IN];
    size_t inlen = 0, outlen = 0, outoff = 0;
    /* Simulation time runs on across client sessions (a clear stays in the
     * past for the next client): one start time per process. */
    static uint64_t t0;
    if (!t0)
        t0 = mono_ms();
    uint64_t release = 0;
    bool is_sock = true;
    sim_pause_t pz[SIM_MAX_PAUSES]; /* mid-reply pauses of the answer being written */
    size_t npz = 0, ipz = 0;

    while (!stop || !*stop) {
        uint64_t now = mono_ms();
        /* Hand the next command to the adapter once the last answer is out. */
        while (outoff == outlen && inlen > 0) {
            const char *cr = memchr(in, '\r', inlen);
            size_t take = cr ? (size_t)(cr - in) + 1 : inlen;
            size_t ol = 0;
            unsigned delay = 0;
            int used = sim_adapter_input(a, now - t0, in, take, out, sizeof out, &ol, &delay);
            if (used < 0 && used != OBD_ENOSPC)
                return used;
            if (used < 0)
                used = (int)take; /* the answer was cut short: send what fitted */
            memmove(in, in + used, inlen - (size_t)used);
            inlen -= (size_t)used;
            outoff = 0;
            outlen = ol;
            release = now + delay;
            npz = sim_adapter_pauses(a, pz, SIM_MAX_PAUSES);
            ipz = 0;
            if (outlen)
                break;
        }
        bool pending = outoff < outlen;
        struct pollfd p = { .fd = fd, .events = 0 };
        if (inlen < sizeof in)
            p.events |= POLLIN;
        int timeout = 100;
        if (pending) {
            if (now >= release)
                p.events |= POLLOUT;
            else if (release - now < (uint64_t)timeout)
                timeout = (int)(release - now);
        }
        int r = poll(&p, 1, timeout);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            continue;
        if (p.revents & POLLIN) {
            ssize_t k = read(fd, in + inlen, sizeof in - inlen);
            if (k == 0)
                return OBD_OK; /* EOF: the client went away */
            if (k < 0) {
                if (errno == EAGAIN || errno == EINTR)
                    continue;
                return errno == EIO ? OBD_OK : -errno; /* EIO: pty slave closed */
            }
            inlen += (size_t)k;
            if (pending && ipz < npz) {
                /* A character while the chip still listens to the bus (a
                 * reply with pauses left: response pending, slow frames)
                 * stops it, as an ELM327 does: the rest is never sent,
                 * "STOPPED" and the prompt are, and the character is used up. */
                static const char stopped[] = "\rSTOPPED\r\r>";
                if (outoff + sizeof stopped - 1 <= sizeof out) {
                    memcpy(out + outoff, stopped, sizeof stopped - 1);
                    outlen = outoff + sizeof stopped - 1;
                }
                npz = ipz = 0;
                release = now;
                memmove(in, in + 1, --inlen);
            }
        } else if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
            return OBD_OK;
        }
        if ((p.revents & POLLOUT) && pending) {
            size_t upto = ipz < npz && pz[ipz].off < outlen ? pz[ipz].off : outlen;
            ssize_t k = out_write(fd, out + outoff, upto - outoff, &is_sock);
            if (k < 0) {
                if (errno == EAGAIN || errno == EINTR)
                    continue;
                return (errno == EPIPE || errno == EIO || errno == ECONNRESET) ? OBD_OK : -errno;
            }
            outoff += (size_t)k;
            if (ipz < npz && outoff == pz[ipz].off) { /* the rest is not on the bus yet */
                release = mono_ms() + pz[ipz].ms;
                ipz++;
            }
        }
    }
    return OBD_OK;
}
