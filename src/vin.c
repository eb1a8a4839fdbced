/*
 * vin.c — VIN form check, check digit (49 CFR 565.15, GB 16735),
 * country and region (ISO 3780 ranges), model year, maker via the WMI table
 * in vin_wmi.c. Pure; see include/obdgw/vin.h for the rules.
 */
#include <string.h>

#include "obdgw/vin.h"

/* Characters of the VIN alphabet in ISO 3780 order: the second character of
 * a country range runs A..Z (without I, O, Q), then 1..9, then 0. */
static const char vin_order[] = "ABCDEFGHJKLMNPRSTUVWXYZ1234567890";

/* Upper-cases c; returns 0 when c is not a VIN character. */
static char vin_norm(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (c >= '0' && c <= '9')
        return c;
    if (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q')
        return c;
    return 0;
}

/* Position of c in vin_order, -1 when not a VIN character. */
static int vin_rank(char c)
{
    const char *p = c ? strchr(vin_order, c) : NULL;
    return p ? (int)(p - vin_order) : -1;
}

/* Transliteration for the check digit: letters take the value of their
 * position in rows A-I, J-R, S-Z (1-9, 1-9, 2-9), with I, O, Q absent. */
static int vin_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    switch (c) {
    case 'A': case 'J': return 1;
    case 'B': case 'K': case 'S': return 2;
    case 'C': case 'L': case 'T': return 3;
    case 'D': case 'M': case 'U': return 4;
    case 'E': case 'N': case 'V': return 5;
    case 'F': case 'W': return 6;
    case 'G': case 'P': case 'X': return 7;
    case 'H': case 'Y': return 8;
    case 'R': case 'Z': return 9;
    default: return -1;
    }
}

static const int vin_weight[OBD_VIN_LEN] = { 8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2 };

/* Copies a 17-character VIN upper-cased into out[18]; false when the text is
 * not exactly 17 VIN characters. Reads at most 18 bytes of s. */
static bool vin_normalise(const char *s, char out[OBD_VIN_LEN + 1])
{
    if (!s)
        return false;
    for (int i = 0; i < OBD_VIN_LEN; i++) {
        char c = vin_norm(s[i]); /* s[i] == 0 (short text) gives 0 and stops here */
        if (!c)
            return false;
        out[i] = c;
    }
    if (s[OBD_VIN_LEN] != '\0')
        return false;
    out[OBD_VIN_LEN] = '\0';
    return true;
}

static char vin_check_of(const char v[OBD_VIN_LEN])
{
    int sum = 0;
    for (int i = 0; i < OBD_VIN_LEN; i++)
        sum += vin_value(v[i]) * vin_weight[i];
    int r = sum % 11;
    return r == 10 ? 'X' : (char)('0' + r);
}

char obd_vin_check_char(const char *vin)
{
    char v[OBD_VIN_LEN + 1];
    if (!vin_normalise(vin, v))
        return 0;
    return vin_check_of(v);
}

/* ---- country and region (ISO 3780) ------------------------------------- */

typedef enum { R_NONE, R_AFRICA, R_ASIA, R_EUROPE, R_NAMERICA, R_OCEANIA, R_SAMERICA } vin_region_t;

static const char *const region_en[] = {
    NULL, "Africa", "Asia", "Europe", "North America", "Oceania", "South America",
};
static const char *const region_zh[] = {
    NULL, "非洲", "亚洲", "欧洲", "北美洲", "大洋洲", "南美洲",
};

typedef struct {
    char first;          /* first VIN character */
    char from, to;       /* second character range, in vin_order order, inclusive */
    const char *en, *zh;
    vin_region_t region;
} vin_country_t;

/* Only ranges we could confirm; a pair outside them has no country. */
static const vin_country_t vin_countries[] = {
    /* Africa */
    { 'A', 'A', 'H', "South Africa", "南非", R_AFRICA },
    /* Asia */
    { 'J', 'A', '0', "Japan", "日本", R_ASIA },
    { 'K', 'A', 'E', "Sri Lanka", "斯里兰卡", R_ASIA },
    { 'K', 'F', 'K', "Israel", "以色列", R_ASIA },
    { 'K', 'L', 'R', "South Korea", "韩国", R_ASIA },
    { 'L', 'A', '0', "China", "中国", R_ASIA },
    { 'M', 'A', 'E', "India", "印度", R_ASIA },
    { 'M', 'F', 'K', "Indonesia", "印度尼西亚", R_ASIA },
    { 'M', 'L', 'R', "Thailand", "泰国", R_ASIA },
    { 'N', 'A', 'E', "Iran", "伊朗", R_ASIA },
    { 'N', 'F', 'K', "Pakistan", "巴基斯坦", R_ASIA },
    { 'N', 'L', 'R', "Turkey", "土耳其", R_ASIA },
    { 'P', 'A', 'E', "Philippines", "菲律宾", R_ASIA },
    { 'P', 'F', 'K', "Singapore", "新加坡", R_ASIA },
    { 'P', 'L', 'R', "Malaysia", "马来西亚", R_ASIA },
    { 'R', 'A', 'E', "United Arab Emirates", "阿联酋", R_ASIA },
    { 'R', 'F', 'K', "Taiwan, China", "中国台湾", R_ASIA },
    { 'R', 'L', 'R', "Vietnam", "越南", R_ASIA },
    { 'R', 'S', '0', "Saudi Arabia", "沙特阿拉伯", R_ASIA },
    /* Europe */
    { 'S', 'A', 'M', "United Kingdom", "英国", R_EUROPE },
    { 'S', 'N', 'T', "Germany", "德国", R_EUROPE },
    { 'S', 'U', 'Z', "Poland", "波兰", R_EUROPE },
    { 'S', '1', '4', "Latvia", "拉脱维亚", R_EUROPE },
    { 'T', 'A', 'H', "Switzerland", "瑞士", R_EUROPE },
    { 'T', 'J', 'P', "Czech Republic", "捷克", R_EUROPE },
    { 'T', 'R', 'V', "Hungary", "匈牙利", R_EUROPE },
    { 'T', 'W', '1', "Portugal", "葡萄牙", R_EUROPE },
    { 'U', 'H', 'M', "Denmark", "丹麦", R_EUROPE },
    { 'U', 'N', 'T', "Ireland", "爱尔兰", R_EUROPE },
    { 'U', 'U', 'Z', "Romania", "罗马尼亚", R_EUROPE },
    { 'U', '5', '7', "Slovakia", "斯洛伐克", R_EUROPE },
    { 'V', 'A', 'E', "Austria", "奥地利", R_EUROPE },
    { 'V', 'F', 'R', "France", "法国", R_EUROPE },
    { 'V', 'S', 'W', "Spain", "西班牙", R_EUROPE },
    { 'V', 'X', '2', "Serbia", "塞尔维亚", R_EUROPE },
    { 'V', '3', '5', "Croatia", "克罗地亚", R_EUROPE },
    { 'V', '6', '0', "Estonia", "爱沙尼亚", R_EUROPE },
    { 'W', 'A', '0', "Germany", "德国", R_EUROPE },
    { 'X', 'A', 'E', "Bulgaria", "保加利亚", R_EUROPE },
    { 'X', 'F', 'K', "Greece", "希腊", R_EUROPE },
    { 'X', 'L', 'R', "Netherlands", "荷兰", R_EUROPE },
    { 'X', 'S', 'W', "Russia", "俄罗斯", R_EUROPE },
    { 'X', 'X', '2', "Luxembourg", "卢森堡", R_EUROPE },
    { 'X', '3', '0', "Russia", "俄罗斯", R_EUROPE },
    { 'Y', 'A', 'E', "Belgium", "比利时", R_EUROPE },
    { 'Y', 'F', 'K', "Finland", "芬兰", R_EUROPE },
    { 'Y', 'S', 'W', "Sweden", "瑞典", R_EUROPE },
    { 'Y', 'X', '2', "Norway", "挪威", R_EUROPE },
    { 'Y', '3', '5', "Belarus", "白俄罗斯", R_EUROPE },
    { 'Y', '6', '0', "Ukraine", "乌克兰", R_EUROPE },
    { 'Z', 'A', 'R', "Italy", "意大利", R_EUROPE },
    { 'Z', 'X', '2', "Slovenia", "斯洛文尼亚", R_EUROPE },
    { 'Z', '3', '5', "Lithuania", "立陶宛", R_EUROPE },
    /* North America */
    { '1', 'A', '0', "United States", "美国", R_NAMERICA },
    { '2', 'A', '0', "Canada", "加拿大", R_NAMERICA },
    { '3', 'A', 'W', "Mexico", "墨西哥", R_NAMERICA },
    { '3', 'X', '7', "Costa Rica", "哥斯达黎加", R_NAMERICA },
    { '4', 'A', '0', "United States", "美国", R_NAMERICA },
    { '5', 'A', '0', "United States", "美国", R_NAMERICA },
    /* Oceania */
    { '6', 'A', 'W', "Australia", "澳大利亚", R_OCEANIA },
    { '7', 'A', 'E', "New Zealand", "新西兰", R_OCEANIA },
    { '7', 'F', '0', "United States", "美国", R_NAMERICA }, /* later SAE allocation */
    /* South America */
    { '8', 'A', 'E', "Argentina", "阿根廷", R_SAMERICA },
    { '8', 'F', 'K', "Chile", "智利", R_SAMERICA },
    { '8', 'L', 'R', "Ecuador", "厄瓜多尔", R_SAMERICA },
    { '8', 'S', 'W', "Peru", "秘鲁", R_SAMERICA },
    { '8', 'X', '2', "Venezuela", "委内瑞拉", R_SAMERICA },
    { '9', 'A', 'E', "Brazil", "巴西", R_SAMERICA },
    { '9', 'F', 'K', "Colombia", "哥伦比亚", R_SAMERICA },
    { '9', 'L', 'R', "Paraguay", "巴拉圭", R_SAMERICA },
    { '9', 'S', 'W', "Uruguay", "乌拉圭", R_SAMERICA },
    { '9', 'X', '2', "Trinidad and Tobago", "特立尼达和多巴哥", R_SAMERICA },
    { '9', '3', '9', "Brazil", "巴西", R_SAMERICA },
};

/* Continent of the first character (ISO 3780 zones). */
static vin_region_t vin_zone(char first)
{
    if (first >= 'A' && first <= 'H')
        return R_AFRICA;
    if (first >= 'J' && first <= 'R')
        return R_ASIA;
    if (first >= 'S' && first <= 'Z')
        return R_EUROPE;
    if (first >= '1' && first <= '5')
        return R_NAMERICA;
    if (first == '6' || first == '7')
        return R_OCEANIA;
    if (first == '8' || first == '9')
        return R_SAMERICA;
    return R_NONE; /* '0' */
}

static void vin_country(const char *v, obd_vin_info_t *out)
{
    vin_region_t region = vin_zone(v[0]);
    int r = vin_rank(v[1]);
    for (size_t i = 0; i < sizeof vin_countries / sizeof vin_countries[0]; i++) {
        const vin_country_t *c = &vin_countries[i];
        if (c->first == v[0] && r >= vin_rank(c->from) && r <= vin_rank(c->to)) {
            out->country_en = c->en;
            out->country_zh = c->zh;
            region = c->region;
            break;
        }
    }
    out->region_en = region_en[region];
    out->region_zh = region_zh[region];
}

/* ---- model year --------------------------------------------------------- */

/* Year codes of the 1980-2009 cycle in order; 30 codes. */
static const char vin_year_codes[] = "ABCDEFGHJKLMNPRSTVWXY123456789";

/* na: the VIN was made for North America (49 CFR 565 applies). */
static void vin_model_year(const char *v, bool na, obd_vin_info_t *out)
{
    const char *p = strchr(vin_year_codes, v[9]);
    if (!p)
        return; /* I, O, Q, U, Z, 0: not a year code */
    int early = 1980 + (int)(p - vin_year_codes);
    int late = early + 30;
    bool pick_late;
    if (na)
        pick_late = !(v[6] >= '0' && v[6] <= '9'); /* 49 CFR 565.15: position 7 */
    else
        pick_late = late <= OBD_VIN_YEAR_PIVOT;
    out->model_year = pick_late ? late : early;
    out->model_year_alt = pick_late ? early : late;
}

/* ---- public ------------------------------------------------------------- */

int obd_vin_decode(const char *vin, obd_vin_info_t *out)
{
    if (!out)
        return OBD_EINVAL;
    char v[OBD_VIN_LEN + 1];
    if (!vin_normalise(vin, v))
        return OBD_EFORMAT;
    memset(out, 0, sizeof *out);
    memcpy(out->vin, v, sizeof out->vin);
    memcpy(out->wmi, v, 3);
    out->wmi[3] = '\0';

    out->expected_check = vin_check_of(v);
    if (v[8] == out->expected_check)
        out->check = OBD_VIN_CHECK_OK;
    else if ((v[8] >= '0' && v[8] <= '9') || v[8] == 'X')
        out->check = OBD_VIN_CHECK_MISMATCH;
    else
        out->check = OBD_VIN_CHECK_NOT_USED;

    const obd_vin_wmi_t *m = obd_vin_wmi_find(out->wmi);
    if (m) {
        out->manufacturer = m->en;
        out->manufacturer_zh = m->zh;
    }
    vin_country(v, out);
    vin_model_year(v, out->region_en == region_en[R_NAMERICA], out);
    return OBD_OK;
}

const char *obd_vin_manufacturer(const obd_vin_info_t *v, obd_lang_t lang)
{
    if (!v || !v->manufacturer)
        return NULL;
    return obd_tr(lang, v->manufacturer, v->manufacturer_zh);
}
