# Shared by the end-to-end scripts (sourced, not run): reading and driving
# the tmux pane named by $pane, as a person would. fail prints the pane.
fail() {
  echo "E2E FAIL: $*" >&2
  echo "----- screen of $pane -----" >&2
  tmux capture-pane -p -t "$pane" >&2 || true
  exit 1
}
screen() { tmux capture-pane -p -t "$pane"; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
  local deadline=$((SECONDS + ${2:-${WAIT:-15}}))
  until screen | grep -qF -- "$1"; do
    [ $SECONDS -lt $deadline ] || fail "the screen never showed: $1"
    sleep 0.2
  done
}
# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
  local deadline=$((SECONDS + ${2:-${WAIT:-15}}))
  while screen | grep -qF -- "$1"; do
    [ $SECONDS -lt $deadline ] || fail "the screen still shows: $1"
    sleep 0.2
  done
}
keys() { tmux send-keys -t "$pane" "$@"; sleep 0.3; }
type_text() { tmux send-keys -t "$pane" -l -- "$1"; sleep 0.3; }
# paste TEXT: a bracketed paste, as a terminal sends a spreadsheet's column.
paste() { tmux set-buffer -b e2e-paste -- "$1"; tmux paste-buffer -p -d -b e2e-paste -t "$pane"; sleep 0.3; }
login() {
  wait_for "Mot de passe" "${3:-15}"
  type_text "$1"; keys Enter
  type_text "$2"; keys Enter
}
logout() { keys C-l; wait_for "Mot de passe"; }
# setup_work SESSION...: a fresh work and data dir, the binary built,
# a home of its own; the named tmux sessions and the dir are removed on
# exit. The tmux server is shared with other runs: names end in $$.
setup_work() {
  work=$(mktemp -d)
  sessions=("$@")
  trap 'for s in "${sessions[@]}"; do tmux kill-session -t "$s" 2>/dev/null || true; done; rm -rf "$work"' EXIT
  bin=$work/scolarite
  go build -o "$bin" .
  data=$work/data
  export HOME=$work/home XDG_STATE_HOME=$work/state SCOLARITE_LANG=fr MONGODB_URI= REDIS_URL=
  mkdir -p "$HOME"
}
# start_demo NAME: setup_work, then the demo running in the tmux pane
# NAME-$$.
start_demo() {
  pane=$1-$$
  setup_work "$pane"
  tmux new-session -d -s "$pane" -x 120 -y 35 "$bin --data-dir $data --demo"
}
cli() { "$bin" --data-dir "$data" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
