/*
 * usb_enum.c — the USB adapter inventory (usb.h): libusb-1.0 enumerates the
 * devices and gives each one's bus and port numbers and descriptor; the
 * strings come from sysfs (readable without opening the device) or, when
 * sysfs has none, from the device through libusb; the tty from sysfs.
 * Everything that decides (ids, port paths, specs) is in usb_ids.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libusb-1.0/libusb.h>

#include "obdgw/usb.h"

static const char *sysroot(const usb_paths_t *p)
{
    return p && p->sysfs ? p->sysfs : "/sys";
}

static const char *devroot(const usb_paths_t *p)
{
    return p && p->devdir ? p->devdir : "/dev";
}

/* One line of a sysfs attribute file, printable ASCII only (a descriptor
 * string is device-supplied: anything else becomes '?'). */
static int read_attr(const char *path, char *out, size_t cap)
{
    out[0] = 0;
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    if (!fgets(out, (int)cap, f))
        out[0] = 0;
    fclose(f);
    size_t n = strcspn(out, "\n");
    out[n] = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
            out[i] = '?';
    return OBD_OK;
}

static bool tty_name(const char *n)
{
    return !strncmp(n, "ttyUSB", 6) || !strncmp(n, "ttyACM", 6);
}

/* A tty name in dir (directly, as usb-serial drivers put it, or in tty/ as
 * cdc-acm does). */
static bool tty_in(const char *dir, char *name, size_t cap)
{
    for (int sub = 0; sub < 2; sub++) {
        char p[512];
        snprintf(p, sizeof p, "%s%s", dir, sub ? "/tty" : "");
        DIR *d = opendir(p);
        if (!d)
            continue;
        struct dirent *e;
        bool found = false;
        while ((e = readdir(d))) {
            if (tty_name(e->d_name) && strlen(e->d_name) < cap) {
                snprintf(name, cap, "%s", e->d_name);
                found = true;
                break;
            }
        }
        closedir(d);
        if (found)
            return true;
    }
    return false;
}

int usb_tty_for_port(const usb_paths_t *paths, const char *port, char *out, size_t cap)
{
    if (!out || cap == 0)
        return OBD_EINVAL;
    out[0] = 0;
    if (!usb_port_path_valid(port))
        return OBD_EINVAL;
    char base[256];
    snprintf(base, sizeof base, "%s/bus/usb/devices", sysroot(paths));
    /* interface 1.0 first (every bridge in the table has its UART there) */
    char dir[512], name[64];
    snprintf(dir, sizeof dir, "%s/%s:1.0", base, port);
    bool found = tty_in(dir, name, sizeof name);
    if (!found) {
        DIR *d = opendir(base);
        if (!d)
            return OBD_ENOTFOUND;
        size_t pl = strlen(port);
        struct dirent *e;
        /* the first interface in name order that has a tty */
        char best[128] = "";
        while ((e = readdir(d))) {
            if (strncmp(e->d_name, port, pl) || e->d_name[pl] != ':' || strlen(e->d_name) >= sizeof best)
                continue;
            snprintf(dir, sizeof dir, "%s/%s", base, e->d_name);
            char nm[64];
            if (tty_in(dir, nm, sizeof nm) && (!best[0] || strcmp(e->d_name, best) < 0)) {
                snprintf(best, sizeof best, "%s", e->d_name);
                snprintf(name, sizeof name, "%s", nm);
                found = true;
            }
        }
        closedir(d);
    }
    if (!found)
        return OBD_ENOTFOUND;
    if ((size_t)snprintf(out, cap, "%s/%s", devroot(paths), name) >= cap)
        return (out[0] = 0, OBD_ENOSPC);
    return OBD_OK;
}

static void str_from_dev(libusb_device *dev, uint8_t idx, char *out, size_t cap)
{
    if (!idx || out[0])
        return;
    libusb_device_handle *h;
    if (libusb_open(dev, &h) != 0)
        return;
    unsigned char buf[USB_STR_LEN];
    int n = libusb_get_string_descriptor_ascii(h, idx, buf, sizeof buf);
    libusb_close(h);
    if (n <= 0)
        return;
    size_t m = (size_t)n < cap - 1 ? (size_t)n : cap - 1;
    for (size_t i = 0; i < m; i++)
        out[i] = (buf[i] < 0x20 || buf[i] >= 0x7f) ? '?' : (char)buf[i];
    out[m] = 0;
}

int usb_enumerate(const usb_site_ids_t *site, const usb_paths_t *paths, bool all, usb_adapter_t *out, size_t cap,
                  size_t *n, char *err, size_t errcap)
{
    *n = 0;
    libusb_context *ctx = NULL;
    int r = libusb_init(&ctx);
    if (r != 0) {
        if (err)
            snprintf(err, errcap, "libusb: %s", libusb_strerror(r));
        return OBD_EIO;
    }
    libusb_device **list = NULL;
    ssize_t cnt = libusb_get_device_list(ctx, &list);
    if (cnt < 0) {
        if (err)
            snprintf(err, errcap, "libusb: %s", libusb_strerror((int)cnt));
        libusb_exit(ctx);
        return OBD_EIO;
    }
    for (ssize_t i = 0; i < cnt; i++) {
        libusb_device *dev = list[i];
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(dev, &dd) != 0)
            continue;
        uint8_t ports[USB_PORT_MAX_DEPTH];
        int np = libusb_get_port_numbers(dev, ports, sizeof ports);
        if (np <= 0)
            continue; /* a root hub */
        const usb_id_t *id = usb_id_lookup(dd.idVendor, dd.idProduct, site);
        if (!id && !all)
            continue;
        if (*n >= cap) {
            (*n)++;
            continue;
        }
        usb_adapter_t *a = &out[*n];
        memset(a, 0, sizeof *a);
        if (usb_port_path_format(libusb_get_bus_number(dev), ports, np, a->port, sizeof a->port) != OBD_OK)
            continue;
        a->vid = dd.idVendor;
        a->pid = dd.idProduct;
        a->known = id != NULL;
        if (id)
            snprintf(a->chip, sizeof a->chip, "%s", id->chip);
        char p[512];
        snprintf(p, sizeof p, "%s/bus/usb/devices/%s/manufacturer", sysroot(paths), a->port);
        read_attr(p, a->manufacturer, sizeof a->manufacturer);
        snprintf(p, sizeof p, "%s/bus/usb/devices/%s/product", sysroot(paths), a->port);
        read_attr(p, a->product, sizeof a->product);
        snprintf(p, sizeof p, "%s/bus/usb/devices/%s/serial", sysroot(paths), a->port);
        read_attr(p, a->serial, sizeof a->serial);
        str_from_dev(dev, dd.iManufacturer, a->manufacturer, sizeof a->manufacturer);
        str_from_dev(dev, dd.iProduct, a->product, sizeof a->product);
        str_from_dev(dev, dd.iSerialNumber, a->serial, sizeof a->serial);
        const char *fam = usb_family_guess(a->manufacturer, a->product);
        snprintf(a->family, sizeof a->family, "%s", fam ? fam : "");
        usb_tty_for_port(paths, a->port, a->tty, sizeof a->tty);
        (*n)++;
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    if (*n > cap)
        *n = cap;
    return OBD_OK;
}

int usb_site_ids_from_env(usb_site_ids_t *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    const char *v = getenv("OBDGW_USB_IDS");
    if (!v || !*v)
        return OBD_OK;
    int rc = usb_site_ids_parse(v, out, err, errcap);
    if (rc && err) {
        char e2[200];
        snprintf(e2, sizeof e2, "%s", err);
        snprintf(err, errcap, "$OBDGW_USB_IDS: %s", e2);
    }
    return rc;
}

int usb_resolve_spec(const char *spec, const usb_site_ids_t *site, char *out, size_t cap, char *err, size_t errcap)
{
    usb_sel_t sel;
    int rc = usb_spec_parse(spec, &sel, err, errcap);
    if (rc <= 0)
        return rc < 0 ? rc : OBD_EINVAL;
    usb_adapter_t list[16];
    size_t n;
    rc = usb_enumerate(site, NULL, false, list, 16, &n, err, errcap);
    if (rc)
        return rc;
    const usb_adapter_t *a = usb_select(list, n, &sel);
    if (!a || !a->tty[0]) {
        char plugged[768];
        usb_list_text(list, n, OBD_LANG_EN, plugged, sizeof plugged);
        snprintf(err, errcap, "%s: %s; %s", spec, a ? "the adapter is plugged in but has no tty (driver not loaded?)"
                                                      : "no such adapter plugged in", plugged);
        return OBD_ENOTFOUND;
    }
    snprintf(out, cap, "%s", a->tty);
    return OBD_OK;
}
