"""The yearly foreign-language word-count report: figures from the store, and its output formats."""
