/*
 * usbhot.h — obdgwd's USB hot-plug watcher (usbhot.c): libusb's hot-plug
 * callback with libusb's descriptors in the loop's epoll set (no thread).
 * Not a public API.
 */
#ifndef OBDGWD_USBHOT_H
#define OBDGWD_USBHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obdgw/usb.h"

#define USBHOT_MAX 64

typedef enum {
    USBHOT_ARRIVED = 1, /* a recognised adapter, its tty ready: a->tty */
    USBHOT_LEFT,        /* an announced adapter was unplugged */
    USBHOT_SEEN,        /* a recognised adapter appeared (its tty may follow) */
    USBHOT_UNKNOWN,     /* a device not in the table appeared: listed, never used */
    USBHOT_GONE,        /* a device never announced went away */
} usbhot_what_t;

typedef void (*usbhot_fn)(void *ctx, const usb_adapter_t *a, int what);
typedef struct usbhot usbhot_t;

/* Start watching: libusb's fds go into `ep` with epoll tag `tag`; what is
 * plugged already comes as arrivals during this call. NULL when libusb
 * cannot start (err says why); err also gets a note when there is no
 * hot-plug support (then only what is plugged now is seen). err must be
 * "" on entry. */
usbhot_t *usbhot_new(int ep, uint64_t tag, const usb_site_ids_t *site, usbhot_fn fn, void *ctx, char *err,
                     size_t errcap);
bool usbhot_has_hotplug(const usbhot_t *h);
/* An epoll event with `tag`: let libusb handle it (callbacks run here). */
void usbhot_on_event(usbhot_t *h);
/* From the loop's timer: adapters waiting for their tty are looked at again. */
void usbhot_tick(usbhot_t *h);
/* The devices plugged in now (recognised or not). */
size_t usbhot_list(const usbhot_t *h, usb_adapter_t *out, size_t cap);
void usbhot_free(usbhot_t *h);

/* The bay (id) configured for adapter a (usb_port / usb_serial); 0: none. */
#include "daemon.h"
int usbhot_match(const dcfg_t *cfg, const usb_adapter_t *a);
/* "usb_port 1-1.3" / "usb_serial A50285BI" / "" for a bay's config. */
void usbhot_ident(const dcfg_bay_t *b, char *out, size_t cap);
/* {port, vid_pid, chip, product, serial, tty} of one adapter. */
cJSON *usbhot_adapter_json(const usb_adapter_t *a);
/* The inventory for `status`: each device, its bay (or null), used or not. */
cJSON *usbhot_json(const usbhot_t *h, const dcfg_t *cfg);
/* The same as text lines; returns the length written. */
size_t usbhot_text(const usbhot_t *h, const dcfg_t *cfg, char *out, size_t cap);

#endif
