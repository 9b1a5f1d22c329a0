"""Polarity: which direction of an indicator is better.

Every judgement in the metrics package (rank, band, RAG, significance, trend, narrative words)
depends on polarity, so the allowed values and their meaning live here once.
"""

from __future__ import annotations

HIGH = "high"
LOW = "low"
NONE = "none"
TARGET_BAND = "target_band"

POLARITIES: frozenset[str] = frozenset({HIGH, LOW, NONE, TARGET_BAND})

# LAIT's data dictionary writes polarity as "High", "Low" or "-".
_ALIASES = {
    "high": HIGH,
    "low": LOW,
    "none": NONE,
    "-": NONE,
    "": NONE,
    "n/a": NONE,
    "target_band": TARGET_BAND,
    "target band": TARGET_BAND,
}


def check_polarity(polarity: str) -> str:
    """Return ``polarity`` unchanged if it is one of the allowed values.

    Args:
        polarity: One of ``"high"``, ``"low"``, ``"none"`` or ``"target_band"``.

    Returns:
        The same string.

    Raises:
        ValueError: If the polarity is not recognised. An unknown polarity is a configuration
            error, and guessing would silently colour an indicator the wrong way round.
    """
    if polarity not in POLARITIES:
        allowed = ", ".join(sorted(POLARITIES))
        raise ValueError(f"unknown polarity {polarity!r}; expected one of {allowed}")
    return polarity


def is_directional(polarity: str) -> bool:
    """Say whether a polarity has a better and a worse direction.

    ``target_band`` (best inside a range) has no single better direction, so for ranking,
    banding and better/worse words it is treated like ``none``.

    Args:
        polarity: An allowed polarity.

    Returns:
        True for ``"high"`` and ``"low"``, False otherwise.
    """
    return check_polarity(polarity) in (HIGH, LOW)


def normalise_polarity(raw: str | None) -> str:
    """Turn a polarity as published (e.g. LAIT's ``High``/``Low``/``-``) into an allowed value.

    Args:
        raw: The published text; None or blank means no polarity.

    Returns:
        One of the allowed polarity strings.

    Raises:
        ValueError: If the text is not a known way of writing a polarity.
    """
    key = "" if raw is None else raw.strip().lower()
    if key not in _ALIASES:
        raise ValueError(f"unknown polarity {raw!r}")
    return _ALIASES[key]
