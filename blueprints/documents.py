"""What blueprints answering with a printed document share: the public address its QR codes
carry, and the PDF response."""

from flask import Response, current_app

PDF_DOC = {
    "responses": {
        "200": {
            "description": "The PDF.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def public_base_url():
    # Configured, never the request's Host: a caller must not choose where a QR code points.
    return current_app.config["PUBLIC_BASE_URL"]


def pdf_response(body, filename, cache_control="private, no-cache"):
    """`body` (bytes, or an iterable of them to stream) as a PDF download named `filename`."""
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
