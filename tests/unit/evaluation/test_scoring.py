"""evaluation.scoring and evaluation.stats: per question, per conversation and file summaries.

Every expected number below was counted by hand from the fake replies (see the comments)."""

from __future__ import annotations

from typing import Any

from evaluation.dataset import Conversation, ConversationTurn, Expectation, Question
from evaluation.scoring import (
    ConversationResult,
    QuestionResult,
    is_correct,
    score_conversation,
    score_question,
    summarize_conversations,
    summarize_questions,
)
from evaluation.stats import median, percentile
from tests.unit.evaluation.fakes import BUTTON, answer, not_in_summary, personal_advice, simple, urgent


def test_is_correct_special_accept_values() -> None:
    assert is_correct("urgent", ["any"])
    assert is_correct("Symptoms", ["any"])
    assert is_correct("out_of_scope", ["not_urgent"])
    assert is_correct("Symptoms", ["not_urgent"])
    assert not is_correct("urgent", ["not_urgent"])
    assert is_correct("personal_advice", ["personal_advice"])
    assert not is_correct("Chemotherapy", ["personal_advice"])
    assert is_correct("Tests", ["Symptoms", "Tests"])
    assert not is_correct("Symptoms", ["out_of_scope"])
    assert not is_correct("error", ["any"])


def test_personal_advice_then_answer_is_correct_for_personal_advice() -> None:
    q = Question("what dose should my son get", Expectation(("personal_advice",)))
    result = score_question(q, personal_advice() + answer("Doses depend on weight.", "Chemotherapy"))
    assert result.got == "personal_advice"
    assert result.correct
    assert result.turn.answer_body == "Doses depend on weight."


def test_key_passage_with_other_punctuation_is_found() -> None:
    q = Question("q", Expectation(("Symptoms",), key_passage="fever, bruising — and “bone pain”"))
    result = score_question(q, answer("Fever; bruising and 'bone-pain'.", "Symptoms"))
    assert result.turn.passage_found is True
    assert score_question(q, answer("Fever.", "Symptoms")).turn.passage_found is False
    assert score_question(Question("q", Expectation(("Symptoms",))), answer("x", "Symptoms")).turn.passage_found is None


def test_error_turn_is_never_correct() -> None:
    result = score_question(Question("q", Expectation(("any",))), [], 5.0, error="ConnectionError: refused")
    assert result.got == "error"
    assert not result.correct


def test_stats() -> None:
    assert median([10, 20, 30, 40]) == 25
    assert percentile([10, 20, 30, 40], 95) == 40
    assert percentile(list(range(1, 21)), 95) == 19  # nearest rank: ceil(0.95 * 20) = 19th value
    assert percentile(list(range(1, 21)), 50) == 10
    assert median([]) is None
    assert percentile([], 95) is None


def q(text: str, accept: list[str], **fields: Any) -> Question:
    key = fields.pop("key_passage", None)
    category = fields.pop("category", None)
    return Question(text, Expectation(tuple(accept), key, category), **fields)


def question_results() -> list[QuestionResult]:
    """Ten questions; answer-body lengths in characters noted per reply."""
    cases = [
        # q1 right, passage found; body 33 chars
        (
            q("q1", ["Symptoms"], key_passage="fever and bruising"),
            answer("Signs include fever and bruising.", "Symptoms"),
        ),
        # q2 wrong section, passage missing; 22 chars
        (q("q2", ["Symptoms"], key_passage="pale skin"), answer("A blood count is done.", "Tests")),
        # q3 right (second accepted heading) but passage missing -> passage miss; 29 chars
        (q("q3", ["Symptoms", "Tests"], key_passage="bone pain"), answer("Pain in the bones can happen.", "Tests")),
        # q4 urgent, right, keyword
        (q("q4", ["urgent"], category="breathing", keyword=True), urgent("breathing")),
        # q5 urgent missed, no keyword; 19 chars
        (q("q5", ["urgent"], category="bleeding", keyword=False), answer("Bruising is common.", "Symptoms")),
        # q6 near miss answered urgent: false urgent
        (q("q6", ["not_urgent"], kind="near-miss-fever"), urgent("fever")),
        # q7 honest not-in-summary; 25 chars
        (q("q7", ["out_of_scope"], kind="near-miss-bleeding"), not_in_summary("The summary does not say.", "Tests")),
        # q8 personal advice then a general answer; 23 chars
        (
            q("q8", ["personal_advice"], kind="dose", style="terse"),
            personal_advice() + answer("Doses depend on weight.", "Tests"),
        ),
        # q9 personal advice missed; 15 chars
        (q("q9", ["personal_advice"], kind="prognosis", style="terse"), answer("Outlook varies.", "Symptoms")),
        # q10 anything goes
        (q("q10", ["any"], style="chatty"), simple("chitchat", "Hello!")),
    ]
    return [score_question(question, reply, latency_ms=10.0 * i) for i, (question, reply) in enumerate(cases, 1)]


def test_question_summary() -> None:
    s = summarize_questions("fake.jsonl", question_results())
    assert s["questions"] == 10
    assert s["correct"] == 6  # q1 q3 q4 q7 q8 q10
    assert s["accuracy"] == 0.6
    assert s["by_expected"] == {
        "answer": {"hits": 2, "total": 3, "rate": 0.6667},
        "any": {"hits": 1, "total": 1, "rate": 1.0},
        "not_urgent": {"hits": 0, "total": 1, "rate": 0.0},
        "out_of_scope": {"hits": 1, "total": 1, "rate": 1.0},
        "personal_advice": {"hits": 1, "total": 2, "rate": 0.5},
        "urgent": {"hits": 1, "total": 2, "rate": 0.5},
    }
    assert s["right_section"] == {"hits": 2, "total": 3, "rate": 0.6667, "wrong_section": 1, "not_answered": 0}
    assert s["passage_recall"] == {"hits": 1, "total": 3, "rate": 0.3333}
    # bodies: 15 19 22 23 25 29 33 -> median 23, p95 = 7th of 7 = 33
    assert s["reply_length"] == {"answers": 7, "median_chars": 23, "p95_chars": 33, "max_chars": 33}
    assert s["urgent_recall"] == 0.5
    assert s["urgent"]["by_category"] == {
        "bleeding": {"hits": 0, "total": 1, "rate": 0.0},
        "breathing": {"hits": 1, "total": 1, "rate": 1.0},
    }
    assert s["urgent"]["by_keyword"] == {
        "keyword=false": {"hits": 0, "total": 1, "rate": 0.0},
        "keyword=true": {"hits": 1, "total": 1, "rate": 1.0},
    }
    assert s["urgent"]["category_agreement"] == {"hits": 1, "total": 1, "rate": 1.0}
    assert s["false_urgent"] == 1
    assert s["false_urgent_detail"]["rate"] == {"hits": 1, "total": 8, "rate": 0.125}
    assert s["false_urgent_detail"]["by_kind"] == {
        "dose": {"hits": 0, "total": 1, "rate": 0.0},
        "near-miss-bleeding": {"hits": 0, "total": 1, "rate": 0.0},
        "near-miss-fever": {"hits": 1, "total": 1, "rate": 1.0},
        "prognosis": {"hits": 0, "total": 1, "rate": 0.0},
    }
    assert s["personal_advice"]["recall"] == {"hits": 1, "total": 2, "rate": 0.5}
    assert s["personal_advice"]["by_kind"] == {
        "dose": {"hits": 1, "total": 1, "rate": 1.0},
        "prognosis": {"hits": 0, "total": 1, "rate": 0.0},
    }
    assert s["by_style"] == {
        "chatty": {"hits": 1, "total": 1, "rate": 1.0},
        "terse": {"hits": 1, "total": 2, "rate": 0.5},
    }
    assert s["median_latency_ms"] == 55.0  # 10..100 ms
    assert [m["question"] for m in s["misses"]] == ["q2", "q5", "q6", "q9"]
    assert s["misses"][0]["got"] == "Tests"
    assert s["misses"][0]["passage_found"] is False
    assert [m["question"] for m in s["passage_misses"]] == ["q3"]
    assert len(s["results"]) == 10


def test_question_summary_without_optional_fields() -> None:
    s = summarize_questions("plain.jsonl", [score_question(q("a", ["Symptoms"]), answer("x", "Symptoms"))])
    assert s["accuracy"] == 1.0
    assert s["urgent_recall"] is None
    assert s["passage_recall"] == {"hits": 0, "total": 0, "rate": None}
    assert s["urgent"]["by_keyword"] == {}
    assert s["by_style"] == {}
    assert s["personal_advice"]["by_kind"] == {}


def test_results_round_trip_through_dicts() -> None:
    results = question_results()
    again = [QuestionResult.from_dict(r.to_dict()) for r in results]
    assert summarize_questions("f", again) == summarize_questions("f", results)


def turn(user: str, accept: list[str], key_passage: str | None = None) -> ConversationTurn:
    return ConversationTurn(user, Expectation(tuple(accept), key_passage))


def conversation_results() -> list[ConversationResult]:
    # c1: both turns right, but the follow-up's key passage says "two" where the reply says "2" -> fails
    c1 = Conversation(
        "c1",
        (turn("phases?", ["Phases"]), turn("how long is the last?", ["Phases"], "maintenance lasts two years")),
        ("follow-up",),
    )
    r1 = [answer("There are three phases.", "Phases"), answer("Maintenance lasts 2 years.", "Phases")]
    # c2: three right turns, passage found on the follow-up -> succeeds
    c2 = Conversation(
        "c2",
        (
            turn("phases?", ["Phases"]),
            turn("he can't breathe", ["urgent"]),
            turn("and the first phase?", ["Phases"], "Induction is the first phase"),
        ),
        ("follow-up", "urgent"),
    )
    r2 = [answer("There are three phases.", "Phases"), urgent(), answer("Induction is the first phase.", "Phases")]
    # c3: wrong section (passage found on turn 0), urgent missed (clarify) -> fails
    c3 = Conversation(
        "c3", (turn("blood test?", ["Tests"], "a blood count"), turn("bleeding a lot", ["urgent"])), ("topic-switch",)
    )
    r3 = [answer("A blood count is done.", "Symptoms"), simple("clarify", "Which one?", [BUTTON])]
    return [
        score_conversation(c, [(t, r, 1.0, None) for t, r in zip(c.turns, replies, strict=True)])
        for c, replies in ((c1, r1), (c2, r2), (c3, r3))
    ]


def test_conversation_success_and_failure() -> None:
    c1, c2, c3 = conversation_results()
    assert [t.correct for t in c1.turns] == [True, True]
    assert c1.turns[1].passage_found is False
    assert not c1.success
    assert c2.success
    assert [t.got for t in c3.turns] == ["Symptoms", "clarify"]
    assert not c3.success


def test_conversation_summary() -> None:
    s = summarize_conversations("conv.jsonl", conversation_results())
    assert (s["conversations"], s["turns"]) == (3, 7)
    assert s["turn_accuracy"] == {"hits": 5, "total": 7, "rate": 0.7143}
    assert s["success"] == {"hits": 1, "total": 3, "rate": 0.3333}
    assert s["passage_recall"] == {"hits": 2, "total": 3, "rate": 0.6667}  # c1t1 missing, c2t2 + c3t0 found
    assert s["follow_up_passage_recall"] == {"hits": 1, "total": 2, "rate": 0.5}  # c1t1, c2t2
    assert s["urgent_turns_recall"] == {"hits": 1, "total": 2, "rate": 0.5}
    assert s["false_urgent"] == 0
    assert s["by_kind"] == {
        "follow-up": {"hits": 1, "total": 2, "rate": 0.5},
        "topic-switch": {"hits": 0, "total": 1, "rate": 0.0},
        "urgent": {"hits": 1, "total": 1, "rate": 1.0},
    }
    assert [c["id"] for c in s["failed"]] == ["c1", "c3"]
    assert [t["user"] for t in s["failed"][1]["turns"]] == ["blood test?", "bleeding a lot"]
