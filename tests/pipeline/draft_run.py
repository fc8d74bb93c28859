"""Drafting one language with engine `openai` in its own process, so a test can kill it at a failpoint.

python -m tests.pipeline.draft_run DATABASE_URL VERSION_ID LANGUAGE CHAT_BASE_URL
"""

from __future__ import annotations

import sys

from pipeline.drafting import draft_language
from tests.pipeline.steps import llm_engine_chain

if __name__ == "__main__":
    database_url, version_id, language, base_url = sys.argv[1:5]
    done = draft_language(database_url, int(version_id), language, llm_engine_chain(base_url))
    print(done)
