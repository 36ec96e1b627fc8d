"""The soak report: which server's memory is not flat."""

from __future__ import annotations

from bench.stats import latency_summary, memory_trend


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
