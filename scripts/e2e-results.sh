#!/usr/bin/env bash
# End-to-end test of the semester results (issue 13) through the binary,
# on the demo: the class L2-INFO is marked in every evaluation of S3 by
# files (grades import), closed; results of session 1; the resit session
# opened, a resit marked; results of session 2; a jury decision; the
# session published; the deliberation screen as the admin sees it, then
# the student's own screen with their result. Run by TestResultsEndToEnd;
# needs tmux and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/e2e-lib.sh

start_demo results
wait_for "Mot de passe" 60

echo "== every S3 evaluation of L2-INFO marked from files"
own=$(cli students list --class L2-INFO --json | json 'print(min(s["number"] for s in d))')
# A second student marked 7 everywhere too, who sits no resit: the jury's.
other=$(cli students list --class L2-INFO --json | json 'print(sorted(s["number"] for s in d)[1])')
evals=$(cli evaluations list --class L2-INFO --semester S3 --json | json 'print("\n".join(e["id"] for e in d))')
n=0
for id in $evals; do
  # A mark per student, from 6 to 19,5, different per evaluation; the
  # student "etudiant" ($own) gets 7 everywhere: AJ in session 1.
  cli students list --class L2-INFO --json | json "
import hashlib
print('Matricule;Note')
for s in d:
    v = 7 if s['number'] in ('$own', '$other') else 6 + int(hashlib.sha256((s['number'] + '$id').encode()).hexdigest(), 16) % 28 / 2
    print('%s;%s' % (s['number'], str(v).replace('.', ',')))" > "$work/marks-$id.csv"
  cli grades import "$work/marks-$id.csv" --evaluation "$id" >/dev/null
  n=$((n + 1))
done
echo "   $n evaluations marked"
results() { cli results --class L2-INFO --semester S3 --session "$1" --json; }
decision() { json "print(next(r['decision'] for r in d if r['number'] == '$1'))"; }
[ "$(results 1 | decision "$own")" = "AJ" ] || fail "the student marked 7 everywhere is not AJ in session 1"
count=$(results 1 | json 'print(len(d))')
[ "$count" -ge 20 ] || fail "only $count results"

echo "== session 1 closed; the resit session; a resit raises the student"
cli semester close --class L2-INFO --semester S3 >/dev/null
cli semester resit --class L2-INFO --semester S3 >/dev/null
# Add a resit in every subject and mark the student 15 in each.
for subject in $(cli curriculum show --class L2-INFO --semester S3 --json | json '
print("\n".join(s["subject"].replace(" ", "_") for ue in d[0]["ues"] for s in ue["subjects"]))'); do
  id=$(cli evaluations add --class L2-INFO --semester S3 --subject "${subject//_/ }" --kind resit --weight 100)
  cli grades add "$own" --evaluation "$id" --value 15 >/dev/null
done
s2=$(results 2 | decision "$own")
case "$s2" in ADM | ADC) ;; *) fail "after resits of 15 the student is $s2 in session 2" ;; esac
[ "$(results 1 | decision "$own")" = "AJ" ] || fail "session 1 changed after the resits"

echo "== the jury decides on the other student's session 2; published"
[ "$(results 2 | decision "$other")" = "AJ" ] || fail "$other, with no resit, is not AJ in session 2"
cli jury override "$other" --semester S3 --session 2 --decision ADM --reason "dossier médical" >/dev/null
[ "$(results 2 | decision "$other")" = "ADM" ] || fail "the jury's decision on $other is not in the results"
cli semester close --class L2-INFO --semester S3 >/dev/null
cli semester publish --class L2-INFO --semester S3 >/dev/null

echo "== the deliberation screen (admin)"
login admin admin-demo
wait_for "Bienvenue, admin"
deadline=$((SECONDS + 20))
until screen | grep -qF "Choisir une classe et un semestre"; do
  [ $SECONDS -lt $deadline ] || fail "no deliberation tab"
  keys Tab
done
keys s # session 2
line=$(screen | grep -nE '^ *L2-INFO +S3 ' | head -1 | cut -d: -f1)
first=$(screen | grep -nE '^ *L[0-9]-[A-Z]+ +S[0-9]+ ' | head -1 | cut -d: -f1)
[ -n "$line" ] || fail "L2-INFO S3 is not offered"
for _ in $(seq $((line - first))); do keys Down; done
keys Enter
wait_for "Délibérations · L2-INFO S3"
wait_for "session 2"
wait_for "admis"
# Thirty rows do not fit in 35 lines: the ADM filter (23 of them) shows
# the jury's student wherever the sort puts them.
keys d
wait_for "filtre : ADM"
wait_for "(jury)"
logout

echo "== the student's screen: their result"
login etudiant etudiant-demo
wait_for "Mes notes"
wait_for "Résultats (session 2) : $s2"
echo "E2E RESULTS OK"
