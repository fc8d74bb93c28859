"""Floor 6: the shell: the `waiwen` command and the start-up of the local service."""
