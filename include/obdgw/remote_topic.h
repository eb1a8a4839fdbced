/*
 * remote_topic.h — the identity of a remote request, taken from its topic
 * (pure: strings in, fields out; no I/O).
 *
 * A remote engineer publishes on dms/v1/{site}/req/{user}/{name}; the
 * broker's ACL (hw/mosquitto/group-acl, pattern dms/v1/+/req/%u/+) lets a
 * client publish only under its own username, so {user} is who the broker
 * authenticated (password or certificate CN with use_identity_as_username),
 * never a name the payload declares. Replies go to
 * obdgw/v1/{site}/resp/{user}[/...], which the same ACL lets only {user}
 * read (pattern obdgw/v1/+/resp/%u/#).
 */
#ifndef OBDGW_REMOTE_TOPIC_H
#define OBDGW_REMOTE_TOPIC_H

#include <stdbool.h>
#include <stddef.h>

#define OBD_RUSER_MAX 64 /* buffer size: 1..63 characters */
#define OBD_RNAME_MAX 32 /* buffer size: 1..31 characters */

typedef enum {
    OBD_RT_OK = 0,
    OBD_RT_NOT_REQ,   /* not below dms/v1/{site}/req/ */
    OBD_RT_NO_USER,   /* dms/v1/{site}/req/{name}: the old form without an identity */
    OBD_RT_BAD_USER,  /* the user level is empty, too long or has characters outside [A-Za-z0-9._@-] */
    OBD_RT_BAD_NAME,  /* the request name is empty, too long, outside [a-z0-9._], or more levels follow */
} obd_rtopic_t;

/* A user name as the gateway accepts it: 1..63 of [A-Za-z0-9._@-]. */
bool obd_remote_user_ok(const char *u, size_t n);

/* Split `topic` (len bytes, not NUL-terminated necessarily) of site `site`
 * into user and name. user/name are "" unless OBD_RT_OK (name is also set
 * for OBD_RT_NO_USER when it is a valid name). */
obd_rtopic_t obd_remote_req_topic(const char *topic, size_t len, const char *site, char user[OBD_RUSER_MAX],
                                  char name[OBD_RNAME_MAX]);

/* True when `topic` is obdgw/v1/{site}/resp/{user} or below it, has no
 * wildcard, no empty level and is under 257 bytes: the only places the
 * gateway answers `user`. */
bool obd_remote_resp_ok(const char *topic, const char *site, const char *user);

/* "obdgw/v1/{site}/resp/{user}/bay/{bay}/live": where `user`'s live stream goes. */
int obd_remote_live_topic(char *out, size_t cap, const char *site, const char *user, int bay);

#endif
