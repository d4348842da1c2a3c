#!/usr/bin/env python3
"""Joins stdin and stdout to a Unix socket: QEMU's user network runs it per
connection (guestfwd=tcp:IP:PORT-cmd:...), so a guest reaches a private
PostgreSQL that listens on a Unix socket only (tests/lava/qemu/lava-run.sh).
Usage: unix-bridge.py SOCKET"""

import os
import selectors
import socket
import sys


def main():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ)
    sel.register(s, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj == 0:
                data = os.read(0, 65536)
                if not data:
                    s.shutdown(socket.SHUT_WR)
                    sel.unregister(0)
                    continue
                s.sendall(data)
            else:
                data = s.recv(65536)
                if not data:
                    return
                while data:
                    data = data[os.write(1, data):]


if __name__ == "__main__":
    main()
