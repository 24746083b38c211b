"""The cohort dashboard uses the scan's three states: 'ready pending review' is never shown as 'ready'."""
import re
import shutil

import pytest

pytest.importorskip("ipywidgets")

from portfolio_check import Workbench  # noqa: E402


def test_cohort_view_says_ready_pending_review(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    wb = Workbench(cohort=cohort, jobs=1)
    view = wb.cohort_view()
    html = "".join(getattr(c, "value", "") for c in view.children)
    row = re.search(r"<tr><th>apr-001</th>.*?</tr>", html).group(0)
    assert row.endswith("<td>ready pending review</td></tr>")
    assert "1 of 2 ready for gateway (1 pending review" in html
    assert "1 pending review" in view.placeholder
