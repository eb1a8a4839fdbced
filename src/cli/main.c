/*
 * obdgw — the command-line tool. main() only reads the global options and
 * hands the rest of the command line to one subcommand.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/version.h"

static const struct {
    const char *name;
    int (*fn)(cli_t *, int, char **);
    const char *en, *zh;
} commands[] = {
    { "scan", cmd_scan, "full OBD scan: VIN, DTCs of every ECU, freeze frames, readiness",
      "完整 OBD 扫描：车架号、各控制单元故障码、冻结帧、就绪监测" },
    { "live", cmd_live, "stream live data (obdgw live --adapter DEV --pid rpm,speed)",
      "实时数据流（obdgw live --adapter DEV --pid rpm,speed）" },
    { "uds-scan", cmd_uds, "UDS full-system scan: every module's identification and DTCs (obdgw uds-scan --adapter can0)",
      "UDS 全车扫描：各控制单元识别信息与故障码（obdgw uds-scan --adapter can0）" },
    { "clear", cmd_clear, "clear DTCs after capturing a full scan (asks first)", "先完整扫描留证再清除故障码（需确认）" },
    { "wo", cmd_wo, "work orders: add, list, show, close, attach a scan, record consent for additional items",
      "维修工单：新建、列表、查看、关闭、关联扫描、记录增项客户确认" },
    { "qc", cmd_qc, "QC verdict for an RO: pre- vs post-repair scan (--sign INSPECTOR freezes the evidence)",
      "工单质检结论：维修前后扫描对比（--sign 质检员 签字封存证据）" },
    { "vehicle", cmd_vehicle, "a car's whole life in the workshop: ROs, scans, clears, QC, mileage, DTCs across visits",
      "车辆在店全记录：工单、扫描、清码、质检、里程、历次故障码" },
    { "followup", cmd_followup, "delivered ROs due for the 3-day call (--due), and recording the call (RO --done)",
      "交车后 3 天回访清单（--due）及记录回访（工单号 --done）" },
    { "stats", cmd_stats, "the service manager's figures: fix, comeback and QC rates, stage times against the standard (--json)",
      "服务经理看板：一次修复率、返修率、质检通过率、各环节用时对比标准（--json）" },
    { "report", cmd_report, "diagnostic or QC report of an RO or a scan: html, pdf or json, en or zh",
      "工单或扫描的诊断/质检报告：html、pdf 或 json，中英文" },
    { "dms", cmd_dms, "what the DMS was not told (obdgw dms pending), and sending it again (obdgw dms resend ID|--all)",
      "DMS 尚未收到的消息（obdgw dms pending）及重新发送（obdgw dms resend 编号|--all）" },
    { "audit", cmd_audit, "verify the audit log's hash chain (obdgw audit verify)", "校验审计日志哈希链（obdgw audit verify）" },
    { "purge", cmd_purge, "retention: delete old scans and recordings (the audit log stays)",
      "数据保留：删除过期扫描和数据流记录（审计日志保留）" },
    { "sim", cmd_sim, "vehicle + ELM327 simulator on a pty or TCP port (obdgw sim --pty)",
      "车辆与 ELM327 模拟器，提供伪终端或 TCP 端口（obdgw sim --pty）" },
    { "dtc", cmd_dtc, "describe trouble codes (obdgw dtc P0301 | --stats)", "查询故障码含义（obdgw dtc P0301 | --stats）" },
    { "signals", cmd_signals, "OEM signals (UDS $22 DIDs) from signalsets: obdgw signals --list [--vin VIN]",
      "主机厂信号（UDS $22 DID）信号集：obdgw signals --list [--vin VIN]" },
    { "pid", cmd_pid, "list or show live-data PIDs (obdgw pid --list | rpm)", "列出或查看数据流 PID（obdgw pid --list | rpm）" },
    { "decode", cmd_decode, "decode a raw ECU reply given in hex", "解析十六进制的 ECU 原始应答" },
    { "vin", cmd_vin, "decode a VIN (make, country, model year, check digit)", "解析车架号（品牌、国家、车型年份、校验位）" },
    { "consent", cmd_consent, "allow or revoke remote support for a bay (obdgw consent --bay 3 --grant --minutes 30)",
      "允许或撤销工位的远程支持（obdgw consent --bay 3 --grant --minutes 30）" },
    { "remote", cmd_remote, "remote engineer: bays, live, dtc, scan, propose-clear over MQTT (obdgw remote --help)",
      "远程工程师：通过 MQTT 查看工位、实时数据、故障码、扫描、提议清码（obdgw remote --help）" },
    { "confirm", cmd_confirm, "at the bay: show, run (--yes) or decline a remote engineer's proposed clear",
      "在工位：查看、执行（--yes）或拒绝远程工程师提议的清码" },
    { "adapters", cmd_adapters, "USB adapters plugged in: port, VID:PID, chip, serial, tty, bound bay (--json)",
      "已插入的 USB 诊断接头：端口、VID:PID、芯片、序列号、串口、绑定工位（--json）" },
    { "status", cmd_status, "state of the obdgwd bay service (scan/clear/live --bay N, qc/wo/report --daemon go through it too)",
      "诊断服务 obdgwd 状态（scan/clear/live --bay N、qc/wo/report --daemon 也经由它执行）" },
};

static void usage(const cli_t *cli, FILE *f)
{
    fprintf(f, "%s: obdgw [--lang en|zh] [--json] [--store FILE] COMMAND [ARGS]\n"
               "       obdgw --version | --help\n\n", T(cli, "usage", "用法"));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, T(cli, commands[i].en, commands[i].zh));
    fprintf(f, "\n%s\n", T(cli, "Run 'obdgw COMMAND --help' for a command's options.",
                          "运行 'obdgw 命令 --help' 查看该命令的选项。"));
}

static int version(void)
{
    char line[128];
    puts(obd_version_line("obdgw", line, sizeof line));
    return EXIT_OK;
}

/* Default language: --lang, else $OBDGW_LANG, else zh when $LANG is Chinese. */
static obd_lang_t default_lang(void)
{
    const char *v = getenv("OBDGW_LANG");
    if (v && obd_lang_parse(v) >= 0)
        return (obd_lang_t)obd_lang_parse(v);
    v = getenv("LANG");
    return (v && !strncmp(v, "zh", 2)) ? OBD_LANG_ZH : OBD_LANG_EN;
}

int main(int argc, char **argv)
{
    cli_t cli = { .lang = default_lang(), .json = false, .prog = "obdgw" };
    int i = 1;
    /* Global options may come before the command; commands accept them too. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--json")) {
            cli.json = true;
        } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
            int l = obd_lang_parse(argv[++i]);
            if (l < 0) {
                cli_err(&cli, "--lang: '%s' is not en or zh", argv[i]);
                return EXIT_USAGE;
            }
            cli.lang = (obd_lang_t)l;
        } else if (!strcmp(argv[i], "--store") && i + 1 < argc) {
            cli.store_path = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(&cli, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
            return version();
        } else {
            cli_err(&cli, "%s: '%s'", T(&cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(&cli, stderr);
        return EXIT_USAGE;
    }
    /* Every command answers --version (as every one answers --help), on
     * the command line as typed: before the route to obdgwd. */
    for (int k = i + 1; k < argc; k++)
        if (!strcmp(argv[k], "--version"))
            return version();
    if (cli_wants_daemon(argc - i, argv + i) && strcmp(argv[i], "status"))
        return cmd_daemon(&cli, argc - i, argv + i);
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (!strcmp(argv[i], commands[k].name))
            return commands[k].fn(&cli, argc - i, argv + i);
    cli_err(&cli, "%s: '%s'", T(&cli, "unknown command", "未知命令"), argv[i]);
    usage(&cli, stderr);
    return EXIT_USAGE;
}
