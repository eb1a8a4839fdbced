# tests/daemon/lib.sh — helpers for the bay-service tests and the demo:
# a private mosquitto on a random loopback port (TLS, passwords, ACL), TLS
# material made with openssl, obdgwd with a generated config, counting what
# the DMS stand-in (mosquitto_sub) received. POSIX sh; source it.

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# A free-looking random high port.
pick_port() {
    while :; do
        p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
        if ! listening $p; then echo $p; return; fi
    done
}

# make_tls DIR: CA, server cert for 127.0.0.1, one client cert (gateway + DMS).
make_tls() {
    d=$1
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=obdgw test CA" \
        -keyout "$d/ca.key" -out "$d/ca.crt" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/san.ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -extfile "$d/san.ext" -out "$d/server.crt" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=obdgw-client" -keyout "$d/client.key" -out "$d/client.csr" >/dev/null 2>&1
    openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -out "$d/client.crt" >/dev/null 2>&1
    chmod 644 "$d"/*.key
}

# broker_conf DIR PORT [tls]: mosquitto config with passwords and an ACL.
broker_conf() {
    d=$1; port=$2; tls=${3:-}
    mosquitto_passwd -b -c "$d/passwd" gw gwpass >/dev/null 2>&1
    mosquitto_passwd -b "$d/passwd" dms dmspass >/dev/null 2>&1
    cat >"$d/acl" <<ACL
user gw
topic write obdgw/v1/ws01/#
topic read dms/v1/ws01/#
topic read \$SYS/#
user dms
topic read obdgw/v1/ws01/#
topic write dms/v1/ws01/#
ACL
    {
        echo "per_listener_settings false"
        echo "listener $port 127.0.0.1"
        if [ -n "$tls" ]; then
            echo "cafile $d/ca.crt"; echo "certfile $d/server.crt"; echo "keyfile $d/server.key"
            echo "require_certificate true"
        fi
        echo "allow_anonymous false"
        echo "password_file $d/passwd"
        echo "acl_file $d/acl"
        echo "persistence true"
        echo "persistence_location $d/"
        echo "max_queued_messages 0"
        echo "max_inflight_messages 0"
        echo "log_dest file $d/mosquitto.log"
        [ "$(id -u)" -eq 0 ] && echo "user root"
    } >"$d/mosquitto.conf"
    chmod 644 "$d/passwd" "$d/acl"
}

broker_start() { # DIR PORT
    mosquitto -c "$1/mosquitto.conf" >>"$1/mosquitto.out" 2>&1 &
    echo $! >"$1/mosquitto.pid"
    i=0; while [ $i -lt 100 ]; do
        listening "$2" && return 0
        sleep 0.05; i=$((i + 1))
    done
    echo "mosquitto did not start: $(cat "$1/mosquitto.out")" >&2; return 1
}

broker_stop() { # DIR (SIGTERM: mosquitto saves its persistence file)
    [ -f "$1/mosquitto.pid" ] || return 0
    pid=$(cat "$1/mosquitto.pid"); kill "$pid" 2>/dev/null
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    rm -f "$1/mosquitto.pid"
}

# sub_opts DIR PORT TLS: connection options for mosquitto_sub/pub as the DMS.
dms_opts() {
    if [ -n "${3:-}" ]; then
        echo "-h 127.0.0.1 -p $2 -u dms -P dmspass --cafile $1/ca.crt --cert $1/client.crt --key $1/client.key"
    else
        echo "-h 127.0.0.1 -p $2 -u dms -P dmspass"
    fi
}

# The DMS stand-in: a persistent QoS 1 session that prints one line per message.
# mosquitto_sub sometimes exits ("Error: Protocol error") when the broker is
# stopped instead of reconnecting, as a real DMS client would: start it again.
# Its session is persistent, so the broker kept what arrived meanwhile.
dms_sub_start() { # DIR PORT TLS OUTFILE
    rm -f "$1/sub.stop"
    (
        while [ ! -f "$1/sub.stop" ]; do
            # shellcheck disable=SC2046
            mosquitto_sub $(dms_opts "$1" "$2" "$3") -q 1 -c -i "dms-standin-$$" -t 'obdgw/v1/ws01/#' -v \
                >>"$4" 2>>"$1/sub.err" &
            echo $! >"$1/sub.pid"
            wait $!
            sleep 0.2
        done
    ) &
    sleep 0.3
}
dms_sub_stop() {
    [ -f "$1/sub.pid" ] || return 0
    touch "$1/sub.stop"
    kill "$(cat "$1/sub.pid")" 2>/dev/null
    i=0; while [ -f "$1/sub.pid" ] && kill -0 "$(cat "$1/sub.pid")" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.05; i=$((i + 1))
    done
    sleep 0.3 # the restart loop sees sub.stop and ends
    rm -f "$1/sub.pid"
}

# daemon_conf DIR PORT TLS NBAYS [BAY_ADAPTER]
daemon_conf() {
    d=$1; port=$2; tls=$3; n=$4; ad=${5:-sim}
    {
        echo "[gateway]"; echo "site = ws01"; echo "store = $d/obdgw.db"; echo "socket = $d/obdgwd.sock"
        echo "reports = $d/reports"; echo "log_level = ${OBDGWD_LOG_LEVEL:-info}"; echo "health_interval = 3600"
        echo "[mqtt]"
        if [ -n "$tls" ]; then
            echo "broker = ssl://127.0.0.1:$port"; echo "ca = $d/ca.crt"; echo "cert = $d/client.crt"; echo "key = $d/client.key"
        else
            echo "broker = tcp://127.0.0.1:$port"
        fi
        echo "username = gw"; echo "password = gwpass"; echo "keepalive = 5"
        echo "max_inbound = 65536"
        i=1; while [ $i -le "$n" ]; do echo "[bay $i]"; echo "adapter = $ad"; i=$((i + 1)); done
    } >"$d/obdgw.conf"
}

daemon_start() { # DIR OBDGWD
    rm -f "$1/obdgwd.sock" # a kill -9 leaves the old one: wait for the new daemon's
    "$2" --config "$1/obdgw.conf" >>"$1/obdgwd.log" 2>&1 &
    echo $! >"$1/obdgwd.pid"
    i=0; while [ $i -lt 100 ]; do [ -S "$1/obdgwd.sock" ] && return 0; sleep 0.05; i=$((i + 1)); done
    echo "obdgwd did not start:" >&2; cat "$1/obdgwd.log" >&2; return 1
}
daemon_stop() { # DIR [SIGNAL]
    [ -f "$1/obdgwd.pid" ] || return 0
    pid=$(cat "$1/obdgwd.pid"); kill -"${2:-TERM}" "$pid" 2>/dev/null
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
    rm -f "$1/obdgwd.pid"
}

# outbox_count DB: messages waiting (sqlite3 CLI not assumed: use obdgw status).
outbox_len() { # OBDGW SOCKET
    OBDGW_SOCKET=$2 "$1" status --json 2>/dev/null | tr -d ' \n\t' | sed -n 's/.*"outbox":{"messages":\([0-9]*\).*/\1/p'
}

# wait_drained OBDGW SOCKET SECONDS: until the outbox is empty.
wait_drained() {
    end=$(( $(date +%s) + $3 ))
    while [ "$(date +%s)" -le $end ]; do
        [ "$(outbox_len "$1" "$2")" = 0 ] && return 0
        sleep 0.2
    done
    return 1
}

# Unique and total test messages with this prefix in a subscriber log.
count_unique() { grep -o "\"msg_id\":\"$2[^\"]*\"" "$1" | sort -u | wc -l | tr -d ' '; }
count_total() { grep -o "\"msg_id\":\"$2[^\"]*\"" "$1" | wc -l | tr -d ' '; }

# group_broker_conf DIR P_TLS P_CERT P_WS: the SHIPPED group broker
# (hw/mosquitto/group-broker.conf + group-acl.conf, ports/paths/CA
# substituted) with users site-ws01/gwpass, dms/dmspass, eng-li/lipass,
# eng-wu/wupass; DIR must hold make_tls's files. $HERE: tests/daemon.
group_broker_conf() {
    d=$1; hw=$HERE/../../hw/mosquitto
    mosquitto_passwd -b -c "$d/passwd" site-ws01 gwpass >/dev/null 2>&1
    mosquitto_passwd -b "$d/passwd" dms dmspass >/dev/null 2>&1
    mosquitto_passwd -b "$d/passwd" eng-li lipass >/dev/null 2>&1
    mosquitto_passwd -b "$d/passwd" eng-wu wupass >/dev/null 2>&1
    cp "$hw/group-acl.conf" "$d/acl"
    chmod 644 "$d/passwd" "$d/acl"
    {
        sed -e "s|^listener 8883$|listener $2 127.0.0.1|" -e "s|^listener 8885$|listener $3 127.0.0.1|" \
            -e "s|^listener 8884$|listener $4 127.0.0.1|" \
            -e "s|^cafile .*|cafile $d/ca.crt|" -e "s|^certfile .*|certfile $d/server.crt|" -e "s|^keyfile .*|keyfile $d/server.key|" \
            -e "s|^password_file .*|password_file $d/passwd|" -e "s|^acl_file .*|acl_file $d/acl|" \
            -e "s|^persistence_location .*|persistence_location $d/|" "$hw/group-broker.conf"
        echo "log_dest file $d/mosquitto.log"; echo "log_type all"
        [ "$(id -u)" -eq 0 ] && echo "user root"
    } >"$d/mosquitto.conf"
}
