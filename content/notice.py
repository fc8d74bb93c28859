"""Front-matter contract of a queued notice and its intake validation."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from content.counting import plain_text
from content.safe_yaml import BoundedLoader, YamlRefused
from content.scripts import HAN_RE, HANGUL_RE, KANA_RE, is_latin_letter
from core.errors import Refused
from core.languages import SHIPPED_TARGETS, SOURCE_LANGUAGE
from core.targets import target_languages, why_not_configured

CATEGORIES = ("概况类", "动态类", "业务类", "机构类", "财务类")
CHANNELS = ("site", "wechat")
URGENCIES = ("normal", "major")
PUBLIC = "公开"
WECHAT_TITLE_LIMIT = 32
MIN_HAN_SHARE = 0.5
APPROVAL_NAMES = (
    "drafter",
    "division",
    "contact",
    "division_review",
    "disclosure_review",
    "approver",
)


@dataclass(frozen=True)
class Problem:
    """One reason a queued file is refused."""

    path: str
    field: str
    rule: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.path}: {self.field}: {self.rule}"
        return f"{self.path}: {self.rule}"


class NoticeRefused(Refused):
    """A queued file broke the contract; `problems` lists every reason, one line each.

    ``where``, ``field`` and ``rule`` are those of the first problem.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else Problem("", "", "")
        super().__init__(first.path, first.field, first.rule)

    def __str__(self) -> str:
        return "\n".join(self.reasons())

    def reasons(self) -> list[str]:
        """Every problem, in the order found."""
        return [str(p) for p in self.problems]


@dataclass(frozen=True)
class Approval:
    """The Chinese approval chain record (审核表) that travels with the notice."""

    drafter: str
    division: str
    contact: str
    division_review: str
    disclosure_review: str
    approver: str
    approved_on: date
    leader: str | None


@dataclass(frozen=True)
class IntakeRules:
    """Configured limits and vocabularies that intake checks against."""

    columns: tuple[str, ...]
    max_bytes: int = 1_000_000
    categories: tuple[str, ...] = CATEGORIES
    # Read when the rules are made, never at import: WAIWEN_TARGET_LANGUAGES may change between runs.
    targets: tuple[str, ...] = field(default_factory=target_languages)


@dataclass(frozen=True)
class NoticeSource:
    """A validated notice, ready for segmentation."""

    path: str
    key: str
    title: str
    column: str
    category: str
    classification: str
    formed_on: date
    urgency: str
    languages: tuple[str, ...]
    channels: tuple[str, ...]
    approval: Approval
    body: str
    front_matter: dict[str, Any] = field(repr=False)
    content_hash: str
    images: dict[str, bytes] = field(default_factory=dict, repr=False)  # address in body -> bytes


_BOM = "\ufeff"


# Front matter is a short record; a larger one is refused before YAML reads it.
MAX_FRONT_MATTER_BYTES = 64 * 1024
# Dates outside these years are typing errors, and far ones overflow deadline arithmetic.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class _Loader(BoundedLoader):
    """Bounded safe loader that leaves impossible dates (2025-02-30) as text for the date check."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # PyYAML raises a bare ValueError for 2025-02-30, which would lose the field name.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_DELIMITER = re.compile(r"^---[ \t]*$")
# Each pattern is a literal followed by one greedy class with nothing after it, so a scan is
# linear however long a line is (an e-mail pattern like \S+@\S+ is quadratic on a Chinese line).
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE)
_ADDRESS_RUN = re.compile(r"[A-Za-z0-9._%+@-]+")


class _Checker:
    """Collects problems for one file while reading its fields."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def refuse(self, field_name: str, rule: str) -> None:
        self.problems.append(Problem(self.path, field_name, rule))

    def text(self, data: dict[str, Any], key: str, name: str, *, allow_int: bool = False) -> str:
        """A required non-empty string (ints accepted where YAML reads digits as numbers)."""
        value = data.get(key)
        if allow_int and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None:
            self.refuse(name, "is required (a non-empty text)")
        elif not isinstance(value, str) or not value.strip():
            self.refuse(name, f"must be a non-empty text (found {value!r})")
        else:
            return value.strip()
        return ""

    def day(self, data: dict[str, Any], key: str, name: str) -> date:
        """A required date, written as a YAML date or an ISO string (YYYY-MM-DD)."""
        value = data.get(key)
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            with contextlib.suppress(ValueError):  # the refusal below names the field
                value = date.fromisoformat(value.strip())
        if isinstance(value, date):
            if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                return value
            self.refuse(
                name,
                f"must be a date between {EARLIEST_YEAR} and {LATEST_YEAR} (found {value.isoformat()})",
            )
            return date.min
        if value is None:
            self.refuse(name, "is required (a date written YYYY-MM-DD)")
        else:
            self.refuse(name, f"must be a date written YYYY-MM-DD (found {value!r})")
        return date.min

    def choice(self, value: Any, allowed: tuple[str, ...], name: str) -> str:
        """A required value out of a fixed vocabulary."""
        if value is None:
            self.refuse(name, f"is required (one of {', '.join(allowed)})")
        elif value not in allowed:
            self.refuse(name, f"must be one of {', '.join(allowed)} (found {value!r})")
        else:
            return str(value)
        return ""

    def subset(
        self, value: Any, allowed: tuple[str, ...], name: str, *, judged: tuple[str, ...] = ()
    ) -> tuple[str, ...]:
        """A required non-empty list of distinct values out of a fixed vocabulary.

        Values in ``judged`` are not called unknown: the caller refuses them by a rule of its own.
        """
        expected = f"a non-empty list drawn from {', '.join(allowed)}"
        if value is None:
            self.refuse(name, f"is required ({expected})")
            return ()
        if not isinstance(value, list) or not value:
            self.refuse(name, f"must be {expected} (found {value!r})")
            return ()
        unknown = [v for v in value if v not in allowed and v not in judged]
        if unknown:
            self.refuse(name, f"must be {expected} (unknown: {', '.join(map(str, unknown))})")
        repeated = sorted({str(v) for v in value if value.count(v) > 1})
        if repeated:
            self.refuse(name, f"must not repeat a value (repeated: {', '.join(repeated)})")
        return tuple(str(v) for v in value)


def _jsonable(value: Any) -> Any:
    """Front-matter value as JSON-serialisable data (dates as ISO strings)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=str)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _content_hash(front_matter: dict[str, Any], body: str) -> str:
    """sha256 of the canonical form: sorted compact JSON of the front matter, newline, body."""
    canonical = json.dumps(front_matter, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{canonical}\n{body}".encode()).hexdigest()


def _without_addresses(text: str) -> str:
    """The text with web addresses and e-mail addresses blanked out, in one linear pass each."""
    text = _URL.sub(" ", text)
    return _ADDRESS_RUN.sub(lambda m: " " if _is_email(m.group(0)) else m.group(0), text)


def _is_email(run: str) -> bool:
    local, at, domain = run.partition("@")
    return bool(local and at and "." in domain.strip("."))


def _han_share(body: str) -> tuple[int, int]:
    """(Han characters, all letters) of a Markdown body, markup and URLs not counted."""
    visible = _without_addresses(plain_text(body))
    han = len(HAN_RE.findall(visible))
    other = len(KANA_RE.findall(visible)) + len(HANGUL_RE.findall(visible))
    other += sum(1 for ch in visible if is_latin_letter(ch))
    return han, han + other


def _split(check: _Checker, text: str) -> tuple[dict[str, Any] | None, str | None]:
    """Front matter mapping and body; None where the file structure is broken."""
    lines = text.split("\n")
    if not lines or not _DELIMITER.match(lines[0]):
        check.refuse("", "has no front matter (the file must start with a line '---')")
        return None, None
    end = next((i for i in range(1, len(lines)) if _DELIMITER.match(lines[i])), None)
    if end is None:
        check.refuse("", "front matter is not closed (expected a second line '---')")
        return None, None
    body = "\n".join(lines[end + 1 :])
    yaml_text = "\n".join(lines[1:end])
    if len(yaml_text.encode()) > MAX_FRONT_MATTER_BYTES:
        check.refuse(
            "front matter",
            f"is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB; a notice's record is short",
        )
        return None, body
    try:
        data = yaml.load(yaml_text, Loader=_Loader)
    except YamlRefused as refused:
        # The YAML text starts on the file's line 2.
        check.refuse("front matter", f"line {refused.line + 1}: {refused.rule}")
        return None, body
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The YAML text starts on the file's line 2, and YAML marks count from 0.
        where = f" at line {mark.line + 2}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or "syntax error"
        check.refuse("", f"front matter is not valid YAML{where}: {reason}")
        return None, body
    if not isinstance(data, dict):
        check.refuse("", "front matter must be a YAML mapping of fields (key: value)")
        return None, body
    return data, body


def without_front_matter(text: str) -> str:
    """The Markdown after a leading YAML front matter block (the text unchanged if it has none)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or not _DELIMITER.match(lines[0]):
        return text
    end = next((i for i in range(1, len(lines)) if _DELIMITER.match(lines[i])), None)
    return text if end is None else "\n".join(lines[end + 1 :])


def _check_body(check: _Checker, body: str, first_line: int = 1) -> None:
    """The body must be present, written in Chinese, and in Markdown without raw HTML."""
    from content.markup import raw_html_rules

    if not body.strip():
        check.refuse("body", "is empty (the notice text must follow the front matter)")
        return
    han, letters = _han_share(body)
    share = han / letters if letters else 0.0
    if share < MIN_HAN_SHARE:
        check.refuse(
            "body",
            f"must be Chinese: at least {MIN_HAN_SHARE:.0%} of letters must be Han characters "
            f"(measured {share:.0%}, {han} of {letters})",
        )
    # HTML would reach the engines as text and the pages as markup.
    for rule in raw_html_rules(body, first_line):
        check.refuse("body", rule)


def _check_approval(check: _Checker, raw: Any, urgency: str) -> Approval | None:
    """The approval record: every signature present, the leader's for major notices."""
    if raw is None:
        check.refuse(
            "approval",
            "is required (the approval record: " + ", ".join(APPROVAL_NAMES) + ", approved_on)",
        )
        return None
    if not isinstance(raw, dict):
        check.refuse("approval", f"must be a mapping of the approval record (found {raw!r})")
        return None
    names = {
        key: check.text(raw, key, f"approval.{key}", allow_int=(key == "contact"))
        for key in APPROVAL_NAMES
    }
    approved_on = check.day(raw, "approved_on", "approval.approved_on")
    leader: str | None = None
    if urgency == "major":
        if raw.get("leader") is None:
            check.refuse(
                "approval.leader",
                "is required for a major notice (the consent of the "
                "office leader in charge, 分管办领导)",
            )
        else:
            leader = check.text(raw, "leader", "approval.leader") or None
    elif raw.get("leader") is not None:
        leader = check.text(raw, "leader", "approval.leader") or None
    return Approval(approved_on=approved_on, leader=leader, **names)


def _strip_blank_lines(body: str) -> str:
    """The body without surrounding blank lines (lines of spaces count as blank)."""
    lines = body.split("\n")
    # Indices, not pop(0): a file of blank lines must cost its length, not its length squared.
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    last = next((i for i in range(len(lines) - 1, first - 1, -1) if lines[i].strip()), first - 1)
    return "\n".join(lines[first : last + 1])


def _check_classification(check: _Checker, value: Any) -> str:
    """Only 公开 may enter; a missing mark is refused like a secret one (§11)."""
    if value is None:
        check.refuse("classification", f"is required; only {PUBLIC} notices may enter waiwen")
    elif value != PUBLIC:
        check.refuse("classification", f"only {PUBLIC} notices may enter waiwen (found {value})")
    return PUBLIC


def _check_wechat_titles(
    check: _Checker,
    fm: dict[str, Any],
    title: str,
    for_wechat: bool,
    targets: tuple[str, ...],
) -> None:
    """WeChat shows at most 32 characters of a title: a longer one is refused here, never cut."""
    given = fm.get("wechat_title")
    if given is not None and not isinstance(given, (str, dict)):
        check.refuse(
            "wechat_title", "must be a text (the Chinese title) or a mapping language: title"
        )
        return
    per_language = given if isinstance(given, dict) else {"zh": given} if given else {}
    for language, short in per_language.items():
        if language != SOURCE_LANGUAGE and language not in targets:
            check.refuse(
                f"wechat_title.{language}",
                f"unknown language (use {SOURCE_LANGUAGE}, {', '.join(targets)})",
            )
        elif not isinstance(short, str) or not short.strip():
            check.refuse(f"wechat_title.{language}", "must be a non-empty text")
        elif len(short.strip()) > WECHAT_TITLE_LIMIT:
            check.refuse(
                f"wechat_title.{language}",
                f"has {len(short.strip())} characters; WeChat shows at most {WECHAT_TITLE_LIMIT}",
            )
    zh_title = str(per_language.get("zh") or title).strip()
    if for_wechat and "zh" not in per_language and len(zh_title) > WECHAT_TITLE_LIMIT:
        check.refuse(
            "title",
            f"has {len(zh_title)} characters and the notice goes to WeChat, which shows at most "
            f"{WECHAT_TITLE_LIMIT}: add a shorter wechat_title to the front matter (it is not cut)",
        )


def _check_languages(check: _Checker, value: Any, targets: tuple[str, ...]) -> tuple[str, ...]:
    """The languages a notice asks for, each a configured target.

    A language the table ships but the configuration leaves out (or has taken out) is refused by
    that rule, naming the setting, so the office sees why rather than an "unknown" it knows is not.
    """
    languages = check.subset(value, targets, "languages", judged=SHIPPED_TARGETS)
    for language in dict.fromkeys(languages):
        if language in SHIPPED_TARGETS and language not in targets:
            check.refuse("languages", why_not_configured(language, targets))
    return languages


def _read_fields(check: _Checker, fm: dict[str, Any], rules: IntakeRules) -> dict[str, Any]:
    """Check every front-matter field; return NoticeSource arguments (valid if no problems)."""
    fields: dict[str, Any] = {
        "title": check.text(fm, "title", "title"),
        "column": check.choice(fm.get("column"), rules.columns, "column"),
        "category": check.choice(fm.get("category"), rules.categories, "category"),
        "classification": _check_classification(check, fm.get("classification")),
        "formed_on": check.day(fm, "formed_on", "formed_on"),
        "urgency": check.choice(fm.get("urgency", "normal"), URGENCIES, "urgency"),
        "languages": _check_languages(check, fm.get("languages"), rules.targets),
        "channels": check.subset(fm.get("channels"), CHANNELS, "channels"),
    }
    fields["approval"] = approval = _check_approval(check, fm.get("approval"), fields["urgency"])
    formed_on = fields["formed_on"]
    if approval and date.min < formed_on and date.min < approval.approved_on < formed_on:
        check.refuse(
            "approval.approved_on",
            f"is {approval.approved_on.isoformat()}, before formed_on "
            f"{formed_on.isoformat()}: a notice is approved after it is formed",
        )
    if "wechat" in fields["channels"] or "wechat_title" in fm:
        _check_wechat_titles(
            check, fm, fields["title"], "wechat" in fields["channels"], rules.targets
        )
    key = f"{fields['title']}|{fields['formed_on'].isoformat()}"
    if "id" in fm and fm["id"] is None:
        check.refuse("id", "must be a non-empty text or number when present (found nothing)")
    elif "id" in fm:
        key = check.text(fm, "id", "id", allow_int=True)
    fields["key"] = key
    return fields


def parse_notice(path: str, data: bytes, rules: IntakeRules) -> NoticeSource:
    """Validate one queued file; raise NoticeRefused listing EVERY problem found."""
    check = _Checker(path)
    # Size is checked on the raw bytes so an oversized file is never decoded.
    if len(data) > rules.max_bytes:
        check.refuse("", f"is too large ({len(data)} bytes; the limit is {rules.max_bytes} bytes)")
        raise NoticeRefused(check.problems)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        check.refuse(
            "", f"is not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        )
        raise NoticeRefused(check.problems) from None
    text = text.removeprefix(_BOM).replace("\r\n", "\n").replace("\r", "\n")

    fm, body = _split(check, text)
    fields = _read_fields(check, fm, rules) if fm is not None else None
    if body is not None:
        stripped = _strip_blank_lines(body)
        # The body follows the front matter and its leading blank lines: refusals name file lines.
        before = text.count("\n", 0, len(text) - len(body)) + body[: body.find(stripped)].count(
            "\n"
        )
        body = stripped
        _check_body(check, body, first_line=before + 1)
    if check.problems or fields is None or body is None:
        raise NoticeRefused(check.problems)

    front_matter = _jsonable(fm)
    return NoticeSource(
        path=path,
        body=body,
        front_matter=front_matter,
        content_hash=_content_hash(front_matter, body),
        **fields,
    )
