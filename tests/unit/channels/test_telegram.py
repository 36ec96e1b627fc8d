"""The Telegram channel's pure parts: message splitting, callback tokens, settings, inactive without a token."""

from __future__ import annotations

import logging

import pytest

from channels.telegram import (
    CALLBACK_DATA_LIMIT,
    DEFAULT_API_URL,
    CallbackPayloads,
    TelegramChannel,
    TelegramSettings,
    split_message,
    utf16_length,
)


def test_short_text_is_one_message() -> None:
    assert split_message("  Hello.\n\nSecond paragraph.  ") == ["Hello.\n\nSecond paragraph."]
    assert split_message("   ") == []


def test_splits_at_paragraphs_first_then_lines_then_words() -> None:
    paragraphs = ["a" * 30, "b" * 30, "c" * 30]
    assert split_message("\n\n".join(paragraphs), limit=70) == ["a" * 30 + "\n\n" + "b" * 30, "c" * 30]
    lines = "\n".join(["x" * 40, "y" * 40, "z" * 40])
    assert split_message("intro\n\n" + lines, limit=90) == ["intro", "x" * 40 + "\n" + "y" * 40, "z" * 40]
    words = " ".join(["word"] * 30)
    chunks = split_message(words, limit=50)
    assert all(len(c) <= 50 for c in chunks)
    assert " ".join(chunks) == words


def test_hard_cut_when_there_is_no_boundary_and_emoji_count_double() -> None:
    assert split_message("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]
    emoji = "🙂" * 10  # 2 UTF-16 code units each, as Telegram counts them
    chunks = split_message(emoji, limit=8)
    assert all(utf16_length(c) <= 8 for c in chunks)
    assert "".join(chunks) == emoji


def test_real_limit_keeps_every_part_within_4096() -> None:
    text = "\n\n".join(f"Paragraph {i}: " + " ".join(["lorem ipsum"] * 60) for i in range(40))
    chunks = split_message(text)
    assert len(chunks) > 1
    assert all(utf16_length(c) <= 4096 for c in chunks)
    assert "\n\n".join(chunks) == text


def test_callback_payloads_short_ones_pass_long_ones_become_tokens() -> None:
    payloads = CallbackPayloads(capacity=2)
    short = '/show_section{"section": "symptoms"}'
    assert payloads.encode(short) == short
    long = "/show_section" + '{"section": "' + "x" * 80 + '"}'
    token = payloads.encode(long)
    assert token.startswith("t:")
    assert len(token.encode()) <= CALLBACK_DATA_LIMIT
    assert payloads.encode(long) == token
    assert payloads.decode(token) == long
    assert payloads.decode(short) == short
    assert payloads.decode("t:unknown") is None
    lookalike = payloads.encode("t:abc")  # a short payload that looks like a token is tokenised too
    assert lookalike != "t:abc"
    assert payloads.decode(lookalike) == "t:abc"
    payloads.encode("/" + "y" * 90)  # capacity 2: the oldest token is forgotten
    assert payloads.decode(token) is None


def test_settings_from_environment() -> None:
    assert TelegramSettings.from_env({}) == TelegramSettings()
    settings = TelegramSettings.from_env(
        {
            "TELEGRAM_TOKEN": " 1:abc ",
            "TELEGRAM_VERIFY": "@my_bot",
            "TELEGRAM_WEBHOOK_URL": "https://x.example/webhooks/telegram/webhook",
            "TELEGRAM_API_URL": "",
        }
    )
    assert settings.token == "1:abc"
    assert settings.verify == "my_bot"
    assert settings.api_url == DEFAULT_API_URL


def test_without_a_token_the_channel_has_no_routes(caplog: pytest.LogCaptureFixture) -> None:
    channel = TelegramChannel(TelegramSettings())
    with caplog.at_level(logging.INFO, logger="channels.telegram"):
        blueprint = channel.blueprint(lambda _message: None)  # type: ignore[arg-type, return-value]
    assert not channel.active
    assert list(blueprint._future_routes) == []
    assert [r.getMessage() for r in caplog.records] == ["Telegram channel inactive: TELEGRAM_TOKEN is not set"]


def test_a_token_without_a_webhook_secret_leaves_the_channel_off(caplog: pytest.LogCaptureFixture) -> None:
    channel = TelegramChannel(TelegramSettings(token="123456:" + "A" * 35))
    blueprint = channel.blueprint(lambda _message: None)  # type: ignore[arg-type, return-value]
    assert list(blueprint._future_routes) == []
    assert "set TELEGRAM_WEBHOOK_SECRET" in caplog.text


def test_a_malformed_token_disables_the_channel_instead_of_crashing(caplog: pytest.LogCaptureFixture) -> None:
    channel = TelegramChannel(TelegramSettings(token="not-a-token", webhook_secret="s" * 24))
    blueprint = channel.blueprint(lambda _message: None)  # type: ignore[arg-type, return-value]
    assert list(blueprint._future_routes) == []
    assert "not a bot token" in caplog.text
