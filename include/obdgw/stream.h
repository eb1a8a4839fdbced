/*
 * stream.h — the byte streams an ELM327 dialogue runs over: a serial tty
 * (USB serial, Bluetooth /dev/rfcommN) in raw mode, a TCP socket (Wi-Fi
 * adapters, tcp://host:port), or any connected fd (a pty, a socketpair to the
 * simulator). All reads and writes take a timeout; EOF and EIO (the adapter
 * was unplugged) become OBD_ELINK so the owner can reconnect.
 */
#ifndef OBDGW_STREAM_H
#define OBDGW_STREAM_H

#include <sys/types.h>

#include "obdgw/base.h"

typedef struct {
    int fd;
    bool is_tty;
    bool is_sock;
    int baud;        /* tty: current speed */
    char name[128];  /* as opened */
    int child;       /* >0: a process serving the other end (the in-process
                        simulator); closing the stream waits for it to exit */
} obd_stream_t;

/* Serial speeds we try, in auto-detect order (most common first). */
extern const int obd_stream_bauds[];
extern const size_t obd_stream_nbauds;

/* Open "tcp://HOST:PORT" or a device path (baud 0: leave as is / 38400 for a
 * fresh tty). `err` gets a one-line reason on failure. */
int obd_stream_open(const char *spec, int baud, obd_stream_t *s, char *err, size_t errcap);
/* Wrap an already connected fd (owned by the stream from now on). */
void obd_stream_from_fd(obd_stream_t *s, int fd, const char *name);
int obd_stream_set_baud(obd_stream_t *s, int baud); /* OBD_EINVAL for an unsupported speed */
/* Write all of p; OBD_ETIMEOUT / OBD_ELINK on failure. */
int obd_stream_write(obd_stream_t *s, const void *p, size_t n, int timeout_ms);
/* Read what is available (at least 1 byte) within timeout_ms: returns the
 * count, OBD_ETIMEOUT, or OBD_ELINK on EOF/error. */
ssize_t obd_stream_read(obd_stream_t *s, void *p, size_t n, int timeout_ms);
/* Drop whatever is waiting to be read. */
void obd_stream_drain(obd_stream_t *s);
void obd_stream_close(obd_stream_t *s);

/* Monotonic milliseconds (for deadlines). */
uint64_t obd_now_ms(void);

#endif
