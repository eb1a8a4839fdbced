#!/usr/bin/env python3
"""A broker front for the MQTT 3.1.1 fallback test (tests/daemon/remote_test.sh).

Listens on PORT. A client whose CONNECT asks for MQTT 5 gets CONNACK with
reason 0x84 "unsupported protocol version" and is disconnected, as a
3.1.1-only broker answers. A 3.1.1 (or 3.1) client is relayed byte for byte
to the real broker on UPSTREAM_PORT, so everything after the CONNECT is the
real mosquitto's doing.

usage: mqtt_v311_front.py PORT UPSTREAM_PORT
"""
import socket
import sys
import threading


def read_packet(sock):
    """One whole MQTT control packet (fixed header, remaining length, body)."""
    head = sock.recv(1)
    if not head:
        return None
    raw, mult, length = bytearray(head), 1, 0
    for _ in range(4):
        b = sock.recv(1)
        if not b:
            return None
        raw += b
        length += (b[0] & 0x7F) * mult
        mult *= 128
        if not b[0] & 0x80:
            break
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            return None
        body += chunk
    return bytes(raw) + body, body


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client, upstream_port):
    pkt = read_packet(client)
    if not pkt or pkt[0][0] >> 4 != 1:
        client.close()
        return
    raw, body = pkt
    name_len = body[0] << 8 | body[1]
    level = body[2 + name_len]
    if level == 5:
        print("refused MQTT 5 CONNECT (CONNACK 0x84)", flush=True)
        client.sendall(bytes([0x20, 0x03, 0x00, 0x84, 0x00]))
        client.close()
        return
    print("relayed MQTT protocol level %d" % level, flush=True)
    up = socket.create_connection(("127.0.0.1", upstream_port))
    up.sendall(raw)
    threading.Thread(target=pump, args=(up, client), daemon=True).start()
    pump(client, up)


def main():
    port, upstream = int(sys.argv[1]), int(sys.argv[2])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(16)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c, upstream), daemon=True).start()


if __name__ == "__main__":
    main()
