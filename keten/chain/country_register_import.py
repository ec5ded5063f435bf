"""Updating the country register from files downloaded from their publishers.

- Recognition rates from Eurostat's first-instance decisions, ``migr_asydcfsta`` (annual) or
  ``migr_asydcfstq`` (quarterly), as the data browser downloads them in SDMX-CSV (1.0: columns
  ``DATAFLOW, LAST UPDATE, freq, ...``; 2.0: ``STRUCTURE, STRUCTURE_ID, ...``; codes, or
  "code:label" pairs) or in the older tab-separated bulk format (first cell
  ``freq,unit,citizen,sex,age,decision,geo\\TIME_PERIOD``, one column per period, ``:`` for
  missing values, flags after a space). The EU27 total (geo ``EU27_2020``, sex ``T``, age
  ``TOTAL``) per citizenship gives two rates: international protection,
  (GENCONV + SUB_PROT) / TOTAL, and all positive decisions, TOTAL_POS / TOTAL.
- Income from the World Bank: the classification (CLASS.xlsx, its sheet of economies exported
  as CSV: Economy, Code, Region, Income group, Lending category) and GNI per head, Atlas method
  (WDI indicator NY.GNP.PCAP.CD, the API's CSV with its preamble lines).

Nothing is written before the whole register, with the new file in it, reads without fault
(``country_register.load_dir``); the file is then replaced in one step.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from keten.chain import country_register as register
from keten.chain.countries import all_countries, country

EU27 = "EU27_2020"
ANNUAL, QUARTERLY = "migr_asydcfsta", "migr_asydcfstq"
EUROSTAT_URL = "https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table"
WORLD_BANK_SOURCE = (
    "World Bank, country and lending groups (CLASS.xlsx), "
    "https://datahelpdesk.worldbank.org/knowledgebase/articles/906519; "
    "WDI NY.GNP.PCAP.CD (GNI per capita, Atlas method, current US$), "
    "https://data.worldbank.org/indicator/NY.GNP.PCAP.CD"
)
GNI_INDICATOR = "NY.GNP.PCAP.CD"

# Eurostat writes Greece and the United Kingdom as EL and UK, not ISO's GR and GB.
_EUROSTAT_ALPHA_2 = {"EL": "GR", "UK": "GB"}
# Columns of SDMX-CSV that are no dimension of the data.
_NOT_DIMENSIONS = {
    "DATAFLOW",
    "LAST UPDATE",
    "STRUCTURE",
    "STRUCTURE_ID",
    "STRUCTURE_NAME",
    "ACTION",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
    "CONF_STATUS",
}
_OLD_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")

INCOME_GROUP_IDS = {
    "High income": "high",
    "Upper middle income": "upper_middle",
    "Lower middle income": "lower_middle",
    "Low income": "low",
    "": "",
}


class DownloadError(ValueError):
    """A downloaded file that cannot be used: says why, in Dutch and English."""

    def __init__(self, en: str, nl: str) -> None:
        self.en, self.nl = en, nl
        super().__init__(f"{nl} / {en}")


# -- Eurostat ------------------------------------------------------------------------------------


@dataclass
class EurostatFile:
    """The EU27 totals of a download: (citizen, period) -> decision -> count (None: missing)."""

    values: dict[tuple[str, str], dict[str, int | None]]
    frequencies: set[str]
    dataflow: str | None  # "migr_asydcfsta" when the file names it
    last_update: date | None
    rows_read: int


def _period(raw: str) -> str:
    raw = raw.strip()
    old = _OLD_QUARTER.match(raw)
    return f"{old.group(1)}-Q{old.group(2)}" if old else raw


def _count(raw: str) -> int | None:
    """An observation: a number, perhaps with flags after a space; ':' or empty is missing."""
    raw = raw.strip()
    if not raw or raw.startswith(":"):
        return None
    token = raw.split()[0]
    try:
        return int(Decimal(token))
    except ArithmeticError:
        raise DownloadError(f"{raw!r} is not a count", f"{raw!r} is geen aantal") from None


def _code(raw: str) -> str:
    """A dimension value as a code: "EU27_2020:European Union - 27 countries" -> "EU27_2020"."""
    return raw.split(":", 1)[0].strip()


def _dataflow(raw: str) -> str | None:
    match = re.search(r"(MIGR_ASYDCFST[AQ])", raw.upper())
    return match.group(1).lower() if match else None


def _last_update(raw: str) -> date | None:
    raw = raw.strip()
    for fmt in ("%d/%m/%y %H:%M:%S", "%d/%m/%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw[: len(datetime(2000, 1, 1).strftime(fmt))], fmt).date()
        except ValueError:
            continue
    return None


def _keep(dims: dict[str, str]) -> bool:
    """The EU27 total over sex and age, in persons."""
    wanted = {"geo": EU27, "sex": "T", "age": "TOTAL", "unit": "PER"}
    return all(dims.get(k, v) == v for k, v in wanted.items())


def read_eurostat(text: str) -> EurostatFile:
    """Read a Eurostat download of migr_asydcfsta or migr_asydcfstq in either format."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    if "\t" in first and "\\" in first.split("\t", 1)[0]:
        return _read_tsv(text)
    return _read_sdmx_csv(text, ";" if first.count(";") > first.count(",") else ",")


def _collect(
    out: dict[tuple[str, str], dict[str, int | None]],
    dims: dict[str, str],
    period: str,
    v: int | None,
) -> None:
    if "citizen" not in dims or "decision" not in dims:
        raise DownloadError(
            "the file has no citizen or decision dimension: not migr_asydcfsta/migr_asydcfstq",
            "het bestand heeft geen dimensie citizen of decision: geen migr_asydcfsta/-stq",
        )
    out[dims["citizen"], period][dims["decision"]] = v


def _read_tsv(text: str) -> EurostatFile:
    lines = [line for line in text.splitlines() if line.strip()]
    head = lines[0].split("\t")
    names = [n.strip() for n in head[0].split("\\", 1)[0].split(",")]
    periods = [_period(p) for p in head[1:]]
    values: dict[tuple[str, str], dict[str, int | None]] = defaultdict(dict)
    freqs: set[str] = set()
    for line in lines[1:]:
        cells = line.split("\t")
        dims = dict(zip(names, (c.strip() for c in cells[0].split(",")), strict=False))
        if not _keep(dims):
            continue
        freqs.add(dims.get("freq", ""))
        for period, cell in zip(periods, cells[1:], strict=False):
            _collect(values, dims, period, _count(cell))
    return EurostatFile(dict(values), freqs, None, None, len(lines) - 1)


def _read_sdmx_csv(text: str, delimiter: str) -> EurostatFile:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = reader.fieldnames or []
    if "TIME_PERIOD" not in fields or "OBS_VALUE" not in fields:
        raise DownloadError(
            "neither SDMX-CSV (TIME_PERIOD, OBS_VALUE) nor Eurostat's tab-separated format",
            "geen SDMX-CSV (TIME_PERIOD, OBS_VALUE) en ook niet Eurostats tabgescheiden formaat",
        )
    dimensions = [f for f in fields if f not in _NOT_DIMENSIONS]
    values: dict[tuple[str, str], dict[str, int | None]] = defaultdict(dict)
    freqs: set[str] = set()
    dataflow: str | None = None
    updated: date | None = None
    count = 0
    for raw in reader:
        count += 1
        dims = {d: _code(raw[d] or "") for d in dimensions}
        flow = raw.get("DATAFLOW") or raw.get("STRUCTURE_ID") or ""
        dataflow = dataflow or _dataflow(flow)
        stamp = _last_update(raw.get("LAST UPDATE") or "")
        if stamp is not None and (updated is None or stamp > updated):
            updated = stamp
        if not _keep(dims):
            continue
        freqs.add(dims.get("freq", ""))
        _collect(
            values, dims, _period(_code(raw["TIME_PERIOD"] or "")), _count(raw["OBS_VALUE"] or "")
        )
    return EurostatFile(dict(values), freqs, dataflow, updated, count)


def _alpha_3_of() -> dict[str, str]:
    table = {c.alpha_2: c.alpha_3 for c in all_countries() if c.alpha_2}
    for eurostat, iso in _EUROSTAT_ALPHA_2.items():
        table[eurostat] = table[iso]
    return table


def _percent(granted: int, decisions: int) -> str:
    exact = Decimal(granted * 100) / Decimal(decisions)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class RatesImport:
    """What an import of rates makes of a download: the register's rows and what was left out."""

    rows: list[dict[str, str]]
    dataset: str
    published: date
    skipped_codes: dict[str, int] = field(default_factory=dict)  # aggregates, STLS, UNK ...
    without_decisions: int = 0  # no TOTAL, or 0 decisions: no rate


def rate_rows(
    download: EurostatFile,
    *,
    file_name: str,
    published: date | None = None,
    dataset: str | None = None,
    source: str | None = None,
) -> RatesImport:
    """The register's rows for a download: per citizenship and period, the rate on each basis
    whose counts are all present (TOTAL above 0)."""
    if not download.values:
        raise DownloadError(
            f"no rows for geo {EU27}, sex T, age TOTAL in {file_name}",
            f"geen rijen voor geo {EU27}, sex T, age TOTAL in {file_name}",
        )
    frequencies = download.frequencies - {""}
    if len(frequencies) > 1:
        raise DownloadError(
            f"{file_name} mixes frequencies {sorted(frequencies)}: import them one at a time",
            f"{file_name} mengt frequenties {sorted(frequencies)}: importeer ze afzonderlijk",
        )
    code = download.dataflow or (QUARTERLY if frequencies == {"Q"} else ANNUAL)
    day = published or download.last_update
    if day is None:
        raise DownloadError(
            "the file does not say when it was updated: give --published DAY",
            "het bestand zegt niet wanneer het is bijgewerkt: geef --published DAG",
        )
    name = dataset or f"Eurostat {code}"
    cite = source or (
        f"Eurostat {code} (first instance decisions, geo {EU27}, sex T, age TOTAL), "
        + EUROSTAT_URL.format(code=code)
    )
    note = (
        f"Computed by keten countries import-rates from {file_name}: "
        "(GENCONV+SUB_PROT)/TOTAL or TOTAL_POS/TOTAL"
    )
    note_nl = (
        f"Berekend door keten countries import-rates uit {file_name}: "
        "(GENCONV+SUB_PROT)/TOTAL of TOTAL_POS/TOTAL"
    )
    alpha_3 = _alpha_3_of()
    out = RatesImport([], name, day)
    for (citizen, period), counts in sorted(download.values.items()):
        nationality = alpha_3.get(citizen)
        if nationality is None:
            out.skipped_codes[citizen] = out.skipped_codes.get(citizen, 0) + 1
            continue
        total = counts.get("TOTAL")
        if not total:
            out.without_decisions += 1
            continue
        genconv, sub_prot, positive = (
            counts.get("GENCONV"),
            counts.get("SUB_PROT"),
            counts.get("TOTAL_POS"),
        )
        bases: list[tuple[str, int]] = []
        if genconv is not None and sub_prot is not None:
            bases.append(("international_protection", genconv + sub_prot))
        if positive is not None:
            bases.append(("all_positive", positive))
        for basis, granted in bases:
            out.rows.append(
                {
                    "nationality": nationality,
                    "period": period,
                    "rate_percent": _percent(granted, total),
                    "decisions": str(total),
                    "granted": str(granted),
                    "basis": basis,
                    "published": day.isoformat(),
                    "dataset": name,
                    "source": cite,
                    "verified": "true",
                    "note": note,
                    "note_nl": note_nl,
                }
            )
    return out


# -- merging and writing -------------------------------------------------------------------------


@dataclass
class Merge:
    rows: list[dict[str, str]]
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept: int = 0  # rows of the register the download does not touch
    removed: int = 0  # rows replaced as a whole (an income edition imported again)
    closed: list[str] = field(default_factory=list)  # editions given a last day


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def merge_rates(existing: list[dict[str, str]], new: Iterable[dict[str, str]]) -> Merge:
    """New figures replace the row for the same nationality, period and basis when a count or
    the rate differs (a revision: published anew); an unchanged figure keeps its row, and with
    it the day it was first published. Sorted by nationality, basis and period."""

    def key(row: dict[str, str]) -> tuple[str, str, str]:
        return row["nationality"], row["period"], row["basis"]

    held = {key(r): r for r in existing}
    merge = Merge([])
    incoming: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in new:
        old = held.get(key(row))
        same = old is not None and all(
            old[c] == row[c] for c in ("rate_percent", "decisions", "granted")
        )
        if old is None:
            merge.added += 1
        elif same:
            merge.unchanged += 1
        else:
            merge.changed += 1
        incoming[key(row)] = old if same and old is not None else row
    merge.kept = sum(1 for k in held if k not in incoming)
    merged = {**held, **incoming}
    merge.rows = [merged[k] for k in sorted(merged, key=lambda k: (k[0], k[2], k[1]))]
    return merge


def write_file(directory: Path, file: str, rows: list[dict[str, str]]) -> None:
    """Write one register file after the whole register, with it, has been read without fault;
    refuses (``RegisterError``) and leaves the directory as it was otherwise."""
    columns = register.COLUMNS[file]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
    with tempfile.TemporaryDirectory(prefix="keten-register-") as scratch:
        trial = Path(scratch)
        for name in register.FILES:
            if name != file and (directory / name).is_file():
                shutil.copyfile(directory / name, trial / name)
        (trial / file).write_text(buffer.getvalue(), encoding="utf-8")
        register.load_dir(trial)
    staged = directory / f".{file}.new"
    staged.write_text(buffer.getvalue(), encoding="utf-8")
    staged.replace(directory / file)
    register.clear_cache()


# -- World Bank ----------------------------------------------------------------------------------


@dataclass
class Classification:
    groups: dict[str, str]  # alpha-3 -> income group id ("" not classified)
    skipped_codes: list[str]  # economies with no ISO alpha-3 code here (CHI: Channel Islands)


def read_class(text: str) -> Classification:
    """The economies of CLASS.xlsx (exported as CSV); aggregates (no region) are not read."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    needed = {"Economy", "Code", "Region", "Income group"}
    if not needed <= set(reader.fieldnames or []):
        raise DownloadError(
            f"the classification needs the columns {sorted(needed)}",
            f"de indeling heeft de kolommen {sorted(needed)} nodig",
        )
    out = Classification({}, [])
    for row in reader:
        code = (row["Code"] or "").strip()
        if not code or not (row["Region"] or "").strip():
            continue  # a region or income aggregate, or an empty line
        label = (row["Income group"] or "").strip()
        if label not in INCOME_GROUP_IDS:
            raise DownloadError(
                f"{code}: unknown income group {label!r}",
                f"{code}: onbekende inkomensgroep {label!r}",
            )
        named = country(code)
        if named is None or named.alpha_2 is None:
            out.skipped_codes.append(code)
            continue
        out.groups[code] = INCOME_GROUP_IDS[label]
    return out


@dataclass
class Indicator:
    values: dict[str, int | None]  # alpha-3 -> value in the year asked for
    last_updated: str


def read_wdi(text: str, year: int) -> Indicator:
    """GNI per head in ``year`` from the WDI API's CSV (preamble lines, then Country Name,
    Country Code, Indicator Name, Indicator Code and one column per year)."""
    lines = text.lstrip("\ufeff").splitlines()
    updated = ""
    start = None
    for i, line in enumerate(lines):
        cells = next(csv.reader([line]), [])
        if cells and cells[0] == "Last Updated Date" and len(cells) > 1:
            updated = cells[1]
        if cells and cells[0] == "Country Name":
            start = i
            break
    if start is None:
        raise DownloadError(
            "no header line starting with Country Name: not a WDI download",
            "geen kopregel die met Country Name begint: geen WDI-download",
        )
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    if str(year) not in (reader.fieldnames or []):
        raise DownloadError(f"no column for {year}", f"geen kolom voor {year}")
    out = Indicator({}, updated)
    for row in reader:
        if (row.get("Indicator Code") or "") != GNI_INDICATOR:
            raise DownloadError(
                f"{row.get('Country Code')}: indicator {row.get('Indicator Code')!r}, "
                f"not {GNI_INDICATOR}",
                f"{row.get('Country Code')}: indicator {row.get('Indicator Code')!r}, "
                f"niet {GNI_INDICATOR}",
            )
        raw = (row.get(str(year)) or "").strip()
        value = int(Decimal(raw).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if raw else None
        out.values[row["Country Code"]] = value
    return out


def income_rows(
    classification: Classification,
    indicator: Indicator,
    *,
    edition: str,
    valid_from: date,
    data_year: int,
    files: tuple[str, str],
    source: str | None = None,
) -> list[dict[str, str]]:
    """One row per classified economy with an ISO code, with its GNI per head where the WDI
    file has one."""
    note = (
        f"Imported by keten countries import-income from {files[0]} and {files[1]} "
        f"(WDI last updated {indicator.last_updated or 'unknown'})"
    )
    note_nl = (
        f"Ingelezen door keten countries import-income uit {files[0]} en {files[1]} "
        f"(WDI bijgewerkt {indicator.last_updated or 'onbekend'})"
    )
    rows = []
    for code, group in sorted(classification.groups.items()):
        gni = indicator.values.get(code)
        rows.append(
            {
                "country": code,
                "edition": edition,
                "valid_from": valid_from.isoformat(),
                "valid_to": "",
                "income_group": group,
                "gni_per_capita_usd": "" if gni is None else str(gni),
                "data_year": "" if gni is None else str(data_year),
                "source": source or WORLD_BANK_SOURCE,
                "verified": "true",
                "note": note,
                "note_nl": note_nl,
            }
        )
    return rows


def merge_income(
    existing: list[dict[str, str]], new: list[dict[str, str]], edition: str, valid_from: date
) -> Merge:
    """The edition's rows replace any it had; an earlier edition still open (or running past
    the new one's first day) ends the day before. Sorted by first day and country."""
    before = (valid_from - timedelta(days=1)).isoformat()
    merge = Merge([])
    kept: list[dict[str, str]] = []
    for row in existing:
        if row["edition"] == edition:
            merge.removed += 1
            continue
        if row["valid_from"] < valid_from.isoformat() and (
            not row["valid_to"] or row["valid_to"] >= valid_from.isoformat()
        ):
            row = {**row, "valid_to": before}
            if row["edition"] not in merge.closed:
                merge.closed.append(row["edition"])
        kept.append(row)
    merge.kept = len(kept)
    merge.added = len(new)
    merge.rows = sorted([*kept, *new], key=lambda r: (r["valid_from"], r["country"]))
    return merge
