"""Check registry: built-ins first, installed checks by entry-point name, errors naming the rule broken.

Each test installs a small package for real: a `.dist-info` folder with an `entry_points.txt`
and a module beside it, on sys.path, as pip would leave them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from translators.checks import CheckContext, check_by_id, registered_checks, run_checks
from translators.checks.registry import BUILTIN_CHECKS, CheckPluginError

CHECK_CLASS = """
from translators.checks import Finding

class {name}:
    id = {id!r}
    name = "Trial check"
    description = {description!r}

    def check(self, source, target, context):
        return [Finding(self.id, "warning", "trial")] if "TRIAL" in target else []
"""


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    """Each test sees the packages installed at its start; later tests the usual ones again."""
    registered_checks.cache_clear()
    yield
    registered_checks.cache_clear()


class Installer:
    """Installs one package, waiwen-trial 0.1, with the given entry points and module."""

    def __init__(self, root: Path, module: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root, self.module, self.monkeypatch = root, module, monkeypatch

    def __call__(self, source: str, **points: str) -> None:
        """Write `source` as the module and declare `points` (name -> attribute) in waiwen.checks."""
        (self.root / f"{self.module}.py").write_text(source, encoding="utf-8")
        info = self.root / "waiwen_trial-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: waiwen-trial\nVersion: 0.1\n")
        lines = [f"{name} = {self.module}:{attribute}" for name, attribute in points.items()]
        (info / "entry_points.txt").write_text("[waiwen.checks]\n" + "\n".join(lines) + "\n")
        self.monkeypatch.syspath_prepend(str(self.root))


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Installer:
    """An installer into this test's folder, with a module name of its own (imports are kept)."""
    return Installer(tmp_path, "trial_" + re.sub(r"\W", "_", tmp_path.name), monkeypatch)


def trial_check(name: str = "Trial", check_id: str = "trial", description: str = "A trial.") -> str:
    return CHECK_CLASS.format(name=name, id=check_id, description=description)


def test_installed_checks_follow_the_built_ins_sorted_by_entry_point_name(
    install: Installer,
) -> None:
    factory = "\n\ndef make_first():\n    return First()\n"
    install(
        trial_check("Trial", "zz-trial") + trial_check("First", "a-first") + factory,
        **{"zz-trial": "Trial", "a-first": "make_first"},
    )
    ids = [check.id for check in registered_checks()]
    assert ids[: len(BUILTIN_CHECKS)] == list(BUILTIN_CHECKS)
    assert ids[len(BUILTIN_CHECKS) :] == ["a-first", "outside-exclamation", "zz-trial"]
    assert check_by_id("zz-trial").name == "Trial check"
    found = run_checks("请提交申请。", "Please apply. TRIAL", CheckContext(language="en"))
    assert [f.check_id for f in found] == ["a-first", "zz-trial"]


def test_the_registry_is_loaded_once_until_cleared(install: Installer) -> None:
    before = registered_checks()
    install(trial_check(), trial="Trial")
    assert registered_checks() is before  # consulted per segment: no scan of the installed packages
    registered_checks.cache_clear()
    assert [c.id for c in registered_checks()][-1] == "trial"


BROKEN = [
    (
        "numbers",
        "Trial",
        trial_check(check_id="numbers"),
        "a built-in check's id cannot be taken over",
    ),
    ("trial", "Missing", trial_check(), "the entry point loads (AttributeError"),
    ("trial", "NAME", trial_check() + "\nNAME = 'trial'\n", "a check class or a zero-argument"),
    ("trial", "make", trial_check() + "\ndef make(x):\n    return Trial()\n", "calling it failed"),
    ("Trial", "Trial", trial_check(check_id="Trial"), "lowercase letters and digits, words joined"),
    ("trial", "Trial", trial_check(description=""), "a non-empty text as its description"),
    ("trial", "Trial", trial_check(check_id="other"), "the entry point's name is the check's id"),
]


@pytest.mark.parametrize(("name", "attribute", "source", "rule"), BROKEN)
def test_a_broken_check_is_refused_naming_its_entry_point_package_and_rule(
    install: Installer, name: str, attribute: str, source: str, rule: str
) -> None:
    install(source, **{name: attribute})
    with pytest.raises(CheckPluginError) as refused:
        registered_checks()
    message = str(refused.value)
    assert f"'{name} = {install.module}:{attribute}'" in message
    assert "installed by waiwen-trial 0.1" in message
    assert rule in message and message.endswith("Fix that package or uninstall it.")


def test_a_module_that_fails_to_import_is_refused_with_its_error(install: Installer) -> None:
    install("raise RuntimeError('this package needs a licence file')\n", trial="Trial")
    with pytest.raises(
        CheckPluginError, match=r"loads \(RuntimeError: this package needs a licence"
    ):
        registered_checks()
