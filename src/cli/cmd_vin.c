/*
 * obdgw vin VIN [--json] [--lang en|zh]
 * Decodes a VIN: manufacturer (WMI), country/region, model year, check digit.
 */
#include <string.h>

#include "cli.h"
#include "obdgw/vin.h"

int cmd_vin(cli_t *cli, int argc, char **argv)
{
    const char *vin = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw vin VIN [--json]\n", T(cli, "usage", "用法"));
            return EXIT_OK;
        }
        vin = argv[i];
    }
    obd_vin_info_t v;
    if (!vin || obd_vin_decode(vin, &v) != OBD_OK) {
        cli_err(cli, "vin: '%s' %s", vin ? vin : "",
                T(cli, "is not a VIN (17 characters, A-Z and 0-9 without I, O, Q)",
                  "不是有效的车架号（17 位，字母数字，不含 I、O、Q）"));
        return EXIT_USAGE;
    }
    static const char *check_key[] = { "ok", "mismatch", "not_used" };
    const char *maker = obd_vin_manufacturer(&v, cli->lang);
    const char *country = T(cli, v.country_en, v.country_zh);
    const char *region = T(cli, v.region_en, v.region_zh);
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "vin", v.vin);
        cJSON_AddStringToObject(j, "wmi", v.wmi);
        if (maker)
            cJSON_AddStringToObject(j, "manufacturer", maker);
        else
            cJSON_AddNullToObject(j, "manufacturer");
        if (country)
            cJSON_AddStringToObject(j, "country", country);
        if (region)
            cJSON_AddStringToObject(j, "region", region);
        if (v.model_year)
            cJSON_AddNumberToObject(j, "model_year", v.model_year);
        if (v.model_year_alt)
            cJSON_AddNumberToObject(j, "model_year_alt", v.model_year_alt);
        cJSON_AddStringToObject(j, "check_digit", check_key[v.check % 3]);
        char exp[2] = { v.expected_check, 0 };
        cJSON_AddStringToObject(j, "expected_check_digit", exp);
        cli_json_print(j);
        return EXIT_OK;
    }
    printf("VIN            %s\n", v.vin);
    printf("%s %s (%s)\n", PAD(T(cli, "manufacturer", "制造商"), 14), maker ? maker : T(cli, "unknown", "未知"), v.wmi);
    printf("%s %s%s%s\n", PAD(T(cli, "country", "国家/地区"), 14), country ? country : T(cli, "unknown", "未知"),
           region ? " · " : "", region ? region : "");
    if (v.model_year)
    {
        printf("%s %d", PAD(T(cli, "model year", "车型年份"), 14), v.model_year);
        if (v.model_year_alt) /* the same code names a year 30 years apart */
            printf("  (%s %d)", T(cli, "the code also stands for", "该代码也可表示"), v.model_year_alt);
        printf("\n");
    }
    printf("%s %s\n", PAD(T(cli, "check digit", "校验位"), 14),
           v.check == OBD_VIN_CHECK_OK         ? T(cli, "valid", "正确")
           : v.check == OBD_VIN_CHECK_MISMATCH ? T(cli, "does NOT match (typo, or a VIN from a region without one)",
                                                   "不符（可能录入错误，或该地区不使用校验位）")
                                               : T(cli, "not used", "未使用"));
    return EXIT_OK;
}
