/*
 * obdgw dtc CODE... [--wmi WMI | --vin VIN] [--lang en|zh] [--json]
 * obdgw dtc --stats [--json]
 *
 * Describes trouble codes from the DTC database. A code may be a two-byte
 * J2012 code ("P0301") or a UDS code with failure type ("P0301-13").
 */
#include <string.h>

#include "cli.h"
#include "obdgw/dtcdb.h"

static const char *cat_key(obd_dtc_cat_t c)
{
    static const char *k[4] = { "powertrain", "chassis", "body", "network" };
    return k[c & 3];
}
static const char *scope_key(obd_dtc_scope_t s)
{
    static const char *k[3] = { "generic", "manufacturer", "reserved" };
    return k[s % 3];
}

static int stats(cli_t *cli, dtcdb_t *db)
{
    dtcdb_stats_t st;
    if (dtcdb_stats(db, &st) != OBD_OK) {
        cli_err(cli, "%s: %s", dtcdb_path(db), T(cli, "cannot read the DTC database", "无法读取故障码数据库"));
        return EXIT_FAIL;
    }
    static const char letters[4] = { 'P', 'C', 'B', 'U' };
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "database", dtcdb_path(db));
        cJSON_AddNumberToObject(j, "total", (double)st.total);
        cJSON *cat = cJSON_AddObjectToObject(j, "by_category");
        for (int i = 0; i < 4; i++) {
            char k[2] = { letters[i], 0 };
            cJSON_AddNumberToObject(cat, k, (double)st.by_category[i]);
        }
        cJSON *lang = cJSON_AddObjectToObject(j, "by_language");
        cJSON_AddNumberToObject(lang, "en", (double)st.with_en);
        cJSON_AddNumberToObject(lang, "zh", (double)st.with_zh);
        cJSON_AddNumberToObject(j, "generic", (double)st.generic);
        cJSON_AddNumberToObject(j, "manufacturer", (double)st.manufacturer);
        cJSON_AddNumberToObject(j, "oem_packs", st.packs);
        cJSON_AddNumberToObject(j, "oem_pack_rows", (double)st.pack_rows);
        cli_json_print(j);
        return EXIT_OK;
    }
    printf("%s: %s\n", T(cli, "database", "数据库"), dtcdb_path(db));
    printf("%s: %ld\n", T(cli, "codes", "故障码总数"), st.total);
    for (int i = 0; i < 4; i++)
        printf("  %c  %-10s %6ld\n", letters[i], obd_dtc_category_name((obd_dtc_cat_t)i, cli->lang),
               st.by_category[i]);
    printf("%s: en %ld, zh %ld\n", T(cli, "with description", "有描述"), st.with_en, st.with_zh);
    printf("%s: %d (%ld %s)\n", T(cli, "OEM packs", "厂家扩展包"), st.packs, st.pack_rows,
           T(cli, "codes", "条"));
    return EXIT_OK;
}

int cmd_dtc(cli_t *cli, int argc, char **argv)
{
    const char *wmi = NULL;
    bool want_stats = false;
    int ncodes = 0;
    char **codes = argv + 1; /* codes are compacted to the front in place */
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--stats")) {
            want_stats = true;
        } else if ((!strcmp(argv[i], "--wmi") || !strcmp(argv[i], "--vin")) && i + 1 < argc) {
            wmi = argv[++i];
            if (strlen(wmi) < 3) {
                cli_err(cli, "%s: '%s' %s", argv[i - 1], wmi, T(cli, "is too short", "太短"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw dtc CODE... [--wmi WMI|--vin VIN] [--lang en|zh] [--json]\n"
                   "       obdgw dtc --stats [--json]\n",
                   T(cli, "usage", "用法"));
            return EXIT_OK;
        } else if (argv[i][0] == '-') {
            cli_err(cli, "dtc: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        } else {
            codes[ncodes++] = argv[i];
        }
    }
    if (!want_stats && ncodes == 0) {
        cli_err(cli, "dtc: %s", T(cli, "give a code such as P0301, or --stats", "请给出故障码（如 P0301）或 --stats"));
        return EXIT_USAGE;
    }
    dtcdb_t *db;
    int rc = dtcdb_open(&db, NULL, NULL);
    if (rc) {
        cli_err(cli, "%s (%s); %s", T(cli, "DTC database not found or unreadable", "找不到或无法读取故障码数据库"),
                obd_strerror(rc), T(cli, "set OBDGW_DTC_DB or reinstall", "请设置 OBDGW_DTC_DB 或重新安装"));
        return EXIT_FAIL;
    }
    if (want_stats) {
        int e = stats(cli, db);
        dtcdb_close(db);
        return e;
    }
    int exit_code = EXIT_OK;
    cJSON *arr = cli->json ? cJSON_CreateArray() : NULL;
    for (int k = 0; k < ncodes; k++) {
        uint32_t code24;
        bool has_ftb = strlen(codes[k]) > 5;
        if (uds_dtc_parse(codes[k], &code24) != OBD_OK) {
            cli_err(cli, "'%s' %s", codes[k],
                    T(cli, "is not a trouble code (expected e.g. P0301 or P0301-13)",
                      "不是有效的故障码（应为 P0301 或 P0301-13 这样的格式）"));
            exit_code = EXIT_USAGE;
            continue;
        }
        dtcdb_entry_t e;
        dtcdb_lookup(db, uds_dtc_base(code24), wmi, cli->lang, &e);
        const char *ftb = has_ftb ? uds_ftb_name(uds_dtc_ftb(code24), cli->lang) : NULL;
        if (!e.found && exit_code == EXIT_OK)
            exit_code = EXIT_NOTFOUND;
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            if (has_ftb) {
                char t[UDS_DTC_TEXT_LEN];
                uds_dtc_format(code24, t);
                cJSON_AddStringToObject(o, "code", t);
                cJSON_AddNumberToObject(o, "failure_type", uds_dtc_ftb(code24));
                if (ftb)
                    cJSON_AddStringToObject(o, "failure_type_description", ftb);
            } else {
                cJSON_AddStringToObject(o, "code", e.text);
            }
            cJSON_AddBoolToObject(o, "found", e.found);
            cJSON_AddStringToObject(o, "description", e.desc);
            cJSON_AddStringToObject(o, "category", cat_key(e.category));
            cJSON_AddStringToObject(o, "scope", scope_key(e.scope));
            if (e.found) {
                cJSON_AddStringToObject(o, "system", e.system);
                cJSON_AddStringToObject(o, "source", e.source);
            }
            cJSON_AddStringToObject(o, "lang", obd_lang_code(cli->lang));
            cJSON_AddItemToArray(arr, o);
            continue;
        }
        if (has_ftb) {
            char t[UDS_DTC_TEXT_LEN];
            uds_dtc_format(code24, t);
            printf("%-9s %s\n", t, e.desc);
            printf("          %s: %s\n", T(cli, "failure type", "故障类型"),
                   ftb ? ftb : T(cli, "(not a defined failure type)", "（未定义的故障类型）"));
        } else {
            printf("%-6s %s\n", e.text, e.desc);
        }
        printf("%s%s · %s", has_ftb ? "          " : "       ", obd_dtc_category_name(e.category, cli->lang),
               obd_dtc_scope_name(e.scope, cli->lang));
        if (e.found)
            printf(" · %s", dtcdb_system_name(e.system, cli->lang));
        if (e.found && strcmp(e.source, "generic"))
            printf(" · %s %s", T(cli, "OEM pack", "厂家扩展包"), e.source);
        putchar('\n');
    }
    if (arr)
        cli_json_print(arr);
    dtcdb_close(db);
    return exit_code;
}
