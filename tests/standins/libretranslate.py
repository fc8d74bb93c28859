"""A loopback stand-in for a LibreTranslate server, for tests and benchmarks.

It follows LibreTranslate's documented HTTP contract (/translate, /languages,
/health, JSON errors) but is NOT a translator: unless a phrasebook entry
matches, it answers a deterministic pseudo-translation that only looks like the
target script. Its output must never be mistaken for a translation.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Mapping
from typing import Any

from core.languages import LANGUAGES as TABLE
from tests.standins.server import Reply, Request, StandIn

__all__ = ["LANGUAGES", "LibreTranslateStandIn", "pseudo_translate"]

# Every language of waiwen's table, as a LibreTranslate server with their models lists them.
LANGUAGES: dict[str, str] = {code: entry.english_name for code, entry in TABLE.items()}

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "notice",
        "city",
        "office",
        "foreign",
        "affairs",
        "public",
        "service",
        "visit",
        "delegation",
        "residents",
        "application",
        "schedule",
        "meeting",
        "cooperation",
    ),
    "fr": (
        "avis",
        "ville",
        "bureau",
        "affaires",
        "étrangères",
        "public",
        "service",
        "visite",
        "délégation",
        "habitants",
        "demande",
        "calendrier",
        "réunion",
        "coopération",
    ),
    # Kana only, so the output looks Japanese without any Han character left.
    "ja": (
        "おしらせ",
        "しやくしょ",
        "がいむ",
        "こうきょう",
        "サービス",
        "ほうもん",
        "だいひょうだん",
        "しみん",
        "しんせい",
        "よてい",
        "かいぎ",
        "きょうりょく",
    ),
    "ko": (
        "공지",
        "시",
        "사무실",
        "외사",
        "공공",
        "서비스",
        "방문",
        "대표단",
        "주민",
        "신청",
        "일정",
        "회의",
        "협력",
    ),
    # The further languages: each list in its own script and spelling, so that langdetect's
    # profile for the language (not a neighbour's: es/pt/it, ru/bg/uk, ar/fa) is the best fit.
    "de": (
        "Bekanntmachung",
        "der",
        "Stadt",
        "und",
        "Amt",
        "für",
        "auswärtige",
        "Angelegenheiten",
        "öffentlicher",
        "Dienst",
        "Besuch",
        "Einwohner",
        "Antrag",
        "Sitzung",
        "Zusammenarbeit",
    ),
    "es": (
        "aviso",
        "de",
        "la",
        "ciudad",
        "oficina",
        "asuntos",
        "exteriores",
        "servicio",
        "público",
        "visita",
        "delegación",
        "residentes",
        "solicitud",
        "reunión",
        "cooperación",
    ),
    "ru": (
        "уведомление",
        "города",
        "управление",
        "иностранных",
        "дел",
        "общественные",
        "услуги",
        "визит",
        "делегация",
        "жители",
        "заявление",
        "расписание",
        "встреча",
        "сотрудничество",
    ),
    "ar": (
        "إشعار",
        "المدينة",
        "مكتب",
        "الشؤون",
        "الخارجية",
        "الخدمات",
        "العامة",
        "زيارة",
        "وفد",
        "السكان",
        "طلب",
        "جدول",
        "اجتماع",
        "التعاون",
    ),
    "pt": (
        "aviso",
        "da",
        "cidade",
        "escritório",
        "assuntos",
        "estrangeiros",
        "serviço",
        "público",
        "visita",
        "delegação",
        "moradores",
        "pedido",
        "reunião",
        "cooperação",
    ),
    "it": (
        "avviso",
        "della",
        "città",
        "ufficio",
        "affari",
        "esteri",
        "servizio",
        "pubblico",
        "visita",
        "delegazione",
        "residenti",
        "domanda",
        "riunione",
        "cooperazione",
    ),
    "vi": (
        "thông báo",
        "thành phố",
        "văn phòng",
        "đối ngoại",
        "dịch vụ",
        "công cộng",
        "chuyến thăm",
        "phái đoàn",
        "cư dân",
        "đơn xin",
        "lịch trình",
        "cuộc họp",
        "hợp tác",
        "của",
    ),
    # Thai writes no space between words: they are joined as they are.
    "th": (
        "ประกาศ",
        "เมือง",
        "สำนักงาน",
        "การต่างประเทศ",
        "บริการ",
        "สาธารณะ",
        "การเยือน",
        "คณะผู้แทน",
        "ผู้อยู่อาศัย",
        "คำร้อง",
        "กำหนดการ",
        "การประชุม",
        "ความร่วมมือ",
        "ของ",
    ),
}

_PREFIX = {
    "en": "Translated (en): ",
    "fr": "Traduit (fr) : ",
    "ja": "ホンヤク（ja）：",
    "ko": "번역 (ko): ",
    "de": "Übersetzt (de): ",
    "es": "Traducido (es): ",
    "ru": "Перевод (ru): ",
    "ar": "ترجمة (ar): ",
    "pt": "Traduzido (pt): ",
    "it": "Tradotto (it): ",
    "vi": "Bản dịch (vi): ",
    "th": "คำแปล (th): ",
}
# Around a Han run's words nothing in Japanese and Thai; between them nothing in Thai.
_UNSPACED = ("ja", "th")

_PUNCTUATION_WESTERN = {
    "，": ", ",
    "。": ". ",
    "、": ", ",
    "：": ": ",
    "；": "; ",
    "！": "! ",
    "？": "? ",
    "（": " (",
    "）": ") ",
    "“": '"',
    "”": '"',
    "《": '"',
    "》": '"',
    "【": "[",
    "】": "] ",
}
_PUNCTUATION_JA = {"，": "、", "《": "『", "》": "』", "“": "「", "”": "」"}


_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    # Genitive: "1 марта", as a date writes the month.
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "ar": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "th": [
        "มกราคม",
        "กุมภาพันธ์",
        "มีนาคม",
        "เมษายน",
        "พฤษภาคม",
        "มิถุนายน",
        "กรกฎาคม",
        "สิงหาคม",
        "กันยายน",
        "ตุลาคม",
        "พฤศจิกายน",
        "ธันวาคม",
    ],
}
# Values a real engine renders in the target language: full dates, month-days, years, 万/亿 amounts.
_VALUE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
    r"|(?P<year>\d{4})年"
    r"|(?P<n>\d+(?:\.\d+)?)(?P<unit>[万亿])"
)
_VALUE_MARK = re.compile("\ue010(\\d+)\ue011")


def _render_value(match: re.Match[str], target: str) -> str:
    """A date, year or 万/亿 amount as an engine would write it in `target`."""
    if match.group("m"):
        year, month, day = match.group("y"), int(match.group("m")), int(match.group("d"))
        if target == "en":
            return f"{_MONTHS['en'][month - 1]} {day}" + (f", {year}" if year else "")
        if target == "fr":
            first = "1er" if day == 1 else str(day)
            return f"{first} {_MONTHS['fr'][month - 1]}" + (f" {year}" if year else "")
        if target == "ko":
            return (f"{year}년 " if year else "") + f"{month}월 {day}일"
        if target == "vi":
            return f"ngày {day} tháng {month}" + (f" năm {year}" if year else "")
        if target in ("es", "pt"):
            return f"{day} de {_MONTHS[target][month - 1]}" + (f" de {year}" if year else "")
        if target == "de":
            return f"{day}. {_MONTHS['de'][month - 1]}" + (f" {year}" if year else "")
        if target in _MONTHS:
            return f"{day} {_MONTHS[target][month - 1]}" + (f" {year}" if year else "")
        return (f"{year}年" if year else "") + f"{month}月{day}日"
    if match.group("year"):
        year = match.group("year")
        return {"ja": f"{year}年", "ko": f"{year}년"}.get(target, year)
    number, unit = match.group("n"), match.group("unit")
    if target == "ja":
        return f"{number}{unit}"
    if target == "ko":
        return f"{number}{'만' if unit == '万' else '억'}"
    value = round(float(number) * (10_000 if unit == "万" else 100_000_000))
    grouped = f"{value:,}"
    if target == "fr":
        return grouped.replace(",", "\u202f")
    # The further languages group by the first mark of their table entry (1.000, 1 000, 1,000).
    return grouped if target == "en" else grouped.replace(",", TABLE[target].group_marks[0])


def pseudo_translate(text: str, target: str) -> str:
    """Deterministic fake 'translation': values rendered for the target, Han runs become target-script
    words, the rest stays."""
    if target not in _WORDS:
        return text
    words = _WORDS[target]
    values: list[str] = []

    def hold(match: re.Match[str]) -> str:
        values.append(_render_value(match, target))
        return f"\ue010{len(values) - 1}\ue011"

    text = _VALUE.sub(hold, text)

    def replace(match: re.Match[str]) -> str:
        run = match.group()
        # One word per two characters, picked by a stable hash (Python's hash()
        # is salted per process, which would make outputs differ between runs).
        chosen = [
            words[zlib.crc32(f"{target}:{run[i : i + 2]}".encode()) % len(words)]
            for i in range(0, len(run), 2)
        ]
        if target in _UNSPACED:
            return ("" if target == "th" else " ").join(chosen)
        return " " + " ".join(chosen) + " "

    body = _HAN_RUN.sub(replace, text)
    table = _PUNCTUATION_JA if target == "ja" else _PUNCTUATION_WESTERN
    body = "".join(table.get(ch, ch) for ch in body)
    body = re.sub(r"[ \t]+", " ", body).strip()
    body = re.sub(r" ([,.;:!?)\]])", r"\1", body)
    body = re.sub(r"([(\[]) ", r"\1", body)
    body = _VALUE_MARK.sub(lambda m: values[int(m.group(1))], body)
    return _PREFIX[target] + body


class LibreTranslateStandIn(StandIn):
    """A real LibreTranslate-shaped HTTP server on 127.0.0.1 with scriptable faults."""

    name = "libretranslate"

    def __init__(
        self,
        *,
        latency: float = 0.0,
        api_key: str | None = None,
        phrasebook: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        """`api_key`: if set, required on /translate; `phrasebook`: (source text, target) -> text."""
        super().__init__()
        self.latency = latency
        self.api_key = api_key
        self.phrasebook: dict[tuple[str, str], str] = dict(phrasebook or {})

    @property
    def url(self) -> str:
        """Base URL with a trailing slash, e.g. "http://127.0.0.1:PORT/"."""
        return super().url + "/"

    def is_translation(self, request: Request) -> bool:
        """POST /translate is scripted and logged; /languages and /health are not."""
        return request.method == "POST" and request.path == "/translate"

    def _params(self, request: Request) -> dict[str, Any]:
        # LibreTranslate (Flask) reads JSON bodies, form bodies and the query string alike;
        # deep-translator uses the query string.
        body = request.json if isinstance(request.json, dict) else request.form
        return {**request.query, **body}

    def describe(self, request: Request) -> dict[str, Any]:
        """Text and languages; "at" (monotonic seconds) lets benchmarks measure the request rate."""
        params = self._params(request)
        return {
            "q": params.get("q"),
            "source": params.get("source"),
            "target": params.get("target"),
            "at": time.monotonic(),
        }

    def answer(self, request: Request, action: str) -> Reply:
        """/translate, /languages and /health."""
        if request.method == "GET" and request.path == "/languages":
            codes = list(LANGUAGES)
            return Reply.of_json(
                200,
                [
                    {"code": code, "name": name, "targets": [c for c in codes if c != code]}
                    for code, name in LANGUAGES.items()
                ],
            )
        if request.method == "GET" and request.path == "/health":
            return Reply.of_json(200, {"status": "ok"})
        if not self.is_translation(request):
            return Reply.of_json(404, {"error": f"Not Found: {request.path}"})
        if request.headers.get("content-type", "").startswith(
            "application/json"
        ) and not isinstance(request.json, dict):
            return Reply.of_json(400, {"error": "Invalid JSON body"})
        status, payload = self._answer(self._params(request), action)
        return Reply.of_json(status, payload)

    def _answer(self, params: Mapping[str, Any], action: str) -> tuple[int, object]:
        """Status and JSON payload for one /translate request (runs on a handler thread)."""
        q, source, target = params.get("q"), params.get("source"), params.get("target")
        if self.latency:
            time.sleep(self.latency)
        if self.api_key is not None and params.get("api_key") != self.api_key:
            return 403, {"error": "Invalid API key"}
        if q is None or q == "" or q == []:
            return 400, {"error": "Invalid request: missing q parameter"}
        for name, code in (("source", source), ("target", target)):
            if not code:
                return 400, {"error": f"Invalid request: missing {name} parameter"}
            if code not in LANGUAGES and not (name == "source" and code == "auto"):
                return 400, {"error": f"{code} is not supported"}
        if not isinstance(q, str | list) or (
            isinstance(q, list) and not all(isinstance(item, str) for item in q)
        ):
            return 400, {"error": "Invalid request: q must be a string or a list of strings"}
        texts = [q] if isinstance(q, str) else q
        out = [
            ""
            if action == "empty"
            else self._translate(t, str(source), str(target), action == "wrong")
            for t in texts
        ]
        return 200, {"translatedText": out[0] if isinstance(q, str) else out}

    def _translate(self, text: str, source: str, target: str, wrong: bool) -> str:
        if wrong or source == target:
            return text
        if (text, target) in self.phrasebook:
            return self.phrasebook[(text, target)]
        return pseudo_translate(text, target)
