"""A board bus behind a real TCP socket, as a serial-to-Ethernet converter would present it."""

from __future__ import annotations

import selectors
import socket
import threading

from devices.simulators.board import BoardBus


class TcpBoardEmulator:
    """Serves one connection at a time on 127.0.0.1; ``stop()`` is the cable pulled, ``start()`` put back."""

    def __init__(self, addresses: list[int], port: int = 0) -> None:
        self.bus = BoardBus(addresses)
        self.port = port
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> TcpBoardEmulator:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(1)
        self.port = server.getsockname()[1]
        self._server = server
        self._stopping.clear()
        self.bus.plug_in()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._server is not None:
            self._server.close()
        self.bus.unplug()  # the boards lose power with the converter

    def _serve(self) -> None:
        assert self._server is not None
        selector = selectors.DefaultSelector()
        selector.register(self._server, selectors.EVENT_READ)
        clients: list[socket.socket] = []
        while not self._stopping.is_set():
            for key, _mask in selector.select(timeout=0.05):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self._server:
                    client, _addr = self._server.accept()
                    clients.append(client)
                    selector.register(client, selectors.EVENT_READ)
                    continue
                data = sock.recv(4096)
                if not data:
                    selector.unregister(sock)
                    sock.close()
                    clients.remove(sock)
                    continue
                self.bus.receive(data)
                reply = self.bus.take_output(4096)
                if reply:
                    sock.sendall(reply)
        for client in clients:
            selector.unregister(client)
            client.close()
        selector.close()
