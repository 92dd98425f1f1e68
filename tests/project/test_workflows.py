"""The GitHub workflows are valid and call only what the repository has.

They cannot run here (no GitHub), so these tests check what can go stale: the YAML parses,
every `make <target>` a workflow runs is a target of the Makefile, every script it runs
exists, and the publishing workflow uploads the folder the book is built into.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def make_targets() -> set:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, flags=re.M))


def run_lines(workflow: dict):
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if "run" in step:
                yield from step["run"].splitlines()


def test_there_are_ci_pages_and_weekly_workflows():
    assert {p.stem for p in WORKFLOWS} >= {"ci", "pages", "weekly"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.stem for p in WORKFLOWS])
def test_workflow_calls_only_existing_make_targets_and_scripts(path):
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "jobs" in wf and wf["jobs"], f"{path.name}: no jobs"
    targets = make_targets()
    for line in run_lines(wf):
        for target in re.findall(r"\bmake ([a-z][\w-]*)", line):
            assert target in targets, f"{path.name} runs `make {target}`, which the Makefile does not define"
        for script in re.findall(r"(?:bash |^\s*)(\.ci/[\w.-]+)", line):
            assert (ROOT / script).is_file(), f"{path.name} runs {script}, which does not exist"


def test_weekly_workflow_runs_on_a_schedule_with_pinned_and_latest_versions():
    wf = yaml.safe_load((ROOT / ".github/workflows/weekly.yml").read_text(encoding="utf-8"))
    on = wf.get("on", wf.get(True))              # YAML 1.1 reads the key `on` as True
    assert on["schedule"][0]["cron"].split()[4] != "*", "the weekly run must name a weekday"
    assert wf["jobs"]["rerun"]["strategy"]["matrix"]["versions"] == ["pinned", "latest"]


def test_pages_workflow_builds_strictly_and_uploads_the_built_html():
    wf = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = wf["jobs"]["build"]["steps"]
    assert any("make strict" in s.get("run", "") for s in steps), "pages must publish a strict build"
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "_build/html"
    assert wf["jobs"]["deploy"]["needs"] == "build"
