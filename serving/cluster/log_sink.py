"""nginx's error log, rate-limited: a syslog receiver on loopback that writes what nginx logs to a file.

nginx logs one line per refused request (``limiting requests ...``, at warning level); a flood of them
used to write 43 MB of log a minute. nginx sends its error log here (``error_log syslog:server=...``); at
most ``per_second`` lines a second are written, and for the rest one line a second says how many were left
out, so a flood is visible in the log without filling the disk.

    python -m serving.cluster.log_sink PORT FILE [--per-second N]
"""

from __future__ import annotations

import argparse
import re
import socket
import sys
import time
from pathlib import Path
from typing import TextIO

# "<PRI>Mmm dd hh:mm:ss host tag: message" (RFC 3164, as nginx sends it): keep the message only.
_SYSLOG_HEADER = re.compile(r"^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d (?:\S+ )?nginx: ")


class RateLimitedLog:
    """Writes at most ``per_second`` lines per second; counts the others and says so once a second."""

    def __init__(self, out: TextIO, per_second: int) -> None:
        self.out = out
        self.per_second = per_second
        self.second = int(time.monotonic())
        self.written = 0
        self.left_out = 0

    def write(self, line: str, now: float | None = None) -> None:
        self._roll(int(time.monotonic() if now is None else now))
        if self.written < self.per_second:
            self.out.write(line.rstrip("\n") + "\n")
            self.written += 1
        else:
            self.left_out += 1
        self.out.flush()

    def flush_summary(self, now: float | None = None) -> None:
        """Say how many lines were left out, once their second is over."""
        self._roll(int(time.monotonic() if now is None else now))
        self.out.flush()

    def _roll(self, second: int) -> None:
        if second == self.second:
            return
        if self.left_out:
            stamp = time.strftime("%Y/%m/%d %H:%M:%S")
            self.out.write(
                f"{stamp} [warn] log rate limit: {self.left_out} more lines left out in one second "
                f"(at most {self.per_second} lines a second are written)\n"
            )
        self.second, self.written, self.left_out = second, 0, 0


def message(datagram: bytes) -> str:
    """The log line of one syslog datagram, without the syslog header."""
    return _SYSLOG_HEADER.sub("", datagram.decode("utf-8", errors="replace")).rstrip("\n")


def serve(port: int, path: Path, per_second: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, path.open("a", encoding="utf-8") as out:
        sock.bind(("127.0.0.1", port))
        sock.settimeout(1.0)
        log = RateLimitedLog(out, per_second)
        while True:
            try:
                datagram = sock.recv(65535)
            except TimeoutError:
                log.flush_summary()
                continue
            log.write(message(datagram))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("port", type=int, help="loopback UDP port nginx sends its error log to")
    parser.add_argument("file", type=Path, help="the log file")
    parser.add_argument("--per-second", type=int, default=20, help="lines written per second at most (20)")
    args = parser.parse_args(argv)
    serve(args.port, args.file, args.per_second)
    return 0


if __name__ == "__main__":
    sys.exit(main())
