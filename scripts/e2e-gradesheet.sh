#!/usr/bin/env bash
# End-to-end test of the grade sheet (issue 12): on the demo, the teacher
# "prof" marks the exam of "Systèmes 3" (L2-INFO, S3) for the whole class
# in one pass — typed, then a column pasted —, meets a mark changed by
# someone else meanwhile, publishes the exam; the student then sees their
# mark. Every step is checked against the store with the CLI. Run by
# TestGradeSheetEndToEnd; needs tmux and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/e2e-lib.sh

start_demo gradesheet
login prof prof-demo 60
wait_for "Bienvenue, prof"

exam=$(cli evaluations list --class L2-INFO --semester S3 --json |
  json 'print(next(e["id"] for e in d if e["subject"] == "Systèmes 3" and e["kind"] == "exam"))')
[ -n "$exam" ] || fail "the demo has no exam in Systèmes 3"
class_size=$(cli students list --class L2-INFO --json | json 'print(len(d))')
[ "$class_size" -ge 20 ] || fail "L2-INFO has only $class_size students"

echo "== prof opens the sheet of Systèmes 3 and marks the exam"
keys Tab
wait_for "Choisir une classe"
# The subjects prof teaches, in order: find the line of L2-INFO S3 Systèmes 3.
line=$(screen | grep -nE '^L[0-9]-INFO +S[0-9]+ ' | grep -F 'L2-INFO  S3  Systèmes 3' | cut -d: -f1)
first=$(screen | grep -nE '^L[0-9]-INFO +S[0-9]+ ' | head -1 | cut -d: -f1)
[ -n "$line" ] || fail "Systèmes 3 of L2-INFO S3 is not offered to prof"
for _ in $(seq $((line - first))); do keys Down; done
keys Enter
wait_for "Saisie des notes · L2-INFO · S3"
keys Tab # the exam column (CC, exam)
typed=$((class_size - 10))
marks=()
for i in $(seq "$typed"); do
  v="$(( (i * 7) % 20 )),5"
  marks+=("$v")
  tmux send-keys -t "$pane" -l -- "$v"; tmux send-keys -t "$pane" Enter
  sleep 0.1
done
echo "== the last ten marks pasted as a column (one absent, justified)"
column=$(printf '%s\n' 12 13,5 ABJ 14 15 16 17 18 19 20)
paste "$column"
wait_for "10 note(s) collée(s)"
marks+=(12 13,5 ABJ 14 15 16 17 18 19 20)

# stored: "matricule mark" of every student of the class, the mark as the
# sheet writes it (12, 13,5, ABJ, ABI) or "-" when none.
stored() {
  cli students list --class L2-INFO --json | json "
for s in d:
    g = [x for x in s.get('grades') or [] if x.get('evaluation_id') == '$exam']
    if not g:
        m = '-'
    elif g[0].get('absent'):
        m = {'justified': 'ABJ', 'unjustified': 'ABI'}[g[0]['absent']]
    else:
        m = ('%g' % g[0]['value']).replace('.', ',')
    print(s['number'], m)"
}
deadline=$((SECONDS + 30))
until [ "$(stored | awk '$2 != "-"' | wc -l)" -eq "$class_size" ]; do
  [ $SECONDS -lt $deadline ] || { stored >&2; fail "not every exam mark was stored"; }
  sleep 0.5
done
[ "$(stored | awk '$2 == "ABJ"' | wc -l)" -eq 1 ] || fail "the pasted ABJ was not stored as a justified absence"
# The marks stored are the ones typed and pasted, in the sheet's order, and
# the ones on screen.
want=$(printf '%s\n' "${marks[@]}" | sort | tr '\n' ' ')
got=$(stored | awk '{print $2}' | sort | tr '\n' ' ')
[ "$want" = "$got" ] || fail "stored marks [$got], typed and pasted [$want]"
for n in $(screen | grep -oE '\(20[0-9]{2}-[0-9]{5}\)' | tr -d '()'); do
  shown=$(screen | grep -F "($n)" | sed -E 's/.*\) +//' | awk '{print $2}')
  mark=$(stored | awk -v n="$n" '$1 == n {print $2}')
  [ "$shown" = "$mark" ] || fail "student $n shows $shown in the exam column, $mark stored"
done
echo "   $class_size marks stored, as typed and pasted, as shown"

echo "== a conflict: the office changes a mark while prof types over it"
# After the paste the cursor is on the last line; two lines up is the
# third student from the end of the sheet.
keys Up; keys Up
target=$(screen | grep -oE '\(20[0-9]{2}-[0-9]{5}\)' | tr -d '()' | tail -3 | head -1)
type_text "3"
cli grades add "$target" --evaluation "$exam" --value 4 >/dev/null
keys Enter
wait_for "modifié par quelqu'un d'autre"
got=$(cli students show "$target" --json | json "print([x['value'] for x in d['grades'] if x.get('evaluation_id') == '$exam'][0])")
[ "$got" = "4.0" ] || [ "$got" = "4" ] || fail "the office's mark 4 of $target was overwritten by the sheet ($got)"
# The line shows the office's mark, and the average it makes with the
# student's CC (the demo marked the CCs: 40 %, an ABJ left out, an ABI 0).
office_mark_shown() {
  screen | grep -F "($target)" | sed -E 's/.*\) +//' | python3 -c '
import sys
cc, exam, avg = sys.stdin.read().split()[:3]
want = {"ABJ": 4.0, "ABI": 0.6 * 4}.get(cc)
if want is None:
    want = 0.4 * float(cc.replace(",", ".")) + 0.6 * 4
sys.exit(0 if exam == "4" and avg == ("%.2f" % want).replace(".", ",") else 1)'
}
deadline=$((SECONDS + 15))
until office_mark_shown; do
  [ $SECONDS -lt $deadline ] || fail "the line of $target does not show the office's mark 4 and its average"
  sleep 0.2
done

echo "== prof publishes the exam"
keys P
wait_for "Publier"
keys o
wait_for "les étudiants voient leurs notes"
cli evaluations list --class L2-INFO --semester S3 --json |
  json "import sys; sys.exit(0 if next(e for e in d if e['id'] == '$exam')['published'] else 1)" ||
  fail "the exam is not published in the store"
keys Escape
logout

echo "== the student sees their exam mark"
own=$(cli students list --class L2-INFO --json | json 'print(min(s["number"] for s in d))')
own_mark=$(stored | awk -v n="$own" '$1 == n {print $NF}' | sed 's/\.0$//; s/\./,/')
login etudiant etudiant-demo
wait_for "Mes notes"
wait_for "Systèmes 3"
# Under Systèmes 3 (its average, then its CC and exam), the exam's line.
shown=$(screen | grep -A3 -F "Systèmes 3" | grep -m1 -F "exam 60%" | sed -E 's/.*exam 60% +//' | awk '{print $1}')
[ "$shown" = "$own_mark" ] || fail "the student's exam mark $own_mark is not shown under Systèmes 3 (shown: $shown)"
logout
keys C-c
sleep 0.5
echo "E2E GRADESHEET OK"
