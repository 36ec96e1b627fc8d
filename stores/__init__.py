"""Rasa stores used by the production profile (deploy/endpoints.production.yml)."""
