/*
 * obdgw confirm --bay N [--yes | --decline] [--tech NAME]
 *
 * At the bay: a remote engineer's proposal (clear.propose over MQTT) is
 * shown (what, on which RO, by whom, until when); --yes runs it as the same
 * guarded clear as `obdgw clear --bay N --ro RO --yes` (the pre-clear scan,
 * the clear gate, the audit log; the technician is the actor), --decline
 * refuses it. Everything happens in obdgwd (src/daemon/remote_propose.c).
 */
#include <string.h>

#include "cli.h"

int cmd_confirm(cli_t *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw confirm --bay N [--yes | --decline] [--tech NAME]\n  %s\n", T(cli, "usage", "用法"),
                   T(cli,
                     "Show the clear a remote engineer proposed for this bay; --yes runs it through the same guarded "
                     "clear as obdgw clear --bay N --ro RO --yes (audited, you as the actor); --decline refuses it. "
                     "Unconfirmed proposals expire.",
                     "显示远程工程师为本工位提议的清码；--yes 按 obdgw clear --bay N --ro 工单 --yes 的同一受控流程执行"
                     "（记入审计日志，您为执行人）；--decline 拒绝。未确认的提议会过期。"));
            return EXIT_OK;
        }
    return cmd_daemon(cli, argc, argv);
}
