"""Floor 5: Prefect flows, a few lines around each pipeline step (with the shell, all that imports Prefect)."""
