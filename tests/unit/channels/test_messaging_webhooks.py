"""The messaging channels' webhook checks, parsing and settings: Twilio's and Meta's signatures, the Cloud API's
message shapes, off unless configured."""

from __future__ import annotations

import hashlib
import hmac
import logging

import pytest

from channels.pseudonyms import conversation_id
from channels.twilio_messaging import TwilioMessagingInput, TwilioSettings, signature_ok
from channels.whatsapp import (
    Incoming,
    SeenMessages,
    WhatsAppInput,
    WhatsAppSettings,
    incoming_messages,
)
from channels.whatsapp import signature_ok as hub_signature_ok

# Twilio's documented example (webhook security guide): auth token 12345, this URL and these parameters.
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
DOC_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_twilio_signature_matches_twilios_documented_example() -> None:
    assert signature_ok("12345", DOC_URL, DOC_PARAMS, DOC_SIGNATURE)
    assert signature_ok("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", DOC_PARAMS, DOC_SIGNATURE)


@pytest.mark.parametrize(
    ("token", "url", "params", "signature"),
    [
        ("54321", DOC_URL, DOC_PARAMS, DOC_SIGNATURE),
        ("12345", DOC_URL.replace("foo=1", "foo=2"), DOC_PARAMS, DOC_SIGNATURE),
        ("12345", DOC_URL, {**DOC_PARAMS, "Digits": "1235"}, DOC_SIGNATURE),
        ("12345", DOC_URL, {**DOC_PARAMS, "Body": "added"}, DOC_SIGNATURE),
        ("12345", DOC_URL, DOC_PARAMS, ""),
        ("12345", DOC_URL, DOC_PARAMS, DOC_SIGNATURE.lower()),
    ],
)
def test_twilio_signature_fails_for_anything_changed(token: str, url: str, params: dict, signature: str) -> None:
    assert not signature_ok(token, url, params, signature)


def test_hub_signature_is_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    digest = hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert hub_signature_ok("app-secret", body, f"sha256={digest}")
    assert hub_signature_ok("app-secret", body, f"sha256={digest.upper()}")
    assert not hub_signature_ok("app-secret", body + b" ", f"sha256={digest}")
    assert not hub_signature_ok("other-secret", body, f"sha256={digest}")
    assert not hub_signature_ok("app-secret", body, digest)
    assert not hub_signature_ok("app-secret", body, "")


def update(*messages: dict, phone_number_id: str = "42") -> dict:
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": phone_number_id}, "messages": messages}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


def tapped(kind: str, reply_id: str) -> dict:
    return {"type": kind, kind: {"id": reply_id, "title": "A title"}}


def test_incoming_messages_read_text_taps_and_media_and_skip_the_rest() -> None:
    body = update(
        {"from": "155501", "id": "wamid.1", "type": "text", "text": {"body": "what is ALL?"}},
        {"from": "155501", "id": "wamid.2", "type": "interactive", "interactive": tapped("button_reply", "/a")},
        {"from": "155501", "id": "wamid.3", "type": "interactive", "interactive": tapped("list_reply", "h:1")},
        {"from": "155501", "id": "wamid.4", "type": "image", "image": {"id": "9"}},
        {"from": "155501", "id": "wamid.5", "type": "reaction", "reaction": {"emoji": "👍"}},
        {"from": "155501", "id": "wamid.6", "type": "button", "button": {"payload": "/b", "text": "B"}},
        {"id": "wamid.7", "type": "text", "text": {"body": "no sender"}},
        "not a message",
    )  # fmt: skip
    assert incoming_messages(body, "42") == [
        Incoming("155501", "wamid.1", text="what is ALL?"),
        Incoming("155501", "wamid.2", reply_id="/a"),
        Incoming("155501", "wamid.3", reply_id="h:1"),
        Incoming("155501", "wamid.4", text=""),
        Incoming("155501", "wamid.6", text="/b"),
    ]
    assert incoming_messages(body, "43") == []  # another business number's messages
    assert incoming_messages({"entry": "nonsense"}, "42") == []
    assert incoming_messages(["not", "an", "object"], "42") == []


def test_a_message_id_is_handled_once() -> None:
    seen = SeenMessages(capacity=2)
    assert [seen.first_time(i) for i in ("a", "a", "b", "c", "a")] == [True, False, True, True, True]


def test_conversation_ids_are_keyed_hashes_never_the_number() -> None:
    one = conversation_id("twilio", "key", "+15550100199")
    assert one == conversation_id("twilio", "key", " +15550100199 ")
    assert one != conversation_id("twilio", "other key", "+15550100199")
    assert "5550100199" not in one
    assert one.startswith("twilio-")


def test_settings_come_from_the_environment() -> None:
    env = {
        "TWILIO_ACCOUNT_SID": "AC1",
        "TWILIO_AUTH_TOKEN": "t",
        "TWILIO_WHATSAPP_NUMBER": "+15550100188",
        "TWILIO_WEBHOOK_URL": "https://bot/webhooks/twilio/webhook",
        "TWILIO_API_URL": "http://127.0.0.1:9/",
    }
    settings = TwilioSettings.from_env(env)
    assert settings.whatsapp_number == "whatsapp:+15550100188"
    assert settings.api_url == "http://127.0.0.1:9"
    assert settings.missing() == []
    assert TwilioSettings.from_env({"TWILIO_ACCOUNT_SID": "AC1"}).missing() == [
        "TWILIO_AUTH_TOKEN",
        "TWILIO_WEBHOOK_URL",
        "TWILIO_SMS_NUMBER or TWILIO_WHATSAPP_NUMBER",
    ]
    whatsapp = WhatsAppSettings.from_env({"WHATSAPP_ACCESS_TOKEN": "EAAG", "WHATSAPP_APP_SECRET": "s"})
    assert whatsapp.missing() == ["WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_VERIFY_TOKEN"]
    assert whatsapp.api_url == "https://graph.facebook.com"


async def _never(_: object) -> None:
    raise AssertionError("no message may reach Rasa")


@pytest.mark.parametrize(
    ("channel", "log"),
    [
        (
            TwilioMessagingInput(TwilioSettings()),
            "Twilio channel (SMS, WhatsApp) inactive: TWILIO_ACCOUNT_SID is not set",
        ),
        (
            TwilioMessagingInput(TwilioSettings(account_sid="AC1", auth_token="t")),
            "Twilio channel inactive: set TWILIO_WEBHOOK_URL, TWILIO_SMS_NUMBER or TWILIO_WHATSAPP_NUMBER too "
            "(see README)",
        ),
        (WhatsAppInput(WhatsAppSettings()), "WhatsApp Cloud API channel inactive: WHATSAPP_ACCESS_TOKEN is not set"),
        (
            WhatsAppInput(WhatsAppSettings(access_token="EAAG", verify_token="v")),
            "WhatsApp channel inactive: set WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET too (see README)",
        ),
    ],
)
def test_off_unless_configured_no_routes_and_one_log_line(
    channel: TwilioMessagingInput | WhatsAppInput, log: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        blueprint = channel.blueprint(_never)
    assert list(blueprint._future_routes) == []
    assert [r.getMessage() for r in caplog.records] == [log]


def test_configured_channels_have_their_webhook_routes() -> None:
    twilio = TwilioMessagingInput(
        TwilioSettings(account_sid="AC1", auth_token="t", sms_number="+15550100199", webhook_url="https://b/w")
    )
    whatsapp = WhatsAppInput(
        WhatsAppSettings(access_token="EAAG", phone_number_id="42", app_secret="s", verify_token="v")
    )
    assert {(r.uri, tuple(sorted(r.methods))) for r in twilio.blueprint(_never)._future_routes} == {
        ("/", ("GET",)),
        ("/webhook", ("POST",)),
    }
    assert {(r.uri, tuple(sorted(r.methods))) for r in whatsapp.blueprint(_never)._future_routes} == {
        ("/", ("GET",)),
        ("/webhook", ("GET",)),
        ("/webhook", ("POST",)),
    }
