"""Muster's domain rules: hours, matching, completion, expiry, compliance. No HTTP here."""
