"""`python app.py` killed with SIGKILL at random moments while guests write and an employee answers
(bench/crash.py, small): nothing is lost, nothing reaches a guest twice, and the only doubles are
Teams posts a kill cut short between Teams taking them and their outcome being written (repeated on
purpose: a guest's words lost are worse than shown twice). Which posts those are depends on where
the kills land, so their number is not asserted; that each one has its kill is (bench/README.md).

The answers go to threads started before the first kill: a thread whose start a kill doubled is two
threads, and an answer written in the first is lost (bench/README.md, "What the crash bench found")."""
from __future__ import annotations

from bench.crash import Run, parse_args


async def test_killed_at_random_moments_under_load_loses_nothing_and_doubles_only_what_a_kill_cut_short(tmp_path):
    # 3 s of load, a new guest a message; both kills in its last 2 s; Teams and WeChat take 50 ms a call,
    # so calls are in flight when the kills come
    args = parse_args(["--mode", "one", "--messages", "150", "--rate", "50", "--guests", "150", "--replies", "10",
                       "--kills", "2", "--kills-from", "1", "--kills-after-load", "0", "--teams-latency-ms", "50",
                       "--wechat-latency-ms", "50", "--settle-max", "40"])
    run = Run(args, "one", 1, tmp_path, seed=16)
    try:
        report = await run.run()
    finally:
        await run.close()

    assert report.settled and len(report.kills) == 2
    assert report.pushes["acknowledged"] == 150 and report.answers["acknowledged"] == 10
    assert (report.guest_lost, report.answer_lost) == ([], [])
    assert report.doubled("answer") == [] and report.doubled("notice to a guest") == []
    assert report.not_confirmed_untold == []  # an answer a kill cut short is told to the employee, never resent
    assert report.unexplained == []
    assert not report.unfinished_jobs
