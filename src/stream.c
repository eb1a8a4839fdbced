/*
 * stream.c — byte streams under the ELM327 dialogue: tty, TCP, any fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "obdgw/stream.h"

const int obd_stream_bauds[] = { 38400, 115200, 9600, 57600, 230400, 500000 };
const size_t obd_stream_nbauds = sizeof obd_stream_bauds / sizeof obd_stream_bauds[0];

uint64_t obd_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static speed_t baud_const(int baud)
{
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 500000: return B500000;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    default: return 0;
    }
}

int obd_stream_set_baud(obd_stream_t *s, int baud)
{
    if (!s->is_tty)
        return OBD_OK; /* sockets and ptys have no speed */
    speed_t sp = baud_const(baud);
    if (!sp)
        return OBD_EINVAL;
    struct termios t;
    if (tcgetattr(s->fd, &t) < 0)
        return -errno;
    cfsetispeed(&t, sp);
    cfsetospeed(&t, sp);
    if (tcsetattr(s->fd, TCSANOW, &t) < 0)
        return -errno;
    s->baud = baud;
    tcflush(s->fd, TCIOFLUSH);
    return OBD_OK;
}

static int tty_raw(obd_stream_t *s)
{
    struct termios t;
    if (tcgetattr(s->fd, &t) < 0)
        return -errno;
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~(tcflag_t)(CSTOPB | CRTSCTS);
    /* VMIN 0 would make read() return 0 on an idle tty, which looks like EOF. */
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(s->fd, TCSANOW, &t) < 0)
        return -errno;
    return OBD_OK;
}

static int tcp_connect(const char *hostport, obd_stream_t *s, char *err, size_t errcap)
{
    char host[128];
    const char *colon = strrchr(hostport, ':');
    if (!colon || colon == hostport || (size_t)(colon - hostport) >= sizeof host || !colon[1]) {
        snprintf(err, errcap, "'%s': expected tcp://HOST:PORT", hostport);
        return OBD_EINVAL;
    }
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = 0;
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai;
    int g = getaddrinfo(host, colon + 1, &hints, &ai);
    if (g) {
        snprintf(err, errcap, "%s: %s", hostport, gai_strerror(g));
        return OBD_ELINK;
    }
    int rc = OBD_ELINK;
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int r = connect(fd, a->ai_addr, a->ai_addrlen);
        if (r < 0 && errno == EINPROGRESS) {
            struct pollfd p = { fd, POLLOUT, 0 };
            int soerr = ETIMEDOUT;
            socklen_t sl = sizeof soerr;
            if (poll(&p, 1, 5000) == 1)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
            r = soerr ? -1 : 0;
            errno = soerr;
        }
        if (r == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            s->fd = fd;
            s->is_sock = true;
            rc = OBD_OK;
            break;
        }
        snprintf(err, errcap, "%s: %s", hostport, strerror(errno));
        close(fd);
    }
    freeaddrinfo(ai);
    return rc;
}

int obd_stream_open(const char *spec, int baud, obd_stream_t *s, char *err, size_t errcap)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if (!spec || !*spec) {
        snprintf(err, errcap, "no adapter given");
        return OBD_EINVAL;
    }
    snprintf(s->name, sizeof s->name, "%s", spec);
    if (!strncmp(spec, "tcp://", 6))
        return tcp_connect(spec + 6, s, err, errcap);
    int fd = open(spec, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errcap, "%s: %s%s", spec, strerror(e),
                 e == EACCES ? " (is the user in the 'dialout' group?)" : "");
        return -e;
    }
    s->fd = fd;
    if (isatty(fd)) {
        s->is_tty = true;
        int rc = tty_raw(s);
        if (!rc)
            rc = obd_stream_set_baud(s, baud ? baud : 38400);
        if (rc) {
            snprintf(err, errcap, "%s: cannot set serial mode (%s)", spec, obd_strerror(rc));
            obd_stream_close(s);
            return rc;
        }
    }
    return OBD_OK;
}

void obd_stream_from_fd(obd_stream_t *s, int fd, const char *name)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    snprintf(s->name, sizeof s->name, "%s", name ? name : "fd");
}

int obd_stream_write(obd_stream_t *s, const void *p, size_t n, int timeout_ms)
{
    const char *b = p;
    uint64_t deadline = obd_now_ms() + (uint64_t)timeout_ms;
    while (n) {
        ssize_t w = s->is_sock ? send(s->fd, b, n, MSG_NOSIGNAL) : write(s->fd, b, n);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno != EAGAIN)
            return OBD_ELINK;
        uint64_t now = obd_now_ms();
        if (now >= deadline)
            return OBD_ETIMEOUT;
        struct pollfd pf = { s->fd, POLLOUT, 0 };
        if (poll(&pf, 1, (int)(deadline - now)) < 0 && errno != EINTR)
            return OBD_ELINK;
    }
    return OBD_OK;
}

ssize_t obd_stream_read(obd_stream_t *s, void *p, size_t n, int timeout_ms)
{
    uint64_t deadline = obd_now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        ssize_t r = read(s->fd, p, n);
        if (r > 0)
            return r;
        if (r == 0)
            return OBD_ELINK; /* EOF: peer closed, pty hung up */
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return OBD_ELINK; /* EIO: USB adapter unplugged */
        uint64_t now = obd_now_ms();
        if (now >= deadline)
            return OBD_ETIMEOUT;
        struct pollfd pf = { s->fd, POLLIN, 0 };
        int pr = poll(&pf, 1, (int)(deadline - now));
        if (pr < 0 && errno != EINTR)
            return OBD_ELINK;
        if (pr > 0 && (pf.revents & (POLLERR | POLLNVAL)))
            return OBD_ELINK;
    }
}

void obd_stream_drain(obd_stream_t *s)
{
    char junk[256];
    if (s->is_tty)
        tcflush(s->fd, TCIFLUSH);
    while (read(s->fd, junk, sizeof junk) > 0)
        ;
}

void obd_stream_close(obd_stream_t *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    if (s->child > 0) { /* it sees EOF and exits: collect it, leave no zombie */
        while (waitpid((pid_t)s->child, NULL, 0) < 0 && errno == EINTR)
            ;
        s->child = 0;
    }
}
