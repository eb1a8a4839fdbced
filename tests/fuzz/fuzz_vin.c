/*
 * Fuzz target: VIN decoding. The input bytes, cut to 63 and NUL-terminated,
 * are a VIN candidate (as read from a $09 reply, a UDS F190 or the command
 * line). Besides "no crash, no out-of-bounds read", a decoded VIN must keep
 * its promises: 17 upper-case VIN characters, a check verdict that agrees
 * with obd_vin_check_char(), both names or neither, a model year pair from
 * the two 30-year cycles.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/vin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(int ok)
{
    if (!ok)
        abort();
}

static int vin_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';

    obd_vin_info_t v;
    int rc = obd_vin_decode(text, &v);
    char cc = obd_vin_check_char(text);
    (void)obd_vin_wmi_find(text);
    if (rc != OBD_OK) {
        expect(rc == OBD_EFORMAT);
        expect(cc == 0);
        return 0;
    }
    expect(strlen(text) == OBD_VIN_LEN);
    expect(strlen(v.vin) == OBD_VIN_LEN);
    for (int i = 0; i < OBD_VIN_LEN; i++)
        expect(vin_char(v.vin[i]));
    expect(memcmp(v.wmi, v.vin, 3) == 0 && v.wmi[3] == '\0');
    expect(cc == v.expected_check);
    expect((cc >= '0' && cc <= '9') || cc == 'X');
    if (v.check == OBD_VIN_CHECK_OK)
        expect(v.vin[8] == cc);
    else
        expect(v.vin[8] != cc);
    expect((v.manufacturer == NULL) == (v.manufacturer_zh == NULL));
    expect((v.country_en == NULL) == (v.country_zh == NULL));
    expect((v.region_en == NULL) == (v.region_zh == NULL));
    const char *en = obd_vin_manufacturer(&v, OBD_LANG_EN);
    const char *zh = obd_vin_manufacturer(&v, OBD_LANG_ZH);
    expect(en == v.manufacturer && zh == v.manufacturer_zh);
    if (v.model_year == 0) {
        expect(v.model_year_alt == 0);
    } else {
        expect(v.model_year >= 1980 && v.model_year <= 2039);
        int d = v.model_year - v.model_year_alt;
        expect(d == 30 || d == -30);
    }
    /* decoding the decoded VIN again gives the same answer */
    obd_vin_info_t w;
    expect(obd_vin_decode(v.vin, &w) == OBD_OK);
    expect(memcmp(&v, &w, sizeof v) == 0);
    return 0;
}
