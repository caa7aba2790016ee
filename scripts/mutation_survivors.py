"""Every surviving mutant of a mutation run, with its change and why it survives.

    python scripts/mutation_survivors.py [MUTANTS_DIR] [--out docs/MUTATION_SURVIVORS.md]

Reads mutmut 3's results (``mutants/**/*.meta``) and the mutated sources next to them, and
writes one line per surviving mutant: its function, the line as written and as mutated,
and its kind. Kinds that are recognisable from the change alone (the case of a string
that SQLite or Python reads case-insensitively, the words of a message, the name of a
fault point, a progress figure) are labelled by rule; the others carry the explanation
written after reading them (``READ`` below). A survivor with neither is listed as
"not explained yet", so a new one cannot hide.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import re
from collections import Counter
from pathlib import Path

# mutant name (without the module) -> why it survives, written after reading it. The
# names are stable while the function's code is unchanged (mutmut numbers the mutants of
# each function in order).
CANCEL_LATER = ("equivalent: cancel", "the cancel token is also passed to the step that follows, which "
                "stops; a cancel is noticed a moment later, with the same outcome")
SPEED = ("speed only", "how much work is done before a refusal, or in which slices: same result, "
         "sooner or later")
READ: dict[str, str] = {
    **{f"recovery_sheet__mutmut_{n}": "equivalent: the configuration comes from kasirbackup.json, whose keys "
       "are already written in sorted order, so the JSON is the same" for n in (8, 10, 11)},
    **{f"config_from_sheet__mutmut_{n}": "equivalent: the first and last parts of a split are the same "
       "whatever its limit" for n in (11, 16, 18, 20)},
    "RepoLock.is_stale__mutmut_3": "equivalent: `now` is given only by tests",
    "RepoLock.is_stale__mutmut_12": "equivalent: a float age exactly equal to twelve hours",
    **{f"preview__mutmut_{n}": ": ".join(CANCEL_LATER) for n in (18, 24)},
    **{f"preview__mutmut_{n}": ": ".join(SPEED) for n in (19, 25, 26)},
    "preview__mutmut_47": "progress: a progress figure only the window's bar reads",
    **{f"preview__mutmut_{n}": "message words: the database's name as the identity check and the preview "
       "write it; the check compares the facts, not the name" for n in (70, 75, 93, 98)},
    **{f"preview__mutmut_{n}": "equivalent: the identity check reads only the first 100 bytes of what it is "
       "given" for n in (76, 77)},
    **{f"prepare_restore__mutmut_{n}": ": ".join(CANCEL_LATER) for n in (26, 32)},
    "_check_tables__mutmut_5": "equivalent: \"main\" is the default schema",
    "lock_exclusive__mutmut_38": "equivalent: SQLite reports a busy database as \"database is locked\", "
                                 "which the first half of the test catches",
    **{f"lock_exclusive__mutmut_{n}": "unreachable here: SQLite takes the exclusive lock of a read-only file "
       "without complaint, and check_live_target refuses a read-only file or folder before; the branch "
       "stays for a disk that turns read-only meanwhile" for n in (48, 51, 54)},
    **{f"_copy_image_into__mutmut_{n}": "equivalent: leaving WAL before the copy when it is not needed is "
       "harmless; the copied image's own header sets the journal mode afterwards" for n in (10, 16, 22)},
    **{f"_copy_image_into__mutmut_{n}": ": ".join(SPEED) for n in (51, 53)},
    "take_safety_snapshot__mutmut_4": "equivalent: the connection runs no statement of its own",
    **{f"take_safety_snapshot__mutmut_{n}": ": ".join(SPEED) for n in (8, 9, 10)},
    "execute_restore__mutmut_1": "timing: a default wait only the command line and the window set "
                                 "themselves (--wait)",
    "execute_restore__mutmut_109": "equivalent: restoring no folder returns nothing",
    "execute_restore__mutmut_119": "progress: a progress figure only the window's bar reads",
    "execute_restore__mutmut_128": "message words: how many file names the note shows (the test has two)",
    **{f"restore_to_new_file__mutmut_{n}": "scratch and clean-up: the random part of a temporary name"
       for n in (11, 12)},
    **{f"restore_to_new_file__mutmut_{n}": "killed since: the cancel is now checked before the file appears "
       "(test_a_cancelled_restore_leaves_no_file; this run predates it)" for n in (18, 25)},
    "restore_to_new_file__mutmut_57": "killed since: the test now runs under umask 022, where 0o667 and 0o666 "
                                      "differ (under 027 they did not)",
    "drill__mutmut_19": "equivalent: None and False are both false",
    "drill__mutmut_26": "killed since: the rebuild now checks the cancel before it starts "
                        "(test_a_cancelled_drill_stops_and_leaves_no_copy; this run predates it)",
    **{f"{f}__mutmut_{n}": "equivalent: None and False are both false"
       for f, n in (("RepoLock.__init__", 6), ("RepoLock.release", 13), ("drill", 27))},
    "RepoLock.__init____mutmut_7": "equivalent: a release of a lock never taken finds no lock file of its own "
                                   "(another nonce, or none) and removes nothing",
    **{f"_mark__mutmut_{n}": "killed since: tests/integration/test_prune_mark.py checks that every blob of "
       "a kept backup is marked (this pass of prune.py predates it)" for n in (23, 24, 34, 36, 37)},
    **{f"plan_sweep__mutmut_{n}": "equivalent: overwritten on the next line" for n in (6, 13)},
    "plan_sweep__mutmut_18": "equivalent: one byte more in a pack's size moves the repack line by one byte",
    "plan_sweep__mutmut_43": "equivalent: it only guards a division by zero; no frame is one byte long",
    "_sweep__mutmut_3": "killed since: prune's figures before the sweep are asserted (test_an_encrypted_"
                        "repository_is_repacked…; this pass predates it)",
    **{f"_sweep__mutmut_{n}": "equivalent: the items are (unique pack name, frames), so they sort by name "
       "either way" for n in (50, 52)},
    "_sweep__mutmut_60": "equivalent: when no pack stays, an extra index naming nothing",
    "_whole_frame__mutmut_4": "equivalent: a blob type is not read when a whole frame is read",
    "_whole_frame__mutmut_22": "equivalent: a blob type is not read when a whole frame is read",
    "_whole_frame__mutmut_12": "equivalent: zstd frames carry their own size; the raw length is a hint",
    **{f"_whole_frame__mutmut_{n}": "killed since: an encrypted repository is repacked in a test (its frames "
       "open only with their first blob's id; this pass predates it)" for n in (18, 19)},
    "_size__mutmut_7": "message words: a figure of prune's report (a pack removed meanwhile counts a byte)",
    **{f"_decide_group__mutmut_{n}": "equivalent: every decision's keep is set from its reasons before it "
       "is returned" for n in (12, 15)},
    "_decide_group__mutmut_31": "equivalent: a period's key is a tuple of numbers, never \"\"",
    "_removal__mutmut_31": "equivalent: a zero keep-within is false, like None, where it is read",
    "Duration.before__mutmut_42": "equivalent: aware times compare as instants, whatever their zone",
    **{f"_days_in_month__mutmut_{n}": "equivalent: December has 31 days in every year, and each variant "
       "still lands on a day 31" for n in (8, 10, 13)},
    "rebuild_image__mutmut_1": "equivalent: every caller says stop_at_first",
    **{f"rebuild_image__mutmut_{n}": ": ".join(SPEED) for n in (8, 15, 18, 62, 81, 84, 85, 93, 97, 100, 106,
                                                                 156, 157, 163)},
    "rebuild_image__mutmut_90": "unreachable: it differs only when the next page is missing, and a restore "
                                "(the only caller that joins pages) stops at a missing page before this loop",
    **{f"rebuild_image__mutmut_{n}": "killed since: the drill's scratch copy is checked to be its owner's "
       "only (0o600; test_the_drill_keeps_its_copy_only_where_asked…, this run predates it)" for n in (40, 53)},
    "rebuild_image__mutmut_44": "equivalent: O_BINARY exists only on Windows; getattr(None, …) gives the "
                                "same 0 here",
    "rebuild_image__mutmut_52": "equivalent here: 1 is O_WRONLY on POSIX, already set (O_BINARY is Windows')",
    **{f"rebuild_image__mutmut_{n}": "message words: which page a damage report names first, and its "
       "grouping key; the tests match the report's form, not the page number" for n in
       (118, 127, 128, 134, 143, 144, 145)},
    **{f"rebuild_image__mutmut_{n}": "message words: how many hex digits of a SHA-256 a message shows"
       for n in (191, 192)},
    **{f"_HashingWriter.__init____mutmut_{n}": "equivalent: the writer thread's name, queue depth and daemon "
       "flag; it is always joined" for n in (5, 9, 10, 12, 13, 16)},
    "_HashingWriter._run__mutmut_13": "killed since: a write that fails in the writer thread is a scratch "
                                      "space refusal (test_a_full_scratch_folder…[_write_all]; this run "
                                      "predates it)",
    "drill__mutmut_32": "killed since: the rebuild checks the cancel before it starts "
                        "(test_a_cancelled_drill_stops_and_leaves_no_copy; this run predates it)",
    "drill__mutmut_42": "equivalent: a placeholder replaced before it is read",
    **{f"drill__mutmut_{n}": "message words: a table in the image but not in the manifest" for n in (66, 68)},
    **{f"drill__mutmut_{n}": ": ".join(CANCEL_LATER) for n in (98, 104)},
    **{f"drill__mutmut_{n}": "speed only: files an earlier check proved are rebuilt again; only the "
       "\"N rebuilt\" figure changes, when the backup passes the chunks it proved" for n in (99, 105)},
    **{f"drill__mutmut_{n}": "equivalent: the image hash of a drill with bad pages is never recorded (the "
       "backup fails its check)" for n in (173, 174)},
    "RebuildReport.page_problem__mutmut_7": "equivalent: a placeholder replaced on the next line",
    "checked_facts__mutmut_37": "equivalent: the pattern matches groups 5 and 6 together or neither",
}

#: the kinds given by hand (each survivor says why in its own words)
READ_KINDS = {
    "equivalent": "no test can tell the mutant from the original: the change cannot be seen from outside",
    "equivalent here": "the same on this platform (POSIX); it matters on Windows",
    "unreachable": "the mutated line only runs in a case no caller produces",
    "unreachable here": "the mutated branch is not reached by any way a test here can take",
    "speed only": "the same result with more or less work",
    "killed since": "killed by a test written after this run (checked by planting the mutant by hand)",
    "equivalent: cancel": "the cancel token is also passed to the step that follows, which stops",
}

#: (kind, explanation, test on (original line, mutated line))
RULES = [
    ("equivalent: case", "SQL keywords, pragma and schema names, and Python's codec and hash names read the "
     "same in either case; a URI parameter in capitals is ignored, which opens our own scratch copy "
     "read-write, and nothing writes it",
     lambda a, b: a.lower() == b.lower() and a != b),
    ("fault point", "the name of a placed-kill point: only the kill tests (a subprocess killed at that "
     "point, outside the selection) name them",
     lambda a, b: "reached(" in a),
    ("progress", "a progress figure only the window's bar reads",
     lambda a, b: re.search(r"\bprogress\(", a) is not None and "def " not in a),
    ("equivalent here: URI", "Debian's SQLite reads a file: name as a URI without uri=True "
     "(SQLITE_USE_URI); a Windows build may not, so the argument stays",
     lambda a, b: "uri=True" in a and "uri=True" not in b),
    ("message words", "the words of a message or error, or a name inside it; the tests assert the "
     "kind of refusal and, where a user reads it, the command-line tests its words",
     lambda a, b: ("XX" in b and "XX" not in a) or _same_raise(a, b)),
    ("scratch and clean-up", "the name of a scratch file or folder, or whether a clean-up ignores its "
     "errors: same outcome",
     lambda a, b: "ignore_errors" in a or "scratch_folder(" in a or "scratch_file(" in a
     or re.search(r'workdir / "', a) is not None),
    ("timing", "how long to wait, sleep or time out: same outcome, sooner or later",
     lambda a, b: re.search(r"sleep\(|timeout=|monotonic\(\)|max\(0\.0|max\(wait_s", a) is not None),
]


def _kind_and_why(text: str) -> tuple[str, str]:
    """Split a READ entry "kind: why" at the longest known kind (a kind may hold ": " itself,
    as "equivalent: cancel" does)."""
    kinds = sorted([*READ_KINDS, *(k for k, _, _ in RULES)], key=len, reverse=True)
    for k in kinds:
        if text.startswith(k + ": "):
            return k, text[len(k) + 2:]
    return "read", text


def _same_raise(a: str, b: str) -> bool:
    """Only the arguments of a raised error changed: they fill in its message."""
    ma, mb = re.match(r"raise (\w+)\(", a), re.match(r"raise (\w+)\(", b)
    return bool(ma and mb and ma.group(1) == mb.group(1))


def _functions(source: str) -> dict[str, str]:
    """Each function's source by name (by line numbers: get_source_segment would split the
    whole mutated file again for every one of its thousands of functions)."""
    lines = source.splitlines()
    return {node.name: "\n".join(lines[node.lineno - 1:node.end_lineno])
            for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def survivors(mutants: Path) -> list[dict]:
    out = []
    for meta in sorted(mutants.glob("kasirbackup/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        module = meta.relative_to(mutants / "kasirbackup" / "core").as_posix()[: -len(".meta")]
        funcs = _functions(meta.with_suffix("").read_text(encoding="utf-8"))
        for key, code in codes.items():
            if code != 0:
                continue
            name = key.rsplit(".", 1)[-1]
            base = name.rsplit("__mutmut_", 1)[0]
            orig = funcs.get(base + "__mutmut_orig", "").replace(base + "__mutmut_orig", base, 1).splitlines()
            mut = funcs.get(name, "").replace(name, base, 1).splitlines()
            diff = [ln for ln in difflib.unified_diff(orig, mut, lineterm="", n=0)
                    if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
            a = " ".join(ln[1:].strip() for ln in diff if ln.startswith("-"))
            b = " ".join(ln[1:].strip() for ln in diff if ln.startswith("+"))
            short = name.replace("xǁ", "").replace("ǁ", ".")
            short = re.sub(r"^x_", "", short)
            kind, why = "not explained yet", ""
            if short in READ:
                kind, why = _kind_and_why(READ[short])
            else:
                for k, w, test in RULES:
                    if test(a, b):
                        kind, why = k, w
                        break
            out.append({"module": module, "mutant": short, "was": a, "now": b, "kind": kind, "why": why})
    return out


def markdown(found: list[dict]) -> str:
    lines = ["# Surviving mutants", "",
             "Written by `python scripts/mutation_survivors.py --out docs/MUTATION_SURVIVORS.md` from the "
             "last mutation run (docs/TESTING.md, *Mutation testing*): every mutant no test killed, what it "
             "changed, and why it survives.", ""]
    by_kind = Counter((s["module"], s["kind"]) for s in found)
    lines += ["| module | kind | mutants |", "|---|---|---|"]
    lines += [f"| `{m}` | {k} | {n} |" for (m, k), n in sorted(by_kind.items())]
    lines += ["", "## The kinds", ""]
    lines += [f"- **{k}**: {w}" for k, w, _ in RULES]
    lines += [f"- **{k}**: {w}" for k, w in READ_KINDS.items()]
    for module in sorted({s["module"] for s in found}):
        lines += ["", f"## `{module}`", "", "| mutant | was | now | kind | why |", "|---|---|---|---|---|"]
        for s in (s for s in found if s["module"] == module):
            cell = lambda t: "`" + t.replace("|", "\\|").replace("`", "'")[:160] + "`" if t else "–"  # noqa: E731
            why = s["why"] if s["mutant"] in READ else "(the kind)"
            lines.append(f"| {s['mutant']} | {cell(s['was'])} | {cell(s['now'])} | {s['kind']} | "
                         f"{why.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mutants", nargs="?", default="mutants", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    found = survivors(args.mutants)
    text = markdown(found)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    left = sum(1 for s in found if s["kind"] == "not explained yet")
    print(f"{len(found)} survivors, {left} not explained yet")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
