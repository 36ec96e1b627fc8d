"""Stand-ins of the Twilio and Graph APIs, then the real action + Rasa servers with both messaging channels on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.local_servers import Servers, running_servers
from tests.integration.channels.messaging.standins import Recorder, graph_app, serving, twilio_app

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "stand-in-auth-token-0123456789ab"
SMS_NUMBER = "+15550100199"
WHATSAPP_NUMBER = "whatsapp:+15550100188"
# The public URL Twilio signs; the tests post to the local server, as a reverse proxy would.
TWILIO_WEBHOOK_URL = "https://bot.example.org/webhooks/twilio/webhook"

WHATSAPP_TOKEN = "EAAG-stand-in-access-token"
PHONE_NUMBER_ID = "106540352242922"
APP_SECRET = "stand-in-app-secret-42"
VERIFY_TOKEN = "stand-in-verify-token-7"


@pytest.fixture(scope="package")
def twilio_api() -> Iterator[Recorder]:
    recorder = Recorder()
    with serving(twilio_app(recorder, TWILIO_SID, TWILIO_TOKEN), recorder):
        yield recorder


@pytest.fixture(scope="package")
def graph_api() -> Iterator[Recorder]:
    recorder = Recorder()
    with serving(graph_app(recorder, PHONE_NUMBER_ID, WHATSAPP_TOKEN), recorder):
        yield recorder


@pytest.fixture(scope="package")
def servers(tmp_path_factory: pytest.TempPathFactory, twilio_api: Recorder, graph_api: Recorder) -> Iterator[Servers]:
    env = {
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_NUMBER": SMS_NUMBER,
        "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER,
        "TWILIO_WEBHOOK_URL": TWILIO_WEBHOOK_URL,
        "TWILIO_API_URL": twilio_api.url,
        "WHATSAPP_ACCESS_TOKEN": WHATSAPP_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_API_URL": graph_api.url,
    }
    with running_servers(Path(tmp_path_factory.mktemp("messaging-servers")), extra_env=env) as running:
        yield running
