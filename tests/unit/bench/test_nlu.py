"""The NLU benchmark's verdict: DIET against the lighter NLU."""

from __future__ import annotations


def test_the_nlu_verdict_keeps_diet_when_the_lighter_nlu_answers_fewer_questions() -> None:
    from bench.nlu import CHOSEN, LIGHT, verdict

    def variant(external: float, own: float, msg_per_s: float, false_urgent: int) -> dict:
        return {
            "train_s": 100.0,
            "external": {"accuracy": external, "false_urgent": 0},
            "own": {"accuracy": own, "false_urgent": false_urgent},
            "load": {"10": {"msg_per_s": msg_per_s}},
        }

    worse = verdict({CHOSEN: variant(0.92, 0.91, 30.0, 0), LIGHT: variant(0.83, 0.90, 45.0, 1)})
    assert "keeps DIET" in worse
    assert "1.5×" in worse
    assert "9.0 points fewer external" in worse
    assert "1.0 points fewer of our own" in worse
    better = verdict({CHOSEN: variant(0.92, 0.91, 30.0, 0), LIGHT: variant(0.93, 0.91, 45.0, 0)})
    assert "should replace DIET" in better
