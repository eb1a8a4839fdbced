/*
 * usb.h — USB OBD adapters: which USB devices are adapters (a VID:PID table
 * plus a site's own list), their stable identity (port path "1-1.3", serial
 * number), adapter specs ("usb:1-1.3", "usb-serial:A50285BI"), and — in
 * usb_enum.c, the only part doing I/O — the inventory through libusb and
 * the tty each one has under sysfs.
 *
 * The pure part (usb_ids.c) reads bytes and writes structs; the I/O part
 * (usb_enum.c) uses libusb-1.0 and reads sysfs under a root the caller
 * gives (tests use a fake tree).
 */
#ifndef OBDGW_USB_H
#define OBDGW_USB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obdgw/base.h"

/* Port path as the kernel names it: "<bus>-<port>[.<port>...]", at most 7
 * hub tiers (USB 2.0/3.x limit). */
#define USB_PORT_MAX_DEPTH 7
#define USB_PORT_LEN 32
#define USB_SERIAL_LEN 128
#define USB_STR_LEN 128
#define USB_TTY_LEN 64
#define USB_SITE_MAX 32

/* One known adapter chip: a USB-serial bridge (FTDI, CH340, ...) or a
 * native adapter id. */
typedef struct {
    uint16_t vid, pid;
    char chip[32];   /* "FTDI FT232R", "CH340", or the site's own label */
} usb_id_t;

/* The site's extra ids (config `[usb] extra_ids`), beside the built-in table. */
typedef struct {
    size_t n;
    usb_id_t ids[USB_SITE_MAX];
} usb_site_ids_t;

/* The built-in table (usb_ids.c names its sources). */
const usb_id_t *usb_id_table(size_t *n);
/* The entry for vid:pid: the site list first, then the built-in table; NULL
 * when the device is not a recognised adapter. */
const usb_id_t *usb_id_lookup(uint16_t vid, uint16_t pid, const usb_site_ids_t *site);

/* Adapter family from the device's own strings (manufacturer, product; either
 * may be NULL): "OBDLink (STN)", "ELM327", or NULL when they say nothing. */
const char *usb_family_guess(const char *manufacturer, const char *product);

/* "0403:6001" -> vid, pid (exactly 4+4 hex digits). OBD_OK or OBD_EFORMAT. */
int usb_vidpid_parse(const char *s, size_t len, uint16_t *vid, uint16_t *pid);

/* Parse a site list: entries separated by ',' ';' or newlines, each
 * "VVVV:PPPP" optionally followed by whitespace and a label ("0403:6010
 * FT2232H"). Appends to *out (which the caller zeroes first). OBD_OK, or an
 * error with the bad entry named in err. */
int usb_site_ids_parse(const char *text, usb_site_ids_t *out, char *err, size_t errcap);

/* Port path text from libusb's bus number and port numbers: bus 1,
 * ports {1,3} -> "1-1.3". OBD_ENOSPC / OBD_EINVAL on bad input. */
int usb_port_path_format(uint8_t bus, const uint8_t *ports, int nports, char *out, size_t cap);
/* True when s is a well-formed port path (bus 1..255, ports 1..255, 1..7 tiers). */
bool usb_port_path_valid(const char *s);

/* An adapter picked by identity. */
typedef enum { USB_SEL_PORT = 1, USB_SEL_SERIAL = 2 } usb_sel_kind_t;
typedef struct {
    usb_sel_kind_t kind;
    char value[USB_SERIAL_LEN]; /* the port path or the serial number */
} usb_sel_t;

/* "usb:1-1.3" / "usb-serial:A50285BI" -> *out. Returns 1 when spec is a USB
 * spec and parsed, 0 when it is not a USB spec at all (a device path, sim,
 * ...), or a negative error with the reason in err (bad port path, empty or
 * unprintable serial). */
int usb_spec_parse(const char *spec, usb_sel_t *out, char *err, size_t errcap);
/* A serial number as a config or spec may give it: 1..127 printable ASCII
 * characters, no spaces, no ':' ','. */
bool usb_serial_valid(const char *s);

/* ---- usb_enum.c: the inventory (I/O) ---- */

typedef struct {
    char port[USB_PORT_LEN];       /* "1-1.3" */
    uint16_t vid, pid;
    char chip[32];                 /* from the table; "" when not recognised */
    bool known;                    /* in the built-in table or the site list */
    char manufacturer[USB_STR_LEN], product[USB_STR_LEN], serial[USB_SERIAL_LEN];
    char family[32];               /* usb_family_guess(), "" when unknown */
    char tty[USB_TTY_LEN];         /* "/dev/ttyUSB0", "" when no tty (yet) */
} usb_adapter_t;

/* Where sysfs is ("/sys" normally; tests pass a fake tree) and where device
 * nodes are ("/dev"). */
typedef struct {
    const char *sysfs;
    const char *devdir;
} usb_paths_t;

/* The tty of the device at `port` through sysfs:
 * <sysfs>/bus/usb/devices/<port>:1.0/ttyUSB* (usb-serial drivers) or
 * .../<port>:1.0/tty/ttyACM* (cdc-acm; any interface of the device is
 * looked at). Writes "<devdir>/ttyUSB0". OBD_OK or OBD_ENOTFOUND. */
int usb_tty_for_port(const usb_paths_t *paths, const char *port, char *out, size_t cap);

/* Enumerate USB devices through libusb; fill up to cap entries (recognised
 * adapters; with all, every device). *n is how many were found. OBD_OK,
 * or OBD_EIO with the reason in err when libusb cannot start. */
int usb_enumerate(const usb_site_ids_t *site, const usb_paths_t *paths, bool all, usb_adapter_t *out, size_t cap,
                  size_t *n, char *err, size_t errcap);

/* The adapter the selector names among `list`; NULL when none matches. */
const usb_adapter_t *usb_select(const usb_adapter_t *list, size_t n, const usb_sel_t *sel);

/* One line naming what is plugged ("plugged in: usb:1-1.3 0403:6001 FTDI
 * FT232R usb-serial:A50285BI /dev/ttyUSB0; ..." or "no USB adapter is
 * plugged in"), in lang; cut with "..." to cap (pure, usb_ids.c). */
void usb_list_text(const usb_adapter_t *list, size_t n, obd_lang_t lang, char *out, size_t cap);

/* Resolve "usb:..." / "usb-serial:..." to its tty. OBD_OK with the tty in
 * out; OBD_ENOTFOUND with err listing what is plugged; other errors as
 * usb_spec_parse / usb_enumerate give them. */
int usb_resolve_spec(const char *spec, const usb_site_ids_t *site, char *out, size_t cap, char *err,
                     size_t errcap);

/* The site list from $OBDGW_USB_IDS (a site list text, see above) — used by
 * the CLI when no config gives one. */
int usb_site_ids_from_env(usb_site_ids_t *out, char *err, size_t errcap);

/* ---- usb_conf.c: what a config file binds (for `obdgw adapters`) ---- */

#define USB_CONF_MAX_BAYS 32
typedef struct {
    int bay;
    char usb_port[USB_PORT_LEN];
    char usb_serial[USB_SERIAL_LEN];
    char adapter[256];
} usb_binding_t;

typedef struct {
    size_t nbind;
    usb_binding_t bind[USB_CONF_MAX_BAYS];
    usb_site_ids_t site; /* [usb] extra_ids */
} usb_conf_t;

/* Read the bays' adapter/usb_port/usb_serial and [usb] extra_ids from an
 * obdgw.conf (other keys are the daemon's to check). OBD_OK, OBD_ENOTFOUND
 * when the file is missing, OBD_EFORMAT with the line or entry in err. */
int usb_conf_load(const char *path, usb_conf_t *out, char *err, size_t errcap);
/* The bay bound to adapter a (by port, serial, or its tty as `adapter`); 0 when none. */
int usb_conf_bay_for(const usb_conf_t *c, const usb_adapter_t *a);

#endif
