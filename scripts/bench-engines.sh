#!/usr/bin/env bash
# Compares the analytics engines on one topic of N of our events (one
# student each, 4 partitions): the in-process engine, Spark local[2]
# through Spark Connect, and pandas' groupby('major')['age'].describe()
# over the same records. Prints wall time and peak memory of each.
#
#   scripts/kafka.sh start && scripts/spark.sh start
#   SCOLARITE_KAFKA_BROKERS=127.0.0.1:9092 scripts/bench-engines.sh [N]
#
# Needs Debian's python3-pandas (/usr/bin/python3) and /usr/bin/time. The
# Spark server is restarted first so that its peak memory is this run's.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-1000000}
brokers=${SCOLARITE_KAFKA_BROKERS:?set SCOLARITE_KAFKA_BROKERS (scripts/kafka.sh start prints it)}
spark_dir=${SPARK_DIR:-$repo/.spark}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
topic=bench-engines-$(date +%s)

cd "$repo"
go build -o "$work/scolarite" .
go run ./scripts/benchfill -brokers "$brokers" -topic "$topic" -n "$n"

measure() { # label, command...: wall seconds and peak RSS of the command
	local label=$1
	shift
	/usr/bin/time -f "$label: %e s wall, %M KB peak RSS, %U s user, %S s system" -o "$work/time" "$@" >"$work/$label.out"
	cat "$work/time"
}

echo "== in-process (Go), --idle 1s included in the wall time"
measure go "$work/scolarite" --data-dir "$work/go" analytics --brokers "$brokers" --topic "$topic" \
	--group "$topic-go" --db "$work/go.db" --out "$work/out-go" --until-idle --idle 1s
grep -o "lus et traités en [0-9,]* [a-z]*" "$work/out-go/rapport_analyse_etudiants.md" || true

echo "== Spark local[2] (server restarted; the client's figures, then the server's)"
bash scripts/spark.sh stop >/dev/null 2>&1 || true
remote=$(bash scripts/spark.sh start | tail -n 1)
pid=$(cat "$spark_dir/spark-connect.pid")
base=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
measure spark "$work/scolarite" --data-dir "$work/spark" analytics --engine spark --spark-remote "$remote" \
	--brokers "$brokers" --topic "$topic" --group "$topic-spark" --db "$work/spark.db" --out "$work/out-spark"
echo "spark server: $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") KB peak RSS ($base KB when idle, before the run)"
grep -h 'analytics: Spark decoded\|analytics: stored\|analytics: done' "$work/spark/scolarite.log" | sed 's/^/  /'

echo "== pandas over the same records (the students the in-process run stored)"
/usr/bin/python3 - "$work/go.db" "$work/records.csv" <<'EOF'
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["major", "age"])
    w.writerows(db.execute("SELECT major, age FROM records"))
EOF
cat >"$work/bench_pandas.py" <<'EOF'
import sys, time
t0 = time.perf_counter()
import pandas as pd
t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t2 = time.perf_counter()
table = df.groupby("major")["age"].describe()
t3 = time.perf_counter()
print(table)
print(f"import {t1-t0:.2f} s, read_csv {t2-t1:.2f} s ({len(df)} rows), groupby describe {t3-t2:.3f} s")
EOF
measure pandas /usr/bin/python3 "$work/bench_pandas.py" "$work/records.csv"
cat "$work/pandas.out"

echo "== the tables"
sed -n '/MAJOR/,$p' "$work/go.out"
sed -n '/MAJOR/,$p' "$work/spark.out"
