/*
 * usbhot.c — USB hot-plug for obdgwd: libusb's hot-plug callback
 * (libusb_hotplug_register_callback) with libusb's own descriptors in the
 * daemon's epoll loop (libusb_get_pollfds / libusb_set_pollfd_notifiers):
 * no thread of its own, every event handled on the loop thread.
 *
 * It keeps the inventory of USB devices plugged in: recognised adapters
 * (usb.h's table and the site's [usb] extra_ids) are announced to the loop
 * once their tty exists (the usb-serial driver binds a moment after the
 * device appears: the timer tick looks again); others are listed, never
 * announced, so never used. Departures of announced adapters are announced.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <libusb-1.0/libusb.h>

#include "usbhot.h"

#define TTY_WAIT_MS 15000

typedef struct {
    usb_adapter_t a;
    bool announced;
    int64_t since_ms;
} dev_t_;

struct usbhot {
    libusb_context *ctx;
    libusb_hotplug_callback_handle cb;
    bool hotplug;
    int ep;
    uint64_t tag;
    usb_site_ids_t site;
    usbhot_fn fn;
    void *uctx;
    size_t n;
    dev_t_ devs[USBHOT_MAX];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t ep_events(short ev)
{
    return (ev & POLLIN ? EPOLLIN : 0) | (ev & POLLOUT ? EPOLLOUT : 0);
}

static void fd_added(int fd, short events, void *user)
{
    usbhot_t *h = user;
    struct epoll_event e = { .events = ep_events(events), .data.u64 = h->tag };
    if (epoll_ctl(h->ep, EPOLL_CTL_ADD, fd, &e) < 0 && errno == EEXIST)
        epoll_ctl(h->ep, EPOLL_CTL_MOD, fd, &e);
}

static void fd_removed(int fd, void *user)
{
    usbhot_t *h = user;
    epoll_ctl(h->ep, EPOLL_CTL_DEL, fd, NULL);
}

static void read_attr(const char *port, const char *name, char *out, size_t cap)
{
    char p[256];
    snprintf(p, sizeof p, "/sys/bus/usb/devices/%s/%s", port, name);
    out[0] = 0;
    FILE *f = fopen(p, "re");
    if (!f)
        return;
    if (!fgets(out, (int)cap, f))
        out[0] = 0;
    fclose(f);
    size_t n = strcspn(out, "\n");
    out[n] = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
            out[i] = '?';
}

static bool port_of(libusb_device *dev, char *out, size_t cap)
{
    uint8_t ports[USB_PORT_MAX_DEPTH];
    int np = libusb_get_port_numbers(dev, ports, sizeof ports);
    return np > 0 && usb_port_path_format(libusb_get_bus_number(dev), ports, np, out, cap) == OBD_OK;
}

static dev_t_ *find(usbhot_t *h, const char *port)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->devs[i].a.port, port))
            return &h->devs[i];
    return NULL;
}

/* Announce a recognised adapter whose tty is there now. */
static void try_announce(usbhot_t *h, dev_t_ *d)
{
    if (d->announced || !d->a.known)
        return;
    if (!d->a.tty[0] && usb_tty_for_port(NULL, d->a.port, d->a.tty, sizeof d->a.tty) != OBD_OK)
        return;
    if (access(d->a.tty, F_OK) != 0) { /* sysfs has it, the device node not yet */
        d->a.tty[0] = 0;
        return;
    }
    d->announced = true;
    h->fn(h->uctx, &d->a, USBHOT_ARRIVED);
}

static void arrived(usbhot_t *h, libusb_device *dev)
{
    struct libusb_device_descriptor dd;
    char port[USB_PORT_LEN];
    if (libusb_get_device_descriptor(dev, &dd) != 0 || !port_of(dev, port, sizeof port))
        return;
    dev_t_ *d = find(h, port);
    if (!d) {
        if (h->n >= USBHOT_MAX)
            return;
        d = &h->devs[h->n++];
    }
    memset(d, 0, sizeof *d);
    usb_adapter_t *a = &d->a;
    snprintf(a->port, sizeof a->port, "%s", port);
    a->vid = dd.idVendor;
    a->pid = dd.idProduct;
    const usb_id_t *id = usb_id_lookup(a->vid, a->pid, &h->site);
    a->known = id != NULL;
    if (id)
        snprintf(a->chip, sizeof a->chip, "%s", id->chip);
    read_attr(port, "manufacturer", a->manufacturer, sizeof a->manufacturer);
    read_attr(port, "product", a->product, sizeof a->product);
    read_attr(port, "serial", a->serial, sizeof a->serial);
    const char *fam = usb_family_guess(a->manufacturer, a->product);
    snprintf(a->family, sizeof a->family, "%s", fam ? fam : "");
    d->since_ms = now_ms();
    if (a->known)
        try_announce(h, d);
    h->fn(h->uctx, a, a->known ? USBHOT_SEEN : USBHOT_UNKNOWN);
}

static void left(usbhot_t *h, libusb_device *dev)
{
    char port[USB_PORT_LEN];
    if (!port_of(dev, port, sizeof port))
        return;
    dev_t_ *d = find(h, port);
    if (!d)
        return;
    dev_t_ gone = *d;
    size_t i = (size_t)(d - h->devs);
    memmove(&h->devs[i], &h->devs[i + 1], (h->n - i - 1) * sizeof h->devs[0]);
    h->n--;
    h->fn(h->uctx, &gone.a, gone.announced ? USBHOT_LEFT : USBHOT_GONE);
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev, void *user)
{
    (void)ctx;
    usbhot_t *h = user;
    if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
        arrived(h, dev);
    else if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT)
        left(h, dev);
    return 0; /* keep the callback */
}

usbhot_t *usbhot_new(int ep, uint64_t tag, const usb_site_ids_t *site, usbhot_fn fn, void *uctx, char *err,
                     size_t errcap)
{
    usbhot_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->ep = ep;
    h->tag = tag;
    if (site)
        h->site = *site;
    h->fn = fn;
    h->uctx = uctx;
    int r = libusb_init(&h->ctx);
    if (r != 0) {
        snprintf(err, errcap, "libusb: %s", libusb_strerror(r));
        free(h);
        return NULL;
    }
    /* libusb's descriptors into our epoll, now and as they change */
    const struct libusb_pollfd **pf = libusb_get_pollfds(h->ctx);
    for (size_t i = 0; pf && pf[i]; i++)
        fd_added(pf[i]->fd, pf[i]->events, h);
    libusb_free_pollfds(pf);
    libusb_set_pollfd_notifiers(h->ctx, fd_added, fd_removed, h);
    h->hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG);
    if (h->hotplug) {
        /* ENUMERATE: the devices already plugged in come as arrivals first */
        r = libusb_hotplug_register_callback(h->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
                                             LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY,
                                             LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, h, &h->cb);
        if (r != LIBUSB_SUCCESS) {
            snprintf(err, errcap, "libusb hot-plug: %s", libusb_strerror(r));
            h->hotplug = false;
        }
    }
    if (!h->hotplug) { /* no hot-plug here: what is plugged at the start only */
        libusb_device **list;
        ssize_t n = libusb_get_device_list(h->ctx, &list);
        for (ssize_t i = 0; i < n; i++)
            arrived(h, list[i]);
        if (n >= 0)
            libusb_free_device_list(list, 1);
        if (!err[0])
            snprintf(err, errcap, "libusb has no hot-plug support here: adapters plugged in later are not seen");
    }
    return h;
}

bool usbhot_has_hotplug(const usbhot_t *h) { return h && h->hotplug; }

void usbhot_on_event(usbhot_t *h)
{
    if (!h)
        return;
    struct timeval zero = { 0, 0 };
    libusb_handle_events_timeout_completed(h->ctx, &zero, NULL);
}

void usbhot_tick(usbhot_t *h)
{
    if (!h)
        return;
    usbhot_on_event(h); /* libusb's own timeouts, should it have any */
    int64_t now = now_ms();
    for (size_t i = 0; i < h->n; i++) {
        dev_t_ *d = &h->devs[i];
        if (d->a.known && !d->announced && now - d->since_ms < TTY_WAIT_MS)
            try_announce(h, d);
    }
}

size_t usbhot_list(const usbhot_t *h, usb_adapter_t *out, size_t cap)
{
    if (!h)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < h->n && k < cap; i++)
        out[k++] = h->devs[i].a;
    return k;
}

void usbhot_free(usbhot_t *h)
{
    if (!h)
        return;
    if (h->hotplug)
        libusb_hotplug_deregister_callback(h->ctx, h->cb);
    libusb_set_pollfd_notifiers(h->ctx, NULL, NULL, NULL);
    const struct libusb_pollfd **pf = libusb_get_pollfds(h->ctx);
    for (size_t i = 0; pf && pf[i]; i++)
        epoll_ctl(h->ep, EPOLL_CTL_DEL, pf[i]->fd, NULL);
    libusb_free_pollfds(pf);
    libusb_exit(h->ctx);
    free(h);
}

/* ---- bays and the inventory ---- */

int usbhot_match(const dcfg_t *cfg, const usb_adapter_t *a)
{
    for (size_t i = 0; i < cfg->nbays; i++) {
        const dcfg_bay_t *b = &cfg->bays[i];
        if ((b->usb_port[0] && !strcmp(b->usb_port, a->port)) ||
            (b->usb_serial[0] && a->serial[0] && !strcmp(b->usb_serial, a->serial)))
            return b->id;
    }
    return 0;
}

void usbhot_ident(const dcfg_bay_t *b, char *out, size_t cap)
{
    if (b->usb_port[0])
        snprintf(out, cap, "usb_port %s", b->usb_port);
    else if (b->usb_serial[0])
        snprintf(out, cap, "usb_serial %s", b->usb_serial);
    else
        out[0] = 0;
}

cJSON *usbhot_adapter_json(const usb_adapter_t *a)
{
    cJSON *o = cJSON_CreateObject();
    char vp[10];
    snprintf(vp, sizeof vp, "%04x:%04x", a->vid, a->pid);
    cJSON_AddStringToObject(o, "port", a->port);
    cJSON_AddStringToObject(o, "vid_pid", vp);
    cJSON_AddStringToObject(o, "chip", a->chip);
    cJSON_AddStringToObject(o, "product", a->product);
    cJSON_AddStringToObject(o, "serial", a->serial);
    cJSON_AddStringToObject(o, "tty", a->tty);
    return o;
}

cJSON *usbhot_json(const usbhot_t *h, const dcfg_t *cfg)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; h && i < h->n; i++) {
        const dev_t_ *d = &h->devs[i];
        cJSON *o = usbhot_adapter_json(&d->a);
        cJSON_AddBoolToObject(o, "recognised", d->a.known);
        int bay = d->a.known ? usbhot_match(cfg, &d->a) : 0;
        if (bay)
            cJSON_AddNumberToObject(o, "bay", bay);
        else
            cJSON_AddNullToObject(o, "bay");
        cJSON_AddBoolToObject(o, "used", bay && d->announced);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

size_t usbhot_text(const usbhot_t *h, const dcfg_t *cfg, char *out, size_t cap)
{
    size_t o = 0;
    if (cap)
        out[0] = 0;
    for (size_t i = 0; h && i < h->n && o < cap; i++) {
        const usb_adapter_t *a = &h->devs[i].a;
        int bay = a->known ? usbhot_match(cfg, a) : 0;
        char b[32];
        snprintf(b, sizeof b, "bay %d", bay);
        int w = snprintf(out + o, cap - o, "usb %-9s %04x:%04x %s%s%s%s%s · %s\n", a->port, a->vid, a->pid,
                         a->known ? a->chip : "not an adapter", a->serial[0] ? " serial " : "", a->serial,
                         a->tty[0] ? " " : "", a->tty, bay ? b : a->known ? "unbound (not used)" : "never used");
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return o < cap ? o : cap ? cap - 1 : 0;
}
