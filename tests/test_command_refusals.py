"""Every `waiwen` command refuses bad input the same way: the reasons on stderr, exit status 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.settings import Settings
from waiwen.cli import main

FILES = {
    "bad.md": "no front matter\n",
    "alias.md": "---\na: &x 1\nb: *x\n---\n正文\n",
    "bad.tmx": '<tmx><header srclang="zh"/><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>',
    "bad.xlf": "<root/>",
    "manifest.csv": "key,language\n",
    "alias.yaml": "year: &y 2027\nholidays: *y\n",
}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["queue", "bad.md", "alias.md"],
            "waiwen: refused, nothing was queued:\n"
            "  bad.md: has no front matter (the file must start with a line '---')\n"
            "  alias.md: front matter: line 3: uses the YAML alias *x; aliases are not accepted,"
            " write the value out\n",
        ),
        (["memory", "import", "bad.tmx"], "waiwen: bad.tmx: <tu> #1: <tuv> without xml:lang\n"),
        (
            ["xliff", "import", "bad.xlf"],
            "waiwen: bad.xlf: not an XLIFF 1.2 document (root 'root')\n",
        ),
        (
            ["archive", "import", "manifest.csv"],
            "waiwen: refused, nothing was loaded from manifest.csv:\n"
            "  manifest.csv: header: must name the fields key, language, published_on, file"
            " (missing published_on, file)\n",
        ),
        (
            ["review", "show", "99", "en"],
            "waiwen: no notice '99': see `waiwen status` for the notice numbers\n",
        ),
        (
            ["calendar", "load", "alias.yaml"],
            "Error: alias.yaml, line 2: uses the YAML alias *y; aliases are not accepted, write the"
            " value out\n",
        ),
        (["users", "set", "nobody", "--role", "admin"], "Error: name: there is no user 'nobody'\n"),
        (
            ["checks", "set", "numbers", "off", "--column", "新闻"],
            "waiwen: column 新闻: not one of the site's columns (回应关切, 政务公开, 最新动态,"
            " 温馨提示, 社会新闻, 网上办事, 要闻动态)\n",
        ),
    ],
)
def test_a_refusal_says_why_on_stderr_alone_and_exits_1(
    settings: Settings, tmp_path: Path, args: list[str], said: str
) -> None:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", said)
