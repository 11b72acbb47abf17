#!/usr/bin/env python3
"""A UDP relay in front of an SNMP agent, for the source-address test: it takes requests on
LISTEN_PORT, hands each to the agent at 127.0.0.1:AGENT_PORT and sends the answer back to the
client either from LISTEN_PORT (mode "same": what a real agent does) or from another socket of
its own (mode "other": an answer from an address the client did not ask).
Usage: udp_relay.py LISTEN_PORT AGENT_PORT same|other   (prints "ready" once listening)"""
import select
import socket
import sys

listen_port, agent_port, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", listen_port))
other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
other.bind(("127.0.0.1", 0))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
back.bind(("127.0.0.1", 0))
print("ready", flush=True)
client = None
while True:
    ready, _, _ = select.select([front, back], [], [])
    for s in ready:
        data, addr = s.recvfrom(65535)
        if s is front:
            client = addr
            back.sendto(data, ("127.0.0.1", agent_port))
        elif client:
            (front if mode == "same" else other).sendto(data, client)
