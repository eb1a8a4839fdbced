/*
 * ctl.c — the control socket: a UNIX stream socket the `obdgw` CLI talks
 * to. One request per connection: one line of JSON {"argv": [...]} in, one
 * line of JSON {"exit": N, "text": "...", ...} out (see loop.c).
 *
 * Who may use it: the file mode (socket_mode, default 0660) and, checked
 * again on every connection with SO_PEERCRED, root, the daemon's own user,
 * or a member of the socket file's group (the workshop's obdgw group).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"

static gid_t g_sock_gid;

int ctl_listen(const char *path, int mode, char *err, size_t errcap)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof a.sun_path) {
        snprintf(err, errcap, "control socket path too long: %s", path);
        return -1;
    }
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errcap, "socket: %s", strerror(errno));
        return -1;
    }
    /* A stale socket from a killed daemon: remove it only if nobody answers. */
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        snprintf(err, errcap, "control socket %s: another obdgwd is running", path);
        close(fd);
        return -1;
    }
    unlink(path);
    mode_t old = umask(0177);
    int rc = bind(fd, (struct sockaddr *)&a, sizeof a);
    umask(old);
    if (rc < 0 || chmod(path, (mode_t)mode) < 0 || listen(fd, 32) < 0) {
        snprintf(err, errcap, "control socket %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    struct stat sb;
    g_sock_gid = stat(path, &sb) == 0 ? sb.st_gid : getegid();
    return fd;
}

static bool in_group(uid_t uid, gid_t gid, gid_t want)
{
    if (gid == want)
        return true;
    struct passwd *pw = getpwuid(uid);
    if (!pw)
        return false;
    gid_t groups[64];
    int n = 64;
    if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
        return false;
    for (int i = 0; i < n; i++)
        if (groups[i] == want)
            return true;
    return false;
}

int ctl_accept(int lfd)
{
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return -1;
    struct ucred cr;
    socklen_t len = sizeof cr;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
        close(fd);
        return -1;
    }
    if (cr.uid != 0 && cr.uid != geteuid() && !in_group(cr.uid, cr.gid, g_sock_gid)) {
        dlog(LOG_LVL_WARN, "control: refused pid %d uid %u (not root, not obdgwd's user, not in group %u)",
             (int)cr.pid, (unsigned)cr.uid, (unsigned)g_sock_gid);
        const char *msg = "{\"exit\":5,\"text\":\"obdgwd: permission denied\"}\n";
        ssize_t w = write(fd, msg, strlen(msg));
        (void)w;
        close(fd);
        return -1;
    }
    return fd;
}
