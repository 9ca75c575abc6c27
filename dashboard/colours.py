"""What each colour means, defined once. Every surface (pages, kiosk, briefings, legends and
captions) takes its colours from here, so a caption and the picture it describes cannot drift
apart.

- Against a target: the red family is worse than the target, the blue family better, a neutral
  grey exactly at it; direction-aware (for a "lower is better" indicator, above the target is
  red). A unit just short of the target is a clearly red salmon, not a near-white.
- Without a target: one hue (purple), darker means more.
- Categories that recur have fixed colours: where an alliance's lead is (本省牵头 / 外省牵头),
  where a row comes from (article / simulated / imported), the kinds of cooperation and of
  activity. None of them is red or blue, which mean "against the target" everywhere.

Scales are explicit lists of colours: plotly.js does not know every scale name Python Plotly
does (an unknown name silently falls back to another scale).
"""

from __future__ import annotations

import math

from dashboard import i18n

# ColorBrewer RdBu, its pale middle left out on both sides so that "just below" stays red and
# "just above" stays blue; the neutral sits exactly at the target.
REDS = ["#b2182b", "#d6604d", "#f4a582"]  # far below … just below the target
BLUES = ["#92c5de", "#4393c3", "#2166ac"]  # just above … far above the target
AT_TARGET = "#f0f0f0"
NO_TARGET = ["#efedf5", "#bcbddc", "#807dba", "#54278f"]  # ColorBrewer Purples: light = less
MISSING = {"light": "#d9d9d9", "dark": "#2a3a55"}

# Where a scale changes family: the target's own position is 0.5; the step is so narrow that
# only a value equal to the target (to the 0.1 the pages round to) falls in it.
_STEP = 0.0005

# Status of a unit against its target, as bars, tiles and table cells colour it.
BELOW, AT, ABOVE, NONE = "below", "at", "above", "none"
STATUS = {
    "light": {BELOW: "#d6604d", AT: "#bdbdbd", ABOVE: "#4393c3", NONE: "#807dba"},
    "dark": {BELOW: "#f4846c", AT: "#9e9e9e", ABOVE: "#6baed6", NONE: "#a99fd6"},
}

# Categories that recur. Not red, not blue: those mean "against the target".
LEAD_PLACE = {"own": "#1b7837", "other": "#e08214"}  # 本省牵头 / 外省牵头
ORIGIN = {"article": "#8c510a", "demo": "#8c8c8c", "office": "#01665e"}
FORM = {
    "county_community": "#1b9e77",
    "city_group": "#d95f02",
    "specialist": "#7570b3",
    "telemedicine": "#e7298a",
    "hospital_government": "#66a61e",
    "hospital_pair": "#e6ab02",
    "regional_centre": "#a6761d",
    "reform_zone": "#666666",
    "partner_network": "#bf5b17",
    "area_programme": "#bc80bd",
}
# A party that is no hospital (a 卫健委, a 政府) on an alliance's map: its own colour and a square.
GOVERNMENT = "#7b3294"
ACTIVITY = {
    "referral_up": "#1b9e77",
    "referral_down": "#d95f02",
    "remote_consult": "#7570b3",
    "expert_days": "#e7298a",
    "training": "#66a61e",
    "new_technique": "#e6ab02",
    "surgery": "#a6761d",
}
# Lines and series that are neither a status nor a category: the region against the nation.
SERIES = ["#54278f", "#7f7f7f", "#1b9e77", "#e08214", "#a6761d", "#e7298a"]
# More groups than that (kinds without a fixed colour): still neither red nor blue.
PALETTE = [*SERIES, "#666666", "#bf5b17", "#01665e", "#8c510a", "#bc80bd", "#35978f"]
# Bars, histograms and lines of one series without a target: the one hue of "no target".
PLAIN = {"light": NO_TARGET[2], "dark": NO_TARGET[1]}
TARGET_LINE = {"light": "#1b2631", "dark": "#f5f5f5"}
# What marks a map besides its areas: alliances' leads and members, lines between places.
# Not red, not blue (those mean "against the target"); the links the dark of a pencil line.
MARKS = {
    "light": {"lead": "#000000", "member": "#4d4d4d", "link": "#3f3f3f"},
    "dark": {"lead": "#ffd166", "member": "#e8eef7", "link": "#f5b041"},
}
# A unit singled out on a map (the counties an alliance covers, the institution shown).
HIGHLIGHT = {"fill": "rgba(224,130,20,0.35)", "line": "#b35806"}


def higher_is_better(direction: str) -> bool | None:
    """True, False, or None for an indicator only monitored (no better side)."""
    return {"higher": True, "lower": False}.get(direction)


def status(value: float | None, target: float | None, direction: str) -> str:
    """below / at / above the target in the sense of better or worse (direction-aware), or
    none when there is no target, no value or no better side."""
    better = higher_is_better(direction)
    if target is None or value is None or better is None:
        return NONE
    if isinstance(value, float) and math.isnan(value):
        return NONE
    if abs(value - target) < 0.05:
        return AT
    return ABOVE if (value > target) == better else BELOW


def status_colour(
    value: float | None, target: float | None, direction: str, theme: str = "light"
) -> str:
    """The colour of one unit's status (a bar, a tile, a table cell)."""
    return STATUS[theme][status(value, target, direction)]


def target_scale(direction: str, at: float = 0.5) -> list[list]:
    """The colour scale of a map against a target: worse red, at it neutral, better blue, the
    target at position `at` of the scale (0.5 when zmin and zmax are symmetric around it; less
    or more when a percentage scale stops at 0 or 100). Direction-aware: for "lower is better"
    the low end is blue. Never reversed afterwards (reversescale stays off)."""
    worse, better = REDS, BLUES
    if higher_is_better(direction) is False:
        low, high = list(reversed(better)), list(reversed(worse))
    else:
        low, high = worse, better
    at = min(1 - 2 * _STEP, max(2 * _STEP, at))
    stops = [
        [0.0, low[0]],
        [at / 2, low[1]],
        [at - _STEP, low[2]],
        [at, AT_TARGET],
        [at + _STEP, high[0]],
        [at + (1 - at) / 2, high[1]],
        [1.0, high[2]],
    ]
    return stops


def target_range(
    values, target: float, direction: str, percent: bool = False, least: float = 1.0
) -> tuple[float, float, list[list]]:
    """zmin, zmax and the colour scale of a map of values against a target: symmetric around
    it (so equal distances look equally strong), a percentage cut at 0 and 100 with the scale's
    neutral moved to where the target then sits."""
    values = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    spread = max([abs(v - target) for v in values] + [least])
    low, high = target - spread, target + spread
    if percent:
        low, high = max(low, 0.0), min(high, 100.0)
    return low, high, target_scale(direction, (target - low) / (high - low))


def caption(target: float | None, direction: str, unit: str, lang: str) -> str:
    """What a map's colours mean, in words, from the same definitions as its scale."""
    key = caption_key(target, direction)
    if key == "maps.colours_no_target":
        return i18n.text(key, lang)
    return i18n.text(key, lang, target=f"{target:g}", unit=unit)


def sequential_scale() -> list[list]:
    """The colour scale of a map without a target: one hue, darker is more."""
    n = len(NO_TARGET) - 1
    return [[i / n, colour] for i, colour in enumerate(NO_TARGET)]


def fifth_colour(rank_share: float) -> str:
    """Colour of a value by its fifth within its peers, without a target (rank_share in 0..1,
    1 = the highest): the one hue of sequential_scale()."""
    scale = sequential_scale()
    fifth = min(4, max(0, int(rank_share * 5)))
    position = fifth / 4
    return min(scale, key=lambda stop: abs(stop[0] - position))[1]


def flat(colour: str) -> list[list]:
    """A scale of one colour (land, missing units, highlights)."""
    return [[0, colour], [1, colour]]


def form_colours(codes) -> dict[str, str]:
    """Fixed colours per kind of cooperation, for the codes given (unknown codes grey)."""
    return {code: FORM.get(code, "#999999") for code in codes}


def caption_key(target: float | None, direction: str) -> str:
    """The message key of the caption that says what a map's colours mean (messages maps.*):
    written from the same definitions as target_scale() and sequential_scale()."""
    if target is None or higher_is_better(direction) is None:
        return "maps.colours_no_target"
    return "maps.colours_lower" if higher_is_better(direction) is False else "maps.colours_higher"


def scale_target(trace: dict) -> float | None:
    """The value at which a map trace's colours turn from worse to better (its neutral stop), or
    None for a map without a target: what its colours say the target is."""
    stops = trace.get("colorscale")
    if not isinstance(stops, (list, tuple)) or "zmin" not in trace or "zmax" not in trace:
        return None
    at = [float(p) for p, colour in stops if colour == AT_TARGET]
    if not at:
        return None
    return trace["zmin"] + at[0] * (trace["zmax"] - trace["zmin"])
