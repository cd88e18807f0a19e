"""Page 1 of 100,000 people: Muster's Page (SQL LIMIT/OFFSET) vs flask-smorest's Page."""

import contextlib
import gc
import json
import statistics
import time
import tracemalloc

import flask_smorest

import api

PATH = "/api/v1/people?page={page}&page_size=50"


@contextlib.contextmanager
def smorest_default_page():
    """Make Muster's Page behave as flask-smorest's: len() and a slice of the whole query.

    The people blueprint was built with api.Page, so its properties are swapped in place
    for the duration of the reference and restored afterwards.
    """
    saved = api.Page.items, api.Page.item_count
    api.Page.items, api.Page.item_count = (reference_items, reference_item_count)
    try:
        yield
    finally:
        api.Page.items, api.Page.item_count = saved


def _unwrapped(page):
    """The plain query behind a page's collection (Muster maps some lists page by page)."""
    return getattr(page.collection, "query", page.collection)


@property
def reference_items(page):
    """flask-smorest's Page.items (a slice of the whole query), then Muster's page mapping."""
    items = flask_smorest.Page.items.fget(_Plain(page, _unwrapped(page)))
    view_page = getattr(page.collection, "view_page", None)
    return view_page(list(items)) if view_page else items


@property
def reference_item_count(page):
    """flask-smorest's Page.item_count: len() of the whole query."""
    return flask_smorest.Page.item_count.fget(_Plain(page, _unwrapped(page)))


class _Plain:
    """A page as flask-smorest's properties see it: its parameters and a plain collection."""

    def __init__(self, page, collection):
        self.page_params, self.collection = page.page_params, collection


def request(client, headers, page):
    response = client.get(PATH.format(page=page), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def timed(client, headers, page, repeat):
    """Median and best seconds per request over `repeat` requests (after one warm-up)."""
    request(client, headers, page)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        request(client, headers, page)
        times.append(time.perf_counter() - start)
    return {
        "median_ms": statistics.median(times) * 1000,
        "best_ms": min(times) * 1000,
        "requests": repeat,
    }


def peak_memory(client, headers, page):
    """Peak bytes allocated by Python code while serving one request."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        request(client, headers, page)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - before


def page_summary(response):
    return (
        [item["id"] for item in response.get_json()],
        json.loads(response.headers["X-Pagination"])["total"],
    )


def measure(app, token, people, repeat=15, reference_repeat=5):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    last_page = (people + 49) // 50
    muster = page_summary(request(client, headers, 1))
    rows = {
        "muster_page_1": {
            **timed(client, headers, 1, repeat),
            "peak_bytes": peak_memory(client, headers, 1),
        },
        "muster_last_page": {
            **timed(client, headers, last_page, repeat),
            "peak_bytes": peak_memory(client, headers, last_page),
        },
    }
    with smorest_default_page():
        reference = page_summary(request(client, headers, 1))
        rows["smorest_page_1"] = {
            **timed(client, headers, 1, reference_repeat),
            "peak_bytes": peak_memory(client, headers, 1),
        }
    assert reference == muster, "both pagers must answer the same page and total"
    assert muster[1] == people
    ours, theirs = rows["muster_page_1"], rows["smorest_page_1"]
    return {
        "people": people,
        "page_size": 50,
        "last_page": last_page,
        "rows": rows,
        "time_ratio": theirs["median_ms"] / ours["median_ms"],
        "memory_ratio": theirs["peak_bytes"] / ours["peak_bytes"],
    }


def run(context):
    """Figures: page 1 against flask-smorest's default pager, and the last page against page 1."""
    from bench.seed import build_app
    from bench.table import Figure

    people = context.size(100_000, smallest=200)
    app, token, _ = build_app(context.scratch, people)
    # The reference reads all 100,000 people a request (seconds each): two runs tell enough.
    found = measure(
        app,
        token,
        people,
        repeat=max(3, context.repeats * 3),
        reference_repeat=min(2, context.repeats),
    )
    rows = found["rows"]
    what = f"GET /people page 1 of {people:,}, page_size 50 (test client)"
    return [
        Figure(
            "Reads",
            what,
            rows["muster_page_1"]["median_ms"],
            "ms",
            "flask-smorest default Page",
            rows["smorest_page_1"]["median_ms"],
            target=1.0,
            lower_is_better=True,
        ),
        Figure(
            "Reads",
            what + ", peak memory",
            rows["muster_page_1"]["peak_bytes"] / 2**20,
            "MiB",
            "flask-smorest default Page",
            rows["smorest_page_1"]["peak_bytes"] / 2**20,
            target=1.0,
            lower_is_better=True,
        ),
    ]
