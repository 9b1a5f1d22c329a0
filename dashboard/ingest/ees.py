"""Import the DfE's Explore Education Statistics (EES) tidy CSV files through a declarative mapping.

EES files are one row per year, area and filter combination, with filter and indicator columns
whose names drift between releases. `data/ees_mapping.toml` says which files, rows and columns
become which indicator and breakdown, how each file's years are read, and which old column
names mean what; this module applies it. Each file is one transaction with one audit row, so a
bad file is refused whole while the others load.

Areas: National rows are England, Regional rows their ONS region code, Local authority rows
their DfE number (which survives ONS code changes). Rows for two LAs reported together
("314 / 318") are skipped and counted, since neither LA's figure can be recovered from them.
Suppression symbols (c, k, u, x, z, low) are kept as the observation's suppression with no value,
never as zero.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.errors import LoadError, Problem
from dashboard.ingest.reference import ENGLAND, upsert_indicators
from dashboard.ingest.writer import (
    ALL,
    AreaLookup,
    LoadResult,
    empty_batch,
    file_checksum,
    record_failure,
    run_load,
)
from dashboard.periods import YEAR_KINDS, PeriodSpec, parse_year_label
from dashboard.settings import DATA_DIR
from dashboard.store.db import session_scope
from dashboard.store.models import DataLoad, Indicator

DEFAULT_MAPPING = DATA_DIR / "ees_mapping.toml"
KIND = "ees"
GEOGRAPHY_COLUMNS = (
    "time_period", "time_identifier", "geographic_level", "region_code", "old_la_code",
)
LEVELS = ("National", "Regional", "Local authority")
RULE_KINDS = ("value", "rate", "long", "wide")
UNITS = ("percent", "rate", "number")
POLARITIES = ("high", "low", "none")
INDICATOR_KEYS = (
    "name", "short_name", "domain", "theme", "unit", "unit_label", "multiplier", "decimals",
    "polarity", "period_type", "definition", "methodology",
)
REQUIRED_INDICATOR_KEYS = (
    "name", "short_name", "domain", "theme", "unit", "polarity", "period_type", "definition",
)
PROBLEM_LIMIT = 200


# --- the mapping ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One mapping rule: some rows and columns of a file -> one indicator."""

    kind: str
    indicator: str
    period: str
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    value: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    denominator_row: dict[str, str] = field(default_factory=dict)
    count: str | None = None
    per: float = 10_000.0
    category: str | None = None
    dimension: str | None = None
    exclude: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    total: str | None = None

    def filter_columns(self) -> list[str]:
        """Columns whose text selects rows."""
        cols = [*self.where, *self.denominator_row]
        if self.category:
            cols.append(self.category)
        return list(dict.fromkeys(cols))

    def number_columns(self) -> list[str]:
        """Columns read as numbers."""
        cols = [self.value, self.numerator, self.denominator, self.count, self.total,
                *self.columns]
        return list(dict.fromkeys(c for c in cols if c))


@dataclass(frozen=True)
class FileSpec:
    """The files one `[files.<key>]` entry covers, where they come from, and their rules."""

    key: str
    pattern: str
    source: str
    source_url: str | None
    licence: str | None
    aliases: dict[str, str]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class PopulationSpec:
    """The population file that rates are computed with."""

    pattern: str
    column: str
    where: dict[str, tuple[str, ...]]
    year_offset: int


@dataclass(frozen=True)
class EesMapping:
    """The parsed `ees_mapping.toml`."""

    files: tuple[FileSpec, ...]
    aliases: dict[str, str]
    population: PopulationSpec | None
    symbols: frozenset[str]
    time_identifiers: frozenset[str]
    indicators: dict[str, dict[str, Any]]
    lait: dict[str, dict[str, Any]]

    def specs_for(self, name: str) -> list[FileSpec]:
        """The `[files]` entries whose pattern matches a file name."""
        return [f for f in self.files if fnmatch.fnmatch(name, f.pattern)]

    def is_population(self, name: str) -> bool:
        """Whether a file is the population input (read for rates, never loaded)."""
        return self.population is not None and fnmatch.fnmatch(name, self.population.pattern)

    def source_of(self, code: str) -> FileSpec | None:
        """The first file entry with a rule for an indicator."""
        return next((f for f in self.files for r in f.rules if r.indicator == code), None)

    def indicator_records(self) -> list[dict[str, Any]]:
        """Records for `upsert_indicators`: the declared (non-LAIT) indicators."""
        return [self._record(code, meta) for code, meta in self.indicators.items()]

    def lait_records(self) -> list[dict[str, Any]]:
        """Records that create LAIT-coded indicators when LAIT has not been loaded."""
        out = []
        for code, meta in self.lait.items():
            unit = meta["unit"]
            defaults = {
                "short_name": meta["name"],
                "domain": "children",
                "multiplier": {"percent": 100.0, "rate": 10_000.0}.get(unit),
                "unit_label": {"percent": "%", "rate": "per 10,000 children"}.get(unit),
                "decimals": 1,
            }
            out.append(self._record(code, {**defaults, **meta}))
        return out

    def _record(self, code: str, meta: Mapping[str, Any]) -> dict[str, Any]:
        spec = self.source_of(code)
        rec: dict[str, Any] = {"code": code, "frequency": "annual"}
        rec.update({k: meta[k] for k in INDICATOR_KEYS if k in meta})
        if "multiplier" in rec and rec["multiplier"] is not None:
            rec["multiplier"] = float(rec["multiplier"])
        rec["source"] = meta.get("source", spec.source if spec else None)
        rec["source_url"] = meta.get("source_url", spec.source_url if spec else None)
        rec["licence"] = meta.get("licence", spec.licence if spec else None)
        return rec


def _strings(v: object) -> tuple[str, ...]:
    return tuple(str(x) for x in v) if isinstance(v, list) else (str(v),)


def read_mapping(path: Path = DEFAULT_MAPPING) -> EesMapping:
    """Read and check `ees_mapping.toml`.

    Raises:
        LoadError: naming each key that is missing or wrong, so that the mapping can be fixed.
    """
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    problems: list[Problem] = []

    def bad(key: str, value: object, message: str) -> None:
        problems.append(Problem(path.name, None, key, None if value is None else str(value),
                                message))

    indicators: dict[str, dict[str, Any]] = dict(doc.get("indicators", {}))
    lait: dict[str, dict[str, Any]] = dict(doc.get("lait", {}))
    for code, meta in indicators.items():
        for k in REQUIRED_INDICATOR_KEYS:
            if k not in meta:
                bad(f"indicators.{code}.{k}", None, "is required")
        if code in lait:
            bad(f"indicators.{code}", code, "is declared both as a LAIT code and as an EES code")
    for section, table in (("indicators", indicators), ("lait", lait)):
        for code, meta in table.items():
            if meta.get("unit") not in UNITS:
                bad(f"{section}.{code}.unit", meta.get("unit"), f"must be one of {UNITS}")
            if meta.get("polarity") not in POLARITIES:
                bad(f"{section}.{code}.polarity", meta.get("polarity"),
                    f"must be one of {POLARITIES}")
            if meta.get("period_type") not in YEAR_KINDS:
                bad(f"{section}.{code}.period_type", meta.get("period_type"),
                    "must be a key of YEAR_KINDS")

    files = []
    for key, entry in doc.get("files", {}).items():
        rules = []
        for i, raw in enumerate(entry.get("rules", []), start=1):
            where = f"files.{key}.rules[{i}]"
            rule = _rule(raw, where, bad)
            if rule is None:
                continue
            declared = indicators.get(rule.indicator) or lait.get(rule.indicator)
            if declared is None:
                bad(f"{where}.indicator", rule.indicator,
                    "is declared in neither [indicators] nor [lait]")
            elif declared.get("period_type") != rule.period:
                bad(f"{where}.period", rule.period,
                    f"differs from the indicator's period_type {declared.get('period_type')!r}")
            rules.append(rule)
        if "pattern" not in entry or "source" not in entry:
            bad(f"files.{key}", None, "needs a pattern and a source")
            continue
        files.append(FileSpec(
            key=key, pattern=entry["pattern"], source=entry["source"],
            source_url=entry.get("source_url"), licence=entry.get("licence"),
            aliases=dict(entry.get("aliases", {})), rules=tuple(rules),
        ))
    population = None
    if "population" in doc:
        p = doc["population"]
        population = PopulationSpec(
            pattern=p["pattern"], column=p["column"],
            where={k: _strings(v) for k, v in p.get("where", {}).items()},
            year_offset=int(p.get("year_offset", 0)),
        )
    if problems:
        raise LoadError(problems)
    return EesMapping(
        files=tuple(files),
        aliases=dict(doc.get("aliases", {})),
        population=population,
        symbols=frozenset(s.lower() for s in doc.get("symbols", [])),
        time_identifiers=frozenset(doc.get("time_identifiers", [])),
        indicators=indicators,
        lait=lait,
    )


def _rule(raw: Mapping[str, Any], where: str, bad: Callable[[str, object, str], None]
          ) -> Rule | None:
    kind = raw.get("kind")
    if kind not in RULE_KINDS:
        bad(f"{where}.kind", kind, f"must be one of {RULE_KINDS}")
        return None
    needs = {"value": ("value",), "rate": ("count",), "long": ("category", "dimension", "value"),
             "wide": ("columns", "dimension")}[kind]
    missing = [k for k in ("indicator", "period", *needs) if k not in raw]
    for k in missing:
        bad(f"{where}.{k}", None, f"is required for a {kind!r} rule")
    if missing:
        return None
    if raw["period"] not in YEAR_KINDS:
        bad(f"{where}.period", raw["period"], "must be a key of YEAR_KINDS")
    if "denominator_row" in raw and "denominator" not in raw:
        bad(f"{where}.denominator", None, "is required with denominator_row")
    return Rule(
        kind=kind, indicator=raw["indicator"], period=raw["period"],
        where={k: _strings(v) for k, v in raw.get("where", {}).items()},
        value=raw.get("value"), numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        denominator_row={k: str(v) for k, v in raw.get("denominator_row", {}).items()},
        count=raw.get("count"), per=float(raw.get("per", 10_000)),
        category=raw.get("category"), dimension=raw.get("dimension"),
        exclude=_strings(raw.get("exclude", [])), columns=dict(raw.get("columns", {})),
        total=raw.get("total"),
    )


# --- reading a file -------------------------------------------------------------------------


def _read_csv(path: Path, aliases: Mapping[str, str]) -> pd.DataFrame:
    # Some EES files start with a byte-order mark; utf-8-sig drops it from the first name.
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [str(c).strip() for c in df.columns]
    renames = {old: new for old, new in aliases.items()
               if old in df.columns and new not in df.columns}
    df = df.rename(columns=renames).reset_index(drop=True)
    df.index = df.index + 2  # the row number a spreadsheet shows, after the header row
    return df


def _missing_columns(df: pd.DataFrame, name: str, needed: Iterable[str]) -> list[Problem]:
    return [Problem(name, 1, c, None, "required column is missing (after applying the "
                    "mapping's aliases for renamed columns)")
            for c in dict.fromkeys(needed) if c not in df.columns]


@dataclass
class _Geography:
    """Each row's area key, which rows to skip, and the problems found."""

    key: pd.Series
    skip: pd.Series
    problems: list[Problem]


def _geography(df: pd.DataFrame, name: str) -> _Geography:
    level = df["geographic_level"].str.strip()
    la_code = df["old_la_code"].str.strip()
    region = df["region_code"].str.strip()
    is_region = level == "Regional"
    is_la = level == "Local authority"
    single = is_la & la_code.str.fullmatch(r"\d{3}")
    combined = is_la & la_code.str.fullmatch(r"\d{3}(\s*/\s*\d{3})+")
    # Built as a list: assigning ints into an object Series by mask can turn them into floats.
    key = pd.Series([
        ENGLAND if lv == "National" else r if is_r else int(c) if one else None
        for lv, r, is_r, c, one in zip(level, region, is_region, la_code, single, strict=True)
    ], index=df.index, dtype=object)
    problems = []
    for row, v in level[~level.isin(LEVELS)].head(PROBLEM_LIMIT).items():
        problems.append(Problem(name, int(row), "geographic_level", v,
                                "is not a geographic level this importer reads "
                                "(National, Regional, Local authority)"))
    for row, v in la_code[is_la & ~single & ~combined].head(PROBLEM_LIMIT).items():
        problems.append(Problem(name, int(row), "old_la_code", v,
                                "is not a DfE local authority number (three digits)"))
    for row, v in region[is_region & (region == "")].head(PROBLEM_LIMIT).items():
        problems.append(Problem(name, int(row), "region_code", v,
                                "is empty on a Regional row"))
    return _Geography(key, combined, problems)


class _Numbers:
    """Number columns read once: values, suppression symbols, and cells that are neither."""

    def __init__(self, df: pd.DataFrame, name: str, symbols: frozenset[str], keep: pd.Series):
        self.df, self.name, self.symbols, self.keep = df, name, symbols, keep
        self.cache: dict[str, tuple[pd.Series, pd.Series]] = {}
        self.problems: list[Problem] = []

    def get(self, column: str) -> tuple[pd.Series, pd.Series]:
        """(numbers as floats, NaN where none; the symbol where the cell holds one, else None)."""
        if column not in self.cache:
            text = self.df[column].str.strip()
            number = pd.to_numeric(text, errors="coerce").astype(float)
            lowered = text.str.lower()
            is_symbol = number.isna() & lowered.isin(self.symbols)
            bad = number.isna() & ~is_symbol & self.keep
            for row, v in text[bad].head(PROBLEM_LIMIT).items():
                message = ("is empty: expected a number or a suppression symbol" if v == ""
                           else "is neither a number nor a known suppression symbol "
                                f"({', '.join(sorted(self.symbols))})")
                self.problems.append(Problem(self.name, int(row), column, v, message))
            symbol = lowered.where(is_symbol).astype(object)
            self.cache[column] = (number, symbol.where(is_symbol, None))
        return self.cache[column]


def _match(df: pd.DataFrame, criteria: Mapping[str, tuple[str, ...]]) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, values in criteria.items():
        mask &= df[col].str.strip().isin(values)
    return mask


def _absent_values(
    df: pd.DataFrame, name: str, criteria: Mapping[str, Iterable[str]], keep: pd.Series,
    indicator: str,
) -> list[Problem]:
    problems = []
    for col, values in criteria.items():
        present = set(df.loc[keep, col].str.strip())
        for v in values:
            if v not in present:
                problems.append(Problem(
                    name, None, col, v,
                    f"no row has this value, so the mapping rule for {indicator} selects "
                    "nothing (was the category renamed?)"))
    return problems


@dataclass
class _Population:
    """Population by (area key, year), as text keys for joining."""

    frame: pd.DataFrame  # columns: akey, year, population, population_symbol


def _read_population(path: Path, spec: PopulationSpec, symbols: frozenset[str]) -> _Population:
    df = _read_csv(path, {})
    name = path.name
    problems = _missing_columns(df, name, [*GEOGRAPHY_COLUMNS, spec.column, *spec.where])
    if problems:
        raise LoadError(problems)
    geo = _geography(df, name)
    keep = ~geo.skip & _match(df, spec.where)
    numbers = _Numbers(df, name, symbols, keep)
    value, symbol = numbers.get(spec.column)
    years = df["time_period"].str.strip()
    bad_year = keep & ~years.str.fullmatch(r"\d{4}")
    problems = geo.problems + numbers.problems + [
        Problem(name, int(row), "time_period", v, "is not a year such as 2024")
        for row, v in years[bad_year].head(PROBLEM_LIMIT).items()]
    if problems:
        raise LoadError(problems)
    keep &= ~bad_year
    frame = pd.DataFrame({
        "akey": geo.key[keep].astype(str),
        "year": years[keep].astype(int),
        "population": value[keep],
        "population_symbol": symbol[keep],
    })
    dup = frame.duplicated(["akey", "year"], keep=False)
    if dup.any():
        raise LoadError([Problem(name, int(row), None, None,
                                 "more than one population estimate for this area and year")
                         for row in frame.index[dup][:PROBLEM_LIMIT]])
    return _Population(frame)


class _FileParser:
    """Turns one EES file into a batch by its mapping entry."""

    def __init__(self, path: Path, spec: FileSpec, mapping: EesMapping,
                 population: Callable[[], _Population]):
        self.path, self.spec, self.mapping = path, spec, mapping
        self.population = population  # read on first use, shared by the files of one load
        self.skipped: dict[str, int] = {}

    def parse(self, session: Session) -> pd.DataFrame:
        name = self.path.name
        df = _read_csv(self.path, {**self.mapping.aliases, **self.spec.aliases})
        needed = [*GEOGRAPHY_COLUMNS]
        for rule in self.spec.rules:
            needed += rule.filter_columns() + rule.number_columns()
        problems = _missing_columns(df, name, needed)
        if problems:
            raise LoadError(problems)

        geo = _geography(df, name)
        problems += geo.problems
        combined = df.loc[geo.skip, "old_la_code"].str.strip()
        self.skipped = combined.value_counts().to_dict()
        keep = ~geo.skip & geo.key.notna()
        problems += self._check_time(df, keep)
        problems += self._check_areas(session, df, geo, keep)
        numbers = _Numbers(df, name, self.mapping.symbols, keep)
        for rule in self.spec.rules:
            for col in rule.number_columns():
                numbers.get(col)
            criteria = {**rule.where, **{k: (v,) for k, v in rule.denominator_row.items()}}
            problems += _absent_values(df, name, criteria, keep, rule.indicator)
        problems += numbers.problems
        if problems:
            raise LoadError(sorted(problems, key=lambda p: (p.row is not None, p.row or 0)))

        parts = [self._apply(rule, df, geo, keep, numbers) for rule in self.spec.rules]
        parts = [p for p in parts if not p.empty]
        return pd.concat(parts, ignore_index=True) if parts else empty_batch()

    def _check_time(self, df: pd.DataFrame, keep: pd.Series) -> list[Problem]:
        name = self.path.name
        problems = []
        years = df["time_period"].str.strip()
        for row, v in years[keep & ~years.str.fullmatch(r"\d{4}")].head(PROBLEM_LIMIT).items():
            problems.append(Problem(name, int(row), "time_period", v,
                                    "is not a year such as 2025, the only time_period this "
                                    "importer reads"))
        if self.mapping.time_identifiers:
            ident = df["time_identifier"].str.strip()
            allowed = self.mapping.time_identifiers
            for row, v in ident[keep & ~ident.isin(allowed)].head(PROBLEM_LIMIT).items():
                problems.append(Problem(name, int(row), "time_identifier", v,
                                        f"is not one of {sorted(allowed)}, which the mapping "
                                        "knows how to read"))
        return problems

    def _check_areas(self, session: Session, df: pd.DataFrame, geo: _Geography,
                     keep: pd.Series) -> list[Problem]:
        lookup = AreaLookup(session)
        problems = []
        first_rows = geo.key[keep].astype(str).drop_duplicates()
        for row, _ in first_rows.items():
            key = geo.key[row]
            if lookup.get(key) is None:
                column = "old_la_code" if isinstance(key, int) else (
                    "region_code" if df.at[row, "geographic_level"].strip() == "Regional"
                    else "geographic_level")
                problems.append(Problem(self.path.name, int(row), column,
                                        df.at[row, column].strip(),
                                        "unknown area: not among the areas loaded (load the "
                                        "areas first, or correct the code)"))
        return problems

    def _apply(self, rule: Rule, df: pd.DataFrame, geo: _Geography, keep: pd.Series,
               numbers: _Numbers) -> pd.DataFrame:
        sel = keep & _match(df, rule.where)
        if rule.kind == "long" and rule.category:
            sel &= ~df[rule.category].str.strip().isin(rule.exclude)
        rows = df.index[sel]
        periods = self._periods(df.loc[rows, "time_period"], rule.period)
        base = pd.DataFrame({
            "indicator": rule.indicator,
            "area": geo.key[rows],
            "period": periods,
            "dimension": ALL,
            "category": ALL,
            "status": "final",
            "row": rows,
        }, index=rows)
        if rule.kind == "wide":
            return self._wide(rule, base, numbers)
        if rule.kind == "rate":
            return self._rate(rule, df, base, geo, numbers)
        value, symbol = numbers.get(str(rule.value))
        out = base.assign(value=value[rows], suppression=symbol[rows])
        if rule.numerator:
            out["numerator"] = numbers.get(rule.numerator)[0][rows]
        if rule.denominator_row and rule.denominator:
            out["denominator"] = self._sibling(rule, df, geo, keep, numbers, rows)
        elif rule.denominator:
            out["denominator"] = numbers.get(rule.denominator)[0][rows]
        if rule.kind == "long" and rule.category:
            out["dimension"] = rule.dimension
            out["category"] = df.loc[rows, rule.category].str.strip()
        return out

    def _periods(self, years: pd.Series, kind: str) -> list[PeriodSpec]:
        cache: dict[str, PeriodSpec] = {}
        for y in years.str.strip().unique():
            cache[y] = parse_year_label(y, kind)[0]
        return [cache[y] for y in years.str.strip()]

    def _sibling(self, rule: Rule, df: pd.DataFrame, geo: _Geography, keep: pd.Series,
                 numbers: _Numbers, rows: pd.Index) -> pd.Series:
        """The denominator read from the matching row named by `denominator_row`."""
        criteria = {**rule.where, **{k: (v,) for k, v in rule.denominator_row.items()}}
        join = ["time_period", *[c for c in rule.where if c not in rule.denominator_row]]
        sib = df.index[keep & _match(df, criteria)]
        den = numbers.get(str(rule.denominator))[0]
        right = pd.DataFrame({"akey": geo.key[sib].astype(str),
                              **{c: df.loc[sib, c].str.strip() for c in join},
                              "den": den[sib]})
        dup = right.duplicated(["akey", *join], keep=False)
        if dup.any():
            raise LoadError([Problem(self.path.name, int(r), None, None,
                                     f"more than one denominator row for {rule.indicator} "
                                     f"({rule.denominator_row}) for this area and year")
                             for r in right.index[dup][:PROBLEM_LIMIT]])
        left = pd.DataFrame({"akey": geo.key[rows].astype(str),
                             **{c: df.loc[rows, c].str.strip() for c in join}}, index=rows)
        merged = left.reset_index().merge(right, on=["akey", *join], how="left")
        return pd.Series(merged["den"].to_numpy(), index=rows)

    def _rate(self, rule: Rule, df: pd.DataFrame, base: pd.DataFrame, geo: _Geography,
              numbers: _Numbers) -> pd.DataFrame:
        offset = self.mapping.population.year_offset if self.mapping.population else 0
        pop = self.population().frame
        count, symbol = numbers.get(str(rule.count))
        rows = base.index
        left = pd.DataFrame({"akey": geo.key[rows].astype(str),
                             "year": df.loc[rows, "time_period"].str.strip().astype(int)
                             + offset}, index=rows)
        merged = left.reset_index().merge(pop, on=["akey", "year"], how="left")
        merged.index = rows
        n, d = count[rows], merged["population"]
        value = n / d * rule.per
        pop_symbol = merged["population_symbol"].where(merged["population_symbol"].notna(),
                                                       None)
        no_pop = d.isna() & merged["population_symbol"].isna()
        # A count with no population row (a release newer than the population file) is kept
        # as "x", not available, rather than refusing the whole file.
        suppression = symbol[rows].where(symbol[rows].notna(),
                                         pop_symbol.where(~no_pop, "x"))
        suppression = suppression.where(value.isna(), None)
        note = pd.Series(None, index=rows, dtype=object)
        note[no_pop & n.notna()] = [f"no population estimate for mid-{y}"
                                   for y in left.loc[no_pop & n.notna(), "year"]]
        return base.assign(value=value, numerator=n, denominator=d,
                           suppression=suppression.astype(object), note=note)

    def _wide(self, rule: Rule, base: pd.DataFrame, numbers: _Numbers) -> pd.DataFrame:
        rows = base.index
        parts = []
        if rule.total:
            value, symbol = numbers.get(rule.total)
            parts.append(base.assign(value=value[rows], suppression=symbol[rows]))
        for col, label in rule.columns.items():
            value, symbol = numbers.get(col)
            parts.append(base.assign(dimension=rule.dimension, category=label,
                                     value=value[rows], suppression=symbol[rows]))
        return pd.concat(parts, ignore_index=True)


# --- loading ---------------------------------------------------------------------------------


def _files(paths: list[Path] | Path) -> list[Path]:
    if isinstance(paths, Path):
        return sorted(paths.glob("*.csv")) if paths.is_dir() else [paths]
    return list(paths)


def _prepare(mapping: EesMapping) -> Callable[[Session], None]:
    def before_write(session: Session) -> None:
        upsert_indicators(session, mapping.indicator_records())
        existing = set(session.scalars(select(Indicator.code)))
        # LAIT-coded indicators are created only if LAIT has not been loaded: LAIT's own
        # metadata, and the catalogue's polarity over it, are never overwritten from here.
        upsert_indicators(session, [r for r in mapping.lait_records()
                                    if r["code"] not in existing])
        apply_catalogue(session)

    return before_write


def load_ees(
    engine: Engine,
    paths: list[Path] | Path,
    *,
    loaded_by: str = "system",
    mapping_path: Path = DEFAULT_MAPPING,
) -> list[LoadResult]:
    """Load EES tidy CSV files, one transaction and one audit row per file.

    Args:
        engine: the store; its areas must be loaded (`reference.load_areas`).
        paths: files, or a folder whose `*.csv` files are all loaded.
        loaded_by: who ran the load, recorded with each file's audit row.
        mapping_path: the declarative mapping (default `data/ees_mapping.toml`).

    Returns:
        One result per loaded file, in order; `skipped` counts rows for combined LAs.

    Raises:
        LoadError: the mapping is invalid, a file matches no mapping rule (then nothing is
            loaded), or a file is refused (files before it stay loaded; it and those after
            it are not).
    """
    mapping = read_mapping(mapping_path)
    files = _files(paths)
    inputs = [p for p in files if mapping.is_population(p.name) and not mapping.specs_for(p.name)]
    todo: list[tuple[Path, FileSpec]] = []
    refused: list[tuple[Path, Problem]] = []
    for path in files:
        if path in inputs:
            continue
        specs = mapping.specs_for(path.name)
        if len(specs) == 1:
            todo.append((path, specs[0]))
        elif not specs:
            refused.append((path, Problem(path.name, None, None, None,
                                          "no mapping rule matches the file: add a [files] "
                                          f"entry to {mapping_path.name} or leave it out")))
        else:
            refused.append((path, Problem(path.name, None, None, None,
                                          "more than one [files] entry matches the file: "
                                          + ", ".join(s.key for s in specs))))
    if refused:
        for path, problem in refused:
            record_failure(engine, KIND, path, file_checksum(path) if path.is_file() else None,
                           loaded_by, [problem])
        raise LoadError([p for _, p in refused])

    cached: dict[str, _Population] = {}

    def population_for(path: Path) -> Callable[[], _Population]:
        def get() -> _Population:
            if mapping.population is None:
                raise LoadError([Problem(path.name, None, None, None,
                                         "a rate rule needs a [population] entry in the mapping")])
            candidates = inputs or sorted(path.parent.glob(mapping.population.pattern))
            if not candidates:
                raise LoadError([Problem(
                    path.name, None, None, None,
                    f"a rate needs the population file ({mapping.population.pattern}) in the "
                    "same folder or among the files loaded")])
            # Several vintages: the last by name covers the most years.
            source = sorted(candidates)[-1]
            if source.name not in cached:
                cached[source.name] = _read_population(source, mapping.population,
                                                       mapping.symbols)
            return cached[source.name]

        return get

    results = []
    prepare = _prepare(mapping)
    for path, spec in todo:
        parser = _FileParser(path, spec, mapping, population_for(path))
        result = run_load(engine, KIND, path, parser.parse, loaded_by=loaded_by,
                          before_write=prepare)
        skipped = sum(parser.skipped.values())
        if skipped:
            _note_skipped(engine, result.load_id, parser.skipped)
        results.append(replace(result, skipped=skipped))
    return results


def _note_skipped(engine: Engine, load_id: int, skipped: Mapping[str, int]) -> None:
    """Say in the audit row which combined-LA rows were left out, and why."""
    with session_scope(engine) as s:
        load = s.get(DataLoad, load_id)
        if load is not None:
            codes = ", ".join(f"{code!r} ({n})" for code, n in sorted(skipped.items()))
            load.message = (f"{sum(skipped.values())} row(s) skipped: figures for local "
                            f"authorities reported together, which cannot be split: {codes}")
