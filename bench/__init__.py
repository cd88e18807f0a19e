"""Benchmarks of Muster at state scale, each figure against a reference measured in the same run.

`python -m bench` (or `make bench`) runs every section on SQLite and, beside it, PostgreSQL;
prints one table (figure, reference, ratio, target) and writes bench/results/latest.json and
latest.md. `--smoke` runs tiny sizes in seconds (CI does, so the benchmarks never rot),
`--only SECTION...` picks sections. Tests never assert times; bench/RESULTS.md holds a run.

- exports: an agency's 1,000,000-record export through gunicorn against the sqlite3 shell /
  psql writing the same columns; memory above idle, first byte, growth.
- reads: last pages, agency filters, a 1,000-completion transcript, a 2,000-person compliance
  report over 1,000,000 people and 5,000,000 attendance rows.
- pagination: Muster's Page against flask-smorest's default Page.
- writes: attendance batches, personnel imports, closing a 500-person class, single-row PUTs,
  concurrent registrations for the last seats.
- certificates: the renderer's pages per second per core, standard and Unicode fonts.
- downloads: a certificate through gunicorn against the renderer, a 304 against /health, a
  1,000-page class PDF.
- connections: the connection kept per worker against one opened per request.
"""
