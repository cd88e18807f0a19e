"""Benchmarks of Muster's choices, each against a reference measured in the same run.

`python -m bench` (or `make bench`) prints a table and writes bench/results/latest.json.
Figures are for comparing, on one machine, in one run; tests never assert times.

1. pagination: page 1 of 100,000 people through Muster's Page (LIMIT/OFFSET and COUNT
   in SQL) against flask-smorest's default Page (len() and a slice of the whole query);
   time per request and peak Python memory (tracemalloc).
2. connections: requests per second of GET /api/v1/people with the SQLite connection
   kept by each worker against closing it after every request (the reference), in
   process with Flask's test client and through a real gunicorn on 127.0.0.1.
"""
