"""Driving a server with several client processes: requests back to back on kept-alive
connections, each one's latency kept, for requests per second and percentiles."""

import http.client
import multiprocessing
import statistics
import time


def _client(port, requests, seconds, number, queue):
    """One load process: `requests(number, i)` gives the i-th (method, path, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, statuses, errors = [], {}, 0
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < seconds:
        method, path, headers, body = requests(number, i)
        i += 1
        sent = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            continue
        latencies.append(time.perf_counter() - sent)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
    queue.put((latencies, statuses, errors, time.perf_counter() - start))


def drive(port, requests, clients=3, seconds=3.0, ok=(200,)):
    """{rps, p50, p99 (seconds), requests, errors, statuses} of `clients` processes sending
    `requests` for `seconds`; an error is a failed connection or a status not in `ok`."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=_client, args=(port, requests, seconds, n, queue))
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    outcomes = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    latencies = sorted(latency for outcome in outcomes for latency in outcome[0])
    statuses = {}
    for outcome in outcomes:
        for status, count in outcome[1].items():
            statuses[status] = statuses.get(status, 0) + count
    errors = sum(o[2] for o in outcomes) + sum(c for s, c in statuses.items() if s not in ok)
    elapsed = max(o[3] for o in outcomes)
    answered = sum(c for s, c in statuses.items() if s in ok)
    return {
        "rps": answered / elapsed,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p99": percentile(latencies, 0.99),
        "requests": len(latencies),
        "errors": errors,
        "statuses": statuses,
    }


def percentile(ordered, fraction):
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def in_turns(measures, rounds):
    """Run each of `measures` ({name: () -> drive's result, or any {"rps": ...}}) `rounds`
    times in turns (a, b; b, a; ...), so drift on a shared machine (load, CPU frequency,
    going first) hits all alike: per name, the median round's rps (and p50 and p99), and
    every round's requests, errors and statuses summed."""
    names = list(measures)
    found = {name: [] for name in names}
    for turn in range(rounds):
        for name in names if turn % 2 == 0 else names[::-1]:
            found[name].append(measures[name]())
    summed = {}
    for name, runs in found.items():
        statuses = {}
        for run in runs:
            for status, count in run.get("statuses", {}).items():
                statuses[status] = statuses.get(status, 0) + count
        summed[name] = {
            **{
                key: statistics.median(run[key] for run in runs)
                for key in ("rps", "p50", "p99")
                if key in runs[0]
            },
            "requests": sum(run.get("requests", 0) for run in runs),
            "errors": sum(run.get("errors", 0) for run in runs),
            "statuses": statuses,
        }
    return summed
