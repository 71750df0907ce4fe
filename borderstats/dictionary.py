"""The data dictionary: every table and field, its type, unit, allowed values and meaning.

It drives the schema checks in :mod:`borderstats.tables`, the ``datapackage.json`` written next to
the tables, and the field reference in the docs (:func:`markdown`). Column names carry meaning:
``_id`` identifiers, ``_date`` dates, ``_at`` timestamps, ``is_`` booleans, ``_en`` English names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TABLES", "Field", "Table", "datapackage", "markdown"]

ROLES = [
    "party_secretary",
    "deputy_party_secretary",
    "chairman",
    "vice_chairman",
    "council_chairman",
    "department_director",
    "deputy_department_director",
    "consul_general",
    "ambassador",
    "minister",
    "deputy_minister",
    "other",
]
EVENT_TYPES = ["talks", "meeting", "conference", "visit", "signing", "other"]
TOPICS = [
    "agriculture",
    "trade",
    "border_gates",
    "infrastructure",
    "tourism",
    "education",
    "health",
    "security",
    "culture",
    "investment",
    "science_technology",
    "party_relations",
    "environment",
]
COMMODITIES = [
    "tea",
    "macadamia",
    "ginseng",
    "cinnamon",
    "rubber",
    "cardamom",
    "amomum",
    "sugarcane",
    "cassava",
    "banana",
    "rice",
    "coffee",
    "fruit",
    "medicinal_herbs",
    "durian",
    "dragon_fruit",
    "other",
]
MEASURES = [
    "trade_total",
    "export",
    "import",
    "local_export",
    "grdp_growth",
    "gdp_per_capita",
    "budget_revenue",
    "border_length",
    "visitors",
    "investment",
    "other",
]
UNITS = ["USD", "VND", "CNY", "%", "km", "persons", "tonnes", "vehicles"]
SIDES = ["VN", "CN"]


@dataclass(frozen=True)
class Field:
    """One column: ``type`` is a Frictionless Table Schema type (``list`` = list of strings)."""

    name: str
    type: str
    description: str
    unit: str | None = None
    allowed: list[str] | None = None
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    key: list[str]
    fields: list[Field] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


_EVIDENCE = [
    Field("evidence", "string", "The sentence of the cleaned article the fact comes from.", required=True),
    Field(
        "evidence_start",
        "integer",
        "Start of that sentence in the decoded, NFC-normalised source file.",
        unit="characters",
    ),
    Field("evidence_end", "integer", "End (exclusive) of that sentence in the source.", unit="characters"),
    Field("span_start", "integer", "Start of the matched phrase in the source.", unit="characters"),
    Field("span_end", "integer", "End (exclusive) of the matched phrase in the source.", unit="characters"),
]
_AID = Field(
    "article_id", "string", "Article identifier: SHA-256 of the cleaned text, first 16 hex digits.", required=True
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "articles",
            "One row per article file that was read and cleaned (relevant or not).",
            ["article_id"],
            [
                _AID,
                Field("source", "string", "Path of the file as given under the build's source folders.", required=True),
                Field("title", "string", "The article's title (accented Vietnamese)."),
                Field("date_line", "string", "The article's own date line, as printed."),
                Field(
                    "published_at",
                    "datetime",
                    "Publication time from the date line (local time, UTC+7); midnight when only a date is given.",
                ),
                Field("published_has_time", "boolean", "True when the date line gives a time of day."),
                Field(
                    "event_date",
                    "date",
                    "Date of the main event (first day of a multi-day event); null when the year is unknown.",
                ),
                Field("event_type", "string", "Type of the main event; null for overview pieces.", allowed=EVENT_TYPES),
                Field("is_online", "boolean", "The event was held online."),
                Field("location_en", "string", "City or province where the event was held (ASCII English name)."),
                Field(
                    "is_relevant",
                    "boolean",
                    "The article is about Vietnam–China subnational cooperation.",
                    required=True,
                ),
                Field("level", "string", "Highest role among the named participants.", allowed=ROLES),
                Field("event_id", "string", "Identifier of the event; articles about the same meeting share it."),
                Field("encoding", "string", "Detected encoding of the file (utf-8, utf-8-sig, cp1258…)."),
                Field("n_words", "integer", "Words in the cleaned body.", unit="words"),
                Field("n_removed_blocks", "integer", "Page-furniture blocks removed by cleaning.", unit="blocks"),
                Field("event_date_evidence", "string", "The phrase the event date was read from."),
                Field(
                    "portal", "string", "Folder the article came from (first path component under the source folder)."
                ),
            ],
        ),
        Table(
            "events",
            "One row per event_id: the meeting or ceremony, with the articles that report it.",
            ["event_id"],
            [
                Field("event_id", "string", "Event identifier (hash of date and parties).", required=True),
                Field("event_date", "date", "Date of the event."),
                Field("event_type", "string", "Type of the event.", allowed=EVENT_TYPES),
                Field("location_en", "string", "Where it was held."),
                Field("is_online", "boolean", "Held online."),
                Field("level", "string", "Highest role among the participants of all its articles.", allowed=ROLES),
                Field("vn_units", "list", "ISO 3166-2:VN codes of the Vietnamese provinces taking part."),
                Field("cn_units", "list", "Chinese units taking part (English names)."),
                Field("n_articles", "integer", "Articles reporting the event.", unit="articles"),
                Field("article_ids", "list", "The articles reporting it."),
            ],
        ),
        Table(
            "parties",
            "Vietnamese provinces and Chinese units taking part in each article's main event.",
            ["article_id", "side", "unit_id"],
            [
                _AID,
                Field("side", "string", "VN or CN.", allowed=SIDES, required=True),
                Field(
                    "unit_id",
                    "string",
                    "ISO 3166-2:VN code (post-2025 code for events from 2025-07-01) or Chinese unit slug.",
                    required=True,
                ),
                Field("unit_name", "string", "Accented Vietnamese name (Sino-Vietnamese for Chinese units)."),
                Field("unit_name_en", "string", "English / pinyin name."),
                Field(
                    "unit_level",
                    "string",
                    "province, prefecture, county, district or town.",
                    allowed=["province", "prefecture", "county", "district", "town"],
                ),
                *_EVIDENCE,
            ],
        ),
        Table(
            "participants",
            "Named officials taking part, with side, role and unit.",
            ["article_id", "person_name"],
            [
                _AID,
                Field("person_name", "string", "Name as written (accented).", required=True),
                Field(
                    "person_slug",
                    "string",
                    "ASCII slug of the name (for joins and file names), beside the accented name.",
                ),
                Field("side", "string", "VN or CN.", allowed=SIDES),
                Field("role", "string", "Role by the annotation convention.", allowed=ROLES),
                Field(
                    "unit_id",
                    "string",
                    "Unit the person represents: ISO code, Chinese unit slug, or VN/CN for national officials.",
                ),
                *_EVIDENCE,
            ],
        ),
        Table(
            "gate_mentions",
            "Border gates and crossings named in the article (a VN–CN pair is one gate).",
            ["article_id", "gate_id"],
            [
                _AID,
                Field("gate_id", "string", "Slug of the Vietnamese-side name.", required=True),
                Field("gate_name", "string", "Vietnamese-side name."),
                Field("cn_gate_name", "string", "Chinese-side counterpart (Sino-Vietnamese)."),
                *_EVIDENCE,
            ],
        ),
        Table(
            "route_mentions",
            "Corridors, railways, expressways and bridges named with their waypoints.",
            ["article_id", "route_id"],
            [
                _AID,
                Field("route_id", "string", "Waypoints joined by hyphens (lower case).", required=True),
                Field("route_kind", "string", "The route word (hanh lang kinh te, cao toc, duong sat…), ASCII."),
                Field("waypoints_en", "list", "Waypoints in order, ASCII English names."),
                *_EVIDENCE,
            ],
        ),
        Table(
            "topics",
            "Themes the article discusses.",
            ["article_id", "topic"],
            [
                _AID,
                Field("topic", "string", "Theme.", allowed=TOPICS, required=True),
                Field("keyword", "string", "First keyword that matched."),
                Field("n_hits", "integer", "Keyword hits in the body.", unit="hits"),
                *_EVIDENCE,
            ],
        ),
        Table(
            "commodities",
            "Commodities the article names.",
            ["article_id", "commodity"],
            [
                _AID,
                Field("commodity", "string", "Commodity.", allowed=COMMODITIES, required=True),
                Field("keyword", "string", "First keyword that matched."),
                Field("n_hits", "integer", "Keyword hits in the body.", unit="hits"),
                *_EVIDENCE,
            ],
        ),
        Table(
            "figures",
            "Quantitative facts in base units, with period and subject.",
            ["article_id", "figure_no"],
            [
                _AID,
                Field("figure_no", "integer", "Order of the figure in the article.", required=True),
                Field("measure", "string", "What is measured.", allowed=MEASURES, required=True),
                Field(
                    "value",
                    "number",
                    "Value in base units (27,47 triệu USD → 27470000); change rates in percent.",
                    required=True,
                ),
                Field("unit", "string", "Unit of value.", allowed=UNITS, required=True),
                Field(
                    "period", "string", "Reporting period: 2022, 2023-H1, 2023-Q3, 2023-01/2023-10; null if not stated."
                ),
                Field("of", "string", "ISO code or Chinese unit the figure describes, or VN-CN for bilateral totals."),
                Field("raw_text", "string", "The number and unit as printed."),
                *_EVIDENCE,
            ],
        ),
        Table(
            "rejected",
            "Files that could not become articles, with the reason.",
            ["source"],
            [
                Field("source", "string", "Path of the file as given.", required=True),
                Field(
                    "reason",
                    "string",
                    "Short code.",
                    required=True,
                    allowed=[
                        "empty",
                        "blank",
                        "binary",
                        "undecodable",
                        "mojibake",
                        "too_large",
                        "no_structure",
                        "truncated_html",
                        "no_article_text",
                        "unsupported_type",
                        "unreadable",
                        "vanished",
                        "changed",
                        "duplicate",
                        "extract_error",
                    ],
                ),
                Field("detail", "string", "What is wrong, in a sentence.", required=True),
            ],
        ),
    ]
}


def datapackage(name: str = "borderstats", resources_format: str = "parquet") -> dict:
    """A Frictionless ``datapackage.json`` descriptor of the tables."""
    res = []
    for t in TABLES.values():
        fields = []
        for f in t.fields:
            d: dict = {"name": f.name, "type": "array" if f.type == "list" else f.type, "description": f.description}
            if f.unit:
                d["unit"] = f.unit
            cons = {}
            if f.allowed:
                cons["enum"] = f.allowed
            if f.required:
                cons["required"] = True
            if cons:
                d["constraints"] = cons
            fields.append(d)
        res.append(
            {
                "name": t.name,
                "path": f"{t.name}.{resources_format}",
                "format": resources_format,
                "description": t.description,
                "schema": {"fields": fields, "primaryKey": t.key},
            }
        )
    return {"name": name, "profile": "tabular-data-package", "resources": res}


def markdown() -> str:
    """The data dictionary as Markdown (for the docs)."""
    lines = ["# Data dictionary", ""]
    for t in TABLES.values():
        lines += [
            f"## `{t.name}`",
            "",
            t.description,
            "",
            f"Key: `{', '.join(t.key)}`",
            "",
            "| field | type | unit | allowed | description |",
            "|---|---|---|---|---|",
        ]
        for f in t.fields:
            allowed = ", ".join(f.allowed) if f.allowed else ""
            lines.append(f"| `{f.name}` | {f.type} | {f.unit or ''} | {allowed} | {f.description} |")
        lines.append("")
    return "\n".join(lines)
