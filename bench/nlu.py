"""DIET (config.yml) vs a lighter NLU (logistic regression + lookup-table entities): speed against right answers.

    python -m bench.nlu      # make bench-nlu; ~10 minutes; -> docs/benchmarks-nlu.md

NLU is the largest step of a message (docs/benchmarks.md), and DIET is most of it. The lighter variant is
config.yml with DIETClassifier replaced by Rasa's LogisticRegressionClassifier (fixed seed) for intents and
RegexEntityExtractor (the lookup tables in data/nlu) for entities; everything else is the same. Both models
run as real servers (bench/servers.py) and answer every question of both evaluation files over REST, then
take the same 1-user and 10-user loads as in `make bench`. The chosen model is the project's own
(models/all-pdq.tar.gz; its training time as recorded by `make train`, else timed here); the variant is
trained here.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench import load
from bench.accuracy import evaluate, summarize
from bench.questions import QUESTION_FILES, question_mix, read_questions
from bench.servers import bench_servers
from bench.stats import run_record
from bench.training import recorded_training, train
from serving.local_servers import MODEL, Servers
from serving.paths import ROOT

CHOSEN, LIGHT = "DIET (chosen)", "logistic regression + lookup entities"
LIGHT_COMPONENTS = [
    {"name": "LogisticRegressionClassifier", "random_state": 2024},
    {"name": "RegexEntityExtractor", "use_lookup_tables": True, "use_regexes": True},
]
LOAD_LEVELS = {1: 200, 10: 400}
OUT_MD = ROOT / "docs" / "benchmarks-nlu.md"
OUT_JSON = ROOT / "docs" / "benchmarks" / "nlu.json"


def log(message: str) -> None:
    print(f"[nlu-bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def light_config(workdir: Path) -> Path:
    """config.yml with DIETClassifier replaced by :data:`LIGHT_COMPONENTS`."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    names = [c["name"] for c in config["pipeline"]]
    at = names.index("DIETClassifier")
    config["pipeline"][at : at + 1] = LIGHT_COMPONENTS
    path = workdir / "config-light.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def measure(model: Path, workdir: Path, question_sets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Accuracy on both question files and REST latency / throughput at 1 and 10 users, on real servers."""
    workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {}
    with bench_servers(workdir, model=model) as servers:
        as_servers = Servers(servers.rasa_url, servers.actions_url, workdir, dict(os.environ), 0)
        for name, questions in question_sets.items():
            summary = summarize(name, evaluate(as_servers, questions))
            result[name] = {k: summary[k] for k in ("questions", "accuracy", "urgent_recall", "false_urgent")}
            result[name]["misses"] = [{k: m[k] for k in ("question", "got")} for m in summary["misses"]]
        mix = question_mix(question_sets)
        result["load"] = {
            str(users): asyncio.run(load.rest_load(servers.rasa_url, mix, users, messages))
            for users, messages in LOAD_LEVELS.items()
        }
        result["cold_start_s"] = servers.cold_start["rasa_server_first_answer_s"]
    return result


def verdict(variants: dict[str, Any]) -> str:
    chosen, light = variants[CHOSEN], variants[LIGHT]
    speed = light["load"]["10"]["msg_per_s"] / chosen["load"]["10"]["msg_per_s"]
    lost = {name: round((chosen[name]["accuracy"] - light[name]["accuracy"]) * 100, 1) for name in QUESTION_FILES}
    if all(points <= 0 for points in lost.values()) and light["own"]["false_urgent"] <= chosen["own"]["false_urgent"]:
        return (
            f"The lighter NLU is {speed:.1f}× as fast and answers at least as many questions correctly: "
            "it should replace DIET in config.yml."
        )

    def points(name: str, label: str) -> str:
        return f"{abs(lost[name]):.1f} points {'fewer' if lost[name] > 0 else 'more'} {label}"

    false_urgent = {v: variants[v]["own"]["false_urgent"] + variants[v]["external"]["false_urgent"] for v in variants}
    return (
        f"The lighter NLU handles {speed:.1f}× the messages per second at 10 users "
        f"({light['load']['10']['msg_per_s']} vs {chosen['load']['10']['msg_per_s']} msg/s) and trains in "
        f"{light['train_s']:.0f} s instead of {chosen['train_s']:.0f} s, but answers "
        f"{points('external', 'external questions')} and {points('own', 'of our own')} correctly "
        f"(false urgent replies: {false_urgent[LIGHT]}, DIET {false_urgent[CHOSEN]}). For families, a right "
        "answer matters more than the speed, and one DIET server already answers far faster than people type "
        "(docs/benchmarks.md, the paced level): `config.yml` keeps DIET, and more throughput comes from more "
        "servers (docs/benchmarks-cluster.md)."
    )


def markdown(results: dict[str, Any]) -> str:
    rows = [
        "| NLU | training s | external correct | own correct | urgent recall (own) | false urgent | "
        "1 user p50 ms | 10 users p95 ms | 10 users msg/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, v in results["variants"].items():
        false_urgent = v["external"]["false_urgent"] + v["own"]["false_urgent"]
        rows.append(
            f"| {name} | {v['train_s']:.0f} | {v['external']['accuracy']:.1%} | {v['own']['accuracy']:.1%} | "
            f"{v['own']['urgent_recall']} | {false_urgent} | {v['load']['1']['p50_ms']} | "
            f"{v['load']['10']['p95_ms']} | {v['load']['10']['msg_per_s']} |"
        )
    light, chosen = results["variants"][LIGHT], results["variants"][CHOSEN]
    missed = {m["question"] for name in QUESTION_FILES for m in chosen[name]["misses"]}
    newly = [m for name in QUESTION_FILES for m in light[name]["misses"] if m["question"] not in missed]
    return "\n".join(
        [
            "# NLU: DIET vs a lighter classifier",
            "",
            f"Run {results['date']} at commit `{results['git_commit']}` by `make bench-nlu` "
            "(`bench/nlu.py`; raw: `docs/benchmarks/nlu.json`). The lighter variant is `config.yml` with "
            "`DIETClassifier` replaced by `LogisticRegressionClassifier` (intents) and `RegexEntityExtractor` "
            "(entities from the lookup tables); both run as real servers and answer every question of both "
            "evaluation files over REST, then take the same loads as `make bench`.",
            "",
            *rows,
            "",
            verdict(results["variants"]),
            "",
            f"Questions the lighter NLU gets wrong and DIET gets right ({len(newly)}):",
            "",
            *[f"- {m['question']} → {m['got']}" for m in newly],
            "",
        ]
    )


def main() -> int:
    question_sets = {name: read_questions(path) for name, path in QUESTION_FILES.items()}
    results: dict[str, Any] = run_record(ROOT, variants={})
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        workdir = Path(tmp)
        recorded = recorded_training()
        if recorded is None:  # time it; the project's model is measured either way
            log("training config.yml for its training time (make train did not record it)")
            chosen_s, _ = train(ROOT / "config.yml", workdir / "chosen")
        else:
            chosen_s = recorded["seconds"]
        chosen_model = MODEL
        log("training the lighter NLU")
        light_s, light_model = train(light_config(workdir), workdir / "light")
        for name, model, seconds in ((CHOSEN, chosen_model, chosen_s), (LIGHT, light_model, light_s)):
            log(f"{name}: accuracy and load on real servers")
            results["variants"][name] = {
                "train_s": round(seconds, 1),
                **measure(model, workdir / name[:4], question_sets),
            }
    OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
    OUT_JSON.write_text(json.dumps(results, indent=2) + "\n")
    OUT_MD.write_text(markdown(results))
    log(f"done: {OUT_MD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
