"""The framed serial protocol of LED boards and rating keypads (shared/devices/serial-frame-protocol.md).

Pure byte handling, no I/O: frames, CRC, the streaming decoder, command builders and reply parsers.
"""
