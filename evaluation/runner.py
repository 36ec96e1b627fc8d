"""Talking to the bot: ask every question and play every conversation, then score the replies.

Contract. ``send(sender, text)`` posts one user message and returns the bot's messages (for the real
servers, ``serving.local_servers.Servers.send``). Each question gets a fresh sender; each conversation one
sender for all its turns. Every sender first sends :data:`GREETING` so the session's disclaimer is out of
the way and only the answer to the question is read. A request that fails (``requests.RequestException``)
is recorded as the outcome ``error`` with its message instead of ending the run.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import requests

from evaluation.dataset import Conversation, ConversationTurn, Question
from evaluation.scoring import ConversationResult, QuestionResult, score_conversation, score_question

GREETING = "/greet"
Send = Callable[[str, str], Sequence[Mapping[str, Any]]]
Progress = Callable[[int, int], None]


def new_sender() -> str:
    return f"eval-{uuid.uuid4().hex[:12]}"


def timed_send(send: Send, sender: str, text: str) -> tuple[list[Mapping[str, Any]], float, str | None]:
    """The bot's messages, the round trip in ms and ``None``; or ``[]``, the time and the error message."""
    started = time.perf_counter()
    try:
        messages = list(send(sender, text))
    except requests.RequestException as exc:
        return [], (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}"
    return messages, (time.perf_counter() - started) * 1000, None


def greet(send: Send, sender: str) -> str | None:
    """Open the session; the error message if the bot could not be reached."""
    return timed_send(send, sender, GREETING)[2]


def ask_question(send: Send, question: Question) -> QuestionResult:
    sender = new_sender()
    error = greet(send, sender)
    if error is not None:
        return score_question(question, [], 0.0, error)
    messages, latency_ms, error = timed_send(send, sender, question.question)
    return score_question(question, messages, latency_ms, error)


def play_conversation(send: Send, conversation: Conversation) -> ConversationResult:
    sender = new_sender()
    error = greet(send, sender)
    replies: list[tuple[ConversationTurn, Sequence[Mapping[str, Any]], float, str | None]] = []
    for turn in conversation.turns:
        if error is not None:  # greeting failed: every turn is an error
            replies.append((turn, [], 0.0, error))
            continue
        messages, latency_ms, turn_error = timed_send(send, sender, turn.user)
        replies.append((turn, messages, latency_ms, turn_error))
    return score_conversation(conversation, replies)


def ask_questions(send: Send, questions: Sequence[Question], progress: Progress | None = None) -> list[QuestionResult]:
    results = []
    for i, question in enumerate(questions, start=1):
        results.append(ask_question(send, question))
        if progress is not None:
            progress(i, len(questions))
    return results


def play_conversations(
    send: Send, conversations: Sequence[Conversation], progress: Progress | None = None
) -> list[ConversationResult]:
    results = []
    for i, conversation in enumerate(conversations, start=1):
        results.append(play_conversation(send, conversation))
        if progress is not None:
            progress(i, len(conversations))
    return results
