/*
 * Fuzz target: the USB adapter texts (usb_ids.c) — an adapter spec
 * ("usb:1-1.3", "usb-serial:A50285BI"), a port path and a site id list
 * ("0403:6010 FT2232H; ..."), all from the same input. Besides "no crash, no
 * out-of-bounds read": a spec that parses names a valid port path or serial
 * and round-trips; a port path that is valid is re-made by
 * usb_port_path_format from its numbers; every parsed site id is found by
 * lookup with a NUL-terminated, control-free label.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/usb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[1024];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';

    char err[200];
    usb_sel_t sel;
    int rc = usb_spec_parse(text, &sel, err, sizeof err);
    expect(rc == 1 || rc == 0 || rc == OBD_EFORMAT);
    expect(strlen(err) < sizeof err);
    if (rc == 1) {
        char again[160];
        snprintf(again, sizeof again, "%s%s", sel.kind == USB_SEL_PORT ? "usb:" : "usb-serial:", sel.value);
        expect(!strcmp(again, text));
        if (sel.kind == USB_SEL_PORT)
            expect(usb_port_path_valid(sel.value));
        else
            expect(usb_serial_valid(sel.value));
    }
    if (usb_port_path_valid(text)) {
        /* re-make it from its numbers */
        unsigned bus = (unsigned)strtoul(text, NULL, 10);
        uint8_t ports[USB_PORT_MAX_DEPTH];
        int np = 0;
        const char *p = strchr(text, '-');
        expect(p != NULL);
        while (p && *p) {
            p++;
            expect(np < USB_PORT_MAX_DEPTH);
            ports[np++] = (uint8_t)strtoul(p, (char **)&p, 10);
        }
        char b[USB_PORT_LEN];
        expect(bus >= 1 && bus <= 255);
        expect(usb_port_path_format((uint8_t)bus, ports, np, b, sizeof b) == OBD_OK);
        expect(!strcmp(b, text));
    }
    usb_site_ids_t s;
    memset(&s, 0, sizeof s);
    rc = usb_site_ids_parse(text, &s, err, sizeof err);
    expect(rc == OBD_OK || rc == OBD_EFORMAT || rc == OBD_ENOSPC);
    expect(s.n <= USB_SITE_MAX);
    for (size_t i = 0; i < s.n; i++) {
        expect(memchr(s.ids[i].chip, 0, sizeof s.ids[i].chip) != NULL);
        for (const char *c = s.ids[i].chip; *c; c++)
            expect((unsigned char)*c >= 0x20 && *c != 0x7f);
        const usb_id_t *id = usb_id_lookup(s.ids[i].vid, s.ids[i].pid, &s);
        expect(id != NULL && id->vid == s.ids[i].vid && id->pid == s.ids[i].pid);
    }
    return 0;
}
