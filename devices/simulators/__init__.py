"""Simulated boards, keypads, printers and scanners behind the ``sim://`` pyserial scheme.

A simulator keeps what it received and can be told to misbehave (drop replies, answer NAK
busy, corrupt a CRC, inject noise, run out of paper, be unplugged and plugged back), so the
demo and the tests run with no hardware.
"""
