"""PC510 reads the standard's gateway.observation.requires and recognises the usual form labels
("Observer role:", "Observer signature:")."""
from pathlib import Path

from own_standard_cohort import hospitality_cohort

from portfolio_check import Workbench

HERE = Path(__file__).parent / "own_standard"

COMPLETE = """OBSERVATION RECORD

Apprentice: Jamie Okafor
Observer name: Daniel Price
Observer role: Training coach, North Coast Training
Date of observation: 12 September 2025

Jamie briefed the team before service and allocated sections. Jamie checked the fridge
temperatures and moved the contents of a warm fridge to the walk-in.

Observer signature: D. Price
Date: 12 September 2025
"""

DATE_ONLY = """OBSERVATION RECORD

Apprentice: Jamie Okafor
Date of observation: 12 September 2025

Jamie briefed the team before service and allocated sections. Jamie checked the fridge
temperatures and moved the contents of a warm fridge to the walk-in.
"""


def _scan(tmp_path: Path, record: str, requires: str | None) -> list:
    std = tmp_path / "standards"
    std.mkdir()
    text = (HERE / "HOSP-SUP-L3.yaml").read_text(encoding="utf-8")
    if requires is not None:
        text = text.replace("requires: [observer, date, observer_role]", f"requires: {requires}")
    (std / "HOSP-SUP-L3.yaml").write_text(text, encoding="utf-8")
    cohort = hospitality_cohort(tmp_path, {"observation_record_friday_service.txt": record})
    scan = Workbench(standards_dir=std).scan(cohort, jobs=1, cache=False)
    return [f for a in scan.apprentices for f in a.findings if f.code == "PC510"]


def test_observer_role_and_signature_labels_are_read(tmp_path):
    assert _scan(tmp_path, COMPLETE, None) == []


def test_the_standards_observation_requires_is_applied(tmp_path):
    assert _scan(tmp_path, DATE_ONLY, "[date]") == []


def test_a_missing_required_part_is_still_reported(tmp_path):
    found = _scan(tmp_path, DATE_ONLY, "[observer, date]")
    assert len(found) == 1 and "observer's name" in found[0].message and "role" not in found[0].message
