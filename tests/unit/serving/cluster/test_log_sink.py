"""nginx's error log through serving.cluster.log_sink: a flood of lines is written at a bounded rate."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
from pathlib import Path

from serving.cluster.log_sink import RateLimitedLog, message
from serving.local_servers import ROOT, free_port

REFUSED = (
    '2026/12/03 11:16:34 [warn] 25072#25072: *{n} limiting requests, excess: 0.960 by zone "per_address", '
    'client: 127.0.0.1, server: , request: "POST /webhooks/rest/webhook HTTP/1.1"'
)


def test_a_flood_is_written_at_most_n_lines_a_second_and_the_rest_is_counted() -> None:
    out = io.StringIO()
    log = RateLimitedLog(out, per_second=20)
    for n in range(1000):
        log.write(REFUSED.format(n=n), now=100.5)
    log.write(REFUSED.format(n=1000), now=101.2)
    lines = out.getvalue().splitlines()
    assert len(lines) == 22  # 20 of the first second, the count of the rest, the next second's first line
    assert lines[19].endswith('POST /webhooks/rest/webhook HTTP/1.1"')
    assert "*19 " in lines[19]
    assert "980 more lines left out in one second" in lines[20]
    assert "*1000 " in lines[21]


def test_a_quiet_log_is_written_in_full() -> None:
    out = io.StringIO()
    log = RateLimitedLog(out, per_second=20)
    for n in range(5):
        log.write(REFUSED.format(n=n), now=float(n))
    assert len(out.getvalue().splitlines()) == 5
    assert "left out" not in out.getvalue()


def test_the_syslog_header_nginx_sends_is_removed() -> None:
    datagram = b"<140>Dec  3 11:16:34 host-1 nginx: " + REFUSED.format(n=2).encode()
    assert message(datagram) == REFUSED.format(n=2)
    assert message(b"<140>Dec 13 11:16:34 nginx: 2026/12/03 x") == "2026/12/03 x"


def test_the_receiver_writes_what_arrives_over_udp(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "nginx-error.log"
    command = [sys.executable, "-m", "serving.cluster.log_sink", str(port), str(log), "--per-second", "5"]
    receiver = subprocess.Popen(command, cwd=ROOT)
    try:
        time.sleep(2)  # bound (started) before nginx would send
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            for n in range(50):
                sender.sendto(b"<140>Dec  3 11:16:34 host nginx: " + REFUSED.format(n=n).encode(), ("127.0.0.1", port))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "left out" not in (log.read_text() if log.exists() else ""):
            time.sleep(0.2)
        text = log.read_text()
        assert text.startswith("2026/12/03 11:16:34 [warn]")
        assert "more lines left out in one second" in text
        assert len(text.splitlines()) <= 5 + 1 + 5  # at most two seconds' worth and one count
    finally:
        receiver.terminate()
        receiver.wait(10)
