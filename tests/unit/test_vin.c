/*
 * VIN decoding: form, check digit (sums worked by hand in the comments),
 * WMI table (Chinese and global makers), country/region ranges, model year
 * in both 30-year cycles, lower-case input.
 *
 * Check-digit working: each character is transliterated (digits as
 * themselves; A1 B2 C3 D4 E5 F6 G7 H8 J1 K2 L3 M4 N5 P7 R9 S2 T3 U4 V5 W6 X7
 * Y8 Z9), multiplied by the weight of its position
 * (8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2), the products summed, the sum taken
 * mod 11; a remainder of 10 is written 'X'.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/vin.h"

/* Decode a VIN that must be well formed. */
static obd_vin_info_t dec(const char *vin)
{
    obd_vin_info_t v;
    assert_int_equal(obd_vin_decode(vin, &v), OBD_OK);
    return v;
}

static void test_form(void **state)
{
    (void)state;
    obd_vin_info_t v;
    /* 17 characters of the alphabet: accepted */
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP042788", &v), OBD_OK);
    assert_string_equal(v.vin, "1M8GDM9AXKP042788");
    assert_string_equal(v.wmi, "1M8");
    /* 16 and 18 characters, empty, NULL */
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP04278", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP0427888", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode("", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode(NULL, &v), OBD_EFORMAT);
    /* I, O, Q are never VIN characters (upper or lower case) */
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP04278I", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP0427O8", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode("QM8GDM9AXKP042788", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP04278q", &v), OBD_EFORMAT);
    /* separators, spaces, punctuation, non-ASCII bytes */
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP04278 ", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode(" 1M8GDM9AXKP04278", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode("1M8-GDM9AXKP04278", &v), OBD_EFORMAT);
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP0427\xC3\x88", &v), OBD_EFORMAT);
    /* a VIN followed by a newline is not a VIN (callers trim) */
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP042788\n", &v), OBD_EFORMAT);
    /* no output struct */
    assert_int_equal(obd_vin_decode("1M8GDM9AXKP042788", NULL), OBD_EINVAL);
}

static void test_lower_case(void **state)
{
    (void)state;
    /* lower and mixed case are accepted and stored upper-cased */
    obd_vin_info_t v = dec("lfv2a21k1p3000012");
    assert_string_equal(v.vin, "LFV2A21K1P3000012");
    assert_string_equal(v.wmi, "LFV");
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    assert_string_equal(v.manufacturer, "FAW-Volkswagen");
    v = dec("1m8GdM9aXkP042788");
    assert_string_equal(v.vin, "1M8GDM9AXKP042788");
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    assert_int_equal(obd_vin_check_char("1m8gdm9axkp042788"), 'X');
}

static void test_check_digit_classic(void **state)
{
    (void)state;
    /*
     * 1M8GDM9AXKP042788 (the textbook example):
     *   1 M 8 G D M 9 A X K P 0 4 2 7 8 8
     *   values  1 4 8 7 4 4 9 1 - 2 7 0 4 2 7 8 8
     *   products 8+28+48+35+16+12+18+10+0+18+56+0+24+10+28+24+16 = 351
     *   351 = 11*31 + 10 -> 'X'; position 9 is 'X' -> OK
     */
    assert_int_equal(obd_vin_check_char("1M8GDM9AXKP042788"), 'X');
    obd_vin_info_t v = dec("1M8GDM9AXKP042788");
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    assert_int_equal(v.expected_check, 'X');
    /* the same VIN with '1' in position 9: a digit that differs -> MISMATCH */
    v = dec("1M8GDM9A1KP042788");
    assert_int_equal(v.check, OBD_VIN_CHECK_MISMATCH);
    assert_int_equal(v.expected_check, 'X');
    /* position 9 has weight 0: changing it never changes the computed digit */
    assert_int_equal(obd_vin_check_char("1M8GDM9A1KP042788"), 'X');
    /* not a VIN -> 0 */
    assert_int_equal(obd_vin_check_char("1M8GDM9AXKP04278"), 0);
    assert_int_equal(obd_vin_check_char("1M8GDM9AXKP0427O8"), 0);
    assert_int_equal(obd_vin_check_char("1M8GDM9AXKP0427888"), 0);
    assert_int_equal(obd_vin_check_char(NULL), 0);
}

static void test_check_digit_worked(void **state)
{
    (void)state;
    obd_vin_info_t v;
    /*
     * LFV2A21K1P3000012 (FAW-Volkswagen form, made up for the test):
     *   values   L3 F6 V5 2 A1 2 1 K2 - P7 3 0 0 0 0 1 2
     *   products 24+42+30+10+4+6+2+20+0+63+24+0+0+0+0+3+4 = 232
     *   232 = 11*21 + 1 -> '1' -> OK
     */
    assert_int_equal(obd_vin_check_char("LFV2A21K1P3000012"), '1');
    v = dec("LFV2A21K1P3000012");
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    /*
     * 7SAYGDEEXPF000001 (Tesla US MPV form): remainder 10 -> 'X'
     *   values   7 S2 A1 Y8 G7 D4 E5 E5 - P7 F6 0 0 0 0 0 1
     *   products 56+14+6+40+28+12+10+50+0+63+48+0+0+0+0+0+2 = 329
     *   329 = 11*29 + 10 -> 'X' -> OK
     */
    v = dec("7SAYGDEEXPF000001");
    assert_int_equal(v.expected_check, 'X');
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    /*
     * JHMGE8H30DC000001: remainder 0
     *   values   J1 H8 M4 G7 E5 8 H8 3 - D4 C3 0 0 0 0 0 1
     *   products 8+56+24+35+20+24+16+30+0+36+24+0+0+0+0+0+2 = 275
     *   275 = 11*25 + 0 -> '0' -> OK
     */
    v = dec("JHMGE8H30DC000001");
    assert_int_equal(v.expected_check, '0');
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    /* same VIN, position 9 'X' (a check character) but wrong -> MISMATCH */
    v = dec("JHMGE8H3XDC000001");
    assert_int_equal(v.check, OBD_VIN_CHECK_MISMATCH);
    assert_int_equal(v.expected_check, '0');
    /*
     * WVWZZZ1KZ8W123456 (typical European VIN, no check digit):
     *   values   W6 V5 W6 Z9 Z9 Z9 1 K2 - 8 W6 1 2 3 4 5 6
     *   products 48+35+36+45+36+27+2+20+0+72+48+7+12+15+16+15+12 = 446
     *   446 = 11*40 + 6 -> '6'; position 9 is 'Z', a letter -> NOT_USED
     */
    v = dec("WVWZZZ1KZ8W123456");
    assert_int_equal(v.check, OBD_VIN_CHECK_NOT_USED);
    assert_int_equal(v.expected_check, '6');
    /* ... but an 'X' there is a check character, so it is judged */
    v = dec("WVWZZZ1KX8W123456");
    assert_int_equal(v.check, OBD_VIN_CHECK_MISMATCH);
    /*
     * KMHD341C9LU000001:
     *   products 16+28+48+20+12+12+2+30+0+27+32+0+0+0+0+0+2 = 229
     *   229 = 11*20 + 9 -> '9' -> OK; with 'B' there -> NOT_USED
     */
    assert_int_equal(dec("KMHD341C9LU000001").check, OBD_VIN_CHECK_OK);
    assert_int_equal(dec("KMHD341CBLU000001").check, OBD_VIN_CHECK_NOT_USED);
}

static void test_wmi_chinese(void **state)
{
    (void)state;
    static const struct {
        const char *wmi, *en, *zh;
    } cn[] = {
        { "LFV", "FAW-Volkswagen", "一汽-大众" },
        { "LSV", "SAIC Volkswagen", "上汽大众" },
        { "LSG", "SAIC-GM", "上汽通用" },
        { "LGB", "Dongfeng Nissan", "东风日产" },
        { "LHG", "GAC Honda", "广汽本田" },
        { "LVG", "GAC Toyota", "广汽丰田" },
        { "LFM", "FAW Toyota", "一汽丰田" },
        { "LTV", "FAW Toyota (Tianjin)", "天津一汽丰田" },
        { "LGX", "BYD", "比亚迪" },
        { "LC0", "BYD", "比亚迪" },
        { "L6T", "Geely", "吉利汽车" },
        { "LB3", "Geely", "吉利汽车" },
        { "LGW", "Great Wall Motor", "长城汽车" },
        { "LVV", "Chery", "奇瑞汽车" },
        { "LS5", "Changan Automobile", "长安汽车" },
        { "LRW", "Tesla (Shanghai)", "特斯拉（上海）" },
        { "LBV", "BMW Brilliance", "华晨宝马" },
        { "LE4", "Beijing Benz", "北京奔驰" },
        { "LVH", "Dongfeng Honda", "东风本田" },
        { "LBE", "Beijing Hyundai", "北京现代" },
        { "LZW", "SAIC-GM-Wuling", "上汽通用五菱" },
    };
    for (size_t i = 0; i < sizeof cn / sizeof cn[0]; i++) {
        const obd_vin_wmi_t *m = obd_vin_wmi_find(cn[i].wmi);
        assert_non_null(m);
        assert_string_equal(m->wmi, cn[i].wmi);
        assert_string_equal(m->en, cn[i].en);
        assert_string_equal(m->zh, cn[i].zh);
    }
    /* through the decoder, in both languages */
    obd_vin_info_t v = dec("LRW3E7FA5LC012345");
    assert_string_equal(obd_vin_manufacturer(&v, OBD_LANG_EN), "Tesla (Shanghai)");
    assert_string_equal(obd_vin_manufacturer(&v, OBD_LANG_ZH), "特斯拉（上海）");
    assert_string_equal(v.manufacturer, "Tesla (Shanghai)");
    assert_string_equal(v.manufacturer_zh, "特斯拉（上海）");
    v = dec("LSGKB54H2MS000001");
    assert_string_equal(obd_vin_manufacturer(&v, OBD_LANG_ZH), "上汽通用");
    v = dec("LGXCE4CB1PG000001");
    assert_string_equal(obd_vin_manufacturer(&v, OBD_LANG_EN), "BYD");
}

static void test_wmi_global(void **state)
{
    (void)state;
    static const struct {
        const char *wmi, *en, *zh;
    } g[] = {
        { "WVW", "Volkswagen", "大众" },   { "WAU", "Audi", "奥迪" },
        { "WBA", "BMW", "宝马" },          { "WDD", "Mercedes-Benz", "梅赛德斯-奔驰" },
        { "JTD", "Toyota", "丰田" },       { "JHM", "Honda", "本田" },
        { "1FA", "Ford", "福特" },         { "1G1", "Chevrolet", "雪佛兰" },
        { "KMH", "Hyundai", "现代" },      { "VF1", "Renault", "雷诺" },
        { "5YJ", "Tesla", "特斯拉" },      { "SAL", "Land Rover", "路虎" },
        { "YV1", "Volvo Cars", "沃尔沃汽车" }, { "TMB", "Škoda", "斯柯达" },
        { "ZFF", "Ferrari", "法拉利" },    { "WP0", "Porsche", "保时捷" },
    };
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        const obd_vin_wmi_t *m = obd_vin_wmi_find(g[i].wmi);
        assert_non_null(m);
        assert_string_equal(m->en, g[i].en);
        assert_string_equal(m->zh, g[i].zh);
    }
    /* unknown WMI: NULL, never a guess (1M8 is not in the table) */
    obd_vin_info_t v = dec("1M8GDM9AXKP042788");
    assert_null(v.manufacturer);
    assert_null(v.manufacturer_zh);
    assert_null(obd_vin_manufacturer(&v, OBD_LANG_EN));
    assert_null(obd_vin_manufacturer(&v, OBD_LANG_ZH));
    assert_null(obd_vin_manufacturer(NULL, OBD_LANG_EN));
    /* lookup edge cases: exact three upper-case characters only */
    assert_null(obd_vin_wmi_find(NULL));
    assert_null(obd_vin_wmi_find(""));
    assert_null(obd_vin_wmi_find("LF"));
    assert_null(obd_vin_wmi_find("lfv"));
    assert_null(obd_vin_wmi_find("ZZZ"));
    assert_null(obd_vin_wmi_find("000"));
    /* only the first three characters count */
    assert_non_null(obd_vin_wmi_find("LFV2A21K1P3000012"));
    /* first and last rows are reachable by the bisection */
    size_t n;
    const obd_vin_wmi_t *t = obd_vin_wmi_table(&n);
    assert_ptr_equal(obd_vin_wmi_find(t[0].wmi), &t[0]);
    assert_ptr_equal(obd_vin_wmi_find(t[n - 1].wmi), &t[n - 1]);
}

static bool is_vin_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q');
}

static void test_wmi_table_shape(void **state)
{
    (void)state;
    size_t n = 0;
    const obd_vin_wmi_t *t = obd_vin_wmi_table(&n);
    assert_non_null(t);
    /* "a few hundred" */
    assert_true(n >= 250);
    for (size_t i = 0; i < n; i++) {
        /* three VIN characters, NUL-terminated */
        assert_int_equal(strlen(t[i].wmi), 3);
        for (int k = 0; k < 3; k++)
            assert_true(is_vin_char(t[i].wmi[k]));
        /* both names present */
        assert_non_null(t[i].en);
        assert_non_null(t[i].zh);
        assert_true(t[i].en[0] != '\0');
        assert_true(t[i].zh[0] != '\0');
        /* strictly increasing: sorted, no duplicates (the lookup bisects) */
        if (i > 0)
            assert_true(strcmp(t[i - 1].wmi, t[i].wmi) < 0);
        /* every row is found by the lookup */
        assert_ptr_equal(obd_vin_wmi_find(t[i].wmi), &t[i]);
    }
    /* count may be omitted */
    assert_ptr_equal(obd_vin_wmi_table(NULL), t);
}

/* country and region of a VIN made of the given first two characters */
static void country_of(const char *two, const char *en, const char *zh, const char *region_en, const char *region_zh)
{
    char vin[OBD_VIN_LEN + 1] = "00000000000000000";
    vin[0] = two[0];
    vin[1] = two[1];
    obd_vin_info_t v = dec(vin);
    if (en) {
        assert_non_null(v.country_en);
        assert_string_equal(v.country_en, en);
        assert_string_equal(v.country_zh, zh);
    } else {
        assert_null(v.country_en);
        assert_null(v.country_zh);
    }
    if (region_en) {
        assert_non_null(v.region_en);
        assert_string_equal(v.region_en, region_en);
        assert_string_equal(v.region_zh, region_zh);
    } else {
        assert_null(v.region_en);
        assert_null(v.region_zh);
    }
}

static void test_country_region(void **state)
{
    (void)state;
    /* China: every L pair */
    country_of("LF", "China", "中国", "Asia", "亚洲");
    country_of("L6", "China", "中国", "Asia", "亚洲");
    country_of("L0", "China", "中国", "Asia", "亚洲");
    country_of("JT", "Japan", "日本", "Asia", "亚洲");
    /* Korea is KL-KR only; KS is in Asia but no country we know */
    country_of("KL", "South Korea", "韩国", "Asia", "亚洲");
    country_of("KR", "South Korea", "韩国", "Asia", "亚洲");
    country_of("KS", NULL, NULL, "Asia", "亚洲");
    country_of("WV", "Germany", "德国", "Europe", "欧洲");
    country_of("W0", "Germany", "德国", "Europe", "欧洲");
    /* United States: 1, 4, 5 */
    country_of("1G", "United States", "美国", "North America", "北美洲");
    country_of("4T", "United States", "美国", "North America", "北美洲");
    country_of("5Y", "United States", "美国", "North America", "北美洲");
    country_of("2T", "Canada", "加拿大", "North America", "北美洲");
    /* Mexico is 3A-3W; 3X starts Costa Rica */
    country_of("3V", "Mexico", "墨西哥", "North America", "北美洲");
    country_of("3W", "Mexico", "墨西哥", "North America", "北美洲");
    country_of("3X", "Costa Rica", "哥斯达黎加", "North America", "北美洲");
    /* France VF-VR, Spain VS-VW */
    country_of("VF", "France", "法国", "Europe", "欧洲");
    country_of("VR", "France", "法国", "Europe", "欧洲");
    country_of("VS", "Spain", "西班牙", "Europe", "欧洲");
    /* United Kingdom SA-SM; SN-ST is Germany */
    country_of("SA", "United Kingdom", "英国", "Europe", "欧洲");
    country_of("SM", "United Kingdom", "英国", "Europe", "欧洲");
    country_of("SN", "Germany", "德国", "Europe", "欧洲");
    /* Italy ZA-ZR; ZS is not assigned */
    country_of("ZF", "Italy", "意大利", "Europe", "欧洲");
    country_of("ZR", "Italy", "意大利", "Europe", "欧洲");
    country_of("ZS", NULL, NULL, "Europe", "欧洲");
    /* Sweden YS-YW */
    country_of("YV", "Sweden", "瑞典", "Europe", "欧洲");
    country_of("YS", "Sweden", "瑞典", "Europe", "欧洲");
    country_of("YR", NULL, NULL, "Europe", "欧洲");
    country_of("TM", "Czech Republic", "捷克", "Europe", "欧洲");
    country_of("U5", "Slovakia", "斯洛伐克", "Europe", "欧洲");
    country_of("XT", "Russia", "俄罗斯", "Europe", "欧洲");
    country_of("X7", "Russia", "俄罗斯", "Europe", "欧洲");
    /* digits in the second place come after Z: S1-S4 Latvia */
    country_of("S1", "Latvia", "拉脱维亚", "Europe", "欧洲");
    country_of("S5", NULL, NULL, "Europe", "欧洲");
    country_of("AA", "South Africa", "南非", "Africa", "非洲");
    country_of("AZ", NULL, NULL, "Africa", "非洲");
    country_of("6F", "Australia", "澳大利亚", "Oceania", "大洋洲");
    country_of("7A", "New Zealand", "新西兰", "Oceania", "大洋洲");
    /* 7F-70 went to the United States later: region follows the country */
    country_of("7S", "United States", "美国", "North America", "北美洲");
    country_of("9B", "Brazil", "巴西", "South America", "南美洲");
    country_of("93", "Brazil", "巴西", "South America", "南美洲");
    country_of("8A", "Argentina", "阿根廷", "South America", "南美洲");
    /* '0' first: no zone at all */
    country_of("0A", NULL, NULL, NULL, NULL);
}

static void test_model_year_north_america(void **state)
{
    (void)state;
    obd_vin_info_t v;
    /* 1M8GDM9AXKP042788: position 10 'K' = 1989 or 2019; position 7 is
     * '9' (numeric) -> 49 CFR 565.15 earlier cycle: 1989 */
    v = dec("1M8GDM9AXKP042788");
    assert_int_equal(v.model_year, 1989);
    assert_int_equal(v.model_year_alt, 2019);
    /* 5YJ3E1EA6LF000001: 'L' = 1990 or 2020; position 7 'E' (letter) -> 2020 */
    v = dec("5YJ3E1EA6LF000001");
    assert_int_equal(v.model_year, 2020);
    assert_int_equal(v.model_year_alt, 1990);
    assert_string_equal(v.manufacturer, "Tesla");
    /* 1G1ZD5ST1JF000001: 'J' = 1988 or 2018; position 7 'S' -> 2018 */
    v = dec("1G1ZD5ST1JF000001");
    assert_int_equal(v.model_year, 2018);
    assert_int_equal(v.model_year_alt, 1988);
    /* 7SAYGDEEXPF000001 (7F-70, United States): 'P' = 1993 or 2023;
     * position 7 'E' -> 2023 */
    v = dec("7SAYGDEEXPF000001");
    assert_int_equal(v.model_year, 2023);
    assert_int_equal(v.model_year_alt, 1993);
    /* a North American 'W' with numeric position 7: 1998, not 2028 */
    v = dec("1G1ZD5521WF000001");
    assert_int_equal(v.model_year, 1998);
    assert_int_equal(v.model_year_alt, 2028);
    /* digit year code: '1' = 2001 or 2031; position 7 '5' numeric -> 2001 */
    v = dec("1G1ZD55211F000001");
    assert_int_equal(v.model_year, 2001);
    assert_int_equal(v.model_year_alt, 2031);
    /* the same with a letter in position 7 -> 2031 */
    v = dec("1G1ZD5S211F000001");
    assert_int_equal(v.model_year, 2031);
    assert_int_equal(v.model_year_alt, 2001);
}

static void test_model_year_elsewhere(void **state)
{
    (void)state;
    obd_vin_info_t v;
    /* LFV2A21K1P3000012: 'P' = 1993 or 2023; 2023 <= 2027 -> 2023 */
    v = dec("LFV2A21K1P3000012");
    assert_int_equal(v.model_year, 2023);
    assert_int_equal(v.model_year_alt, 1993);
    /* 'V' = 1997 or 2027; 2027 is not after the pivot -> 2027 */
    v = dec("LVGBE40K2VG000001");
    assert_int_equal(v.model_year, 2027);
    assert_int_equal(v.model_year_alt, 1997);
    /* 'W' = 1998 or 2028; 2028 is after the pivot -> 1998 */
    v = dec("JTDBR32E9W0000001");
    assert_int_equal(v.model_year, 1998);
    assert_int_equal(v.model_year_alt, 2028);
    /* WVWZZZ1KZ8W123456: '8' = 2008 or 2038 -> 2008 */
    v = dec("WVWZZZ1KZ8W123456");
    assert_int_equal(v.model_year, 2008);
    assert_int_equal(v.model_year_alt, 2038);
    /* 'A' = 1980 or 2010 -> 2010; 'Y' = 2000 or 2030 -> 2000;
     * '1' = 2001 or 2031 -> 2001; '9' = 2009 or 2039 -> 2009 */
    v = dec("WVWZZZ1KZAW123456");
    assert_int_equal(v.model_year, 2010);
    assert_int_equal(v.model_year_alt, 1980);
    v = dec("WVWZZZ1KZYW123456");
    assert_int_equal(v.model_year, 2000);
    assert_int_equal(v.model_year_alt, 2030);
    v = dec("WVWZZZ1KZ1W123456");
    assert_int_equal(v.model_year, 2001);
    assert_int_equal(v.model_year_alt, 2031);
    v = dec("WVWZZZ1KZ9W123456");
    assert_int_equal(v.model_year, 2009);
    assert_int_equal(v.model_year_alt, 2039);
    /* 'T' = 1996 or 2026 -> 2026 */
    v = dec("WVWZZZ1KZTW123456");
    assert_int_equal(v.model_year, 2026);
    assert_int_equal(v.model_year_alt, 1996);
    /* I, O and Q cannot appear; U, Z and 0 are not year codes -> 0 */
    v = dec("WVWZZZ1KZUW123456");
    assert_int_equal(v.model_year, 0);
    assert_int_equal(v.model_year_alt, 0);
    v = dec("WVWZZZ1KZZW123456");
    assert_int_equal(v.model_year, 0);
    assert_int_equal(v.model_year_alt, 0);
    v = dec("WVWZZZ1KZ0W123456");
    assert_int_equal(v.model_year, 0);
    assert_int_equal(v.model_year_alt, 0);
}

static void test_full_decode(void **state)
{
    (void)state;
    /* one Chinese JV car, everything at once */
    obd_vin_info_t v = dec("LFV2A21K1P3000012");
    assert_string_equal(v.vin, "LFV2A21K1P3000012");
    assert_string_equal(v.wmi, "LFV");
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    assert_int_equal(v.expected_check, '1');
    assert_string_equal(v.manufacturer, "FAW-Volkswagen");
    assert_string_equal(obd_vin_manufacturer(&v, OBD_LANG_ZH), "一汽-大众");
    assert_string_equal(v.country_en, "China");
    assert_string_equal(v.country_zh, "中国");
    assert_string_equal(v.region_en, "Asia");
    assert_string_equal(v.region_zh, "亚洲");
    assert_int_equal(v.model_year, 2023);
    /* a French Renault: VF1RFB00556000001
     *   products 40+42+6+45+24+6+0+0+0+45+48+0+0+0+0+0+2 = 258
     *   258 = 11*23 + 5 -> '5' -> OK; position 10 '5' = 2005 or 2035 -> 2005 */
    v = dec("VF1RFB00556000001");
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    assert_string_equal(v.manufacturer, "Renault");
    assert_string_equal(v.country_en, "France");
    assert_string_equal(v.region_en, "Europe");
    assert_int_equal(v.model_year, 2005);
    assert_int_equal(v.model_year_alt, 2035);
    /* a British Land Rover: SALGA2AE1KA000001
     *   products 16+7+18+35+4+6+2+50+0+18+8+0+0+0+0+0+2 = 166
     *   166 = 11*15 + 1 -> '1' -> OK; 'K' = 2019 */
    v = dec("SALGA2AE1KA000001");
    assert_int_equal(v.check, OBD_VIN_CHECK_OK);
    assert_string_equal(obd_vin_manufacturer(&v, OBD_LANG_ZH), "路虎");
    assert_string_equal(v.country_zh, "英国");
    assert_int_equal(v.model_year, 2019);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_lower_case),
        cmocka_unit_test(test_check_digit_classic),
        cmocka_unit_test(test_check_digit_worked),
        cmocka_unit_test(test_wmi_chinese),
        cmocka_unit_test(test_wmi_global),
        cmocka_unit_test(test_wmi_table_shape),
        cmocka_unit_test(test_country_region),
        cmocka_unit_test(test_model_year_north_america),
        cmocka_unit_test(test_model_year_elsewhere),
        cmocka_unit_test(test_full_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
