"""The mutation run's score per module, from mutmut's own result files.

    python scripts/mutation_score.py [MUTANTS_DIR] [--write docs/TESTING.md]

Reads ``mutants/**/*.meta`` (mutmut 3 writes one per mutated module, with each mutant's
exit code) and prints a Markdown table: mutants, checked, killed, survived, timed out, no
test reaches it, and the score of the checked (killed and timed out among the checked, as
mutmut counts it). ``--write`` puts the table between the ``<!-- mutation-table -->``
markers of the given file. The survivors, with why each survives: mutation_survivors.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

# mutmut 3's exit codes (mutmut/stats.py: status_by_exit_code)
KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {36, 24, -24, 152, 255}
START, END = "<!-- mutation-table -->", "<!-- /mutation-table -->"


def status(code: int | None) -> str:
    if code is None:
        return "unchecked"
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no_tests"
    if code in TIMEOUT:
        return "timeout"
    return "other"


def results(mutants: Path) -> dict[str, dict[str, str]]:
    """{module path under kasirbackup/: {mutant name: status}}."""
    found: dict[str, dict[str, str]] = {}
    for meta in sorted(mutants.glob("kasirbackup/**/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        module = meta.relative_to(mutants / "kasirbackup" / "core").as_posix()[: -len(".meta")]
        found[module] = {k: status(v) for k, v in data["exit_code_by_key"].items()}
    return found


def table(found: dict[str, dict[str, str]]) -> str:
    rows = [
        "| module | mutants | checked | killed | survived | timeout | no test reaches it | score of the checked |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total: Counter[str] = Counter()
    for module, by_name in found.items():
        c = Counter(by_name.values())
        total.update(c)
        rows.append(_row(f"`{module}`", len(by_name), c))
    rows.append(_row("**all**", sum(len(v) for v in found.values()), total))
    return "\n".join(rows)


def _row(name: str, n: int, c: Counter[str]) -> str:
    checked = n - c["unchecked"]
    tested = c["killed"] + c["survived"] + c["timeout"] + c["other"]
    score = f"{100 * (c['killed'] + c['timeout']) // tested} %" if tested else "–"
    return (
        f"| {name} | {n} | {checked} | {c['killed']} | {c['survived']} | {c['timeout']} "
        f"| {c['no_tests']} | {score} |"
    )


def write_into(doc: Path, text: str) -> None:
    body = doc.read_text(encoding="utf-8")
    head, sep, rest = body.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"{doc} has no {START} … {END} markers")
    doc.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mutants", nargs="?", default="mutants", type=Path)
    ap.add_argument("--write", type=Path, help="put the table into this file's markers")
    args = ap.parse_args(argv)
    found = results(args.mutants)
    if not found:
        print(f"no mutmut results under {args.mutants}", file=sys.stderr)
        return 1
    text = table(found)
    print(text)
    if args.write:
        write_into(args.write, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
