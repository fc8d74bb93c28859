"""Benchmark: the static site at 10,000 notices × 5 languages, beside Hugo on the same Markdown.

Run from the repository root:  .venv/bin/python -m bench.site [--notices 10000] [--extra 5]
(needs Debian's `hugo` on PATH for the baseline).

The same seeded Markdown files (a title, four to seven paragraphs and a table per notice and
language) are written once; then, each in its own process so time and peak memory are its own:

- waiwen reads them and builds the whole site: once in one process (`--jobs 1`, the serial
  build), then twice in worker processes, one per core (`publishers/site/parallel.py`, as
  `waiwen site rebuild` does): pages, column pages, feeds, sitemap, search index, staged beside
  the site and moved in at the end. A parallel site and the serial one are compared file by
  file, byte for byte;
- Hugo builds a site of the same shape from the same files, twice: a page per notice and
  language with its translations, paginated column (taxonomy) pages, a home, RSS and sitemap
  per language, and a JSON search index per language.

The four timed builds go Hugo, waiwen, waiwen, Hugo, and the ratio is of their means, so that
a machine speeding up or slowing down through the run weighs on both alike; each starts with
the disks synced (waiwen syncs its own files before it moves them in, Hugo does not sync).

Then one more notice (5 languages) is published into the 10,000-notice site, several times, as
`waiwen` does after an approval (goal: at most 0.5 s). Figures go into bench/RESULTS.md, section
"Site".
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from bench.results import publish
from core.targets import all_languages

SEED = 2026
LANGUAGES = all_languages()  # a benchmark runs as a script: read when it starts
COLUMNS = ("政务公开", "网上办事", "要闻动态", "回应关切", "最新动态", "温馨提示", "社会新闻")
WORDS = {
    "zh": [
        "市政府",
        "外办",
        "领事",
        "工作",
        "通报会",
        "签证",
        "护照",
        "认证",
        "办理",
        "材料",
        "各国",
        "驻沪",
        "机构",
        "代表",
        "出席",
        "会议",
        "服务",
        "时间",
        "调整",
        "通知",
    ],
    "en": [
        "the",
        "office",
        "consular",
        "work",
        "briefing",
        "visa",
        "passport",
        "legalization",
        "service",
        "meeting",
        "representatives",
        "notice",
        "schedule",
        "public",
    ],
    "ja": [
        "上海市",
        "外事",
        "領事",
        "業務",
        "説明会",
        "査証",
        "旅券",
        "認証",
        "手続き",
        "会議",
        "代表",
        "出席",
        "お知らせ",
        "時間",
    ],
    "fr": [
        "le",
        "bureau",
        "travail",
        "consulaire",
        "réunion",
        "visa",
        "passeport",
        "légalisation",
        "service",
        "représentants",
        "avis",
        "horaires",
        "public",
    ],
    "ko": [
        "상하이시",
        "외사",
        "영사",
        "업무",
        "설명회",
        "비자",
        "여권",
        "인증",
        "절차",
        "회의",
        "대표",
        "참석",
        "공지",
        "시간",
    ],
}
JOINER = {"zh": "", "ja": "", "en": " ", "fr": " ", "ko": " "}
END = {"zh": "。", "ja": "。", "en": ".", "fr": ".", "ko": "."}


def sentence(rng: random.Random, language: str) -> str:
    words = rng.choices(WORDS[language], k=rng.randint(8, 18))
    text = JOINER[language].join(words) + END[language]
    return text[0].upper() + text[1:]


def notice_markdown(notice_id: int, language: str) -> tuple[str, str, str, date]:
    """Title, body, column and publication day of one notice in one language (seeded)."""
    rng = random.Random(f"{SEED}-{notice_id}-{language}")
    title = sentence(rng, language).rstrip("。.")[:60]
    paragraphs = [
        " ".join(sentence(rng, language) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(4, 7))
    ]
    table = "| 项目 | 数量 |\n|---|---|\n" + "\n".join(
        f"| {rng.choice(WORDS[language])} | {rng.randint(1, 9999)} |" for _ in range(3)
    )
    body = "\n\n".join(paragraphs[:2] + [table] + paragraphs[2:]) + "\n"
    column = COLUMNS[notice_id % len(COLUMNS)]
    day = date(2020, 1, 1) + timedelta(days=notice_id // 5)
    return title, body, column, day


def write_sources(root: Path, notice_ids: range) -> None:
    """The Markdown both builders read: content/<language>/notices/<id>.md with front matter."""
    for language in LANGUAGES:
        folder = root / "content" / language / "notices"
        folder.mkdir(parents=True, exist_ok=True)
        for notice_id in notice_ids:
            title, body, column, day = notice_markdown(notice_id, language)
            front = (
                f'---\ntitle: "{title}"\ndate: {day.isoformat()}\ncolumns: ["{column}"]\n'
                f"notice: {notice_id}\n---\n\n"
            )
            (folder / f"{notice_id}.md").write_text(front + body, encoding="utf-8")


def read_pages(root: Path, notice_ids: range) -> Iterator[list]:  # type: ignore[type-arg]
    """Each notice's pages in every language, read back from the Markdown files."""
    from publishers.base import Page

    for notice_id in notice_ids:
        pages = []
        for language in LANGUAGES:
            text = (root / "content" / language / "notices" / f"{notice_id}.md").read_text(
                encoding="utf-8"
            )
            _, front, body = text.split("---\n", 2)
            fields = dict(line.split(": ", 1) for line in front.strip().splitlines())
            day = date.fromisoformat(fields["date"])
            pages.append(
                Page(
                    notice_id=notice_id,
                    version=1,
                    language=language,
                    title=fields["title"].strip('"'),
                    body_markdown=body,
                    column=fields["columns"].strip('[]"'),
                    formed_on=day,
                    published_on=day,
                    languages=LANGUAGES,
                )
            )
        yield pages


@dataclass(frozen=True)
class MarkdownNotices:
    """Notices first..last of the Markdown folder, read where they are rendered (a worker reads
    its own part)."""

    root: str
    first: int
    last: int

    def __len__(self) -> int:
        return max(0, self.last - self.first + 1)

    def page_count(self) -> int:
        return len(self) * len(LANGUAGES)

    def pages(self) -> Iterator[list]:  # type: ignore[type-arg]
        return read_pages(Path(self.root), range(self.first, self.last + 1))

    def parts(self, size: int) -> Iterator[MarkdownNotices]:
        for start in range(self.first, self.last + 1, size):
            yield replace(self, first=start, last=min(self.last, start + size - 1))


def site(site_dir: Path):  # type: ignore[no-untyped-def]
    from publishers.site import Site

    return Site(site_dir, "https://wsb.example.gov.cn/", COLUMNS)


HUGO_CONFIG = """baseURL = "https://wsb.example.gov.cn/"
defaultContentLanguage = "zh"
defaultContentLanguageInSubdir = true
paginate = 20
[taxonomies]
column = "columns"
[outputs]
home = ["HTML", "RSS", "JSON"]
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ .Title }}</title>
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}</head><body><header><nav>{{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "columns" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }} · {{ .Date.Format "2006-01-02" }}</p>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul>{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>
{{ range first 10 (where .Site.RegularPages "Section" "notices") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>{{ end }}
""",
    "index.json": """[{{ range $i, $p := .Site.RegularPages }}{{ if $i }},{{ end }}{"title":{{ $p.Title | jsonify }},"url":{{ $p.RelPermalink | jsonify }},"date":{{ $p.Date.Format "2006-01-02" | jsonify }},"summary":{{ $p.Summary | plainify | jsonify }}}{{ end }}]
""",
}


def write_hugo_site(root: Path) -> Path:
    """A Hugo project over the same content folders, one content directory per language."""
    project = root / "hugo"
    (project / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    languages = "".join(
        f'[languages.{lang}]\ncontentDir = "{root / "content" / lang}"\nweight = {i + 1}\nlanguageName = "{lang}"\n'
        for i, lang in enumerate(LANGUAGES)
    )
    (project / "hugo.toml").write_text(HUGO_CONFIG + languages, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (project / "layouts" / name).write_text(text, encoding="utf-8")
    return project


def timed(command: list[str], **kwargs: object) -> tuple[float, int]:
    """Wall time (s) and peak resident memory (KB) of a child process.

    The disks are synced first, untimed: no build pays for writing back the one before it.
    """
    os.sync()
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {child.returncode}")
    return elapsed, usage.ru_maxrss


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder, followlinks=True))


def differing(one: Path, other: Path) -> tuple[int, list[str]]:
    """Files compared, and those not in both folders or not the same bytes in both."""
    names = {
        folder: {
            (Path(top) / name).relative_to(folder).as_posix()
            for top, _, found in os.walk(folder)
            for name in found
        }
        for folder in (one, other)
    }
    differ = sorted(names[one] ^ names[other])
    differ += sorted(
        name
        for name in names[one] & names[other]
        if (one / name).read_bytes() != (other / name).read_bytes()
    )
    return len(names[one] | names[other]), differ


def waiwen_build(args: argparse.Namespace, root: Path, into: str, jobs: int) -> tuple[float, int]:
    """A full build by waiwen in its own process: wall time and peak memory of its largest process."""
    return timed(
        [
            sys.executable,
            "-m",
            "bench.site",
            "--notices",
            str(args.notices),
            "--build",
            str(root),
            "--into",
            into,
            "--jobs",
            str(jobs),
        ],
        cwd=Path(__file__).resolve().parent.parent,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--extra", type=int, default=5, help="single-notice publishes to time")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes of the parallel build"
    )
    parser.add_argument("--build", metavar="ROOT", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--into", default="site", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        from publishers.site import parallel

        parallel.build(
            site(Path(args.build) / args.into),
            MarkdownNotices(args.build, 1, args.notices),
            jobs=args.jobs,
        )
        return
    hugo = shutil.which("hugo")
    if hugo is None:
        raise SystemExit(
            "hugo is not installed (Debian package `hugo`): it is this benchmark's baseline"
        )

    # Whether the cores were free when it began: Hugo uses every core, waiwen `--jobs` of them.
    load_at_start = os.getloadavg()[0]
    root = Path(tempfile.mkdtemp(prefix="waiwen-bench-site-"))
    try:
        print(
            f"writing {args.notices:,} notices × {len(LANGUAGES)} languages of Markdown …",
            flush=True,
        )
        write_sources(root, range(1, args.notices + 1))
        print("waiwen: full build in one process …", flush=True)
        serial_time, serial_kb = waiwen_build(args, root, "site-serial", 1)
        print(f"  {serial_time:.1f} s, peak {serial_kb / 1024:.0f} MB", flush=True)
        project = write_hugo_site(root)
        # Hugo, waiwen, waiwen, Hugo: a machine growing faster or slower through the run weighs
        # on both alike. Nothing is deleted between the timed builds: ext4 looks past inodes
        # freed in the last minutes when it allocates, so a deletion slows whichever build
        # comes next.
        hugo_runs, waiwen_runs = [], []
        for turn, builder in enumerate(("hugo", "waiwen", "waiwen", "hugo"), start=1):
            into = root / f"{builder}-{turn}"
            if builder == "hugo":
                print(f"hugo: full build ({len(hugo_runs) + 1} of 2) …", flush=True)
                took, kb = timed([hugo, "--quiet", "-s", str(project), "-d", str(into)])
                hugo_runs.append((took, kb, count_files(into)))
            else:
                print(
                    f"waiwen: full build in {args.jobs} processes ({len(waiwen_runs) + 1} of 2) …",
                    flush=True,
                )
                took, kb = waiwen_build(args, root, into.name, args.jobs)
                waiwen_runs.append((took, kb, count_files(into)))
            files = (hugo_runs if builder == "hugo" else waiwen_runs)[-1][2]
            print(f"  {took:.1f} s, peak {kb / 1024:.0f} MB, {files:,} files", flush=True)
        waiwen_time = statistics.mean(run[0] for run in waiwen_runs)
        waiwen_kb = max(run[1] for run in waiwen_runs)
        waiwen_files = waiwen_runs[0][2]
        hugo_time = statistics.mean(run[0] for run in hugo_runs)
        hugo_kb = max(run[1] for run in hugo_runs)
        hugo_files = hugo_runs[0][2]
        compared, differ = differing(root / "waiwen-2", root / "site-serial")
        print(f"  {compared:,} files compared with the serial build: {len(differ)} differ")

        print(f"publishing {args.extra} more notices, one at a time …", flush=True)
        built = site(root / "waiwen-3")
        extra_times = []
        new_ids = range(args.notices + 1, args.notices + 1 + args.extra)
        write_sources(root, new_ids)
        for pages in read_pages(root, new_ids):
            notice_id = pages[0].notice_id
            started = time.perf_counter()
            built.publish_notice(pages)
            extra_times.append(time.perf_counter() - started)
            print(f"  notice {notice_id}: {extra_times[-1] * 1000:.0f} ms", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    median = statistics.median(extra_times)
    rows = [
        (
            "notices",
            f"{args.notices:,} × {len(LANGUAGES)} languages = {args.notices * len(LANGUAGES):,} pages",
        ),
        (
            "waiwen full build, 1 process (serial)",
            f"{serial_time:.1f} s, peak memory {serial_kb / 1024:.0f} MB",
        ),
        (
            f"waiwen full build, {args.jobs} processes, mean of 2 runs",
            f"{waiwen_time:.1f} s ({_each(waiwen_runs)}), peak memory {waiwen_kb / 1024:.0f} MB "
            f"(largest process), {waiwen_files:,} files; {serial_time / waiwen_time:.2f}× as fast "
            "as serial",
        ),
        (
            "the parallel build's files against the serial build's",
            f"{compared:,} compared, {len(differ)} differ in name or bytes"
            + (f" (first: {differ[0]})" if differ else ""),
        ),
        (
            "baseline: Hugo full build (same Markdown), mean of 2 runs: the first and the last",
            f"{hugo_time:.1f} s ({_each(hugo_runs)}), peak memory {hugo_kb / 1024:.0f} MB, "
            f"{hugo_files:,} files",
        ),
        (
            f"waiwen ({args.jobs} processes) ÷ Hugo (goal ≤ 1)",
            f"{waiwen_time / hugo_time:.2f}× the time, {waiwen_kb / hugo_kb:.2f}× the memory",
        ),
        (
            "publish one more notice (5 languages), median (goal ≤ 0.5 s)",
            f"{median * 1000:.0f} ms (max {max(extra_times) * 1000:.0f} ms over {len(extra_times)})",
        ),
        ("the same as a share of a full build", f"{median / waiwen_time * 100:.2f}%"),
    ]
    publish(
        "Site",
        f"python -m bench.site --notices {args.notices} --extra {args.extra} --jobs {args.jobs}",
        rows,
        extra=f"hugo {hugo_version(hugo)}; load average {load_at_start:.2f} at the start",
    )


def _each(runs: list[tuple[float, int, int]]) -> str:
    return " and ".join(f"{run[0]:.1f}" for run in runs)


def hugo_version(hugo: str) -> str:
    text = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    return text.split()[1] if text else "?"


if __name__ == "__main__":
    main()
