"""`python -m waiwen` is the `waiwen` command."""

from waiwen.cli import main

main()
