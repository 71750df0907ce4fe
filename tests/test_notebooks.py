"""The curated notebooks: committed without outputs, and each runs against the dev-corpus tables."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_four_notebooks():
    assert [p.stem for p in NOTEBOOKS] == ["00_overview", "01_meeting_frequency", "02_topic_themes", "03_trade_figures"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, f"{path.name} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_every_chart_has_data(path: Path, dev_build, monkeypatch):
    _, out = dev_build
    monkeypatch.setenv("BORDERSTATS_TABLES", str(out))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    n_figs = 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error"
            data = o.get("data", {})
            if "application/vnd.plotly.v1+json" in data or "plotly" in str(data.get("text/html", ""))[:20000]:
                n_figs += 1
                assert "no data" not in json.dumps(data.get("application/vnd.plotly.v1+json", {}))
    assert n_figs or path.stem == "00_overview", f"{path.name} drew no chart"
    assert os.environ.get("BORDERSTATS_TABLES") == str(out)
