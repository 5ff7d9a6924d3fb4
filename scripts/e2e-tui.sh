#!/usr/bin/env bash
# End-to-end test of the full-screen application: the real binary in tmux on
# a fresh data dir, driven with send-keys and read with capture-pane, as a
# person would. Run by .ci/run; needs tmux.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'tmux kill-session -t e2e 2>/dev/null || true; rm -rf "$work"' EXIT
bin=$work/scolarite
go build -o "$bin" .
data=$work/data
export HOME=$work/home XDG_STATE_HOME=$work/state SCOLARITE_LANG=fr MONGODB_URI= REDIS_URL=
mkdir -p "$HOME"

fail() {
  echo "E2E FAIL: $*" >&2
  echo "----- screen -----" >&2
  tmux capture-pane -p -t e2e >&2 || true
  exit 1
}
screen() { tmux capture-pane -p -t e2e; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
  local deadline=$((SECONDS + ${2:-15}))
  until screen | grep -qF -- "$1"; do
    [ $SECONDS -lt $deadline ] || fail "the screen never showed: $1"
    sleep 0.2
  done
}
# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
  local deadline=$((SECONDS + ${2:-15}))
  while screen | grep -qF -- "$1"; do
    [ $SECONDS -lt $deadline ] || fail "the screen still shows: $1"
    sleep 0.2
  done
}
keys() { tmux send-keys -t e2e "$@"; sleep 0.3; }
type_text() { tmux send-keys -t e2e -l -- "$1"; sleep 0.3; }
login() {
  wait_for "Mot de passe"
  type_text "$1"; keys Enter
  type_text "$2"; keys Enter
}
logout() { keys C-l; wait_for "Mot de passe"; }
# cli runs a command of the same binary in another process, sharing the
# app's embedded servers.
cli() { "$bin" --data-dir "$data" "$@"; }

tmux new-session -d -s e2e -x 120 -y 35 "$bin --data-dir $data --demo"

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
expected=$(cli students show "$first" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
g = s["grades"]
avg = sum(x["value"] * x["coefficient"] for x in g) / sum(x["coefficient"] for x in g)
assert any(x["subject"] == "Physique" and x["value"] == 3.5 and x["coefficient"] == 4 for x in g), g
print(f"{round(avg, 4):.2f}".replace(".", ","))')
wait_for "$expected"
echo "   new average on screen: $expected"
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
