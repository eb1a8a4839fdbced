/*
 * USB adapters (usb.h): the VID:PID table and the site's list, port paths,
 * adapter specs, selection, the "what is plugged" text, and the tty lookup
 * against a fake sysfs tree under /tmp laid out as the kernel does it
 * (bus/usb/devices/1-1.3:1.0/ttyUSB0 for usb-serial drivers,
 * .../2-4:1.0/tty/ttyACM0 for cdc-acm).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "obdgw/usb.h"

static void test_table(void **state)
{
    (void)state;
    static const struct {
        uint16_t v, p;
        const char *chip;
    } want[] = { { 0x0403, 0x6001, "FTDI" }, { 0x0403, 0x6015, "FTDI" }, { 0x1a86, 0x7523, "CH340" },
                 { 0x10c4, 0xea60, "CP210x" }, { 0x067b, 0x2303, "PL2303" } };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const usb_id_t *id = usb_id_lookup(want[i].v, want[i].p, NULL);
        assert_non_null(id);
        assert_non_null(strstr(id->chip, want[i].chip));
    }
    /* a mouse, a hub, and a near miss of a listed id */
    assert_null(usb_id_lookup(0x046d, 0xc077, NULL));
    assert_null(usb_id_lookup(0x1d6b, 0x0002, NULL));
    assert_null(usb_id_lookup(0x0403, 0x6002, NULL));
    size_t n;
    assert_non_null(usb_id_table(&n));
    assert_int_equal(n, 5);
}

static void test_family(void **state)
{
    (void)state;
    assert_string_equal(usb_family_guess("ScanTool.net LLC", "OBDLink SX"), "OBDLink (STN)");
    assert_string_equal(usb_family_guess(NULL, "obdlink ex"), "OBDLink (STN)");
    assert_string_equal(usb_family_guess("", "USB ELM327 Interface"), "ELM327");
    assert_null(usb_family_guess("FTDI", "FT232R USB UART"));
    assert_null(usb_family_guess(NULL, NULL));
}

static void test_vidpid(void **state)
{
    (void)state;
    uint16_t v, p;
    assert_int_equal(usb_vidpid_parse("0403:6001", 9, &v, &p), OBD_OK);
    assert_int_equal(v, 0x0403);
    assert_int_equal(p, 0x6001);
    assert_int_equal(usb_vidpid_parse("10C4:EA60", 9, &v, &p), OBD_OK);
    assert_int_equal(p, 0xea60);
    assert_int_equal(usb_vidpid_parse("403:6001", 8, &v, &p), OBD_EFORMAT);
    assert_int_equal(usb_vidpid_parse("0403-6001", 9, &v, &p), OBD_EFORMAT);
    assert_int_equal(usb_vidpid_parse("0403:60g1", 9, &v, &p), OBD_EFORMAT);
    assert_int_equal(usb_vidpid_parse("0403:60011", 10, &v, &p), OBD_EFORMAT);
}

static void test_site_ids(void **state)
{
    (void)state;
    usb_site_ids_t s;
    memset(&s, 0, sizeof s);
    char err[160];
    assert_int_equal(usb_site_ids_parse(" 0403:6010 FT2232H dual ; 16d0:0abc,\n1234:ABCD  ", &s, err, sizeof err), OBD_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.ids[0].chip, "FT2232H dual");
    assert_int_equal(s.ids[1].vid, 0x16d0);
    assert_string_equal(s.ids[1].chip, "site 16d0:0abc");
    assert_int_equal(s.ids[2].pid, 0xabcd);
    /* the site list is consulted, first, by lookup */
    const usb_id_t *id = usb_id_lookup(0x0403, 0x6010, &s);
    assert_non_null(id);
    assert_string_equal(id->chip, "FT2232H dual");
    assert_null(usb_id_lookup(0x0403, 0x6010, NULL));
    /* a site may relabel a built-in id */
    memset(&s, 0, sizeof s);
    assert_int_equal(usb_site_ids_parse("0403:6001 bay cable", &s, err, sizeof err), OBD_OK);
    assert_string_equal(usb_id_lookup(0x0403, 0x6001, &s)->chip, "bay cable");
    /* errors name the entry */
    memset(&s, 0, sizeof s);
    assert_int_equal(usb_site_ids_parse("0403:6010, 04036011", &s, err, sizeof err), OBD_EFORMAT);
    assert_non_null(strstr(err, "04036011"));
    memset(&s, 0, sizeof s);
    assert_int_equal(usb_site_ids_parse("0403:6010 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &s, err, sizeof err),
                     OBD_EFORMAT);
    memset(&s, 0, sizeof s);
    assert_int_equal(usb_site_ids_parse("0403:6010 a\tb\x01", &s, err, sizeof err), OBD_EFORMAT);
    /* more than the list holds */
    memset(&s, 0, sizeof s);
    char big[USB_SITE_MAX * 12 + 32] = "";
    for (int i = 0; i <= USB_SITE_MAX; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "1234:%04x,", i);
    assert_int_equal(usb_site_ids_parse(big, &s, err, sizeof err), OBD_ENOSPC);
    assert_int_equal(s.n, USB_SITE_MAX);
    /* empty text: nothing added */
    memset(&s, 0, sizeof s);
    assert_int_equal(usb_site_ids_parse(" ,; \n", &s, err, sizeof err), OBD_OK);
    assert_int_equal(s.n, 0);
}

static void test_port_path(void **state)
{
    (void)state;
    char b[USB_PORT_LEN];
    uint8_t p[] = { 1, 3, 2 };
    assert_int_equal(usb_port_path_format(1, p, 2, b, sizeof b), OBD_OK);
    assert_string_equal(b, "1-1.3");
    assert_int_equal(usb_port_path_format(3, p, 3, b, sizeof b), OBD_OK);
    assert_string_equal(b, "3-1.3.2");
    assert_int_equal(usb_port_path_format(1, p, 0, b, sizeof b), OBD_EINVAL);
    assert_int_equal(usb_port_path_format(0, p, 1, b, sizeof b), OBD_EINVAL);
    uint8_t z[] = { 1, 0 };
    assert_int_equal(usb_port_path_format(1, z, 2, b, sizeof b), OBD_EINVAL);
    assert_int_equal(usb_port_path_format(1, p, 3, b, 6), OBD_ENOSPC);
    assert_string_equal(b, "");
    uint8_t deep[8] = { 255, 255, 255, 255, 255, 255, 255, 255 };
    assert_int_equal(usb_port_path_format(255, deep, 7, b, sizeof b), OBD_OK);
    assert_true(usb_port_path_valid(b));
    assert_int_equal(usb_port_path_format(255, deep, 8, b, sizeof b), OBD_EINVAL);

    assert_true(usb_port_path_valid("1-1"));
    assert_true(usb_port_path_valid("1-1.3"));
    assert_true(usb_port_path_valid("12-4.1.2"));
    assert_false(usb_port_path_valid("1"));
    assert_false(usb_port_path_valid("1-"));
    assert_false(usb_port_path_valid("1-1."));
    assert_false(usb_port_path_valid("1-1..3"));
    assert_false(usb_port_path_valid("0-1"));
    assert_false(usb_port_path_valid("1-0"));
    assert_false(usb_port_path_valid("1-01"));
    assert_false(usb_port_path_valid("1-256"));
    assert_false(usb_port_path_valid("1-1.3:1.0"));
    assert_false(usb_port_path_valid("usb1"));
    assert_false(usb_port_path_valid("1-1.1.1.1.1.1.1.1"));
    assert_false(usb_port_path_valid(""));
    assert_false(usb_port_path_valid(NULL));
}

static void test_spec(void **state)
{
    (void)state;
    usb_sel_t s;
    char err[200];
    assert_int_equal(usb_spec_parse("usb:1-1.3", &s, err, sizeof err), 1);
    assert_int_equal(s.kind, USB_SEL_PORT);
    assert_string_equal(s.value, "1-1.3");
    assert_int_equal(usb_spec_parse("usb-serial:A50285BI", &s, err, sizeof err), 1);
    assert_int_equal(s.kind, USB_SEL_SERIAL);
    assert_string_equal(s.value, "A50285BI");
    /* not USB specs at all */
    assert_int_equal(usb_spec_parse("/dev/ttyUSB0", &s, err, sizeof err), 0);
    assert_int_equal(usb_spec_parse("sim", &s, err, sizeof err), 0);
    assert_int_equal(usb_spec_parse("usb0", &s, err, sizeof err), 0);
    /* USB specs that are wrong: a clear reason */
    assert_int_equal(usb_spec_parse("usb:1-1.", &s, err, sizeof err), OBD_EFORMAT);
    assert_non_null(strstr(err, "BUS-PORT"));
    assert_int_equal(usb_spec_parse("usb:", &s, err, sizeof err), OBD_EFORMAT);
    assert_int_equal(usb_spec_parse("usb-serial:", &s, err, sizeof err), OBD_EFORMAT);
    assert_non_null(strstr(err, "serial number"));
    assert_int_equal(usb_spec_parse("usb-serial:A5 02", &s, err, sizeof err), OBD_EFORMAT);
    assert_int_equal(usb_spec_parse("usb-serial:A5,x", &s, err, sizeof err), OBD_EFORMAT);
    assert_false(usb_serial_valid("\x7f"));
    assert_true(usb_serial_valid("113011099400"));
}

static usb_adapter_t ad(const char *port, const char *serial, const char *tty)
{
    usb_adapter_t a;
    memset(&a, 0, sizeof a);
    snprintf(a.port, sizeof a.port, "%s", port);
    snprintf(a.serial, sizeof a.serial, "%s", serial);
    snprintf(a.tty, sizeof a.tty, "%s", tty);
    a.vid = 0x0403;
    a.pid = 0x6001;
    snprintf(a.chip, sizeof a.chip, "FTDI FT232R");
    return a;
}

static void test_select_and_text(void **state)
{
    (void)state;
    usb_adapter_t l[3] = { ad("1-1.2", "A50285BI", "/dev/ttyUSB0"), ad("1-1.3", "", "/dev/ttyUSB1"),
                           ad("2-1", "FT9X", "") };
    usb_sel_t s = { USB_SEL_PORT, "1-1.3" };
    assert_ptr_equal(usb_select(l, 3, &s), &l[1]);
    s = (usb_sel_t){ USB_SEL_SERIAL, "A50285BI" };
    assert_ptr_equal(usb_select(l, 3, &s), &l[0]);
    s = (usb_sel_t){ USB_SEL_SERIAL, "" }; /* an empty serial never matches a device without one */
    assert_null(usb_select(l, 3, &s));
    s = (usb_sel_t){ USB_SEL_PORT, "1-1" };
    assert_null(usb_select(l, 3, &s));

    char t[512];
    usb_list_text(l, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "no USB adapter is plugged in");
    usb_list_text(l, 0, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "未插入任何 USB 诊断接头");
    usb_list_text(l, 2, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "plugged in: usb:1-1.2 0403:6001 FTDI FT232R usb-serial:A50285BI /dev/ttyUSB0; "
                           "usb:1-1.3 0403:6001 FTDI FT232R /dev/ttyUSB1");
    /* cut, never overrun */
    usb_list_text(l, 3, OBD_LANG_EN, t, 40);
    assert_int_equal(strlen(t), 39);
    assert_string_equal(t + 36, "...");
}

/* ---- the tty through a fake sysfs ---- */

static char root[64];

static void mk(const char *rel)
{
    char p[256], cmd[300];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", p);
    assert_int_equal(system(cmd), 0);
}

static void put(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup_sysfs(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/obdgw-test-usb-XXXXXX");
    assert_non_null(mkdtemp(root));
    mk("bus/usb/devices/1-1.3:1.0/ttyUSB2");         /* ftdi_sio */
    mk("bus/usb/devices/1-1.3:1.0/driver");
    mk("bus/usb/devices/2-4:1.0");                   /* cdc-acm: control interface, no tty */
    mk("bus/usb/devices/2-4:1.1/tty/ttyACM0");       /* ... a tty on interface 1 */
    mk("bus/usb/devices/1-1.30:1.0/ttyUSB9");        /* a longer port with the same prefix */
    mk("bus/usb/devices/1-2:1.0");                   /* a device without a tty */
    mk("bus/usb/devices/1-1.3");
    put("bus/usb/devices/1-1.3/serial", "A50285BI\n");
    return 0;
}

static int teardown_sysfs(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

static void test_tty_sysfs(void **state)
{
    (void)state;
    usb_paths_t p = { root, "/dev" };
    char t[USB_TTY_LEN];
    assert_int_equal(usb_tty_for_port(&p, "1-1.3", t, sizeof t), OBD_OK);
    assert_string_equal(t, "/dev/ttyUSB2");
    assert_int_equal(usb_tty_for_port(&p, "2-4", t, sizeof t), OBD_OK);
    assert_string_equal(t, "/dev/ttyACM0");
    assert_int_equal(usb_tty_for_port(&p, "1-1.30", t, sizeof t), OBD_OK);
    assert_string_equal(t, "/dev/ttyUSB9");
    assert_int_equal(usb_tty_for_port(&p, "1-2", t, sizeof t), OBD_ENOTFOUND);
    assert_string_equal(t, "");
    assert_int_equal(usb_tty_for_port(&p, "1-1", t, sizeof t), OBD_ENOTFOUND);
    assert_int_equal(usb_tty_for_port(&p, "1-1.3/../..", t, sizeof t), OBD_EINVAL);
    usb_paths_t q = { root, "/tmp/fake-dev" };
    assert_int_equal(usb_tty_for_port(&q, "1-1.3", t, sizeof t), OBD_OK);
    assert_string_equal(t, "/tmp/fake-dev/ttyUSB2");
    assert_int_equal(usb_tty_for_port(&q, "1-1.3", t, 10), OBD_ENOSPC);
    usb_paths_t none = { "/nonexistent-sysfs", "/dev" };
    assert_int_equal(usb_tty_for_port(&none, "1-1.3", t, sizeof t), OBD_ENOTFOUND);
}

/* Enumeration on this machine: whatever is plugged, every entry found is a
 * recognised adapter with a well-formed port path. */
static void test_enumerate_here(void **state)
{
    (void)state;
    usb_adapter_t l[8];
    size_t n = 99;
    char err[128];
    int rc = usb_enumerate(NULL, NULL, false, l, 8, &n, err, sizeof err);
    if (rc == OBD_EIO) { /* no USB at all (a container without /dev/bus/usb) */
        assert_int_equal(n, 0);
        assert_non_null(strstr(err, "libusb"));
        return;
    }
    assert_int_equal(rc, OBD_OK);
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++) {
        assert_true(usb_port_path_valid(l[i].port));
        assert_true(l[i].known);
        assert_non_null(usb_id_lookup(l[i].vid, l[i].pid, NULL));
    }
}

static void test_env_ids(void **state)
{
    (void)state;
    usb_site_ids_t s;
    char err[200];
    setenv("OBDGW_USB_IDS", "16d0:0abc My cable", 1);
    assert_int_equal(usb_site_ids_from_env(&s, err, sizeof err), OBD_OK);
    assert_int_equal(s.n, 1);
    setenv("OBDGW_USB_IDS", "nonsense", 1);
    assert_int_equal(usb_site_ids_from_env(&s, err, sizeof err), OBD_EFORMAT);
    assert_non_null(strstr(err, "$OBDGW_USB_IDS"));
    unsetenv("OBDGW_USB_IDS");
    assert_int_equal(usb_site_ids_from_env(&s, err, sizeof err), OBD_OK);
    assert_int_equal(s.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_family),
        cmocka_unit_test(test_vidpid),
        cmocka_unit_test(test_site_ids),
        cmocka_unit_test(test_port_path),
        cmocka_unit_test(test_spec),
        cmocka_unit_test(test_select_and_text),
        cmocka_unit_test_setup_teardown(test_tty_sysfs, setup_sysfs, teardown_sysfs),
        cmocka_unit_test(test_enumerate_here),
        cmocka_unit_test(test_env_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
