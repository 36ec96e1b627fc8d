"""The benchmark helpers: percentiles, the baselines' rules and the synthetic knowledge base."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest

from actions.knowledge_base import default_knowledge_base
from bench.accuracy import PlainBM25, StockKnowledgeBaseAction, score
from bench.growth import synthetic
from bench.stats import latency_summary, memory_trend, percentile, run_record


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert math.isnan(percentile([], 50))


def test_latency_summary_counts_errors() -> None:
    summary = latency_summary([10.0, 20.0, 30.0], errors=1, wall_s=2.0)
    assert summary["messages"] == 4
    assert summary["error_rate"] == 0.25
    assert summary["msg_per_s"] == 1.5


def soak_samples(rss_by_minute: list[float]) -> list[dict]:
    return [{"t_s": 60.0 * n, "rasa_server": {"vmrss_mib": rss}} for n, rss in enumerate(rss_by_minute)]


def test_a_cache_filling_up_then_levelling_off_is_flat() -> None:
    trend = memory_trend(soak_samples([500, 600, 650, 690, 700, 700.5, 701, 700.8, 701.2]), "rasa_server")
    assert trend["flat"] is True
    assert trend["before_load_mib"] == 500
    assert trend["half_time_mib"] == 700
    assert trend["end_mib"] == 701.2
    assert trend["second_half_rise_mib"] == 1.2
    assert 0 < trend["second_half_slope_mib_per_min"] < 0.5


def test_a_steady_rise_is_not_flat() -> None:
    trend = memory_trend(soak_samples([500 + n for n in range(9)]), "rasa_server")
    assert trend["flat"] is False
    assert trend["second_half_slope_mib_per_min"] == 1.0


def test_memory_trend_needs_samples_under_load() -> None:
    with pytest.raises(ValueError, match="at least four samples"):
        memory_trend(soak_samples([500, 510, 520]), "rasa_server")


def test_run_record_names_the_commit_measured_and_keeps_the_fields(tmp_path: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    head = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()

    record = run_record(tmp_path, quick=True, runs=[])

    assert head.startswith(record["git_commit"])
    assert len(record["git_commit"]) >= 7
    assert record["quick"] is True
    assert record["runs"] == []
    assert record["machine"]["nproc"] >= 1
    assert record["date"][:2] == "20"


def test_run_record_outside_a_checkout_has_no_commit(tmp_path: Path) -> None:
    assert run_record(tmp_path)["git_commit"] == ""


def test_plain_bm25_answers_with_a_heading_or_out_of_scope() -> None:
    kb = default_knowledge_base()
    bm25 = PlainBM25(kb)
    headings = {section.heading for section in kb.sections.values()}
    assert bm25.outcome("What are the side effects of chemotherapy?") in headings
    assert bm25.outcome("zzzz qqqq") == "out_of_scope"


def test_stock_kb_action_needs_a_mention_naming_one_section(tmp_path: Path) -> None:
    kb = default_knowledge_base()
    stock = StockKnowledgeBaseAction(kb, tmp_path)
    assert stock.outcome("symptoms of childhood acute lymphoblastic leukemia") == kb.section("symptoms").heading
    assert stock.outcome("zzzz qqqq") == "out_of_scope"
    assert stock.applied == 1


def test_score_by_category() -> None:
    questions = [{"accept": ["A"]}, {"accept": ["out_of_scope"]}, {"accept": ["urgent"]}]
    result = score(list(zip(questions, ["A", "B", "urgent"], strict=True)))
    assert result["correct"] == 2
    assert result["by_category"]["out_of_scope"]["correct"] == 0


def test_synthetic_knowledge_base_grows_with_consistent_links() -> None:
    kb = default_knowledge_base()
    big = synthetic(kb, 3)
    assert len(big.sections) == 3 * len(kb.sections)
    for section in big.sections.values():
        assert section.parent is None or section.parent in big.sections
        assert all(child in big.sections for child in section.children)
    assert all(entry.section in big.sections for entry in big.glossary.values())


def test_soak_report_says_which_server_is_not_flat() -> None:
    from bench.soak import markdown

    samples = [
        {"t_s": 60.0 * n, "rasa_server": {"vmrss_mib": 700 + n}, "action_server": {"vmrss_mib": 130.0}}
        for n in range(9)
    ]
    soak = {"users": 20, "seconds": 480.0, "memory_samples": samples, "per_minute": [], **latency_summary([], 0, 480)}
    result = {
        "date": "2026-12-02",
        "git_commit": "abc1234",
        "minutes": 8.0,
        "machine": {"nproc": 2, "cpu": "test"},
        "soak": soak,
        "memory": {name: memory_trend(samples, name) for name in ("rasa_server", "action_server")},
    }
    rows = {line.split("|")[1].strip(): line for line in markdown(result).splitlines() if "server |" in line}
    assert rows["Rasa server"].rstrip("| ").endswith("**no**")
    assert rows["action server"].rstrip("| ").endswith("yes")


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
