"""docs/benchmarks.md from the results of python -m bench (bench/__main__.py)."""

from __future__ import annotations

from typing import Any

from bench.stats import FLAT_TOLERANCE_MIB, memory_trend


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _cat(summary: dict[str, Any], category: str) -> str:
    c = summary["by_category"].get(category)
    return "—" if c is None else f"{c['accuracy']:.1%} ({c['correct']}/{c['total']})"


def _target(name: str, target: str, measured: str, met: bool | None) -> str:
    verdict = "not measured" if met is None else ("**met**" if met else "**not met**")
    return f"| {name} | {target} | {measured} | {verdict} |"


def _training_source(train: dict[str, Any]) -> str:
    return f" ({train['source']}, same inputs)" if train.get("source") else ""


def stock_section(r: dict[str, Any]) -> list[str]:
    """Rasa 3.6 as shipped vs this setup: same model, actions and machine, one run."""
    stock = r.get("stock_rasa")
    if not stock:
        return []
    ours = {str(x["users"]): x for x in r["rest_load"]}
    lines = [
        "## Rasa 3.6 as shipped vs this setup",
        "",
        "The same model, actions, endpoints and questions, started a second time in the same run as Rasa 3.6 "
        "ships: without the speedups and runtime fixes of `rasa_patches` (`RASA_SPEEDUPS=0`, `RASA_RUNTIME_FIXES=0`), "
        "with TensorFlow's default thread pools and with Rasa's "
        "own `SQL` tracker store instead of `stores.sqlite_tracker_store` (`bench/servers.py`, `stock_rasa`). "
        "What each change does: `rasa_patches/__init__.py`, `stores/sqlite_tracker_store.py`, "
        "`serving/programs.py` (`SERVER_ENV`).",
        "",
        "| measure | Rasa 3.6 as shipped | this setup |",
        "|---|---:|---:|",
        f"| cold start, Rasa server (process start → first REST answer) | "
        f"{stock['cold_start']['rasa_server_first_answer_s']} s | {r['cold_start']['rasa_server_first_answer_s']} s |",
    ]
    for level in stock["rest_load"]:
        mine = ours.get(str(level["users"]))
        if not mine:
            continue
        for key, label in (("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"), ("msg_per_s", "msg/s")):
            lines.append(f"| {level['users']} user(s), {label} | {level[key]} | {mine[key]} |")
    lines.append("")
    return lines


def soak_section(soak: dict[str, Any] | None, long_soak_link: bool = True) -> list[str]:
    """Soak run: errors, latency per minute and the servers' resident memory over time (flat = no leak).

    ``long_soak_link``: end with a pointer to ``soak.md`` (the short soak in ``benchmarks.md``).
    """
    if not soak:
        return []
    samples = soak["memory_samples"]
    first, last = samples[0], samples[-1]
    lines = [
        "## Soak",
        "",
        f"{soak['users']} concurrent users (REST, loopback) sending questions without pause for {soak['seconds']} s: "
        f"**{soak['messages']} messages, {soak['errors']} errors** ({soak['error_rate']:.2%}), "
        f"p50 {soak['p50_ms']} ms, p95 {soak['p95_ms']} ms, {soak['msg_per_s']} msg/s.",
        "",
        "| minute | messages | p50 ms | p95 ms |",
        "|---:|---:|---:|---:|",
    ]
    lines += [f"| {m['minute']} | {m['ok']} | {m['p50_ms']} | {m['p95_ms']} |" for m in soak["per_minute"]]
    lines += [
        "",
        "Resident memory (VmRSS, MiB) sampled every 30 s:",
        "",
        "| seconds | Rasa server | action server |",
        "|---:|---:|---:|",
    ]
    lines += [f"| {x['t_s']} | {x['rasa_server']['vmrss_mib']} | {x['action_server']['vmrss_mib']} |" for x in samples]
    growth = {
        name: round(last[name]["vmrss_mib"] - samples[min(1, len(samples) - 1)][name]["vmrss_mib"], 1)
        for name in ("rasa_server", "action_server")
    }
    lines += [
        "",
        f"Change from the first sample under load to the last: Rasa server {growth['rasa_server']:+} MiB, "
        f"action server {growth['action_server']:+} MiB (before load: {first['rasa_server']['vmrss_mib']} / "
        f"{first['action_server']['vmrss_mib']} MiB).",
    ]
    if len([x for x in samples if x["t_s"] > 0]) >= 4:
        trends = {name: memory_trend(samples, name) for name in ("rasa_server", "action_server")}
        lines.append(
            f"Over the second half of the run: Rasa server {trends['rasa_server']['second_half_rise_mib']:+} MiB, "
            f"action server {trends['action_server']['second_half_rise_mib']:+} MiB "
            f"(flat = at most {FLAT_TOLERANCE_MIB} MiB: "
            + ", ".join(
                f"{label} {'yes' if trends[name]['flat'] else 'no'}"
                for name, label in (("rasa_server", "Rasa server"), ("action_server", "action server"))
            )
            + ")."
            + (" The long soak is in [soak.md](soak.md) (`make soak`)." if long_soak_link else "")
        )
    return [*lines, ""]


def _saturation_note(ten: dict[str, Any]) -> list[str]:
    """Why the back-to-back p95 follows from the throughput (Little's law), computed from the 10-user level."""
    if not ten.get("msg_per_s"):
        return []
    return [
        "Back to back, 10 users keep 10 messages in the server at every moment, so the mean latency is "
        f"10 / throughput (Little's law): 10 / {ten['msg_per_s']} msg/s = {10_000 / ten['msg_per_s']:.0f} ms, "
        f"measured mean {ten['mean_ms']} ms. A p95 of 100 ms at that level would take about 100 msg/s; the "
        "paced level is the one that says how long a family waits. The largest step is NLU (DIET, below); "
        "a lighter classifier was measured against it in [benchmarks-nlu.md](benchmarks-nlu.md) "
        "(`make bench-nlu`), and more throughput comes from more servers "
        "([benchmarks-cluster.md](benchmarks-cluster.md)).",
        "",
    ]


def markdown(r: dict[str, Any], profiles: dict[str, Any]) -> str:
    m = r["machine"]
    loads = {str(x["users"]): x for x in r["rest_load"]}
    ten = loads.get("10", {})
    paced = r.get("rest_paced", {})
    best_rate = max(x["msg_per_s"] for x in r["rest_load"])
    cold = r["cold_start"]
    train = r["training"]
    load_note = (
        f"load average at start {m['loadavg'][0]:.2f} / {m['loadavg'][1]:.2f} / {m['loadavg'][2]:.2f} "
        f"(1/5/15 min), at the end {m['loadavg_end'][0]:.2f}"
    )
    lines = [
        "# Benchmarks: speed, scale and accuracy",
        "",
        f"Measured {r['date']} at commit `{r['git_commit']}` by `make bench` (`python -m bench`"
        f"{', --quick smoke run' if r['quick'] else ''}); the whole run took {r['bench_wall_s'] / 60:.1f} min.",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, Linux {m['kernel']}, "
        f"Python {m['python']}; {load_note}. A load average well above 0 means other work shared the 2 cores "
        "during the run, which inflates the latencies below.",
        "",
        "Reproduce: `make bench` (sets up the venv, trains if needed, then runs `python -m bench`). "
        "Raw numbers: `docs/benchmarks/speed.json`, `accuracy.json`, `growth.json`, "
        "`profile.json`. The client, the Rasa server and the action server share the same 2 cores.",
        "",
        "## Targets",
        "",
        "| target | wanted | measured | |",
        "|---|---|---|---|",
        _target(
            "p95 per message, 10 concurrent users (REST), back to back (saturation)",
            "≤ 100 ms",
            f"{ten.get('p95_ms')} ms",
            ten.get("p95_ms") is not None and ten["p95_ms"] <= 100,
        ),
        _target(
            f"p95 per message, 10 concurrent users (REST), {paced.get('think_s')} s ± 50 % between messages",
            "≤ 100 ms",
            f"{paced.get('p95_ms')} ms",
            paced.get("p95_ms") is not None and paced["p95_ms"] <= 100,
        ),
        _target("messages/s from one Rasa process", "≥ 50", f"{best_rate} msg/s (best level)", best_rate >= 50),
        _target(
            "cold start (process start → first answer)",
            "≤ 30 s",
            f"Rasa {cold['rasa_server_first_answer_s']} s, action server {cold['action_server_s']} s",
            max(cold["rasa_server_first_answer_s"], cold["action_server_s"]) <= 30,
        ),
        _target(
            "training (`rasa train --force`)",
            "≤ 5 min",
            "skipped" if train["seconds"] is None else f"{train['seconds']} s" + _training_source(train),
            None if train["seconds"] is None else bool(train["ok"]) and train["seconds"] <= 300,
        ),
        "",
        *_saturation_note(ten),
        "## Latency and throughput of a message round trip",
        "",
        "REST (`/webhooks/rest/webhook`): simulated users, each with its own conversation (opened with `/greet`, "
        "not timed; a new conversation every 10 questions, at every level, so that conversation length does not "
        "differ between levels: see Growth), send questions one after another from the mix of "
        "`eval/own_questions.jsonl` and "
        "`external_questions.jsonl` (answers, term explanations, fallbacks, out-of-scope and urgent questions). "
        "`sequential` is a blocking client (`requests`, a new connection per message); the others are asyncio "
        "clients on aiohttp. Users send back to back (the next question as soon as the reply is in: the "
        "server's saturation) except in the paced level, where each user waits 0.5–1.5 s after a reply, as a "
        "person reading and typing would (and longer in reality). msg/s = answered messages / wall time of "
        "the level.",
        "",
        "| users | messages | p50 ms | p95 ms | p99 ms | mean ms | msg/s | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    levels = [*r["rest_load"]]
    if paced:
        levels.append({**paced, "users": f"{paced['users']}, {paced['think_s']} s between messages"})
    for x in [*levels, {**r["socketio_load"], "users": f"socket.io, {r['socketio_load']['users']}"}]:
        lines.append(
            f"| {x['users']} | {x['messages']} | {x['p50_ms']} | {x['p95_ms']} | {x['p99_ms']} | {x['mean_ms']} "
            f"| {x['msg_per_s']} | {x['errors']} ({x['error_rate']:.1%}) |"
        )
    b = r["breakdown"]["handle_message_mean_ms"]
    seq = loads.get("1", loads.get("sequential", {}))
    rest_rt = seq.get("mean_ms")
    overhead = None if rest_rt is None else round(rest_rt - b["total"], 1)
    lines += [
        "",
        "socket.io: python-socketio `AsyncClient` over long-polling (like the widget; WebSocket is not available "
        "with these pins), 10 users; latency is from `user_uttered` to the reply's custom-payload `bot_uttered` "
        "event; after each reply the client waits 50 ms to drain a possible second payload, so its msg/s is "
        "lower than the server could do.",
        "",
        "### Where the time goes",
        "",
        "Method: the trained model is loaded in the benchmark process (`rasa.core.agent.load_agent` with the same "
        "`endpoints.yml`: the real action server over HTTP, a SQLite tracker store) and "
        f"{r['breakdown']['messages']} messages are handled one at a time with timers around "
        "`MessageProcessor.parse_message` (NLU), `predict_next_with_tracker_if_should` (policies, called once per "
        "predicted action), `RemoteAction.run` (the HTTP call to the action server, including the action) and the "
        "tracker store fetch/save. The remainder of `handle_message` is Rasa's own bookkeeping; the REST round "
        "trip (1 user, mean) minus `handle_message` is HTTP + Sanic + the REST channel.",
        "",
        "| step | mean ms per message | share |",
        "|---|---:|---:|",
    ]
    total = rest_rt if rest_rt else b["total"]
    for step, label in (
        ("nlu", "NLU (parse_message)"),
        ("policies", "policies (RulePolicy graph)"),
        ("action_call", "action call (HTTP to the action server + action)"),
        ("tracker_store", "tracker store (SQLite fetch + save)"),
        ("other_rasa", "other Rasa processing"),
    ):
        lines.append(f"| {label} | {b[step]} | {b[step] / total:.0%} |")
    if overhead is not None and overhead >= 0:
        lines.append(
            f"| HTTP + Sanic + REST channel (round trip − handle_message) | {overhead} | {overhead / total:.0%} |"
        )
    elif overhead is not None:  # the two means come from different runs; below their noise, not a real saving
        lines.append(
            f"| HTTP + Sanic + REST channel (round trip − handle_message) | ≈ 0 ({overhead}: within the noise "
            "between the REST and the in-process run) | — |"
        )
    lines.append(f"| **REST round trip, 1 user (mean)** | **{total}** | 100% |")
    nlu = r["breakdown"]["nlu_parse_only"]
    act = r["action_server"]
    lines += [
        "",
        f"NLU alone (`agent.parse_message`, in-process): p50 {nlu['p50_ms']} ms, p95 {nlu['p95_ms']} ms. "
        f"The action server alone, with the {act['http']['all']['n']} real `/webhook` bodies Rasa sent during "
        f"the breakdown replayed directly (mean body {act['http']['mean_body_kb']} KiB, it carries the whole "
        f"tracker and domain): p50 {act['http']['all']['p50_ms']} ms, p95 {act['http']['all']['p95_ms']} ms over "
        f"HTTP; the actions themselves in-process (`ActionExecutor.run`): p50 "
        f"{act['in_process']['latency']['p50_ms']} ms, p95 {act['in_process']['latency']['p95_ms']} ms.",
        "",
        "| action | calls | p50 ms (HTTP) | p95 ms (HTTP) |",
        "|---|---:|---:|---:|",
    ]
    for name, s in act["http"]["by_action"].items():
        lines.append(f"| `{name}` | {s['n']} | {s['p50_ms']} | {s['p95_ms']} |")
    lines += ["", "### Profile (cProfile)", ""]
    for key, title in (
        ("rasa_in_process", "Rasa side, in-process `handle_message` (150 messages)"),
        ("action_server_in_process", "action server, `ActionExecutor.run` over the recorded bodies (3 passes)"),
    ):
        p = profiles[key]
        lines += [
            f"{title}, top functions by cumulative time (share of the profiled time):",
            "",
            "| function | calls | cumulative s | share |",
            "|---|---:|---:|---:|",
        ]
        for row in p["by_cumulative_time"][:14]:
            lines.append(f"| `{row['function']}` | {row['calls']} | {row['cum_s']} | {row['cum_share']:.0%} |")
        lines += ["", "top functions by own time:", "", "| function | calls | own s | share |", "|---|---:|---:|---:|"]
        for row in p["by_own_time"][:8]:
            lines.append(f"| `{row['function']}` | {row['calls']} | {row['own_s']} | {row['own_share']:.0%} |")
        lines.append("")
    lines += findings(r, profiles)
    lines += stock_section(r)
    lines += soak_section(r.get("soak"))
    mem = r["peak_memory_final"]
    lines += [
        "## Start, training, size, memory",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| cold start, action server (process start → first `/webhook` answer) | {cold['action_server_s']} s |",
        f"| cold start, Rasa server (process start → listening) | {cold['rasa_server_listening_s']} s |",
        f"| cold start, Rasa server (process start → first REST answer) | {cold['rasa_server_first_answer_s']} s |",
        f"| cold start, Rasa server: its CPU time to the first answer | {cold.get('rasa_server_cpu_s', '–')} s |",
        "| training, `rasa train --force` into a temp dir | "
        + (
            "skipped"
            if train["seconds"] is None
            else f"{train['seconds']} s ({'ok' if train['ok'] else 'FAILED'}){_training_source(train)}"
        )
        + " |",
        f"| model size, `models/all-pdq.tar.gz` | {r['model_mib']} MiB |",
        f"| peak RSS (VmHWM), Rasa server, after all load runs | {mem['rasa_server']['vmhwm_mib']} MiB |",
        f"| peak RSS (VmHWM), action server, after all load runs | {mem['action_server']['vmhwm_mib']} MiB |",
        "",
        "The cold start of the Rasa server is measured with the action server already up (as `make run` "
        "starts them); the model load (TensorFlow + DIET) is most of it.",
        "",
        "## Accuracy side by side",
        "",
        "Same question files, same scoring (`scripts/evaluate_bot.py`: an outcome is correct when it is in the "
        "question's `accept` list), one run. Expected outcomes: external 53 answers + 13 out-of-scope; own "
        "205 answers + 28 out-of-scope + 24 urgent.",
        "",
        "| system | external | own | own: answers | own: out-of-scope | own: urgent |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    acc = r["accuracy"]
    for key, label in (
        ("this_bot", "**this bot** (Rasa + our actions, over REST)"),
        ("plain_bm25", "plain BM25 (rank-bm25, top-1 section)"),
        ("stock_kb_action", "Rasa stock `ActionQueryKnowledgeBase`"),
    ):
        ext, own = acc[key]["external"], acc[key]["own"]
        lines.append(
            f"| {label} | {_pct(ext['accuracy'])} | {_pct(own['accuracy'])} | {_cat(own, 'answer')} "
            f"| {_cat(own, 'out_of_scope')} | {_cat(own, 'urgent')} |"
        )
    stock = acc["stock_kb_action"]
    lines += [
        "",
        "Rules of the baselines:",
        "",
        "- **plain BM25**: `rank_bm25.BM25Okapi`, one document per knowledge-base section (heading + text), plain "
        "lower-case `\\w+` tokens (no lemmas, stop words, heading weight, aliases or typo fixing); the answer is "
        "the top-1 section. A pure retriever always returns a section: it says `out_of_scope` only when no "
        "section scores above 0 (no threshold is tuned on these files) and never says `urgent`, so those "
        "questions count as wrong for it.",
        "- **stock KB action**: `rasa_sdk.knowledge_base` `InMemoryKnowledgeBase` built from "
        "`knowledge/sections.yml` (object type `section`, key `id`, `name` = heading, attribute `text`) and "
        "`ActionQueryKnowledgeBase` run for real. It needs an entity naming the object; we simulate the best "
        "mention extraction it could get: the longest run of question words (not all stop words) that is a "
        "substring of exactly one section name (else of several), as the `section` entity with attribute `text`. "
        "The action's own lookup (key, else the *single* section whose name contains the mention) decides. "
        "When no run matches, or the mention matches several sections, it does not apply (it lists sections or "
        "asks to rephrase): outcome `out_of_scope`, the same rule as the bot's fallback without suggestions. "
        f"It answered with a section on {stock['external']['applies_to']}/{stock['external']['questions']} "
        f"external and {stock['own']['applies_to']}/{stock['own']['questions']} own questions; where it "
        f"applies it is right {_pct(stock['external']['accuracy_where_it_applies'])} (external) and "
        f"{_pct(stock['own']['accuracy_where_it_applies'])} (own) of the time. It has no notion of urgency, "
        "out-of-scope, term explanations or section text shortening, and its reply is the whole section text "
        "in a `'<name>' has the value '<text>'` template.",
        "",
        "## Growth",
        "",
        "### Knowledge base ×10, ×100",
        "",
        "Synthetic knowledge bases (every section copied with a new id and 15 % of its words replaced by "
        "random words of the knowledge base's vocabulary; glossary terms and section aliases copied with it), "
        "indexes built in-process, real questions timed on the search/answer path: `SectionSearch.search` "
        "(top 3) + `TermMatcher.find_in_text` + `answers.section_answer`. Memory = what the knowledge base and "
        "both indexes keep allocated (tracemalloc).",
        "",
        "| size | sections | glossary terms | index build s | memory MiB | search p50 / p95 ms "
        "| find_in_text p50 / p95 ms | answer p50 ms | whole path p50 / p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for g in r["kb_growth"]:
        lat = g["latency_ms"]
        build = g["build_s"]["section_search"] + g["build_s"]["term_matcher"]
        lines.append(
            f"| ×{g['factor']} | {g['sections']} | {g['glossary_terms']} | {build:.2f} | {g['memory_mib']} "
            f"| {lat['search']['p50']} / {lat['search']['p95']} | {lat['find_in_text']['p50']} / "
            f"{lat['find_in_text']['p95']} | {lat['answer']['p50']} | {lat['total']['p50']} / {lat['total']['p95']} |"
        )
    c = r["conversation_growth"]
    lines += [
        "",
        "### A long conversation",
        "",
        f"{c['messages']} questions in one conversation over REST ({c['tracker_events']} tracker events at the "
        "end), one at a time. Mean latency by tenth of the conversation (ms): "
        + ", ".join(str(x) for x in c["by_decile_mean_ms"])
        + f". First 10 messages {c['first10_mean_ms']} ms, last 10 {c['last10_mean_ms']} ms.",
        "",
        *SEE_ALSO,
    ]
    return "\n".join(lines)


SEE_ALSO = [
    "## See also",
    "",
    "- [benchmarks-cluster.md](benchmarks-cluster.md) (`make cluster-bench`): the same load through nginx with 1, 2 "
    "and 3 Rasa servers on a shared PostgreSQL tracker store and Redis lock store — the way past one process's "
    "messages/s.",
    "- [benchmarks-policy.md](benchmarks-policy.md) (`make bench-policy`): RulePolicy alone vs RulePolicy + "
    "TEDPolicy (training time, per-message time, e2e stories), the measurement behind `config.yml`'s policies.",
    "",
]


def _cum_share(profile: dict[str, Any], needle: str) -> float:
    return max((row["cum_share"] for row in profile["by_cumulative_time"] if needle in row["function"]), default=0.0)


def findings(r: dict[str, Any], profiles: dict[str, Any]) -> list[str]:
    """What dominates, computed from this run's numbers."""
    b = r["breakdown"]["handle_message_mean_ms"]
    act = r["action_server"]
    http_p50 = act["http"]["all"]["p50_ms"]
    search = _cum_share(profiles["action_server_in_process"], "retrieval.py")
    fuzzy = _cum_share(profiles["action_server_in_process"], "extractOne")
    rates = [x["msg_per_s"] for x in r["rest_load"] if x["users"] != "sequential"]
    big = r["kb_growth"][-1]
    steps = sorted(
        (
            (b["nlu"], "NLU (featurizers + DIET in TensorFlow)"),
            (b["tracker_store"], "the tracker store"),
            (b["action_call"], "the action call"),
            (b["policies"], "the policies"),
        ),
        reverse=True,
    )
    order = "; ".join(f"{label} {ms} ms" for ms, label in steps)
    return [
        "### What dominates",
        "",
        f"- **One Rasa process is CPU-bound at about {max(rates)} msg/s** on this machine: Sanic, Rasa and "
        "TensorFlow run one message at a time on one core. With 10 or 50 users sending back to back the latency "
        "is the queue (≈ users / throughput), not slowness of one message and not errors; with users who pause "
        "between messages (the paced level) a message takes about what it takes alone. Past one process, "
        "throughput grows with Rasa servers behind nginx, one per core (`docs/benchmarks-cluster.md`).",
        f"- Per message inside Rasa ({b['total']} ms): {order}. The tracker store and the action call were "
        "mostly Rasa 3.6 library costs, which the speedups of `rasa_patches/` and "
        "`stores/sqlite_tracker_store.py` cut (Event class "
        "look-up by walking the class tree for every stored event, a new JSON-schema validator and a new HTTP "
        "connection per action call, a new SQLite connection per query, the whole conversation deserialised at "
        "every message, the NLU and policy graphs scheduled through dask three times per message); see "
        "'Rasa 3.6 as shipped vs this setup' below for the same run without them. NLU is "
        "now the largest step: TensorFlow's per-call overhead for DIET on one short message (one thread per "
        "server), which only a smaller or different classifier would cut: measured, at a cost in right answers "
        "that `config.yml` does not pay, in [benchmarks-nlu.md](benchmarks-nlu.md).",
        f"- The action server answers Rasa's real requests in {http_p50} ms (p50, over HTTP) and our actions "
        f"run in {act['in_process']['latency']['p50_ms']} ms in-process; the requests carry the conversation's "
        f"events (mean body {act['http']['mean_body_kb']} KiB), which is why a long conversation costs more "
        "per message (see Growth), together with the policies, which read every event of the session.",
        f"- In the action server, our code is fast: the knowledge-base search (`actions/retrieval.py`) is "
        f"{search:.0%} of the action-server profile, mostly the rapidfuzz typo correction of query words not in "
        f"the vocabulary ({fuzzy:.0%}); nothing in `actions/` is a bottleneck at this knowledge-base size. "
        f"It scans every section per query (no inverted index), which shows at ×{big['factor']}: "
        f"{big['latency_ms']['search']['p50']} ms p50 for {big['sections']} sections (see Growth).",
        "",
    ]
