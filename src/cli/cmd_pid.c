/*
 * obdgw pid --list [--json] [--lang en|zh]
 * obdgw pid NAME|NUMBER [--data HEX] [--json]
 *
 * Lists the service $01 PID table, shows one PID's fields, or decodes data
 * bytes for it ("obdgw pid rpm --data 1AF8" -> 1726 rpm).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/pid.h"

static cJSON *field_json(const cli_t *cli, const obd_field_t *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "key", f->key);
    cJSON_AddStringToObject(o, "name", T(cli, f->en, f->zh));
    cJSON_AddStringToObject(o, "unit", f->unit ? f->unit : "");
    if (f->kind == OBD_FK_UNSIGNED || f->kind == OBD_FK_SIGNED) {
        cJSON_AddNumberToObject(o, "min", f->min);
        cJSON_AddNumberToObject(o, "max", f->max);
    }
    static const char *kinds[] = { "unsigned", "signed", "flag", "enum", "bitmap", "dtc" };
    cJSON_AddStringToObject(o, "kind", f->kind < 6 ? kinds[f->kind] : "?");
    return o;
}

static cJSON *pid_json(const cli_t *cli, const obd_pid_t *p)
{
    cJSON *o = cJSON_CreateObject();
    char num[8];
    snprintf(num, sizeof num, "0x%02X", p->pid);
    cJSON_AddStringToObject(o, "pid", num);
    cJSON_AddStringToObject(o, "key", p->key);
    cJSON_AddStringToObject(o, "name", T(cli, p->en, p->zh));
    cJSON_AddNumberToObject(o, "bytes", p->len);
    cJSON *fs = cJSON_AddArrayToObject(o, "fields");
    for (unsigned i = 0; i < p->nfields; i++)
        cJSON_AddItemToArray(fs, field_json(cli, &p->fields[i]));
    return o;
}

static void print_range(const obd_field_t *f)
{
    if (f->kind == OBD_FK_UNSIGNED || f->kind == OBD_FK_SIGNED)
        printf("%g..%g %s", f->min, f->max, f->unit ? f->unit : "");
}

static int list(cli_t *cli)
{
    if (cli->json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < obd_pid_table_len; i++)
            cJSON_AddItemToArray(arr, pid_json(cli, &obd_pid_table[i]));
        cli_json_print(arr);
        return EXIT_OK;
    }
    printf("%-5s %-28s %-5s %s\n", "PID", T(cli, "key", "键名"), T(cli, "bytes", "字节"), T(cli, "name", "名称"));
    for (size_t i = 0; i < obd_pid_table_len; i++) {
        const obd_pid_t *p = &obd_pid_table[i];
        printf("0x%02X  %-28s %-5u %s", p->pid, p->key, p->len, T(cli, p->en, p->zh));
        if (p->nfields == 1 && (p->fields[0].kind == OBD_FK_UNSIGNED || p->fields[0].kind == OBD_FK_SIGNED)) {
            printf("  [");
            print_range(&p->fields[0]);
            printf("]");
        } else if (p->nfields > 1) {
            printf("  (%u %s)", p->nfields, T(cli, "fields", "个字段"));
        }
        putchar('\n');
    }
    printf("%zu PIDs\n", obd_pid_table_len);
    return EXIT_OK;
}

static int show(cli_t *cli, const obd_pid_t *p, const char *hex)
{
    if (!hex) {
        if (cli->json) {
            cli_json_print(pid_json(cli, p));
            return EXIT_OK;
        }
        printf("0x%02X %s — %s (%u %s)\n", p->pid, p->key, T(cli, p->en, p->zh), p->len, T(cli, "bytes", "字节"));
        for (unsigned i = 0; i < p->nfields; i++) {
            const obd_field_t *f = &p->fields[i];
            printf("  %-24s %s  ", f->key, T(cli, f->en, f->zh));
            print_range(f);
            putchar('\n');
        }
        return EXIT_OK;
    }
    unsigned char data[64];
    size_t n;
    if (cli_hex_parse(hex, data, sizeof data, &n) != OBD_OK) {
        cli_err(cli, "--data: '%s' %s", hex, T(cli, "is not hex bytes", "不是十六进制字节"));
        return EXIT_USAGE;
    }
    obd_value_t v[OBD_PID_MAX_FIELDS];
    int k = obd_pid_decode(p->pid, data, n, v, OBD_PID_MAX_FIELDS);
    if (k < 0) {
        cli_err(cli, "PID 0x%02X: %s (%s %u %s, %s %zu)", p->pid, obd_strerror(k), T(cli, "needs", "需要"), p->len,
                T(cli, "bytes", "字节"), T(cli, "got", "实际"), n);
        return EXIT_DATA;
    }
    cJSON *arr = cli->json ? cJSON_CreateArray() : NULL;
    for (int i = 0; i < k; i++) {
        char txt[96];
        obd_value_format(&v[i], cli->lang, txt, sizeof txt);
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "key", v[i].field->key);
            cJSON_AddStringToObject(o, "name", T(cli, v[i].field->en, v[i].field->zh));
            cJSON_AddBoolToObject(o, "available", v[i].available);
            if (v[i].available)
                cJSON_AddNumberToObject(o, "value", v[i].value);
            else
                cJSON_AddNullToObject(o, "value");
            cJSON_AddStringToObject(o, "unit", v[i].field->unit ? v[i].field->unit : "");
            cJSON_AddStringToObject(o, "text", txt);
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%s %s\n", PAD(T(cli, v[i].field->en, v[i].field->zh), 28), txt);
        }
    }
    if (arr)
        cli_json_print(arr);
    return EXIT_OK;
}

int cmd_pid(cli_t *cli, int argc, char **argv)
{
    bool want_list = false;
    const char *name = NULL, *hex = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--list"))
            want_list = true;
        else if (!strcmp(argv[i], "--data") && i + 1 < argc)
            hex = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw pid --list [--json] | obdgw pid NAME|0xNN [--data HEX] [--json]\n",
                   T(cli, "usage", "用法"));
            return EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1] && !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
            cli_err(cli, "pid: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        } else {
            name = argv[i];
        }
    }
    if (want_list)
        return list(cli);
    if (!name) {
        cli_err(cli, "pid: %s", T(cli, "give --list or a PID name/number", "请给出 --list 或 PID 名称/编号"));
        return EXIT_USAGE;
    }
    const obd_pid_t *p = obd_pid_find(name);
    if (!p) {
        cli_err(cli, "pid: '%s' %s", name,
                T(cli, "is not a known PID (see obdgw pid --list)", "不是已知的 PID（见 obdgw pid --list）"));
        return EXIT_NOTFOUND;
    }
    return show(cli, p, hex);
}
