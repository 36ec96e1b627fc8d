"""SMS and WhatsApp through Twilio end to end: real Rasa + action servers, the channel sending through a local
stand-in of Twilio's Messages API.

Webhooks are POSTed the way Twilio posts them (form fields, signed with the auth token over the public webhook
URL); what the bot sends is read from the stand-in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import re
import sqlite3
from pathlib import Path

import pytest
import requests

from actions.answers import short_title
from actions.knowledge_base import KnowledgeBase, Section
from serving.local_servers import Servers
from tests.integration.channels.messaging.conftest import (
    SMS_NUMBER,
    TWILIO_SID,
    TWILIO_TOKEN,
    TWILIO_WEBHOOK_URL,
    WHATSAPP_NUMBER,
)
from tests.integration.channels.messaging.standins import Recorder

pytestmark = pytest.mark.integration

TWILIO_LIMIT = 1600
OPTION = re.compile(r"^Reply (\d+) for (.+)\.$", re.MULTILINE)


def new_number() -> str:
    return f"+1555{random.randint(10**6, 10**7 - 1)}"


def sign(url: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> str:
    """Twilio's documented algorithm: the URL, then each POST parameter name and value, sorted by name;
    HMAC-SHA1 with the auth token, base64."""
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def form(sender: str, body: str, to: str = SMS_NUMBER) -> dict[str, str]:
    sid = "SM" + "".join(random.choice("0123456789abcdef") for _ in range(32))
    return {"MessageSid": sid, "AccountSid": TWILIO_SID, "From": sender, "To": to, "Body": body, "NumMedia": "0"}


def post(servers: Servers, params: dict[str, str], signature: str | None = "sign") -> requests.Response:
    headers = {}
    if signature == "sign":
        headers["X-Twilio-Signature"] = sign(TWILIO_WEBHOOK_URL, params)
    elif signature is not None:
        headers["X-Twilio-Signature"] = signature
    return requests.post(servers.rasa_url + "/webhooks/twilio/webhook", data=params, headers=headers, timeout=60)


def ask(servers: Servers, twilio_api: Recorder, sender: str, body: str, to: str = SMS_NUMBER) -> list[str]:
    since = twilio_api.mark()
    answer = post(servers, form(sender, body, to))
    assert answer.status_code == 200
    assert "<Response></Response>" in answer.text
    sent = twilio_api.to(sender, since)
    assert all(m["From"] == to for m in sent)
    bodies = [m["Body"] for m in sent]
    assert all(0 < len(b) <= TWILIO_LIMIT for b in bodies)
    assert not any("answer_type" in b or '"citations"' in b for b in bodies)
    return bodies


def source_line(section: Section) -> str:
    return f"Source: NCI, {section.heading} {section.url}"


def options(bodies: list[str]) -> dict[str, str]:
    return dict(OPTION.findall(bodies[-1]))


def unlabelled(body: str) -> str:
    return re.sub(r"^\(\d+/\d+\) ", "", body)


def test_question_gets_the_cited_answer_in_readable_parts_with_the_source_line_last(
    servers: Servers, twilio_api: Recorder, kb: KnowledgeBase
) -> None:
    sender = new_number()
    bodies = ask(servers, twilio_api, sender, "what are the symptoms of leukemia?")
    assert "not medical advice" in bodies[0]  # the disclaimer starts a new conversation
    section = kb.section("symptoms")
    answer = [b for b in bodies[1:]]
    assert len(answer) > 1  # this answer is long: it comes in parts, numbered for phones that reorder them
    assert [b[: len(f"({n}/{len(answer)})")] for n, b in enumerate(answer, 1)] == [
        f"({n}/{len(answer)})" for n in range(1, len(answer) + 1)
    ]
    text = "\n".join(unlabelled(b) for b in answer)
    assert section.blocks[0].text in text  # the passage verbatim
    assert text.count("Source") == 1  # the bot's own source paragraph replaced, not repeated
    last = answer[-1]
    assert source_line(section) in last
    assert last.index(source_line(section)) > last.index("• frequent infections")  # after the text
    assert "Reply MORE for more." in last
    assert options(bodies)  # the other suggested topics as numbered options
    for body in answer[:-1]:  # split between sentences / list items, each part about one phone screen
        assert len(unlabelled(body)) <= 320
        assert unlabelled(body).rstrip()[-1] in ".:!?" or "\n•" in body


def test_a_typed_number_gets_that_option_and_more_gets_the_rest_of_the_section(
    servers: Servers, twilio_api: Recorder, kb: KnowledgeBase
) -> None:
    sender = new_number()
    first = ask(servers, twilio_api, sender, "what is chemotherapy?")
    chemo = kb.section("chemotherapy")
    assert any(source_line(chemo) in b for b in first)
    first_text = "\n".join(first)

    more = ask(servers, twilio_api, sender, "MORE")
    more_text = "\n".join(unlabelled(b) for b in more)
    assert source_line(chemo) in more_text
    shown = [block.text for block in chemo.blocks if block.kind == "paragraph" and block.text in more_text]
    assert shown
    assert not any(text in first_text for text in shown)  # the next part of the section, not a repeat

    choices = options(more)
    number, title = next(iter(choices.items()))
    chosen = next(s for s in kb.sections.values() if title in (s.heading, short_title(s)))
    picked = ask(servers, twilio_api, sender, f" {number} ")
    assert any(re.search(rf"Source: NCI, [^\n]*{re.escape(chosen.url)}", b) for b in picked), (title, picked)


def test_whatsapp_through_twilio_is_answered_from_the_whatsapp_sender(
    servers: Servers, twilio_api: Recorder, kb: KnowledgeBase
) -> None:
    sender = "whatsapp:" + new_number()
    bodies = ask(servers, twilio_api, sender, "what are the symptoms of leukemia?", to=WHATSAPP_NUMBER)
    assert any(source_line(kb.section("symptoms")) in b for b in bodies)


def test_an_emergency_gets_the_urgent_reply_first_even_before_the_disclaimer(
    servers: Servers, twilio_api: Recorder
) -> None:
    bodies = ask(servers, twilio_api, new_number(), "my son has a fever of 39.5 and he is on chemo")
    assert "911" in bodies[0]
    assert "care team" in bodies[0]
    assert not bodies[0].startswith("(1/")  # the urgent reply arrives whole
    assert any("not medical advice" in b for b in bodies[1:])


def test_unsigned_or_badly_signed_requests_are_refused_and_never_reach_rasa(
    servers: Servers, twilio_api: Recorder
) -> None:
    sender = new_number()
    since = twilio_api.mark()
    params = form(sender, "what are the symptoms of leukemia?")
    local_url = servers.rasa_url + "/webhooks/twilio/webhook"
    forged = [
        None,  # no signature
        "",
        "bm90IGEgc2lnbmF0dXJl",
        sign(TWILIO_WEBHOOK_URL, params, token="another-accounts-token"),
        sign(local_url, params),  # signed for another URL
        sign(TWILIO_WEBHOOK_URL, {**params, "Body": "something else"}),  # the body was changed
    ]
    for signature in forged:
        assert post(servers, params, signature=signature).status_code == 403
    assert twilio_api.to(sender, since) == []
    log = (servers.workdir / "rasa.log").read_text()
    assert "Twilio: refused a webhook request with a missing or wrong X-Twilio-Signature" in log
    # Nothing of the refused requests was stored: the first accepted message still opens the conversation.
    bodies = ask(servers, twilio_api, sender, "hello")
    assert "not medical advice" in bodies[0]


def test_messages_to_other_numbers_are_ignored(servers: Servers, twilio_api: Recorder) -> None:
    sender = new_number()
    since = twilio_api.mark()
    assert post(servers, form(sender, "what are the symptoms?", to="+15559990000")).status_code == 200
    assert twilio_api.to(sender, since) == []


def test_input_guard_answers_empty_messages_and_no_phone_number_is_stored(
    servers: Servers, twilio_api: Recorder
) -> None:
    sender = new_number()
    empty = ask(servers, twilio_api, sender, "   ")
    assert empty == ["I didn't get a question there. Please type your question about childhood ALL in a few words."]
    ask(servers, twilio_api, sender, "my number is 555-867-5309, what are the symptoms of leukemia?")
    with sqlite3.connect(Path(servers.env["TRACKER_DB"])) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [" ".join(map(str, row)) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')]  # noqa: S608
    stored = "\n".join(rows)
    assert "[phone]" in stored  # the question was stored, redacted
    assert "867-5309" not in stored
    assert sender.lstrip("+") not in stored  # the conversation id is not the number


def test_an_oversized_request_is_refused_before_it_is_parsed(servers: Servers, twilio_api: Recorder) -> None:
    sender = new_number()
    since = twilio_api.mark()
    params = form(sender, "x" * (70 * 1024))
    assert post(servers, params).status_code == 413
    assert twilio_api.to(sender, since) == []


def test_asking_for_a_person_by_sms_gets_how_to_reach_people_now(servers: Servers, twilio_api: Recorder) -> None:
    bodies = ask(servers, twilio_api, new_number(), "is there a real person i could speak to instead of a bot")
    text = " ".join(bodies)
    assert "1-800-4-CANCER (1-800-422-6237)" in text
    assert "NCIinfo@nih.gov" in text
    assert "911" in text  # an emergency is still a call now


def test_a_message_in_spanish_gets_the_spanish_reply_by_sms(servers: Servers, twilio_api: Recorder) -> None:
    from channels import language

    bodies = ask(servers, twilio_api, new_number(), "¿Qué es la leucemia linfoblástica aguda y cómo se trata?")
    spanish = language.table().rows["spanish"]
    assert "1-800-422-6237" in spanish.reply
    assert any("1-800-422-6237" in body for body in bodies)
    assert not any("not medical advice" in body for body in bodies)  # answered without Rasa's disclaimer
