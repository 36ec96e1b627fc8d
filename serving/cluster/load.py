"""Simulated families talking to the cluster through nginx over REST, every turn recorded (for the drills).

Each family holds its own conversation, asks a question, reads the answer for a moment and asks the next;
a turn that got no answer is retried like the widget does. :class:`Turn` records what each try got.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

QUESTIONS = (
    "what are the symptoms of ALL?",
    "how is childhood ALL diagnosed?",
    "is this summary medical advice?",
    "what is a lumbar puncture?",
    "what are the risk groups?",
    "what is induction?",
    "what are late effects?",
    "what is a clinical trial?",
)
CANT_LOOK_UP = "can't look that up"
REPLY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Turn:
    """One try of one message: when it was sent, what came back and how long it took."""

    sender: str
    message: str
    sent_at: float  # time.monotonic()
    seconds: float
    status: int  # HTTP status, 0 when the connection failed or timed out
    text: str  # the reply's texts joined

    @property
    def acknowledged(self) -> bool:
        return self.status == 200 and bool(self.text)

    @property
    def cant_look_up(self) -> bool:
        return CANT_LOOK_UP in self.text


def ask(url: str, sender: str, message: str, session: requests.Session | None = None) -> Turn:
    """Send one message over REST and record the turn."""
    started = time.monotonic()
    poster = session or requests
    try:
        response = poster.post(
            url + "/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=REPLY_TIMEOUT_S
        )
        status = response.status_code
        body = response.json() if status == 200 else []
        text = " ".join(str(m.get("text", "")) for m in body if isinstance(m, dict))
    except (requests.RequestException, ValueError):
        status, text = 0, ""
    return Turn(sender, message, started, time.monotonic() - started, status, text)


@dataclass
class Load:
    """``users`` families talking through ``url`` until :meth:`stop`; every try in :attr:`turns`."""

    url: str
    users: int
    pause_s: float = 0.2
    turns: list[Turn] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Load:
        run = uuid.uuid4().hex[:6]
        for index in range(self.users):
            sender = f"chaos-{run}-{index}"
            self.senders.append(sender)
            thread = threading.Thread(target=self._family, args=(sender, index), daemon=True)
            self._threads.append(thread)
            thread.start()
        return self

    def _family(self, sender: str, offset: int) -> None:
        session = requests.Session()
        n = offset
        while not self._stop.is_set():
            turn = ask(self.url, sender, QUESTIONS[n % len(QUESTIONS)], session)
            with self._lock:
                self.turns.append(turn)
            if turn.acknowledged:
                n += 1
                self._stop.wait(self.pause_s)
            else:
                self._stop.wait(0.5)  # like the widget: try again in a moment

    def stop(self) -> list[Turn]:
        self._stop.set()
        for thread in self._threads:
            thread.join(REPLY_TIMEOUT_S + 5)
        return list(self.turns)

    def between(self, start: float, end: float) -> list[Turn]:
        with self._lock:
            return [t for t in self.turns if start <= t.sent_at < end]
