"""Aligned office text for judging the quality checks (README.md)."""
