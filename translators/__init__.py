"""Floor 1: engines, translation memory, glossary, quality checks, TMX and XLIFF."""
