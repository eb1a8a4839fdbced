/*
 * config.c — obdgwd.conf (INI, parsed by libinih) into a dcfg_t.
 *
 * A table of keys per section (name, type, bounds, where it goes): every
 * key is checked when read, the whole file is checked after (bays unique,
 * TLS needs a CA, ...), and the first problem is reported with the file,
 * the section, the key and the value. Unknown keys are errors too: a typo
 * must not silently leave a default in place. The caller loads into a fresh
 * struct and swaps it in only when the load succeeded (SIGHUP).
 *
 *   [gateway]  site store socket socket_mode reports language retention_days
 *              log_level log health_interval
 *   [mqtt]     broker client_id username password ca cert key keepalive
 *              version inflight max_inbound outbox_max_messages outbox_max_bytes
 *   [bay N]    adapter protocol usb_port usb_serial on_plug
 *   [usb]      extra_ids
 *
 * A bay names its adapter once: adapter = PATH, or usb_port = 1-1.3 (the
 * socket) or usb_serial = A50285BI (the cable); two bays may never claim
 * the same USB adapter (the error names both).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "daemon.h"

typedef enum { K_STR, K_INT, K_I64, K_OCT, K_LANG, K_LEVEL, K_LOGTO } ktype_t;

typedef struct {
    const char *name;
    ktype_t type;
    size_t off;
    size_t cap;         /* strings */
    long long lo, hi;   /* numbers */
} key_t_;

#define S(n, f) { n, K_STR, offsetof(dcfg_t, f), sizeof(((dcfg_t *)0)->f), 0, 0 }
#define I(n, f, lo, hi) { n, K_INT, offsetof(dcfg_t, f), 0, lo, hi }
#define L(n, f, lo, hi) { n, K_I64, offsetof(dcfg_t, f), 0, lo, hi }

static const key_t_ gateway_keys[] = {
    S("site", site), S("store", store), S("socket", socket),
    { "socket_mode", K_OCT, offsetof(dcfg_t, socket_mode), 0, 0600, 0666 },
    S("reports", reports),
    { "language", K_LANG, offsetof(dcfg_t, lang), 0, 0, 0 },
    I("retention_days", retention_days, 0, 36500),
    { "log_level", K_LEVEL, offsetof(dcfg_t, log_level), 0, 0, 0 },
    { "log", K_LOGTO, offsetof(dcfg_t, log_syslog), 0, 0, 0 },
    I("health_interval", health_interval_s, 1, 86400),
};

static const key_t_ mqtt_keys[] = {
    S("broker", broker), S("client_id", client_id), S("username", username), S("password", password),
    S("ca", ca), S("cert", cert), S("key", key),
    I("keepalive", keepalive_s, 5, 3600),
    I("version", mqtt_version, 0, 5),
    I("inflight", inflight, 1, 65535),
    I("max_inbound", max_inbound, 1024, 16 << 20),
    L("outbox_max_messages", outbox_max_messages, 100, 100000000LL),
    L("outbox_max_bytes", outbox_max_bytes, 1 << 20, 64LL << 30),
};

#define MAX_KEYS 512
typedef struct {
    dcfg_t *cfg;
    const char *path;
    char *err;
    size_t errcap;
    bool failed;
    size_t nseen;
    char seen[MAX_KEYS][80]; /* "section\x1fkey" of every key read: a key twice is refused */
} pctx_t;

static int fail(pctx_t *p, const char *section, const char *name, const char *value, const char *why)
{
    if (!p->failed)
        snprintf(p->err, p->errcap, "%s: [%s] %s = '%s': %s", p->path, section, name, value, why);
    p->failed = true;
    return 0;
}

static bool parse_ll(const char *v, int base, long long *out)
{
    if (!*v)
        return false;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, base);
    while (*end && isspace((unsigned char)*end))
        end++;
    if (errno || *end)
        return false;
    *out = x;
    return true;
}

static int set_key(pctx_t *p, const key_t_ *k, const char *section, const char *name, const char *value)
{
    char *base = (char *)p->cfg;
    char why[96];
    switch (k->type) {
    case K_STR:
        if (!*value)
            return fail(p, section, name, value, "empty (leave the line out for the default)");
        if (strlen(value) >= k->cap) {
            snprintf(why, sizeof why, "longer than %zu characters", k->cap - 1);
            return fail(p, section, name, value, why);
        }
        snprintf(base + k->off, k->cap, "%s", value);
        return 1;
    case K_INT:
    case K_I64:
    case K_OCT: {
        long long x;
        if (!parse_ll(value, k->type == K_OCT ? 8 : 10, &x))
            return fail(p, section, name, value, k->type == K_OCT ? "not an octal number" : "not a whole number");
        if (x < k->lo || x > k->hi) {
            snprintf(why, sizeof why, k->type == K_OCT ? "outside %llo..%llo" : "outside %lld..%lld", k->lo, k->hi);
            return fail(p, section, name, value, why);
        }
        if (k->type == K_I64)
            *(int64_t *)(base + k->off) = x;
        else
            *(int *)(base + k->off) = (int)x;
        return 1;
    }
    case K_LANG: {
        int l = obd_lang_parse(value);
        if (l < 0)
            return fail(p, section, name, value, "not en or zh");
        *(obd_lang_t *)(base + k->off) = (obd_lang_t)l;
        return 1;
    }
    case K_LEVEL: {
        int l = dlog_level_parse(value);
        if (l < 0)
            return fail(p, section, name, value, "not error, warning, info or debug");
        *(int *)(base + k->off) = l;
        return 1;
    }
    case K_LOGTO:
        if (strcmp(value, "stderr") && strcmp(value, "syslog"))
            return fail(p, section, name, value, "not stderr or syslog");
        *(bool *)(base + k->off) = !strcmp(value, "syslog");
        return 1;
    }
    return fail(p, section, name, value, "internal: key type");
}

static int table(pctx_t *p, const key_t_ *t, size_t n, const char *section, const char *name, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].name, name))
            return set_key(p, &t[i], section, name, value);
    return fail(p, section, name, value, "unknown key");
}

static dcfg_bay_t *bay_for(pctx_t *p, const char *section)
{
    long long id;
    const char *num = section + 4;
    while (*num == ' ')
        num++;
    if (!parse_ll(num, 10, &id) || id < 1 || id > 99) {
        fail(p, section, "(section)", section, "bay sections are [bay N] with N in 1..99");
        return NULL;
    }
    for (size_t i = 0; i < p->cfg->nbays; i++)
        if (p->cfg->bays[i].id == (int)id)
            return &p->cfg->bays[i];
    if (p->cfg->nbays >= DCFG_MAX_BAYS) {
        fail(p, section, "(section)", section, "too many bays (at most 32)");
        return NULL;
    }
    dcfg_bay_t *b = &p->cfg->bays[p->cfg->nbays++];
    memset(b, 0, sizeof *b);
    b->id = (int)id;
    return b;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    pctx_t *p = user;
    if (p->failed)
        return 0;
    char id[80];
    snprintf(id, sizeof id, "%s\x1f%s", section, name);
    for (size_t i = 0; i < p->nseen; i++)
        if (!strcmp(p->seen[i], id))
            return fail(p, section, name, value, "given twice (each key once per section)");
    if (p->nseen < MAX_KEYS)
        snprintf(p->seen[p->nseen++], sizeof p->seen[0], "%s", id);
    if (!strcmp(section, "gateway"))
        return table(p, gateway_keys, sizeof gateway_keys / sizeof gateway_keys[0], section, name, value);
    if (!strcmp(section, "mqtt"))
        return table(p, mqtt_keys, sizeof mqtt_keys / sizeof mqtt_keys[0], section, name, value);
    if (!strcmp(section, "usb")) {
        if (strcmp(name, "extra_ids"))
            return fail(p, section, name, value, "unknown key");
        char why[160];
        if (usb_site_ids_parse(value, &p->cfg->usb_ids, why, sizeof why) != OBD_OK)
            return fail(p, section, name, value, why);
        return 1;
    }
    if (!strncmp(section, "bay", 3) && (section[3] == ' ' || isdigit((unsigned char)section[3]))) {
        dcfg_bay_t *b = bay_for(p, section);
        if (!b)
            return 0;
        if (!strcmp(name, "adapter")) {
            if (!*value || strlen(value) >= sizeof b->adapter)
                return fail(p, section, name, value, "empty or longer than 255 characters");
            snprintf(b->adapter, sizeof b->adapter, "%s", value);
            return 1;
        }
        if (!strcmp(name, "usb_port")) {
            if (!usb_port_path_valid(value))
                return fail(p, section, name, value, "a USB port path BUS-PORT[.PORT...] as `obdgw adapters` shows it, e.g. 1-1.3");
            snprintf(b->usb_port, sizeof b->usb_port, "%s", value);
            return 1;
        }
        if (!strcmp(name, "usb_serial")) {
            if (!usb_serial_valid(value))
                return fail(p, section, name, value, "1-127 printable characters without spaces, ':' or ','");
            snprintf(b->usb_serial, sizeof b->usb_serial, "%s", value);
            return 1;
        }
        if (!strcmp(name, "on_plug")) {
            if (strcmp(value, "scan") && strcmp(value, "none"))
                return fail(p, section, name, value, "scan (a reception scan when the adapter is plugged in) or none");
            b->on_plug_scan = !strcmp(value, "scan");
            return 1;
        }
        if (!strcmp(name, "protocol")) {
            long long x;
            if (!parse_ll(value, 16, &x) || x < 0 || x >= OBD_PROTO_COUNT)
                return fail(p, section, name, value, "0 = auto, 1-9 or A-C as the ELM327 numbers them");
            b->protocol = (int)x;
            return 1;
        }
        return fail(p, section, name, value, "unknown key");
    }
    return fail(p, section, name, value, "unknown section");
}

static bool site_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

/* Before libinih reads the file: it must be a regular file; no line may be
 * longer than what libinih reads at once (INI_MAX_LINE, 200 in Debian's
 * build: a longer line would come back as two "lines"); no section may
 * appear twice (libinih would merge them silently). */
#define CFG_MAX_LINE (INI_MAX_LINE - 2)
static int prescan(const char *path, char *err, size_t errcap)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return snprintf(err, errcap, "%s: cannot read: %s", path, strerror(errno)), -EINVAL;
    if (!S_ISREG(sb.st_mode))
        return snprintf(err, errcap, "%s: not a regular file%s", path, S_ISDIR(sb.st_mode) ? " (a directory)" : ""),
               -EINVAL;
    FILE *f = fopen(path, "r");
    if (!f)
        return snprintf(err, errcap, "%s: cannot read: %s", path, strerror(errno)), -EINVAL;
    char line[4096], sections[DCFG_MAX_BAYS + 8][40];
    size_t nsec = 0;
    int no = 0, rc = 0;
    bool cont = false;
    while (!rc && fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        bool whole = n && line[n - 1] == '\n';
        if (!cont)
            no++;
        size_t len = n - (whole ? 1 : 0);
        if (len && line[len - 1] == '\r')
            len--;
        if (cont || len > CFG_MAX_LINE) {
            rc = (snprintf(err, errcap, "%s: line %d is longer than %d characters", path, no, CFG_MAX_LINE), -EINVAL);
            break;
        }
        cont = !whole && !feof(f);
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '[') {
            char *e = strchr(p, ']');
            if (!e)
                continue; /* libinih reports it */
            *e = 0;
            char *name = p + 1;
            while (*name == ' ')
                name++;
            for (char *t = e - 1; t >= name && *t == ' '; t--)
                *t = 0;
            /* [bay 1] and [bay1] are the same bay */
            char norm[40];
            if (!strncmp(name, "bay", 3)) {
                const char *num = name + 3;
                while (*num == ' ')
                    num++;
                snprintf(norm, sizeof norm, "bay %ld", strtol(num, NULL, 10));
            } else {
                snprintf(norm, sizeof norm, "%s", name);
            }
            for (size_t i = 0; i < nsec; i++)
                if (!strcmp(sections[i], norm)) {
                    rc = (snprintf(err, errcap, "%s: line %d: section [%s] appears twice", path, no, norm), -EINVAL);
                    break;
                }
            if (!rc && nsec < sizeof sections / sizeof sections[0])
                snprintf(sections[nsec++], sizeof sections[0], "%s", norm);
        }
    }
    fclose(f);
    return rc;
}

int dcfg_load(const char *path, dcfg_t *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    snprintf(out->site, sizeof out->site, "site1");
    snprintf(out->store, sizeof out->store, "/var/lib/obdgw/obdgw.db");
    snprintf(out->socket, sizeof out->socket, "/run/obdgw/obdgwd.sock");
    snprintf(out->reports, sizeof out->reports, "/var/lib/obdgw/reports");
    out->socket_mode = 0660;
    out->lang = OBD_LANG_EN;
    out->log_level = LOG_LVL_INFO;
    out->health_interval_s = 60;
    out->keepalive_s = 30;
    out->inflight = 512;
    out->max_inbound = 256 * 1024;
    out->outbox_max_messages = OUTBOX_DEFAULT_MAX_MESSAGES;
    out->outbox_max_bytes = OUTBOX_DEFAULT_MAX_BYTES;
    if (prescan(path, err, errcap))
        return -EINVAL;
    static pctx_t p; /* the loop thread only (start and SIGHUP) */
    memset(&p, 0, sizeof p);
    p.cfg = out;
    p.path = path;
    p.err = err;
    p.errcap = errcap;
    int rc = ini_parse(path, on_key, &p);
    if (rc < 0) {
        snprintf(err, errcap, "%s: cannot read: %s", path, strerror(errno));
        return -EINVAL;
    }
    if (p.failed)
        return -EINVAL;
    if (rc > 0) {
        snprintf(err, errcap, "%s: line %d: not 'key = value' or '[section]'", path, rc);
        return -EINVAL;
    }
    /* whole-file checks */
    if (!site_ok(out->site))
        return snprintf(err, errcap, "%s: [gateway] site = '%s': letters, digits, - and _ only (used in topics)", path,
                        out->site), -EINVAL;
    for (size_t i = 0; i < out->nbays; i++) {
        const dcfg_bay_t *b = &out->bays[i];
        int given = !!b->adapter[0] + !!b->usb_port[0] + !!b->usb_serial[0];
        if (given == 0)
            return snprintf(err, errcap, "%s: [bay %d] adapter = '': every bay needs an adapter (adapter, usb_port or usb_serial)",
                            path, b->id), -EINVAL;
        if (given > 1)
            return snprintf(err, errcap, "%s: [bay %d]: give one of adapter, usb_port, usb_serial (the bay's adapter, once)",
                            path, b->id), -EINVAL;
        if (b->on_plug_scan && !b->usb_port[0] && !b->usb_serial[0])
            return snprintf(err, errcap, "%s: [bay %d] on_plug = scan: needs usb_port or usb_serial (plugging is seen on USB)",
                            path, b->id), -EINVAL;
        for (size_t k = 0; k < i; k++) {
            const dcfg_bay_t *o = &out->bays[k];
            if (b->usb_port[0] && !strcmp(b->usb_port, o->usb_port))
                return snprintf(err, errcap, "%s: [bay %d] and [bay %d] both claim usb_port = %s (one adapter, one bay)",
                                path, o->id, b->id, b->usb_port), -EINVAL;
            if (b->usb_serial[0] && !strcmp(b->usb_serial, o->usb_serial))
                return snprintf(err, errcap, "%s: [bay %d] and [bay %d] both claim usb_serial = %s (one adapter, one bay)",
                                path, o->id, b->id, b->usb_serial), -EINVAL;
            if (b->adapter[0] && !strcmp(b->adapter, o->adapter) && strncmp(b->adapter, "sim", 3))
                return snprintf(err, errcap, "%s: [bay %d] and [bay %d] both claim adapter = %s (one adapter, one bay)",
                                path, o->id, b->id, b->adapter), -EINVAL;
        }
    }
    if (out->broker[0]) {
        const char *u = out->broker;
        bool tls = !strncmp(u, "ssl://", 6) || !strncmp(u, "mqtts://", 8);
        if (!tls && strncmp(u, "tcp://", 6) && strncmp(u, "mqtt://", 7))
            return snprintf(err, errcap, "%s: [mqtt] broker = '%s': use tcp://, mqtt://, ssl:// or mqtts://", path, u),
                   -EINVAL;
        if (tls && !out->ca[0])
            return snprintf(err, errcap, "%s: [mqtt] ca = '': a TLS broker (%s) needs a CA file to verify it", path, u),
                   -EINVAL;
        const char *files[][2] = { { "ca", out->ca }, { "cert", out->cert }, { "key", out->key } };
        for (size_t i = 0; i < 3; i++)
            if (files[i][1][0] && access(files[i][1], R_OK) != 0)
                return snprintf(err, errcap, "%s: [mqtt] %s = '%s': %s", path, files[i][0], files[i][1],
                                strerror(errno)), -EINVAL;
        if (!!out->cert[0] != !!out->key[0])
            return snprintf(err, errcap, "%s: [mqtt] cert = '%s', key = '%s': give both or neither", path, out->cert,
                            out->key), -EINVAL;
        if (out->mqtt_version != 0 && out->mqtt_version != 4 && out->mqtt_version != 5)
            return snprintf(err, errcap, "%s: [mqtt] version = '%d': 0 (auto), 4 (3.1.1) or 5", path,
                            out->mqtt_version), -EINVAL;
    }
    if (!out->client_id[0])
        snprintf(out->client_id, sizeof out->client_id, "obdgwd-%s", out->site);
    return 0;
}
