#!/usr/bin/env bash
# A Spark Connect server for `scolarite analytics --engine spark` and its
# tests: pyspark (pinned) from the Python registry in a venv, the Kafka
# connector and its dependencies from the Maven registry, one local[2]
# server.
#
#   scripts/spark.sh start   # installs on first use, starts, waits, prints sc://host:port last
#   scripts/spark.sh stop    # stops it and waits
#
# SPARK_DIR (default <repo>/.spark) holds the venv, the jars, the log and
# the pid file; SPARK_CONNECT_PORT (default 15002) is the server's port;
# SPARK_DRIVER_MEMORY (default 2g) its heap. Installs are cached in
# SPARK_DIR (and pip's and Maven's own caches), so only the first start
# downloads.
set -euo pipefail

PYSPARK_VERSION=4.0.1
# The connector's delegation-token helper is not served at 4.0.1 by the
# registry here; 4.0.0 is the same API (the connector only calls it when
# Kafka delegation tokens are configured).
TOKEN_PROVIDER_VERSION=4.0.0
SCALA=2.13

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${SPARK_DIR:-$repo/.spark}
port=${SPARK_CONNECT_PORT:-15002}
host=127.0.0.1
venv=$dir/venv
jars=$dir/jars-$PYSPARK_VERSION
log=$dir/spark-connect.log
pidfile=$dir/spark-connect.pid

say() { echo "spark.sh: $*" >&2; }

running() {
	[[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

answers() {
	# A Spark Connect server is a gRPC server: the port accepting a
	# connection is not enough while the JVM starts (the port opens
	# last), so this is the check.
	(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

install_pyspark() {
	if [[ -x $venv/bin/spark-submit && -f $venv/.pyspark-$PYSPARK_VERSION ]]; then
		return
	fi
	say "installing pyspark==$PYSPARK_VERSION into $venv (about 320 MB)"
	python3 -m venv "$venv"
	"$venv/bin/pip" install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION" >&2
	touch "$venv/.pyspark-$PYSPARK_VERSION"
}

spark_home() {
	"$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'
}

# install_jars fetches the Kafka connector (and the connect server when
# pyspark lacks it) with its dependencies, less what Spark already ships.
install_jars() {
	local home=$1
	if [[ -f $jars/.done ]]; then
		return
	fi
	local extra=""
	if ! ls "$home"/jars/spark-connect_"$SCALA"-*.jar >/dev/null 2>&1; then
		extra="<dependency><groupId>org.apache.spark</groupId><artifactId>spark-connect_$SCALA</artifactId><version>$PYSPARK_VERSION</version></dependency>"
	fi
	say "fetching spark-sql-kafka-0-10_$SCALA $PYSPARK_VERSION and its dependencies with Maven"
	local work
	work=$(mktemp -d)
	cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>scolarite</groupId><artifactId>spark-jars</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.spark</groupId><artifactId>spark-sql-kafka-0-10_$SCALA</artifactId>
      <version>$PYSPARK_VERSION</version>
      <exclusions><exclusion>
        <groupId>org.apache.spark</groupId><artifactId>spark-token-provider-kafka-0-10_$SCALA</artifactId>
      </exclusion></exclusions>
    </dependency>
    <dependency>
      <groupId>org.apache.spark</groupId><artifactId>spark-token-provider-kafka-0-10_$SCALA</artifactId>
      <version>$TOKEN_PROVIDER_VERSION</version>
    </dependency>
    $extra
  </dependencies>
</project>
EOF
	# Spark's parent POM lists a mirror of Maven Central first, which may
	# not be reachable: send it to Central itself, whose address Maven's
	# own super POM gives.
	local central
	central=$(unzip -p "$(ls "${MAVEN_HOME:-/usr/share/maven}"/lib/maven-model-builder*.jar | head -n 1)" \
		org/apache/maven/model/pom-4.0.0.xml | grep -o '<url>[^<]*</url>' | head -n 1 | sed 's/<[^>]*>//g')
	cat >"$work/settings.xml" <<EOF
<settings><mirrors><mirror>
  <id>central-for-spark</id><mirrorOf>gcs-maven-central-mirror</mirrorOf><url>$central</url>
</mirror></mirrors></settings>
EOF
	rm -rf "$jars.tmp"
	mvn -q -B -Dstyle.color=never -s "$work/settings.xml" -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$jars.tmp" >&2
	rm -rf "$work"
	# Spark's own jars are on its class path already, maybe at another
	# version: two copies of a class (Scala's library, slf4j) would clash.
	local f artifact
	for f in "$jars.tmp"/*.jar; do
		artifact=$(basename "$f" | sed -E 's/-[0-9][^-]*\.jar$//')
		if compgen -G "$home/jars/$artifact-[0-9]*.jar" >/dev/null; then
			rm "$f"
		fi
	done
	rm -rf "$jars"
	mv "$jars.tmp" "$jars"
	touch "$jars/.done"
}

start() {
	mkdir -p "$dir"
	if running; then
		if answers; then
			echo "sc://$host:$port"
			return
		fi
	else
		install_pyspark
		local home
		home=$(spark_home)
		install_jars "$home"
		local list
		list=$(find "$jars" -name '*.jar' | sort | paste -sd, -)
		say "starting the Spark Connect server on $host:$port (log: $log)"
		: >"$log"
		# setsid: the server outlives this script and its terminal.
		SPARK_HOME=$home PYSPARK_PYTHON=$venv/bin/python setsid "$venv/bin/spark-submit" \
			--class org.apache.spark.sql.connect.service.SparkConnectServer \
			--master 'local[2]' \
			--driver-memory "${SPARK_DRIVER_MEMORY:-2g}" \
			--conf spark.connect.grpc.binding.address=$host \
			--conf spark.connect.grpc.binding.port="$port" \
			--conf spark.ui.enabled=false \
			--conf spark.sql.shuffle.partitions=4 \
			--conf spark.driver.host=$host \
			--conf "spark.local.dir=$dir/tmp" \
			--conf "spark.sql.warehouse.dir=$dir/warehouse" \
			--conf "spark.driver.extraJavaOptions=-Dderby.system.home=$dir/derby" \
			--jars "$list" \
			</dev/null >>"$log" 2>&1 &
		echo $! >"$pidfile"
	fi
	local deadline=$((SECONDS + ${SPARK_START_TIMEOUT:-180}))
	until answers; do
		if ! running; then
			say "the server stopped while starting; the end of $log:"
			tail -n 40 "$log" >&2
			rm -f "$pidfile"
			exit 1
		fi
		if ((SECONDS > deadline)); then
			say "no answer on $host:$port after ${SPARK_START_TIMEOUT:-180}s; see $log"
			exit 1
		fi
		sleep 1
	done
	echo "sc://$host:$port"
}

stop() {
	if ! running; then
		rm -f "$pidfile"
		say "not running"
		return
	fi
	local pid
	pid=$(cat "$pidfile")
	kill "$pid"
	local deadline=$((SECONDS + 60))
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS > deadline)); then
			say "still running after 60s: killing $pid"
			kill -9 "$pid" 2>/dev/null || true
		fi
		sleep 1
	done
	rm -f "$pidfile"
	say "stopped"
}

case ${1:-} in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
