#!/usr/bin/env python3
"""A listener whose holder hops from process to process, then settles: it binds PORT on
127.0.0.1, then for SECONDS forks a child every 2 ms and exits (the child holds the socket
on), so that each holder lives a moment and a /proc walk may miss them all; then the last one
writes its pid to PIDFILE and stays. Usage: hopper.py PORT SECONDS PIDFILE"""
import os
import socket
import sys
import time

port, seconds, pidfile = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(5)
end = time.monotonic() + seconds
while time.monotonic() < end:
    if os.fork():
        os._exit(0)
    time.sleep(0.002)
with open(pidfile + ".tmp", "w") as f:
    f.write(str(os.getpid()))
os.rename(pidfile + ".tmp", pidfile)
time.sleep(3600)
