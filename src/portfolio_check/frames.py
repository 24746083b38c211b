"""The scan as pandas DataFrames, for notebooks and for tutors' own analysis."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from .report.matrix import matrix_rows
from .report.words import reason_words

if TYPE_CHECKING:
    import pandas as pd

    from .models import GatewayReport as ApprenticeReport
    from .standards import Standard
    from .store import DecisionState
    from .tagging.calibration import ThresholdChoice


MATRIX_COLUMNS = ["apprentice", "ksb", "method", "file", "status", "status_words", "counts", "score", "accepted",
                  "quote", "location", "note", "decided_by", "decided_at"]


@dataclass
class CohortReport:
    """Everything a scan found, reached through :class:`~portfolio_check.api.Workbench.scan`."""

    standard: "Standard"
    as_of: str | None
    apprentices: "list[ApprenticeReport]" = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    decisions: "Mapping[tuple[str, str], DecisionState]" = field(default_factory=dict, repr=False)
    # The acceptance bar learned from the cohort's decisions; None unless it learns from them.
    learning: "ThresholdChoice | None" = None
    # Without learning: the bar the decisions would set (None when there are none to read).
    learning_hint: "ThresholdChoice | None" = None
    # What --select/--ignore or settings.yaml left out ("" when every rule ran): said in every report.
    rules_left_out: str = ""

    def apprentice(self, apprentice_id: str) -> "ApprenticeReport":
        for a in self.apprentices:
            if a.id == apprentice_id:
                return a
        raise KeyError(f"no apprentice {apprentice_id!r} in this scan")

    @property
    def verdicts(self) -> "pd.DataFrame":
        """One row per apprentice: verdict, reasons and counts."""
        import pandas as pd
        return pd.DataFrame([{"id": a.id, "name": a.name, "readiness": a.readiness.value,
                              "gateway_ready": a.gateway_ready, "pending": " ".join(a.pending),
                              "reasons": "; ".join(a.reasons), "pieces": a.pieces or len(a.evidence),
                              "months_on_programme": a.months_on_programme,
                              "why_not": "; ".join(reason_words(r) for r in a.reasons)} for a in self.apprentices],
                            columns=["id", "name", "readiness", "gateway_ready", "pending", "reasons", "pieces",
                                     "months_on_programme", "why_not"])

    @property
    def findings(self) -> "pd.DataFrame":
        """One row per finding, across the cohort."""
        import pandas as pd
        return pd.DataFrame([{"apprentice": a.id, "file": f.file, "code": f.code, "severity": f.severity.value,
                              "message": f.message} for a in self.apprentices for f in a.findings],
                            columns=["apprentice", "file", "code", "severity", "message"])

    @property
    def matrix(self) -> "pd.DataFrame":
        """The KSB x evidence referencing matrix, one row per (apprentice, KSB, piece) link, with
        its status in words (confirmed / added / rejected by the tutor, suggested, weak match)."""
        import pandas as pd
        rows = [r.to_dict() for a in self.apprentices for r in matrix_rows(a, self.standard, self.decisions)]
        return pd.DataFrame(rows, columns=MATRIX_COLUMNS)

    @property
    def coverage(self) -> "pd.DataFrame":
        """Apprentices x portfolio KSBs: how many pieces evidence each (0 = a gap)."""
        import pandas as pd
        codes = list(self.standard.portfolio_ksbs)
        data = {a.id: [len(a.coverage.get(k, ())) for k in codes] for a in self.apprentices}
        return pd.DataFrame.from_dict(data, orient="index", columns=codes)

    def plot_coverage(self):
        """A heatmap of apprentices x portfolio KSBs (matplotlib figure)."""
        from .plots import coverage_heatmap
        return coverage_heatmap(self)

    def _repr_html_(self) -> str:
        return self.verdicts.to_html(index=False)
