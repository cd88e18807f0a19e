"""The reference server of the write benchmarks: a minimal Flask JSON endpoint, served by
gunicorn with Muster's settings, doing nothing but parse the body and answer JSON."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/api/v1/health")
def health():
    return jsonify({"status": "ok"})


@app.put("/api/v1/echo")
def echo():
    body = request.get_json()
    return jsonify({"received": len(body)})
