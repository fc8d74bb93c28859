"""Floor 5: Prefect flows, a few lines around each pipeline step.

With the shell above it, the only floor that imports Prefect.
"""
