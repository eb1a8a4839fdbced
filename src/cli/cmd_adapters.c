/*
 * obdgw adapters [--json] [--all] [--config FILE]
 * The USB adapters plugged into this computer (libusb, usb_enum.c): port
 * path, VID:PID, chip, product, serial, tty, and the bay each one is bound
 * to in obdgwd's config (--config, else $OBDGW_CONFIG, else
 * /etc/obdgw/obdgw.conf when it exists). Unrecognised devices are listed
 * with --all; they are never used until a site id or binding says so.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/usb.h"

#define MAX_LIST 64

int cmd_adapters(cli_t *cli, int argc, char **argv)
{
    const char *config = NULL;
    bool all = false;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw adapters [--json] [--all] [--config FILE]\n  %s\n", T(cli, "usage", "用法"),
                   T(cli, "--all: every USB device, recognised or not; --config: the obdgwd config naming the bays",
                     "--all：列出所有 USB 设备（含未识别的）；--config：指定 obdgwd 配置文件（用于显示工位绑定）"));
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--all")) {
            all = true;
        } else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            config = argv[++i];
        } else {
            cli_err(cli, "adapters: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    bool explicit_cfg = config != NULL;
    if (!config)
        config = getenv("OBDGW_CONFIG");
    if (config && *config)
        explicit_cfg = true;
    else
        config = "/etc/obdgw/obdgw.conf";
    usb_conf_t conf;
    char err[300];
    int rc = usb_conf_load(config, &conf, err, sizeof err);
    if (rc == OBD_ENOTFOUND && !explicit_cfg) {
        memset(&conf, 0, sizeof conf);
    } else if (rc) {
        cli_err(cli, "adapters: %s: %s", T(cli, "config", "配置文件"), err);
        return rc == OBD_EFORMAT ? EXIT_DATA : EXIT_FAIL;
    }
    usb_site_ids_t env;
    if (usb_site_ids_from_env(&env, err, sizeof err) != OBD_OK) {
        cli_err(cli, "adapters: %s", err);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < env.n && conf.site.n < USB_SITE_MAX; i++)
        conf.site.ids[conf.site.n++] = env.ids[i];

    static usb_adapter_t list[MAX_LIST];
    size_t n = 0;
    rc = usb_enumerate(&conf.site, NULL, all, list, MAX_LIST, &n, err, sizeof err);
    if (rc) {
        cli_err(cli, "adapters: %s (%s)", err, T(cli, "cannot list USB devices", "无法列出 USB 设备"));
        return EXIT_FAIL;
    }
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON *arr = cJSON_AddArrayToObject(j, "adapters");
        for (size_t i = 0; i < n; i++) {
            const usb_adapter_t *a = &list[i];
            cJSON *o = cJSON_CreateObject();
            char vp[10];
            snprintf(vp, sizeof vp, "%04x:%04x", a->vid, a->pid);
            cJSON_AddStringToObject(o, "port", a->port);
            cJSON_AddStringToObject(o, "vid_pid", vp);
            cJSON_AddBoolToObject(o, "recognised", a->known);
            cJSON_AddStringToObject(o, "chip", a->chip);
            cJSON_AddStringToObject(o, "family", a->family);
            cJSON_AddStringToObject(o, "manufacturer", a->manufacturer);
            cJSON_AddStringToObject(o, "product", a->product);
            cJSON_AddStringToObject(o, "serial", a->serial);
            if (a->tty[0])
                cJSON_AddStringToObject(o, "tty", a->tty);
            else
                cJSON_AddNullToObject(o, "tty");
            int bay = usb_conf_bay_for(&conf, a);
            if (bay)
                cJSON_AddNumberToObject(o, "bay", bay);
            else
                cJSON_AddNullToObject(o, "bay");
            cJSON_AddItemToArray(arr, o);
        }
        cli_json_print(j);
        return EXIT_OK;
    }
    if (n == 0) {
        printf("%s\n", all ? T(cli, "no USB devices found", "未发现任何 USB 设备")
                           : T(cli, "no USB adapter is plugged in", "未插入任何 USB 诊断接头"));
        return EXIT_OK;
    }
    printf("%s %s %s %s %s %s %s\n", PAD(T(cli, "port", "端口"), 10), PAD("VID:PID", 10), PAD(T(cli, "chip", "芯片"), 14),
           PAD(T(cli, "product", "产品"), 22), PAD(T(cli, "serial", "序列号"), 14), PAD("tty", 14), T(cli, "bay", "工位"));
    for (size_t i = 0; i < n; i++) {
        const usb_adapter_t *a = &list[i];
        char vp[10], bay[48];
        snprintf(vp, sizeof vp, "%04x:%04x", a->vid, a->pid);
        int b = usb_conf_bay_for(&conf, a);
        if (b)
            snprintf(bay, sizeof bay, "%d", b);
        else
            snprintf(bay, sizeof bay, "%s", a->known ? T(cli, "unbound", "未绑定") : T(cli, "not an adapter", "非诊断接头"));
        printf("%s %s %s %s %s %s %s\n", PAD(a->port, 10), PAD(vp, 10),
               PAD(a->chip[0] ? a->chip : T(cli, "unknown", "未识别"), 14), PAD(a->product[0] ? a->product : "-", 22),
               PAD(a->serial[0] ? a->serial : "-", 14), PAD(a->tty[0] ? a->tty : T(cli, "(no tty)", "（无串口）"), 14), bay);
    }
    return EXIT_OK;
}
