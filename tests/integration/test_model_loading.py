"""The trained model with the speedups and the runtime fixes predicts exactly what stock Rasa does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from serving.local_servers import MODEL, ROOT, SERVER_ENV

pytestmark = pytest.mark.integration

QUESTIONS = [
    "what is ALL?",
    "my son has a fever of 39 on chemo",
    "what does vincristine do",
    "wht are the sympotms",
    "is daunorubicin safe for a 4 year old with 60000 white cells",
    "how is a lumbar puncture done?",
]

PARSE = textwrap.dedent(
    """
    import asyncio, json, sys, time
    import rasa_patches
    installed = rasa_patches.install()
    fixed = installed["eager_tensor"]
    active = all(installed[name] for name in rasa_patches.SPEEDUPS)
    from rasa.core.agent import load_agent
    started = time.perf_counter()
    agent = asyncio.run(load_agent(model_path=sys.argv[1]))
    seconds = time.perf_counter() - started
    parses = []
    for question in json.loads(sys.argv[2]):
        parse = asyncio.run(agent.parse_message(question))
        parses.append({
            "ranking": [(i["name"], round(i["confidence"], 5)) for i in parse["intent_ranking"]],
            "entities": [(e["entity"], e["value"], e["start"], e["end"]) for e in parse["entities"]],
        })
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    predictions = []
    for question in json.loads(sys.argv[2]):
        parse = asyncio.run(agent.parse_message(question))
        events = [ActionExecuted("action_listen"), UserUttered(question, parse["intent"], parse["entities"], parse)]
        tracker = DialogueStateTracker.from_events("family", events, agent.domain.slots)
        prediction = agent.processor._predict_next_with_tracker(tracker)
        best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
        predictions.append([agent.domain.action_names_or_texts[best], prediction.policy_name])
    result = {"speedups": active, "fixed": fixed, "load_s": seconds, "parses": parses, "predictions": predictions}
    print(json.dumps(result))
    """
)


def parse_in_fresh_process(speedups: bool) -> dict:
    """Parse and predict in a new process, with the speedups and runtime fixes both on or both off."""
    switch = "1" if speedups else "0"
    env = {**os.environ, **SERVER_ENV, "RASA_SPEEDUPS": switch, "RASA_RUNTIME_FIXES": switch}
    result = subprocess.run(
        [sys.executable, "-c", PARSE, str(MODEL), json.dumps(QUESTIONS)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_eager_weight_building_gives_the_same_predictions_faster() -> None:
    ours, rasas = parse_in_fresh_process(True), parse_in_fresh_process(False)
    assert ours["speedups"] is True
    assert rasas["speedups"] is False
    assert ours["fixed"] is True
    assert rasas["fixed"] is False
    assert ours["parses"] == rasas["parses"]
    assert ours["predictions"] == rasas["predictions"]  # the policy graph: the next action and its policy
    assert ours["predictions"][1][0] == "action_urgent_help"
    assert ours["parses"][1]["ranking"][0][0] == "urgent_help"  # a real model answered, not an empty one
    print(f"\nmodel load: {ours['load_s']:.1f} s with speedups, {rasas['load_s']:.1f} s with Rasa's own load")
