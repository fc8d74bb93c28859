"""Drafting one language with engine `openai` in its own process, so a test can kill it at a failpoint.

python -m tests.pipeline.draft_run DATABASE_URL VERSION_ID LANGUAGE CHAT_BASE_URL [MAX_BATCH_TOKENS]
"""

from __future__ import annotations

import sys

from pipeline.drafting import draft_language
from tests.pipeline.steps import llm_engine_chain

if __name__ == "__main__":
    database_url, version_id, language, base_url = sys.argv[1:5]
    budget = int(sys.argv[5]) if len(sys.argv) > 5 else 3000
    chain = llm_engine_chain(base_url, max_batch_tokens=budget)
    done = draft_language(database_url, int(version_id), language, chain)
    print(done)
