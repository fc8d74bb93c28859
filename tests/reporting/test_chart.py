"""The chart's colours and labels: one for every shipped language, told apart in colour-blind vision too."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import combinations

import numpy as np
import pytest

from content.counting import find_convention
from core.languages import OFFICE_COLUMNS, SHIPPED_TARGETS
from reporting.chart import LANGUAGE_COLOURS, language_label
from reporting.yearly import ReportRow, YearlyReport

# Machado, Oliveira and Fernandes (2009), severity 1.0: how linear RGB looks to a viewer with
# no working L, M or S cones.
VISION = {
    "normal": np.eye(3),
    "protan": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deutan": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritan": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
# CIE76 distance two categories' colours keep at least, in every vision: about seven times what
# a viewer just notices side by side (2.3), so bars a few pixels wide are still told apart.
APART = 15.0
WHITE = "#FFFFFF"  # the chart's ground
SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
D65 = np.array([0.95047, 1.0, 1.08883])


def _linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ np.clip(linear, 0, 1) / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _distance(first: str, second: str, vision: str) -> float:
    seen = VISION[vision]
    return float(np.linalg.norm(_lab(seen @ _linear(first)) - _lab(seen @ _linear(second))))


def test_every_shipped_language_has_its_own_colour() -> None:
    assert set(LANGUAGE_COLOURS) == set(SHIPPED_TARGETS)
    assert len(set(LANGUAGE_COLOURS.values())) == len(LANGUAGE_COLOURS)


@pytest.mark.parametrize("vision", list(VISION))
def test_any_two_colours_and_the_ground_stay_apart(vision: str) -> None:
    colours = {**LANGUAGE_COLOURS, "ground": WHITE}
    close = [
        (a, b, round(_distance(colours[a], colours[b], vision), 1))
        for a, b in combinations(colours, 2)
        if _distance(colours[a], colours[b], vision) < APART
    ]
    assert close == []


def test_the_measure_check_tells_near_colours_apart_from_far_ones() -> None:
    # The check itself: red and green merge for a deutan viewer, blue and orange do not.
    assert _distance("#D81B60", "#1E88E5", "normal") > APART
    assert _distance("#FF0000", "#00A000", "deutan") < _distance("#FF0000", "#00A000", "normal")
    assert _distance("#0072B2", "#E69F00", "deutan") > APART


def _report(convention: str) -> YearlyReport:
    zero = dict.fromkeys(OFFICE_COLUMNS, 0)
    row = ReportRow("2025", zero, 0, zero)
    return YearlyReport(2025, find_convention(convention), datetime.now(UTC), row, [row] * 12, [])


@pytest.mark.parametrize(
    ("convention", "code", "label"),
    [
        ("office-2020 v1", "en", "English (words)"),
        ("office-2020 v1", "ja", "Japanese (characters)"),
        ("office-2020 v1", "ko", "Korean (words)"),
        ("office-2020 v2", "fr", "French (words)"),
        ("ko-characters", "ko", "Korean (characters)"),
    ],
)
def test_the_legend_names_the_language_and_the_unit_counted(
    convention: str, code: str, label: str
) -> None:
    assert language_label(_report(convention), code) == label
