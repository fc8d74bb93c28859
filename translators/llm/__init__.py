"""Translation by large language models over the OpenAI chat-completions protocol, a notice at a time."""
