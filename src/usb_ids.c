/*
 * usb_ids.c — pure part of the USB adapter support (usb.h): the VID:PID
 * table, the site's extra ids, port paths and adapter specs. No I/O.
 *
 * Sources of the ids (facts only; the table is ours):
 *  - USB-serial bridges, as the Linux drivers bind them: drivers/usb/serial/
 *    ftdi_sio_ids.h (0403:6001 FT232R/FT232BM "8U232AM", 0403:6015 FT-X
 *    series), ch341.c (1a86:7523 CH340), cp210x.c (10c4:ea60 CP210x),
 *    pl2303.h (067b:2303 PL2303).
 *  - OBDLink SX (ScanTool.net, STN11xx inside): enumerates as FTDI 0403:6015
 *    "FT-X" with manufacturer "ScanTool.net LLC", product "OBDLink SX" — the
 *    device's own descriptor as logged in the kernelnewbies list, 2021-07-30
 *    ("Communicating with a FTDI device") and the can4eve wiki's OBDLink SX
 *    page (lsusb "ID 0403:6015"). OBDLink has no VID of its own: the family
 *    is told by the strings (usb_family_guess), the id by the bridge.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "obdgw/usb.h"

static const usb_id_t builtin[] = {
    { 0x0403, 0x6001, "FTDI FT232R" },
    { 0x0403, 0x6015, "FTDI FT-X" },
    { 0x1a86, 0x7523, "CH340" },
    { 0x10c4, 0xea60, "CP210x" },
    { 0x067b, 0x2303, "PL2303" },
};

const usb_id_t *usb_id_table(size_t *n)
{
    *n = sizeof builtin / sizeof builtin[0];
    return builtin;
}

const usb_id_t *usb_id_lookup(uint16_t vid, uint16_t pid, const usb_site_ids_t *site)
{
    if (site)
        for (size_t i = 0; i < site->n && i < USB_SITE_MAX; i++)
            if (site->ids[i].vid == vid && site->ids[i].pid == pid)
                return &site->ids[i];
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (builtin[i].vid == vid && builtin[i].pid == pid)
            return &builtin[i];
    return NULL;
}

static bool has_word(const char *s, const char *w)
{
    return s && strcasestr(s, w) != NULL;
}

const char *usb_family_guess(const char *manufacturer, const char *product)
{
    if (has_word(product, "OBDLink") || has_word(manufacturer, "ScanTool") || has_word(product, "STN"))
        return "OBDLink (STN)";
    if (has_word(product, "ELM327") || has_word(manufacturer, "ELM"))
        return "ELM327";
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int usb_vidpid_parse(const char *s, size_t len, uint16_t *vid, uint16_t *pid)
{
    if (!s || len != 9 || s[4] != ':')
        return OBD_EFORMAT;
    unsigned v[2] = { 0, 0 };
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 4; i++) {
            int h = hexval(s[k * 5 + i]);
            if (h < 0)
                return OBD_EFORMAT;
            v[k] = v[k] << 4 | (unsigned)h;
        }
    *vid = (uint16_t)v[0];
    *pid = (uint16_t)v[1];
    return OBD_OK;
}

int usb_site_ids_parse(const char *text, usb_site_ids_t *out, char *err, size_t errcap)
{
    char dummy[4];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    if (!text || !out)
        return OBD_EINVAL;
    const char *p = text;
    while (*p) {
        size_t l = strcspn(p, ",;\n");
        const char *e = p + l;
        /* trim */
        const char *a = p, *b = e;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (a < b) {
            size_t idl = 0;
            while (a + idl < b && !isspace((unsigned char)a[idl]))
                idl++;
            uint16_t vid, pid;
            if (usb_vidpid_parse(a, idl, &vid, &pid) != OBD_OK) {
                snprintf(err, errcap, "'%.*s': expected VVVV:PPPP (hex vendor:product) then an optional label",
                         (int)(b - a > 40 ? 40 : b - a), a);
                return OBD_EFORMAT;
            }
            if (out->n >= USB_SITE_MAX) {
                snprintf(err, errcap, "more than %d extra ids", USB_SITE_MAX);
                return OBD_ENOSPC;
            }
            const char *lab = a + idl;
            while (lab < b && isspace((unsigned char)*lab))
                lab++;
            size_t ll = (size_t)(b - lab);
            usb_id_t *d = &out->ids[out->n];
            if (ll >= sizeof d->chip) {
                snprintf(err, errcap, "'%.*s': label longer than %zu characters", (int)idl, a, sizeof d->chip - 1);
                return OBD_EFORMAT;
            }
            for (size_t i = 0; i < ll; i++)
                if ((unsigned char)lab[i] < 0x20 || lab[i] == 0x7f) {
                    snprintf(err, errcap, "'%.*s': control character in the label", (int)idl, a);
                    return OBD_EFORMAT;
                }
            d->vid = vid;
            d->pid = pid;
            if (ll) {
                memcpy(d->chip, lab, ll);
                d->chip[ll] = 0;
            } else {
                snprintf(d->chip, sizeof d->chip, "site %04x:%04x", vid, pid);
            }
            out->n++;
        }
        p = *e ? e + 1 : e;
    }
    return OBD_OK;
}

int usb_port_path_format(uint8_t bus, const uint8_t *ports, int nports, char *out, size_t cap)
{
    if (!out || cap == 0)
        return OBD_EINVAL;
    out[0] = 0;
    if (bus == 0 || nports < 1 || nports > USB_PORT_MAX_DEPTH || !ports)
        return OBD_EINVAL;
    size_t o = 0;
    int w = snprintf(out, cap, "%u", bus);
    if (w < 0 || (size_t)w >= cap)
        return (out[0] = 0, OBD_ENOSPC);
    o = (size_t)w;
    for (int i = 0; i < nports; i++) {
        if (ports[i] == 0)
            return (out[0] = 0, OBD_EINVAL);
        w = snprintf(out + o, cap - o, "%c%u", i ? '.' : '-', ports[i]);
        if (w < 0 || (size_t)w >= cap - o)
            return (out[0] = 0, OBD_ENOSPC);
        o += (size_t)w;
    }
    return OBD_OK;
}

/* A decimal 1..255 without leading zeros at s; advances *s. */
static bool num_1_255(const char **s)
{
    const char *p = *s;
    if (*p < '1' || *p > '9')
        return false;
    unsigned v = 0;
    int d = 0;
    while (*p >= '0' && *p <= '9' && d < 4) {
        v = v * 10 + (unsigned)(*p - '0');
        p++;
        d++;
    }
    if (d > 3 || v > 255)
        return false;
    *s = p;
    return true;
}

bool usb_port_path_valid(const char *s)
{
    if (!s || strlen(s) >= USB_PORT_LEN)
        return false;
    if (!num_1_255(&s) || *s++ != '-')
        return false;
    for (int tier = 0;; tier++) {
        if (tier >= USB_PORT_MAX_DEPTH || !num_1_255(&s))
            return false;
        if (*s == 0)
            return true;
        if (*s++ != '.')
            return false;
    }
}

bool usb_serial_valid(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    if (n == 0 || n >= USB_SERIAL_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == ':' || c == ',')
            return false;
    }
    return true;
}

int usb_spec_parse(const char *spec, usb_sel_t *out, char *err, size_t errcap)
{
    char dummy[4];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    if (!spec || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    const char *v;
    if (!strncmp(spec, "usb-serial:", 11)) {
        v = spec + 11;
        if (!usb_serial_valid(v)) {
            snprintf(err, errcap, "usb-serial:%.40s: a serial number is 1-127 printable characters without spaces, ':' or ','", v);
            return OBD_EFORMAT;
        }
        out->kind = USB_SEL_SERIAL;
    } else if (!strncmp(spec, "usb:", 4)) {
        v = spec + 4;
        if (!usb_port_path_valid(v)) {
            snprintf(err, errcap, "usb:%.40s: a USB port path is BUS-PORT[.PORT...] as the kernel names it, e.g. usb:1-1.3", v);
            return OBD_EFORMAT;
        }
        out->kind = USB_SEL_PORT;
    } else {
        return 0;
    }
    snprintf(out->value, sizeof out->value, "%s", v);
    return 1;
}

const usb_adapter_t *usb_select(const usb_adapter_t *list, size_t n, const usb_sel_t *sel)
{
    if (!list || !sel)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *v = sel->kind == USB_SEL_PORT ? list[i].port : list[i].serial;
        if (v[0] && !strcmp(v, sel->value))
            return &list[i];
    }
    return NULL;
}

void usb_list_text(const usb_adapter_t *list, size_t n, obd_lang_t lang, char *out, size_t cap)
{
    if (!out || cap == 0)
        return;
    out[0] = 0;
    if (n == 0) {
        snprintf(out, cap, "%s", obd_tr(lang, "no USB adapter is plugged in", "未插入任何 USB 诊断接头"));
        return;
    }
    size_t o = (size_t)snprintf(out, cap, "%s: ", obd_tr(lang, "plugged in", "已插入"));
    for (size_t i = 0; i < n && o < cap; i++) {
        const usb_adapter_t *a = &list[i];
        int w = snprintf(out + o, cap - o, "%susb:%s %04x:%04x %s%s%s%s%s", i ? "; " : "", a->port, a->vid, a->pid,
                         a->chip[0] ? a->chip : obd_tr(lang, "unknown", "未识别"),
                         a->serial[0] ? " usb-serial:" : "", a->serial, a->tty[0] ? " " : "", a->tty);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (o >= cap && cap > 4)
        memcpy(out + cap - 4, "...", 4);
}
