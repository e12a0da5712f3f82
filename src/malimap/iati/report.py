"""What an IATI import adds (package rows by table) and its report: one line per activity, imported, flagged or skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from malimap.iati.places import Placed


@dataclass
class Outcome:
    """One activity's line in the report: `flags` are (code, text) pairs, the code for counting, the text for reading."""

    file: str
    position: int
    identifier: str
    title: str
    outcome: str = "imported"  # imported, flagged (imported, with what to check) or skipped
    flags: list[tuple[str, str]] = field(default_factory=list)
    places: str = ""
    intervention_id: str = ""

    def flag(self, code: str, text: str) -> None:
        self.flags.append((code, text))
        if self.outcome == "imported":
            self.outcome = "flagged"


@dataclass
class Built:
    """What an import adds: package rows by table, and the report."""

    interventions: list[dict] = field(default_factory=list)
    participations: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)
    finances: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    report: list[Outcome] = field(default_factory=list)
    placed: list[list[Placed]] = field(default_factory=list)

    def report_frame(self) -> pd.DataFrame:
        rows = [
            {
                "file": o.file,
                "position": o.position,
                "identifier": o.identifier,
                "title": o.title,
                "outcome": o.outcome,
                "codes": ";".join(dict.fromkeys(c for c, _ in o.flags)),
                "reasons": " | ".join(t for _, t in o.flags),
                "places": o.places,
                "intervention_id": o.intervention_id,
            }
            for o in self.report
        ]
        cols = ["file", "position", "identifier", "title", "outcome", "codes", "reasons", "places", "intervention_id"]
        return pd.DataFrame(rows, columns=cols)
