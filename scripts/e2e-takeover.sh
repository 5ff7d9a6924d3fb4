#!/usr/bin/env bash
# End-to-end test of two applications on one data dir: the first runs the
# embedded servers, the second joined them. The first quits; the second
# takes the servers over and goes on (tables, statistics, a grade), and no
# library ever writes over its screen. Run by TestTUITakeOverEndToEnd;
# needs tmux.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/e2e-lib.sh
owner=takeover-owner-$$ joiner=takeover-joiner-$$
setup_work "$owner" "$joiner"
pane=$joiner

# clean: nothing but the application on the screen (go-redis prefixes its
# lines with "redis: ", the drivers' JSON lines start with "{").
clean() {
  if screen | grep -qE '^redis: |pool\.go|^\{"|connection refused'; then
    fail "a library wrote over the screen"
  fi
}
servers_pid() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$data/servers.json" 2>/dev/null || true; }

echo "== two applications on one data dir"
tmux new-session -d -s "$owner" -x 120 -y 35 "$bin --data-dir $data --demo"
pane=$owner
wait_for "Mot de passe" 60
owner_pid=$(servers_pid)
[ -n "$owner_pid" ] || fail "the first application published no servers"
tmux new-session -d -s "$joiner" -x 120 -y 35 "$bin --data-dir $data; echo EXITED; sleep 60"
pane=$joiner
login admin admin-demo
wait_for "sur 300"
[ "$(servers_pid)" = "$owner_pid" ] || fail "the second application did not join the first one's servers"

echo "== the first quits; the second takes the servers over"
tmux send-keys -t "$owner" C-c
deadline=$((SECONDS + 30))
until [ -n "$(servers_pid)" ] && [ "$(servers_pid)" != "$owner_pid" ]; do
  [ $SECONDS -lt $deadline ] || fail "nobody took the servers over"
  sleep 0.2
done
echo "   servers now run in pid $(servers_pid)"

echo "== the second goes on: statistics, table, a new grade"
# The admin's tabs: Étudiants, Saisie des notes, Maquettes, Délibérations,
# Statistiques, …: the statistics are as many tabs away as the header has
# before them.
hops=$(screen | head -1 | python3 -c '
import sys
tabs = [t for t in sys.stdin.read().split("   ") if t.strip()]
print(next(i for i, t in enumerate(tabs) if "Statistiques" in t))')
[ "$hops" -ge 1 ] || fail "no statistics tab in the header"
for _ in $(seq "$hops"); do keys Tab; done
wait_for "Moyenne générale"
sleep 1
clean
screen | grep -q "Erreur" && fail "the statistics failed after the take-over"
for _ in $(seq "$hops"); do keys BTab; done
# The table, not the statistics' top 10, which also shows matricules.
deadline=$((SECONDS + 15))
until screen | grep -q "Matricule" && ! screen | grep -q "Moyenne générale"; do
  [ $SECONDS -lt $deadline ] || fail "the table did not come back"
  sleep 0.2
done
wait_for "sur 300"
first=$(screen | grep -oE '20[0-9]{2}-[0-9]{5}' | head -1)
keys Enter
wait_for "Rang"
# A class with a curriculum opens on its semesters; s shows the free grades.
wait_for "Notes libres"
keys s
wait_for "Enseignant"
keys a
type_text "Physique"; keys Tab
type_text "12"; keys Tab
type_text "1"; keys Enter
wait_for "Physique"
clean
# Read whole first: grep -q stops reading at the first match, and the
# command's next write would die of SIGPIPE, failing the pipeline.
shown=$("$bin" --data-dir "$data" students show "$first")
grep -q "Physique" <<<"$shown" || fail "the grade added after the take-over is not stored ($first)"
keys Escape
wait_for "cache en ligne"
clean
screen | grep -q EXITED && fail "the second application exited"
keys C-c
sleep 0.5
echo "E2E TAKEOVER OK"
