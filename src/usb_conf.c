/*
 * usb_conf.c — the USB part of an obdgw.conf as `obdgw adapters` needs it:
 * which bay each adapter is bound to, and the site's extra ids. obdgwd's
 * own config.c validates the whole file (and refuses two bays claiming one
 * adapter); this reader only collects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "obdgw/usb.h"

typedef struct {
    usb_conf_t *c;
    char *err;
    size_t errcap;
} uctx_t;

static usb_binding_t *bind_for(usb_conf_t *c, int bay)
{
    for (size_t i = 0; i < c->nbind; i++)
        if (c->bind[i].bay == bay)
            return &c->bind[i];
    if (c->nbind >= USB_CONF_MAX_BAYS)
        return NULL;
    usb_binding_t *b = &c->bind[c->nbind++];
    memset(b, 0, sizeof *b);
    b->bay = bay;
    return b;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    uctx_t *u = user;
    if (!strcmp(section, "usb") && !strcmp(name, "extra_ids")) {
        if (usb_site_ids_parse(value, &u->c->site, u->err, u->errcap) != OBD_OK)
            return 0;
        return 1;
    }
    if (strncmp(section, "bay", 3))
        return 1;
    char *end;
    long id = strtol(section + 3, &end, 10);
    if (*end || id < 1 || id > 99)
        return 1;
    usb_binding_t *b = bind_for(u->c, (int)id);
    if (!b)
        return 1;
    if (!strcmp(name, "usb_port"))
        snprintf(b->usb_port, sizeof b->usb_port, "%s", value);
    else if (!strcmp(name, "usb_serial"))
        snprintf(b->usb_serial, sizeof b->usb_serial, "%s", value);
    else if (!strcmp(name, "adapter"))
        snprintf(b->adapter, sizeof b->adapter, "%s", value);
    return 1;
}

int usb_conf_load(const char *path, usb_conf_t *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    if (err && errcap)
        err[0] = 0;
    FILE *f = fopen(path, "re");
    if (!f) {
        if (err)
            snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? OBD_ENOTFOUND : OBD_EIO;
    }
    char e[160] = "";
    uctx_t u = { out, e, sizeof e };
    int rc = ini_parse_file(f, on_key, &u);
    fclose(f);
    if (rc) {
        if (err)
            snprintf(err, errcap, "%s: line %d: %s", path, rc, e[0] ? e : "cannot read");
        return OBD_EFORMAT;
    }
    return OBD_OK;
}

int usb_conf_bay_for(const usb_conf_t *c, const usb_adapter_t *a)
{
    for (size_t i = 0; i < c->nbind; i++) {
        const usb_binding_t *b = &c->bind[i];
        if ((b->usb_port[0] && !strcmp(b->usb_port, a->port)) ||
            (b->usb_serial[0] && a->serial[0] && !strcmp(b->usb_serial, a->serial)) ||
            (b->adapter[0] && a->tty[0] && !strcmp(b->adapter, a->tty)))
            return b->bay;
    }
    return 0;
}
