"""The steps of a notice's life as plain functions: intake, drafting, review, publishing, status.

Each step is idempotent and frames its own transactions, so Prefect (in ``flows/``) can retry or
re-run it after a crash without doing anything twice. Nothing here imports Prefect.
"""
