"""Answer feedback on Telegram: 👍 / 👎 under each answer, the reasons after 👎, all as callback_data within
Telegram's 64 bytes, stored as answer_feedback events in the tracker store (real servers, Bot API stand-in)."""

from __future__ import annotations

import pytest

from chaos.telegram_standin import TelegramStandIn
from serving.local_servers import Servers
from tests.integration.channels.test_telegram import callback_update, keyboard, message_update, new_chat, post, sent_to
from tests.integration.test_feedback import stored_feedback

SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"


@pytest.mark.integration
def test_thumbs_down_and_a_reason_from_telegram_reach_the_tracker_store(
    servers: Servers, telegram_api: TelegramStandIn
) -> None:
    chat = new_chat()
    since = telegram_api.mark()
    post(servers, message_update(chat, "what are the symptoms of leukemia?"))
    answer = next(m for m in sent_to(telegram_api, chat, since) if "Source" in m.params["text"])
    rows = answer.params["reply_markup"]["inline_keyboard"]
    thumbs = rows[-1]
    assert [b["text"] for b in thumbs] == ["👍", "👎"]
    answer_id = thumbs[0]["callback_data"].split(":")[1]
    assert [b["callback_data"] for b in thumbs] == [f"f:{answer_id}:up", f"f:{answer_id}:down"]

    since = telegram_api.mark()
    update = callback_update(chat, thumbs[1]["callback_data"])
    assert post(servers, update).status_code == 200
    acks = telegram_api.calls_to("answerCallbackQuery", since)
    assert [a.params["callback_query_id"] for a in acks] == [update["callback_query"]["id"]]
    [ask] = sent_to(telegram_api, chat, since)
    assert ask.params["text"] == "Thank you. What was wrong with it? (optional)"
    reasons = keyboard(ask)
    assert [(b["text"], b["callback_data"]) for b in reasons] == [
        ("Didn't answer my question", f"f:{answer_id}:down:didnt_answer"),
        ("Hard to understand", f"f:{answer_id}:down:hard_to_understand"),
        ("Wrong topic", f"f:{answer_id}:down:wrong_topic"),
    ]

    since = telegram_api.mark()
    post(servers, callback_update(chat, reasons[2]["callback_data"]))
    [thanks] = sent_to(telegram_api, chat, since)
    assert thanks.params["text"] == "Thank you. This helps the people who keep these answers right."
    assert "reply_markup" not in thanks.params or not keyboard(thanks)

    assert stored_feedback(servers.env["TRACKER_DB"], str(chat)) == [
        {"answer_id": answer_id, "rating": "down", "reason": None, "section": SYMPTOMS, "answer_type": "answer"},
        {"answer_id": answer_id, "rating": "down", "reason": "wrong_topic", "section": SYMPTOMS,
         "answer_type": "answer"},
    ]  # fmt: skip
