"""Custom Rasa NLU components of this project."""
