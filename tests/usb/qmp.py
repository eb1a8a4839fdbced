#!/usr/bin/env python3
"""Send one QMP command to qemu's monitor socket and print the reply.
   qmp.py SOCKET device_add driver=usb-serial id=a1 chardev=c1 serial=X bus=xhci.0 port=2
   qmp.py SOCKET device_del id=a1
Exit 1 when qemu answers with an error."""
import json, socket, sys

def main():
    path, cmd = sys.argv[1], sys.argv[2]
    args = dict(a.split("=", 1) for a in sys.argv[3:])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    f = s.makefile("rw")
    json.loads(f.readline())  # the greeting
    def call(c, a=None):
        f.write(json.dumps({"execute": c, "arguments": a or {}}) + "\n")
        f.flush()
        while True:
            r = json.loads(f.readline())
            if "return" in r or "error" in r:
                return r
    call("qmp_capabilities")
    r = call(cmd, args)
    print(json.dumps(r))
    return 1 if "error" in r else 0

sys.exit(main())
