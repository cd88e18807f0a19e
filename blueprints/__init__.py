"""HTTP only: one package per resource, each translating requests to rules and models."""
from . import agencies, audit, health, people, users

BLUEPRINTS = [health.blp, agencies.blp, people.blp, users.blp, audit.blp]
