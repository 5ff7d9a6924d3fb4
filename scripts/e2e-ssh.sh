#!/usr/bin/env bash
# End-to-end test of `scolarite serve` with the real OpenSSH client: the
# real binary serves a fresh data dir; ssh, in tmux, logs in with a password
# as a student, then with a registered key, as a person would. Run by
# TestServeOpenSSHEndToEnd; needs tmux and ssh (openssh-client).
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/e2e-lib.sh
s=ssh-client-$$ srv=ssh-server-$$ pane=ssh-client-$$
setup_work "$s" "$srv"
export SCOLARITE_LANG= WAIT=20 # the language comes from the client's LANG; ssh is slower
mkdir -p "$HOME/.ssh"
chmod 700 "$HOME/.ssh"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

fail() {
  echo "E2E FAIL: $*" >&2
  echo "----- screen -----" >&2
  tmux capture-pane -p -t $s >&2 || true
  echo "----- server -----" >&2
  tmux capture-pane -p -t $srv >&2 || true
  tail -20 "$data/scolarite.log" >&2 || true
  exit 1
}
# connect [ssh options...]: a new ssh client in the tmux session, its
# terminal in the language $CLIENT_LANG (none by default).
connect() {
  tmux kill-session -t $s 2>/dev/null || true
  tmux new-session -d -s $s -x 120 -y 35 -e LANG="${CLIENT_LANG:-}" \
    "ssh -p $port -o UserKnownHostsFile=$HOME/.ssh/known_hosts -o StrictHostKeyChecking=yes -o SendEnv=LANG -o IdentitiesOnly=yes $* nobody@127.0.0.1; echo SSH-EXITED; sleep 30"
}

echo "== serve on a fresh data dir"
tmux new-session -d -s $srv -x 200 -y 20 "$bin --data-dir $data serve --demo --listen 127.0.0.1:$port 2>&1; sleep 30"
deadline=$((SECONDS + 60))
until tmux capture-pane -p -t $srv | grep -q "serving on"; do
  [ $SECONDS -lt $deadline ] || fail "serve never said it was serving"
  sleep 0.3
done
# Publish the fingerprint as an operator would; the client checks it.
fp=$("$bin" --data-dir "$data" serve --print-host-key | cut -d' ' -f1)
tmux capture-pane -p -t $srv | grep -qF "$fp" || fail "the printed fingerprint $fp is not the one serve announced"
echo "[127.0.0.1]:$port $(cat "$data/ssh_host_ed25519_key.pub" | cut -d' ' -f1-2)" > "$HOME/.ssh/known_hosts"
[ "$(ssh-keygen -lf "$data/ssh_host_ed25519_key.pub" | cut -d' ' -f2)" = "$fp" ] || fail "ssh-keygen reads another fingerprint than $fp"
[ "$(stat -c %a "$data/ssh_host_ed25519_key")" = 600 ] || fail "the host key is not 0600"

echo "== a student with no key logs in with a password"
connect -o PubkeyAuthentication=no
wait_for "Mot de passe"
type_text etudiant; keys Tab
type_text etudiant-demo; keys Enter
wait_for "Mes notes ·"
wait_for "Moyenne pondérée"
screen | grep -q "Étudiants" && fail "a student sees the students table"
keys q
wait_for SSH-EXITED

echo "== the student's key, registered, opens the session without a password"
ssh-keygen -q -t ed25519 -N '' -C etudiant@lab -f "$HOME/.ssh/id_ed25519"
"$bin" --data-dir "$data" users keys add etudiant --key-file "$HOME/.ssh/id_ed25519.pub" >/dev/null
connect -i "$HOME/.ssh/id_ed25519"
wait_for "Connexion rapide"
wait_for "Mes notes ·"
keys q
wait_for SSH-EXITED

echo "== an English terminal gets English"
CLIENT_LANG=en_US.UTF-8 connect -i "$HOME/.ssh/id_ed25519"
wait_for "My grades ·"
keys q
wait_for SSH-EXITED

echo "== a removed key opens nothing"
"$bin" --data-dir "$data" users keys remove etudiant "$(ssh-keygen -lf "$HOME/.ssh/id_ed25519.pub" | cut -d' ' -f2)" >/dev/null
connect -i "$HOME/.ssh/id_ed25519"
wait_for "Mot de passe"
sleep 1
screen | grep -q "Mes notes" && fail "a removed key still opens the session"
keys C-c
wait_for SSH-EXITED

echo "== SIGTERM: the server stops in order"
connect -o PubkeyAuthentication=no
wait_for "Mot de passe"
pkill -TERM -f "^$bin --data-dir $data serve"
wait_for "Le serveur s'arrête" 30
wait_for SSH-EXITED 30
echo "E2E SSH OK"
