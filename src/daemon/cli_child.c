/*
 * cli_child.c — run the `obdgw` CLI installed beside obdgwd in a child
 * process. The daemon renders reports this way (QC sign-off PDFs, and
 * `obdgw report ... --daemon`): pango, cairo, fontconfig and glib (~4 MB
 * resident) then never load into the long-running daemon, and the report
 * is produced by exactly the code the standalone command runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"

int daemon_run_cli(const char *const *args, int out_fd, int err_fd, int *exit_code)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 8);
    if (n <= 0)
        return -errno;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -ENOENT;
    snprintf(slash + 1, sizeof exe - (size_t)(slash + 1 - exe), "obdgw");
    size_t na = 0;
    while (args[na])
        na++;
    if (na > 62)
        return -E2BIG;
    char *argv[64];
    argv[0] = exe;
    for (size_t i = 0; i < na; i++)
        argv[i + 1] = (char *)args[i];
    argv[na + 1] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (err_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    /* The daemon blocks SIGTERM/SIGINT/SIGHUP (signalfd) and ignores
     * SIGPIPE; the child gets the defaults back. */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    extern char **environ;
    int rc = posix_spawn(&pid, exe, &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) {
        dlog(LOG_LVL_WARN, "cannot run %s: %s", exe, strerror(rc));
        return -rc;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}
