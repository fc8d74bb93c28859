"""The site's own words in each language: the office's name, navigation and labels."""

from __future__ import annotations

from core.languages import ALL_LANGUAGES
from publishers.base import LANGUAGE_NAMES

LANGUAGES = ALL_LANGUAGES

__all__ = ["COLUMN_NAMES", "LANGUAGE_NAMES", "LANGUAGES", "WORDS", "column_name"]

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "office": "上海市人民政府外事办公室",
        "skip": "跳到正文",
        "home": "首页",
        "columns": "栏目",
        "latest": "最新发布",
        "search": "搜索",
        "search_label": "搜索标题和摘要",
        "search_none": "没有找到。",
        "search_needs_script": "搜索需要浏览器启用 JavaScript；也可以按栏目浏览。",
        "published": "发布日期",
        "languages": "语言",
        "older": "更早的通知",
        "page": "第 {n} 页",
        "pages": "分页",
        "feed": "订阅（Atom）",
        "all_in_column": "全部 {n} 篇",
    },
    "en": {
        "office": "Shanghai Municipal Foreign Affairs Office",
        "skip": "Skip to content",
        "home": "Home",
        "columns": "Sections",
        "latest": "Latest notices",
        "search": "Search",
        "search_label": "Search titles and summaries",
        "search_none": "Nothing found.",
        "search_needs_script": "Search needs JavaScript in your browser; you can also browse by section.",
        "published": "Published",
        "languages": "Languages",
        "older": "Earlier notices",
        "page": "Page {n}",
        "pages": "Pages",
        "feed": "Feed (Atom)",
        "all_in_column": "{n} notices in all",
    },
    "ja": {
        "office": "上海市人民政府外事弁公室",
        "skip": "本文へ移動",
        "home": "ホーム",
        "columns": "カテゴリー",
        "latest": "最新のお知らせ",
        "search": "検索",
        "search_label": "タイトルと概要を検索",
        "search_none": "見つかりませんでした。",
        "search_needs_script": "検索には JavaScript が必要です。カテゴリーからもご覧いただけます。",
        "published": "掲載日",
        "languages": "言語",
        "older": "過去のお知らせ",
        "page": "{n} ページ",
        "pages": "ページ",
        "feed": "フィード（Atom）",
        "all_in_column": "全 {n} 件",
    },
    "fr": {
        "office": "Bureau des affaires étrangères de la municipalité de Shanghai",
        "skip": "Aller au contenu",
        "home": "Accueil",
        "columns": "Rubriques",
        "latest": "Derniers avis",
        "search": "Recherche",
        "search_label": "Rechercher dans les titres et résumés",
        "search_none": "Aucun résultat.",
        "search_needs_script": "La recherche nécessite JavaScript ; vous pouvez aussi parcourir les rubriques.",
        "published": "Publié le",
        "languages": "Langues",
        "older": "Avis précédents",
        "page": "Page {n}",
        "pages": "Pages",
        "feed": "Flux (Atom)",
        "all_in_column": "{n} avis au total",
    },
    "ko": {
        "office": "상하이시 인민정부 외사판공실",
        "skip": "본문 바로가기",
        "home": "홈",
        "columns": "게시판",
        "latest": "최신 공지",
        "search": "검색",
        "search_label": "제목과 요약 검색",
        "search_none": "검색 결과가 없습니다.",
        "search_needs_script": "검색하려면 JavaScript가 필요합니다. 게시판별로도 볼 수 있습니다.",
        "published": "게시일",
        "languages": "언어",
        "older": "이전 공지",
        "page": "{n}페이지",
        "pages": "페이지",
        "feed": "피드(Atom)",
        "all_in_column": "총 {n}건",
    },
}

# The default columns' names on the foreign-language sites; a column not listed keeps its Chinese name.
COLUMN_NAMES: dict[str, dict[str, str]] = {
    "政务公开": {
        "en": "Government Information",
        "ja": "政務公開",
        "fr": "Information publique",
        "ko": "정무 공개",
    },
    "网上办事": {
        "en": "Online Services",
        "ja": "オンライン手続き",
        "fr": "Services en ligne",
        "ko": "온라인 민원",
    },
    "要闻动态": {"en": "News", "ja": "ニュース", "fr": "Actualités", "ko": "주요 소식"},
    "回应关切": {
        "en": "Responses to Public Concerns",
        "ja": "関心事項への回答",
        "fr": "Réponses aux préoccupations",
        "ko": "관심사 답변",
    },
    "最新动态": {
        "en": "Latest Updates",
        "ja": "最新情報",
        "fr": "Dernières nouvelles",
        "ko": "최신 동향",
    },
    "温馨提示": {"en": "Reminders", "ja": "お知らせ", "fr": "Rappels", "ko": "안내"},
    "社会新闻": {"en": "Community News", "ja": "社会ニュース", "fr": "Société", "ko": "사회 뉴스"},
}


def column_name(column: str, language: str) -> str:
    """A column's name as the site in ``language`` shows it."""
    return COLUMN_NAMES.get(column, {}).get(language, column)
