"""docs/benchmarks.md: each figure beside its target, with the machine, the command, the date and the load.

The report keeps its own data at its end (an HTML comment holding JSON), so
`python -m bench --only class` re-measures one section and keeps the others
as they were, each under the date, command and load it was measured with.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

DATA = re.compile(r"<!-- bench-results\n(.*?)\n-->", re.S)


@dataclasses.dataclass
class Figure:
    """One line of the summary: what, how much, against what target (met: None when there is no target)."""
    what: str
    measured: str
    target: str = ""
    met: bool | None = None


def load(path: Path) -> dict:
    """The sections stored in an earlier report at `path` (none if there is no report, or no data in it)."""
    if not path.exists():
        return {}
    found = DATA.search(path.read_text(encoding="utf-8"))
    return json.loads(found.group(1))["sections"] if found else {}


def _mark(met: bool | None) -> str:
    return {True: "✅", False: "❌", None: ""}[met]


def _load_text(section: dict) -> str:
    before, after = section["load_before"], section["load_after"]
    return f"{before[0]:.2f} → {after[0]:.2f}"


def render(machine: dict, command: str, date: str, sections: dict, order: list[str]) -> str:
    """The whole report as Markdown, sections in `order` (the stored data appended, for the next merge)."""
    lines = [
        "# Benchmarks",
        "",
        "A classroom on one laptop: how fast and how heavy dlplay is, measured. Benchmarks, not tests:",
        "figures on a shared 2-core machine move with its load, so each section gives the load average",
        "(1 minute; 2.0 means both cores busy) before → after it ran. Made by `bench/` "
        "(see README, *Benchmarks*).",
        "",
        f"Last run: {date}, `{command}`.",
        "",
        "| Machine | |",
        "| --- | --- |",
        *(f"| {key} | {value} |" for key, value in machine.items()),
        "",
        "## Summary",
        "",
        "| Section | Figure | Measured | Target | Met |",
        "| --- | --- | --- | --- | --- |",
    ]
    present = [name for name in order if name in sections]
    for name in present:
        section = sections[name]
        title = section["title"] + (" *(quick)*" if section.get("quick") else "")
        if section.get("error"):
            lines.append(f"| {title} | failed: {section['error']} | | | ❌ |")
            continue
        for k, figure in enumerate(section.get("figures", [])):
            lines.append(f"| {title if k == 0 else ''} | {figure['what']} | {figure['measured']} | {figure['target']} "
                         f"| {_mark(figure['met'])} |")
    if any(sections[name].get("quick") for name in present):
        lines += ["", "*(quick)*: measured with `--quick`, small counts to check the harness; not figures to quote."]
    for name in present:
        section = sections[name]
        lines += [
            "",
            f"## {section['title']}",
            "",
            f"Measured {section['date']} in {section['seconds']:.{0 if section['seconds'] >= 10 else 1}f} s "
            f"with `{section['command']}`; "
            f"load {_load_text(section)}; settings: "
            + ", ".join(f"{key} {value}" for key, value in section["params"].items()) + ".",
        ]
        if section.get("details"):
            lines += ["", section["details"].rstrip()]
    # "-->" inside a string would end the comment early; \u003e is the same JSON string.
    data = json.dumps({"sections": sections}, ensure_ascii=False, indent=1).replace("-->", "--\\u003e")
    lines += ["", f"<!-- bench-results\n{data}\n-->", ""]
    return "\n".join(lines)
