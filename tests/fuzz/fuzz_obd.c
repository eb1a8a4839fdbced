/*
 * Fuzz target: J1979 framing parsers. The first input byte selects the
 * parser, the rest is the reply: 0 service 01, 1 service 02, 2-4 DTC lists
 * (03/07/0A) CAN form, 5-7 legacy form, 8 readiness $01, 9 readiness $41,
 * 10 service 04, 11 supported-PID bitmap merge.
 */
#include <stdint.h>
#include <string.h>

#include "obdgw/obd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t sel = data[0] % 12;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    static const uint8_t dtc_sids[3] = { 0x03, 0x07, 0x0A };
    switch (sel) {
    case 0:
    case 1: {
        obd_pid_reply_t r;
        if (obd_parse_pid_reply(p, n, sel ? 0x02 : 0x01, &r) == OBD_OK && !r.nr.negative)
            for (size_t i = 0; i < r.count; i++) {
                volatile uint8_t sink = 0;
                for (size_t k = 0; k < r.pids[i].len; k++)
                    sink ^= r.pids[i].data[k]; /* every reported byte must be inside the input */
                (void)sink;
            }
        break;
    }
    case 2: case 3: case 4: case 5: case 6: case 7: {
        obd_dtc_list_t l;
        obd_parse_dtc_reply(p, n, dtc_sids[(sel - 2) % 3], sel < 5, &l);
        obd_dtc_dev_t dev;
        if (obd_parse_dtc_reply_lenient(p, n, dtc_sids[(sel - 2) % 3], sel < 5, n ? p[0] % 8 - 1 : -1, &l, &dev) ==
                OBD_OK &&
            l.count > n / 2)
            __builtin_trap(); /* a deviation never produces a code that is not in the bytes */
        char key[48];
        obd_dtc_dev_key(&dev, key, sizeof key);
        break;
    }
    case 8:
    case 9: {
        obd_readiness_t r;
        if (obd_readiness_decode(p, n, sel == 9, &r) == OBD_OK) {
            int s, i;
            obd_readiness_counts(&r, &s, &i);
        }
        break;
    }
    case 10: {
        obd_nr_t nr;
        obd_parse_clear_reply(p, n, &nr);
        break;
    }
    default: {
        obd_pidset_t s;
        memset(&s, 0, sizeof s);
        if (n >= 1) {
            obd_pidset_merge(&s, p[0], p + 1, n - 1);
            uint8_t list[256];
            obd_pidset_list(&s, list, sizeof list);
        }
        break;
    }
    }
    return 0;
}
