/*
 * Fuzz target: service $06 replies. The first input byte selects the shape:
 * even -> the rest is the whole reply; odd -> the rest follows a 0x46 SID
 * the harness adds (so the fuzzer spends its time inside the records).
 * Every parsed record is run through the UASID table and the OBDMID names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/obd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static obd_mode06_reply_t reply;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool add_sid = data[0] & 1;
    size_t n = size - 1 + (add_sid ? 1 : 0);
    /* exactly-sized heap copy so ASan sees any overread */
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        return 0;
    if (add_sid)
        p[0] = 0x46;
    memcpy(p + (add_sid ? 1 : 0), data + 1, size - 1);

    if (obd_parse_mode06(p, n, &reply) == OBD_OK && !reply.nr.negative) {
        volatile double sink = 0;
        if (reply.is_support) {
            uint8_t mids[256];
            size_t k = obd_pidset_list(&reply.support, mids, sizeof mids);
            for (size_t i = 0; i < k; i++)
                sink += obd_mid_name(mids[i], OBD_LANG_ZH) != NULL;
        }
        if (reply.count > OBD_MAX_TESTS)
            abort();
        for (size_t i = 0; i < reply.count; i++) {
            const obd_test_result_t *t = &reply.tests[i];
            const obd_uas_t *u = obd_uas_lookup(t->uasid);
            if ((u != NULL) != t->known_unit)
                abort();
            if (u)
                sink += (double)strlen(u->unit) + (double)strlen(u->zh);
            const char *name = obd_mid_name(t->mid, OBD_LANG_EN);
            if (name)
                sink += (double)strlen(name);
            sink += t->value + t->min + t->max;
        }
        (void)sink;
    }
    free(p);
    return 0;
}
