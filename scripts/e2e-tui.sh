#!/usr/bin/env bash
# End-to-end test of the full-screen application: the real binary in tmux on
# a fresh data dir, driven with send-keys and read with capture-pane, as a
# person would. Run by .ci/run; needs tmux.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/e2e-lib.sh
start_demo tui

echo "== admin: table, filter, sort"
login admin admin-demo
wait_for "Bienvenue, admin"
wait_for "sur 300"
screen | grep -q "tri : moyenne ↓" || fail "default sort is not average descending"
keys /
type_text "ndeye"
wait_for "« ndeye »"
screen | grep -q "Ndèye" || fail "filter ndeye shows no Ndèye"
keys Escape
wait_gone "« ndeye »"
keys s
wait_for "tri : notes"
keys s
wait_for "tri : matricule ↑"
keys r
wait_for "tri : matricule ↓"
keys s
keys s
keys s
keys s
keys s
keys s
wait_for "tri : moyenne ↓"

echo "== admin: open a student, add a grade, check the new average"
first=$(screen | grep -oE '20[0-9]{2}-[0-9]{5}' | head -1)
[ -n "$first" ] || fail "no matricule on screen"
keys Enter
wait_for "$first"
wait_for "Rang"
# A class with a curriculum opens on its semesters; s shows the free grades.
wait_for "Notes libres"
keys s
wait_for "Enseignant"
keys a
type_text "Physique"; keys Tab
type_text "3,5"; keys Tab
type_text "4"; keys Enter
wait_for "Physique"
# The record's average is its latest semester's (the demo marks the CC of
# the current one: a free grade does not move it), else the mean of the
# free grades (a class without a curriculum).
expected=$(cli students show "$first" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
g = s["grades"]
assert any(x["subject"] == "Physique" and x["value"] == 3.5 and x["coefficient"] == 4 for x in g), g
terms = [x["average"] for x in s.get("semesters") or [] if x["average"] is not None]
free = [x for x in g if not x.get("evaluation_id")]
avg = terms[-1] if terms else sum(x["value"] * x["coefficient"] for x in free) / sum(x["coefficient"] for x in free)
print(f"{round(avg, 4):.2f}".replace(".", ","))')
wait_for "$expected"
echo "   average on screen: $expected"
keys Escape
wait_for "tri : moyenne"
logout

echo "== teacher: only their classes"
login prof prof-demo
wait_for "Bienvenue, prof"
wait_for "sur 60"
screen | grep -qE 'L[23]-(GC|GE|GEST|GCH) ' && fail "the teacher sees a class that is not theirs"
logout

echo "== student: own grades only"
login etudiant etudiant-demo
wait_for "Mes notes"
screen | grep -q "Étudiants" && fail "a student is offered the students table"
# The demo links "etudiant" to the first student created.
own="$(date +%Y)-00001"
wait_for "$own"
other=$(cli students list --sort number --limit 2 | grep -oE '20[0-9]{2}-[0-9]{5}' | grep -vF "$own" | head -1)
keys Tab; keys /; keys Enter; keys s
screen | grep -qF "$other" && fail "a student reached another student's record ($other)"
screen | grep -q "Mes notes" || fail "the student left their own screen"
logout

keys C-c
sleep 0.5
echo "E2E OK"
