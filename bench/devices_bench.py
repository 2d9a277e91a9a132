"""Device protocol benchmarks: how fast the frame decoder parses, and how long ``call next`` takes
until the board's ACK is back, over a real TCP socket on loopback.

1. Codec throughput (pure CPU): a reproducible mix of realistic frames (SHOW_CALL, SHOW_TEXT up to
   120 characters, ACKs, keypad events) is decoded (a) as a clean stream fed in 64-byte chunks,
   (b) the same with ~10 % noise bytes (never STX) between the frames, (c) one frame per ``feed``
   and (d) one byte per ``feed`` (what a slow serial read returns); and encoded. Frames/s and
   MB/s are the median of 5 runs, each at least 0.5 s of work.
2. Call-to-ACK latency: a real embedded SQLite database (the product's pragmas: WAL,
   ``synchronous=FULL``) built by the migrations, the test centre (``tests.conftest.build_centre``),
   a board registered at ``socket://127.0.0.1:PORT`` address 3 for counter 01, served by
   ``TcpBoardEmulator`` (a board bus behind a real socket, in a thread of this process). For each
   ticket: ``queue.call_next`` then SHOW_CALL until its ACK is back, (a) over a link kept open
   (what the UI will do) and (b) through ``counter_app.cli.hardware.announce_call``, which opens
   and closes the connection every time (what the CLI does). The ticket is then finished (not
   timed). The run fails if any delivery failed, any frame was sent twice (a retry), or the
   board does not show the last ticket.
3. Nagle check: a frame that gets no reply (our ACK of a keypad event) immediately followed by a
   request, on the link kept open, with pyserial's default socket (Nagle on) and with
   ``TCP_NODELAY`` set on it.

Progress goes to stderr, Markdown tables to stdout.

    .venv/bin/python bench/devices_bench.py              # full size: 2,000 tickets per path
    .venv/bin/python bench/devices_bench.py --quick      # a smoke run
    .venv/bin/python bench/devices_bench.py --tickets 500
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import serial
from common import CpuAccount, cheap_password_hashing, markdown_table, percentile, step_for

import devices.link
from counter_app.cli.hardware import announce_call
from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.domain.clock import ManualClock
from counter_app.domain.devices import DeviceHealth, DeviceKind, DeviceSpec
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.devices import DeviceRegistry
from devices.board import Board
from devices.hub import DeviceHub
from devices.link import PortLink, link_for_url
from devices.protocol import commands
from devices.protocol.frame import STX, Frame, FrameDecoder, crc16_modbus
from tests.conftest import MONDAY_0800, build_centre
from tests.devices.tcp_emulator import TcpBoardEmulator

BOARD_ADDRESS = 3
ABSENT_KEYPAD = 9  # on the same port, but not answering: frames to it get no reply
COUNTER = "01"
LINE_BYTES_PER_SECOND = 9600 / 10  # 9600 baud, 8N1: what one RS-485 port can carry


# -- statistics and formatting ----------------------------------------------------------------
def ms3(nanoseconds: float) -> str:
    return f"{nanoseconds / 1e6:.3f}"


def latency_row(name: str, values_ns: Sequence[int]) -> list[object]:
    ordered = sorted(values_ns)
    if not ordered:
        return [name, 0, "–", "–", "–", "–"]
    return [
        name,
        len(ordered),
        ms3(percentile(ordered, 0.50)),
        ms3(percentile(ordered, 0.90)),
        ms3(percentile(ordered, 0.99)),
        ms3(ordered[-1]),
    ]


LATENCY_HEADER = ("step", "n", "p50 ms", "p90 ms", "p99 ms", "max ms")


def machine_description() -> str:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{platform.node() or 'host'}: {platform.system()} {platform.release()}, CPU {model}, "
        f"{len(_available_cpus())} CPUs available, Python {platform.python_version()}, "
        f"pyserial {serial.VERSION}"
    )


def _available_cpus() -> set[int]:
    try:
        return os.sched_getaffinity(0)
    except (AttributeError, OSError):
        return set(range(os.cpu_count() or 1))


def filesystem_of(path: Path) -> str:
    """The type and mount point of the file system holding ``path`` (fsync cost depends on it)."""
    found = ("?", "?")
    try:
        with open("/proc/mounts", encoding="utf-8") as handle:
            for line in handle:
                _device, mount, kind, *_rest = line.split()
                inside = path == Path(mount) or Path(mount) in path.parents
                if inside and len(mount) >= len(found[0].strip("?")):
                    found = (mount, kind)
    except OSError:
        pass
    return f"{found[1]} at {found[0]}"


# -- 1. codec throughput ------------------------------------------------------------------------
NOTICES = (
    "Mời công dân có số thứ tự đến quầy tiếp nhận hồ sơ; vui lòng chuẩn bị giấy tờ tùy thân",
    "Trung tâm Phục vụ hành chính công xin kính chào quý khách",
    "Quầy 05 tạm ngừng tiếp nhận hồ sơ đất đai từ 11 giờ 30 đến 13 giờ 30, xin cảm ơn",
    "Đề nghị công dân giữ trật tự và chờ đến lượt; hồ sơ chứng thực nộp tại quầy 01 và quầy 02",
)


def frame_mix(count: int, rng: random.Random) -> list[Frame]:
    """30 % SHOW_CALL, 15 % SHOW_TEXT (20–120 characters), 40 % ACKs (a tenth of them to STATUS,
    with the firmware), 15 % keypad events (RATING, PROMPT_EXPIRED)."""
    frames: list[Frame] = []
    for _ in range(count):
        address = rng.randint(1, 0x7E)
        draw = rng.random()
        if draw < 0.30:
            ticket = f"{rng.choice('ABCDE')}{rng.randint(1, 9999):03d}"
            frames.append(commands.show_call(address, ticket, f"{rng.randint(1, 12):02d}"))
        elif draw < 0.45:
            text = commands.board_text(rng.choice(NOTICES) + " " + rng.choice(NOTICES))
            length = rng.randint(20, commands.MAX_TEXT)
            frames.append(commands.show_text(address, text[:length].strip(), scrolling=length > 40))
        elif draw < 0.85:
            if rng.random() < 0.1:
                frames.append(commands.ack(address, commands.STATUS, b"\x00LED-SIM 1.0"))
            else:
                frames.append(commands.ack(address, rng.choice((commands.SHOW_CALL, commands.SHOW_TEXT))))
        elif rng.random() < 0.8:
            frames.append(Frame(address, commands.RATING, bytes((rng.randint(0, 255), rng.randint(1, 4)))))
        else:
            frames.append(Frame(address, commands.PROMPT_EXPIRED, bytes((rng.randint(0, 255),))))
    return frames


NOISE_ALPHABET = bytes(value for value in range(256) if value != STX)


def with_noise(encoded: Sequence[bytes], rng: random.Random, fraction: float = 0.10) -> tuple[bytes, int]:
    """The frames with runs of noise (never STX) between them, noise ≈ ``fraction`` of all bytes."""
    out = bytearray()
    noise = 0
    ratio = fraction / (1 - fraction)
    for frame in encoded:
        mean = len(frame) * ratio
        run = rng.randint(0, max(1, round(2 * mean)))
        out += bytes(rng.choice(NOISE_ALPHABET) for _ in range(run))
        noise += run
        out += frame
    return bytes(out), noise


def chunks_of(stream: bytes, size: int) -> list[bytes]:
    return [stream[index : index + size] for index in range(0, len(stream), size)]


@dataclass
class Throughput:
    name: str
    frames_per_s: float  # median over the runs, wall clock
    mb_per_s: float
    frames_per_cpu_s: float  # median over the runs, this thread's CPU time
    cpu_share: float  # median CPU time / wall time: below 1 when other processes took the core
    runs: list[float] = field(default_factory=list)  # frames/s of each run


class RunTimes:
    """Collects the runs of one measurement: wall and thread CPU time, frames and bytes done."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.frames: list[float] = []
        self.bytes: list[float] = []
        self.cpu: list[float] = []
        self.share: list[float] = []

    def add(self, frames: int, size: int, wall: float, cpu: float) -> None:
        self.frames.append(frames / wall)
        self.bytes.append(size / wall / 1e6)
        self.cpu.append(frames / cpu)
        self.share.append(cpu / wall)

    def result(self) -> Throughput:
        median = statistics.median
        return Throughput(
            self.name,
            median(self.frames),
            median(self.bytes),
            median(self.cpu),
            median(self.share),
            self.frames,
        )


def time_decoding(
    name: str, feeds: Sequence[bytes], frames_per_pass: int, runs: int, least: float
) -> Throughput:
    """Feed ``feeds`` into one decoder over and over for at least ``least`` seconds, ``runs`` times."""
    pass_bytes = sum(len(chunk) for chunk in feeds)
    times = RunTimes(name)
    for _ in range(runs):
        decoder = FrameDecoder()
        feed = decoder.feed
        passes = 0
        decoded = 0
        gc.collect()
        cpu_start = time.thread_time()
        start = time.perf_counter()
        while True:
            for chunk in feeds:
                decoded += len(feed(chunk))
            passes += 1
            elapsed = time.perf_counter() - start
            if elapsed >= least:
                break
        if decoded != passes * frames_per_pass:
            raise AssertionError(f"{name}: decoded {decoded} frames, expected {passes * frames_per_pass}")
        times.add(decoded, passes * pass_bytes, elapsed, time.thread_time() - cpu_start)
    return times.result()


def time_per_item(
    name: str,
    work: Callable[[Any], object],
    items: Sequence[Any],
    pass_bytes: int,
    *,
    runs: int,
    least: float,
) -> Throughput:
    """``work(item)`` for every item, over and over for at least ``least`` seconds, ``runs`` times."""
    times = RunTimes(name)
    for _ in range(runs):
        passes = 0
        gc.collect()
        cpu_start = time.thread_time()
        start = time.perf_counter()
        while True:
            for item in items:
                work(item)
            passes += 1
            elapsed = time.perf_counter() - start
            if elapsed >= least:
                break
        times.add(passes * len(items), passes * pass_bytes, elapsed, time.thread_time() - cpu_start)
    return times.result()


def codec_section(quick: bool) -> str:
    runs, least, count = (3, 0.2, 500) if quick else (5, 0.5, 2000)
    rng = random.Random(20261207)
    frames = frame_mix(count, rng)
    encoded = [frame.encode() for frame in frames]
    clean = b"".join(encoded)
    noisy, noise = with_noise(encoded, rng)
    bodies = [frame[1:-2] for frame in encoded]  # what the CRC covers: ADDR CMD LEN DATA
    if crc16_modbus(b"123456789") != 0x4B37:
        raise AssertionError("crc16_modbus lost its check value")
    # The noisy stream must decode to exactly the same frames.
    if FrameDecoder().feed(noisy) != frames or FrameDecoder().feed(clean) != frames:
        raise AssertionError("the decoder did not find the frames of the stream")
    print(f"codec: {count} frames, {len(clean)} bytes ({len(clean) / count:.1f} per frame)", file=sys.stderr)
    results = [
        time_decoding("decode, clean stream, 64-byte chunks", chunks_of(clean, 64), count, runs, least),
        time_decoding(
            f"decode, {100 * noise / len(noisy):.1f} % noise bytes, 64-byte chunks",
            chunks_of(noisy, 64),
            count,
            runs,
            least,
        ),
        time_decoding("decode, one frame per `feed`", encoded, count, runs, least),
        time_decoding("decode, one byte per `feed`", chunks_of(clean, 1), count, runs, least),
        time_per_item("encode (`Frame.encode`)", Frame.encode, frames, len(clean), runs=runs, least=least),
        time_per_item(
            "… `crc16_modbus` alone over each frame's ADDR..DATA (table-driven)",
            crc16_modbus,
            bodies,
            sum(map(len, bodies)),
            runs=runs,
            least=least,
        ),
    ]
    rows = [
        [
            result.name,
            f"{result.frames_per_s:,.0f}",
            f"{result.mb_per_s:.3f}",
            f"{min(result.runs):,.0f}–{max(result.runs):,.0f}",
            f"{result.frames_per_cpu_s:,.0f}",
            f"{result.cpu_share:.2f}",
            f"{result.mb_per_s * 1e6 / LINE_BYTES_PER_SECOND:,.0f}×",
        ]
        for result in results
    ]
    kinds = {
        "SHOW_CALL": sum(f.command == commands.SHOW_CALL for f in frames),
        "SHOW_TEXT": sum(f.command == commands.SHOW_TEXT for f in frames),
        "ACK": sum(f.command == commands.ACK for f in frames),
        "keypad events": sum(f.command in (commands.RATING, commands.PROMPT_EXPIRED) for f in frames),
    }
    mix = ", ".join(f"{name} {n}" for name, n in kinds.items())
    return (
        f"### Frame codec throughput\n\n"
        f"{count} frames ({mix}), {len(clean):,} bytes, {len(clean) / count:.1f} bytes a frame on average; "
        f"median of {runs} runs of ≥ {least} s each. MB = 10^6 bytes fed (noise included); for the CRC rows "
        "frames/s counts CRCs of whole frames. Frames per CPU-s divides by this thread's CPU time "
        "instead of wall time, and CPU share is CPU time / wall time: below 1.00 when other processes "
        "took the core. Last column: the MB/s over the "
        f"{LINE_BYTES_PER_SECOND:.0f} bytes/s of a 9600-baud 8N1 line.\n\n"
        + markdown_table(
            (
                "what",
                "frames/s",
                "MB/s",
                "range of runs (frames/s)",
                "frames per CPU-s",
                "CPU share",
                "× a 9600-baud line",
            ),
            rows,
        )
    )


# -- 2. call-to-ACK latency ------------------------------------------------------------------------
@dataclass
class ProbeRecord:
    start: int
    end: int
    delivered: bool


class DeviceProbe:
    """Timestamps ``Board.show_call`` (SHOW_CALL until its ACK), the port opening, ``DeviceHub.close``
    and ``DeviceRegistry.record_health``, by wrapping them while the benchmark runs (only then):
    ``announce_call`` builds its hub inside, so there is nothing to inject."""

    def __init__(self) -> None:
        self.show_calls: list[ProbeRecord] = []
        self.opens: list[tuple[int, int]] = []
        self.health_writes: list[tuple[int, int]] = []
        self.hub_closes: list[tuple[int, int]] = []

    @contextmanager
    def installed(self) -> Iterator[DeviceProbe]:
        original_show_call = Board.show_call
        original_record_health = DeviceRegistry.record_health
        original_hub_close = DeviceHub.close
        namespace = vars(devices.link)  # link_for_url's opener looks ``open_port`` up here
        original_open_port = namespace["open_port"]
        probe = self

        def timed_show_call(board: Board, ticket: str, counter: str) -> bool:
            start = time.perf_counter_ns()
            delivered = original_show_call(board, ticket, counter)
            probe.show_calls.append(ProbeRecord(start, time.perf_counter_ns(), delivered))
            return delivered

        def timed_open_port(url: str, baudrate: int = 9600, timeout: float = 0.2) -> Any:
            start = time.perf_counter_ns()
            port = original_open_port(url, baudrate, timeout)
            probe.opens.append((start, time.perf_counter_ns()))
            return port

        def timed_record_health(registry: DeviceRegistry, reports: Sequence[DeviceHealth]) -> None:
            start = time.perf_counter_ns()
            original_record_health(registry, reports)
            probe.health_writes.append((start, time.perf_counter_ns()))

        def timed_hub_close(hub: DeviceHub) -> None:
            start = time.perf_counter_ns()
            original_hub_close(hub)
            probe.hub_closes.append((start, time.perf_counter_ns()))

        Board.show_call = timed_show_call  # type: ignore[method-assign, assignment]
        DeviceHub.close = timed_hub_close  # type: ignore[method-assign, assignment]
        DeviceRegistry.record_health = timed_record_health  # type: ignore[method-assign, assignment]
        namespace["open_port"] = timed_open_port
        try:
            yield self
        finally:
            Board.show_call = original_show_call  # type: ignore[method-assign]
            DeviceRegistry.record_health = original_record_health  # type: ignore[method-assign]
            DeviceHub.close = original_hub_close  # type: ignore[method-assign]
            namespace["open_port"] = original_open_port


@dataclass
class PathResult:
    title: str
    rows: list[list[object]]
    failures: int
    retries: int
    wrong_board: str | None  # what the board shows if it is not the last ticket called
    note: str = ""


class Bench:
    def __init__(
        self, app: CounterApp, clock: ManualClock, emulator: TcpBoardEmulator, step: timedelta
    ) -> None:
        self.app = app
        self.clock = clock
        self.emulator = emulator
        self.step = step
        centre = build_centre(app)
        self.officer: Actor = centre.lan  # opened counter 01
        self.kiosk: Actor = centre.kiosk
        app.devices.add(
            centre.admin,
            DeviceKind.BOARD,
            f"socket://127.0.0.1:{emulator.port}",
            address=BOARD_ADDRESS,
            counter_label=COUNTER,
        )
        (self.spec,) = app.devices.specs(COUNTER)
        self.last_called: str | None = None

    def tick(self) -> None:
        self.clock.advance(self.step)

    def issue(self, count: int) -> None:
        for index in range(count):
            self.tick()
            self.app.queue.issue(self.kiosk, "A" if index % 2 == 0 else "B")

    def board_frames(self) -> int:
        return len(self.emulator.bus.board(BOARD_ADDRESS).frames)

    def call_next(self) -> str:
        self.tick()
        ticket = self.app.queue.call_next(self.officer, COUNTER)
        if ticket is None:
            raise AssertionError("nobody waiting: issue more tickets")
        self.last_called = ticket.number
        return ticket.number

    def finish(self) -> None:
        self.tick()
        self.app.queue.finish(self.officer, COUNTER)

    def board_check(self) -> str | None:
        """``None`` when the board shows the last ticket called, else what it shows instead."""
        showing = self.emulator.bus.board(BOARD_ADDRESS).showing
        return None if showing == (self.last_called, COUNTER) else f"{showing} instead of {self.last_called}"

    def open_link(self, nodelay: bool = False) -> PortLink:
        spec: DeviceSpec = self.spec
        link = link_for_url(spec.port, spec.baud)
        link.poll_events()  # opens the port
        if nodelay:
            set_nodelay(link)
        return link

    def kept_open(self, tickets: int) -> PathResult:
        """(a) The UI's way: one link for the whole day, the officer's F1 → call_next → SHOW_CALL → ACK."""
        self.issue(tickets)
        link = self.open_link()
        nagle = nodelay_of(link)
        board = Board(link, BOARD_ADDRESS)
        frames_before = self.board_frames()
        db_ns: list[int] = []
        ack_ns: list[int] = []
        total_ns: list[int] = []
        failures = 0
        try:
            for done in range(tickets):
                start = time.perf_counter_ns()
                number = self.call_next()
                called = time.perf_counter_ns()
                delivered = board.show_call(number, COUNTER)
                acked = time.perf_counter_ns()
                failures += not delivered
                db_ns.append(called - start)
                ack_ns.append(acked - called)
                total_ns.append(acked - start)
                self.finish()
                progress("kept open", done + 1, tickets)
        finally:
            link.close()
        wrong_board = self.board_check()
        retries = self.board_frames() - frames_before - tickets
        return PathResult(
            "(a) link kept open (`PortLink` + `Board`, as the UI will hold them)",
            [
                latency_row("`queue.call_next` (DB transaction)", db_ns),
                latency_row("SHOW_CALL → ACK (`Board.show_call`)", ack_ns),
                latency_row("**total: F1 → ACK received**", total_ns),
            ],
            failures,
            retries,
            wrong_board,
            f"TCP_NODELAY on the host's socket: {'on' if nagle else 'off'} (pyserial's default).",
        )

    def through_cli(self, tickets: int) -> PathResult:
        """(b) The CLI's way: ``announce_call`` opens a hub (and a connection) for every call."""
        self.issue(tickets)
        frames_before = self.board_frames()
        db_ns: list[int] = []
        setup_ns: list[int] = []
        connect_ns: list[int] = []
        ack_ns: list[int] = []
        to_ack_ns: list[int] = []
        health_ns: list[int] = []
        close_ns: list[int] = []
        cli_ns: list[int] = []
        failures = 0
        with DeviceProbe().installed() as probe:
            for done in range(tickets):
                start = time.perf_counter_ns()
                number = self.call_next()
                called = time.perf_counter_ns()
                seen = len(probe.show_calls)
                warnings = announce_call(self.app, number, COUNTER)
                returned = time.perf_counter_ns()
                records = probe.show_calls[seen:]
                if len(records) != 1 or not records[0].delivered or warnings:
                    failures += 1
                else:
                    (record,) = records
                    opened_at, opened = probe.opens[-1]
                    db_ns.append(called - start)
                    setup_ns.append(record.start - called)
                    connect_ns.append(opened - opened_at)
                    ack_ns.append(record.end - record.start)
                    to_ack_ns.append(record.end - start)
                    written_at, written = probe.health_writes[-1]
                    health_ns.append(written - written_at)
                    closed_at, closed = probe.hub_closes[-1]
                    close_ns.append(closed - closed_at)
                    cli_ns.append(returned - start)
                self.finish()
                progress("through the CLI", done + 1, tickets)
        wrong_board = self.board_check()
        retries = self.board_frames() - frames_before - tickets
        return PathResult(
            "(b) through `counter_app.cli.hardware.announce_call` (a connection per call, as the CLI)",
            [
                latency_row("`queue.call_next` (DB transaction)", db_ns),
                latency_row("hub set-up (device specs read from the DB, drivers built)", setup_ns),
                latency_row("connect + SHOW_CALL → ACK (`Board.show_call`)", ack_ns),
                latency_row("… of which TCP connect + pyserial `open()`", connect_ns),
                latency_row("**total: call_next → ACK received**", to_ack_ns),
                latency_row("after the ACK: `DeviceHub.close` (pyserial `socket://` close)", close_ns),
                latency_row("after the ACK: health recorded in the DB (`record_health`)", health_ns),
                latency_row("**total: call_next → `announce_call` returns**", cli_ns),
            ],
            failures,
            retries,
            wrong_board,
        )

    def nagle_check(self, rounds: int) -> str:
        """A frame that gets no reply right before a request: Nagle holds the request back until the
        first frame's TCP ACK, which the peer delays (it has nothing to send back)."""
        rows = []
        for nodelay in (False, True):
            link = self.open_link(nodelay=nodelay)
            board = Board(link, BOARD_ADDRESS)
            alone_ns: list[int] = []
            paired_ns: list[int] = []
            try:
                for sequence in range(rounds):
                    start = time.perf_counter_ns()
                    if not board.show_call(f"A{sequence:03d}", COUNTER):
                        raise AssertionError("SHOW_CALL was not acknowledged")
                    alone_ns.append(time.perf_counter_ns() - start)
                    start = time.perf_counter_ns()
                    # Our ACK of a keypad event (the keypad is not there: no reply), then a request.
                    link.send(commands.ack(ABSENT_KEYPAD, commands.RATING, bytes((sequence % 256,))))
                    if not board.show_call(f"B{sequence:03d}", COUNTER):
                        raise AssertionError("SHOW_CALL was not acknowledged")
                    paired_ns.append(time.perf_counter_ns() - start)
                    progress(f"Nagle check, TCP_NODELAY {'on' if nodelay else 'off'}", sequence + 1, rounds)
            finally:
                link.close()
            flag = "on" if nodelay else "off (pyserial default)"
            rows.append(latency_row(f"TCP_NODELAY {flag}: SHOW_CALL → ACK", alone_ns))
            rows.append(latency_row(f"TCP_NODELAY {flag}: keypad ACK sent, then SHOW_CALL → ACK", paired_ns))
        return (
            "### Nagle check: a frame without reply followed by a request (link kept open)\n\n"
            "The host's ACK of a keypad event gets no reply; when a request follows at once on the same "
            "connection, Nagle's algorithm holds it until the first segment is acknowledged, and the peer "
            "delays that TCP ACK because it has nothing to send back.\n\n"
            + markdown_table(LATENCY_HEADER, rows)
        )


def set_nodelay(link: PortLink) -> None:
    """Reach into pyserial's socket:// port (private attributes: an experiment, not product code)."""
    raw = getattr(getattr(link, "_port", None), "_socket", None)
    if isinstance(raw, socket.socket):
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def nodelay_of(link: PortLink) -> bool:
    raw = getattr(getattr(link, "_port", None), "_socket", None)
    return isinstance(raw, socket.socket) and bool(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


_last_progress = 0.0


def progress(what: str, done: int, total: int) -> None:
    global _last_progress  # noqa: PLW0603 - a throttle for stderr only
    now = time.monotonic()
    if done == total or now - _last_progress > 5:
        _last_progress = now
        print(f"  {what}: {done}/{total}", file=sys.stderr)


def latency_section(tickets: int, nagle_rounds: int) -> str:
    cheap_password_hashing()
    with tempfile.TemporaryDirectory(prefix="devices-bench-") as folder:
        path = Path(folder) / "centre.sqlite3"
        db = Database(f"sqlite:///{path}")
        migrate.upgrade(db)
        clock = ManualClock(MONDAY_0800)
        app = CounterApp(db, clock)
        operations = 2 * tickets * 3 + 2 * nagle_rounds
        step = step_for(operations, MONDAY_0800, MONDAY_0800 + timedelta(hours=9), timedelta(seconds=2))
        emulator = TcpBoardEmulator([BOARD_ADDRESS]).start()
        try:
            bench = Bench(app, clock, emulator, step)
            account = CpuAccount()
            print(f"latency (a): {tickets} calls over a link kept open", file=sys.stderr)
            kept = bench.kept_open(tickets)
            print(f"latency (b): {tickets} calls through announce_call", file=sys.stderr)
            cli = bench.through_cli(tickets)
            print(f"Nagle check: {nagle_rounds} rounds each way", file=sys.stderr)
            nagle = bench.nagle_check(nagle_rounds)
            account.stop()
        finally:
            emulator.stop()
            db.dispose()
        fs = filesystem_of(Path(folder))
    parts = [
        "### Call to board ACK over TCP on loopback\n\n"
        f"SQLite file on {fs} (WAL, `synchronous=FULL`), counter 01 of the test centre, board at "
        f"`socket://127.0.0.1` address {BOARD_ADDRESS} served by `TcpBoardEmulator` (a thread of this "
        f"process); {tickets} tickets issued before each path (half A, half B) and called one after "
        "the other, each finished (untimed) before the next call. Times in milliseconds, nearest-rank "
        f"percentiles. {account.describe()}."
    ]
    for result in (kept, cli):
        board = (
            "the board shows the last ticket called"
            if result.wrong_board is None
            else f"**the board shows {result.wrong_board}**"
        )
        summary = (
            f"Failed deliveries: {result.failures}; frames sent twice (retries): {result.retries}; {board}."
        )
        parts.append(
            f"#### {result.title}\n\n"
            + markdown_table(LATENCY_HEADER, result.rows)
            + f"\n\n{summary} {result.note}".rstrip()
        )
    parts.append(nagle)
    failures = kept.failures + cli.failures
    retries = kept.retries + cli.retries
    wrong = [result.wrong_board for result in (kept, cli) if result.wrong_board is not None]
    if failures or retries or wrong:
        parts.append(
            f"**FAILED: {failures} failed deliveries, {retries} retries, "
            f"{len(wrong)} paths where the board does not show the last ticket.**"
        )
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer iterations: a smoke run")
    parser.add_argument("--tickets", type=int, default=None, help="calls per path (default 2,000; 100 quick)")
    parser.add_argument("--skip-codec", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    tickets = args.tickets or (100 if args.quick else 2000)
    nagle_rounds = 20 if args.quick else 200
    sections: list[Callable[[], str]] = []
    if not args.skip_codec:
        sections.append(lambda: codec_section(args.quick))
    sections.append(lambda: latency_section(tickets, nagle_rounds))
    print(f"Machine: {machine_description()}.\n")
    for section in sections:
        text = section()
        print(text + "\n", flush=True)
        if "**FAILED" in text:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
