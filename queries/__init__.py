"""Reads shared by blueprints and operations: child rows loaded per page, rosters, filters.

No scope here (policy decides who sees what) and no writes (operations do).
"""
