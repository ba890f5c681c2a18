"""Print the mutation score of the text pipeline from the last `mutmut run` (see `make mutate`).

Run from the project root after mutmut:  python -m bench.mutation

For each mutated module: mutants killed (a timeout counts as killed: the tests did not pass),
survived, judged equivalent (listed below with the reason; they behave exactly like the original
for every input, so no test can kill them), and the score, killed / (all - equivalent). Every
surviving mutant that is not listed as equivalent is shown with its diff. Exit status 1 if a
module is under TARGET, or if any mutant of an escaping call survived.
"""

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

TARGET = 97.0
KILLED = {"killed", "timeout", "segfault"}
SURVIVED = {"survived", "no tests", "suspicious"}  # no test failed: each is shown with its diff
MUTMUT = str(Path(sys.executable).with_name("mutmut"))

# Surviving mutants that cannot change behaviour, with the reason; keyed by "function: the line
# the mutant leaves" (not by mutmut's number, which moves when the code does).
EQUIVALENT = {
    'host_end: while end >= pos and text[end - 1] in ".-":': "the loop reaches end == pos only "
    'for a host that starts after "://", a user name\'s "@" or an e-mail\'s "@" (a "www." host '
    'keeps its "www"), so text[pos - 1] is "/" or "@" and the loop stops there as it does with >',
}

_RESULT = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


def results():
    output = subprocess.run(
        [MUTMUT, "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [m.groupdict() for line in output.splitlines() if (m := _RESULT.match(line))]


def diff(name):
    shown = subprocess.run(
        [MUTMUT, "show", name], capture_output=True, text=True, check=False
    ).stdout
    return [line for line in shown.splitlines() if line[:2] in ("- ", "+ ")]


def main():
    by_module = defaultdict(Counter)
    survivors = defaultdict(list)
    for result in results():
        module = result["name"].split(".x")[0]
        status = result["status"]
        if status in KILLED:
            by_module[module]["killed"] += 1
        elif status in SURVIVED:
            lines = diff(result["name"])
            added = next((line[2:].strip() for line in lines if line.startswith("+ ")), "")
            function = result["name"].split(".x_")[-1].split("__mutmut_")[0].lstrip("_")
            if f"{function}: {added}" in EQUIVALENT:
                by_module[module]["equivalent"] += 1
            else:
                by_module[module]["survived"] += 1
                survivors[module].append((f"{result['name']} ({status})", lines))
        else:
            by_module[module][status] += 1
    if not by_module:
        print("No mutmut results: run `mutmut run` (or `make mutate`) first.")
        return 1

    failed = False
    for module, counts in sorted(by_module.items()):
        counted = counts["killed"] + counts["survived"]
        score = 100.0 * counts["killed"] / counted if counted else 0.0
        others = ", ".join(
            f"{n} {s}" for s, n in counts.items() if s not in {"killed", "survived", "equivalent"}
        )
        print(
            f"{module}: {counts['killed']} killed, {counts['survived']} survived, "
            f"{counts['equivalent']} equivalent{', ' + others if others else ''}: "
            f"score {score:.1f}% (target {TARGET:.0f}%)"
        )
        failed |= score < TARGET or bool(counts.keys() - {"killed", "survived", "equivalent"})
        for name, lines in survivors[module]:
            print(f"  survived: {name}")
            for line in lines:
                print(f"      {line}")
            if any("escape" in line for line in lines):
                print("      ^ an escaping call: this must be killed")
                failed = True
    if EQUIVALENT:
        print("\nEquivalent mutants (the line each leaves, and why it changes nothing):")
        for line, reason in EQUIVALENT.items():
            print(f"  {line}\n      {reason}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
