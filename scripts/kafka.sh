#!/usr/bin/env bash
# kafka.sh start|stop|status — a one-node Apache Kafka (KRaft: broker and
# controller in one JVM) for the tests, its jars fetched from the Maven
# registry with mvn (cached in ~/.m2).
#
#   start   fetches the jars (first time), makes the certificates and the
#           SCRAM password (first time), formats the storage (first time),
#           starts the broker in the background, waits until it answers a
#           metadata request, writes $KAFKA_DIR/kafka.env and prints the
#           plaintext bootstrap address host:port as its last line. When the
#           broker already runs it only prints the address.
#   stop    stops it (SIGTERM, a controlled shutdown) and waits for it.
#   status  prints the address if it runs, fails otherwise.
#
# Environment (all optional):
#   KAFKA_DIR      state directory (default <repo>/.kafka): jars, data,
#                  certificates, logs (logs/server.log; the tools: logs/tools.log),
#                  pid file, kafka.env
#   KAFKA_HOST     address it listens on and advertises (default 127.0.0.1)
#   KAFKA_PORT     plaintext port P (default 9092). The other listeners:
#                    P+1 controller (KRaft, internal)
#                    P+2 SSL, client certificate required
#                    P+3 SASL_SSL, client certificate required, and
#                        SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN
#                    P+4 SASL_PLAINTEXT, SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN
#   KAFKA_VERSION  Apache Kafka version from the Maven registry (default 4.1.1)
#   KAFKA_START_TIMEOUT  seconds to wait for the broker (default 180)
#
# kafka.env exports, for the tests (source it):
#   SCOLARITE_KAFKA_BROKERS            host:P         plaintext
#   SCOLARITE_KAFKA_SSL_BROKERS        host:P+2       TLS, client certificate
#   SCOLARITE_KAFKA_SASL_SSL_BROKERS   host:P+3       TLS, client cert + SASL
#   SCOLARITE_KAFKA_SASL_BROKERS       host:P+4       SASL without TLS
#   SCOLARITE_KAFKA_TLS_CA             the CA (PEM) that signed the broker and the client
#   SCOLARITE_KAFKA_TLS_CERT           client certificate (PEM)
#   SCOLARITE_KAFKA_TLS_KEY            its key (PEM, PKCS#8)
#   SCOLARITE_KAFKA_SASL_USER          user known to SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN
#   SCOLARITE_KAFKA_SASL_PASSWORD      its password (random, made at the first start)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
dir=${KAFKA_DIR:-$repo/.kafka}
host=${KAFKA_HOST:-127.0.0.1}
port=${KAFKA_PORT:-9092}
version=${KAFKA_VERSION:-4.1.1}
timeout=${KAFKA_START_TIMEOUT:-180}
user=scolarite

controller_port=$((port + 1))
ssl_port=$((port + 2))
sasl_ssl_port=$((port + 3))
sasl_port=$((port + 4))

libs=$dir/libs
data=$dir/data
logs=$dir/logs
tlsdir=$dir/tls
pidfile=$dir/kafka.pid
props=$dir/server.properties
envfile=$dir/kafka.env

die() {
	echo "kafka.sh: $*" >&2
	exit 1
}

need() {
	command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"
}

running() {
	[[ -f $pidfile ]] || return 1
	local pid
	pid=$(cat "$pidfile")
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null &&
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $props"
}

# fetch_jars resolves the broker, the storage tool (in the broker's jar) and
# the admin tools (without Kafka Connect), plus an SLF4J binding so that
# everything logs through log4j2 to a file.
fetch_jars() {
	[[ -f $libs/.version && $(cat "$libs/.version") == "$version" ]] && return 0
	need mvn "apt-get install -y maven"
	mkdir -p "$dir/maven"
	cat >"$dir/maven/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>scolarite.test</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$version</version></dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$version</version>
      <exclusions><exclusion><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId></exclusion></exclusions>
    </dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
EOF
	rm -rf "$libs"
	if ! mvn -q -B -f "$dir/maven/pom.xml" dependency:copy-dependencies \
		-DoutputDirectory="$libs" -DincludeScope=runtime >"$dir/maven/mvn.log" 2>&1; then
		cat "$dir/maven/mvn.log" >&2
		die "could not fetch Apache Kafka $version with Maven"
	fi
	echo "$version" >"$libs/.version"
}

# make_tls writes a CA, the broker's certificate (localhost, 127.0.0.1 and
# KAFKA_HOST) with its key in one PEM file (Kafka's PEM keystore) and a
# client certificate (CN=scolarite).
make_tls() {
	[[ -f $tlsdir/client.pem && -f $tlsdir/san && $(cat "$tlsdir/san") == "$host" ]] && return 0
	need openssl "apt-get install -y openssl"
	rm -rf "$tlsdir"
	mkdir -p "$tlsdir"
	(
		cd "$tlsdir"
		local san="DNS:localhost,IP:127.0.0.1"
		if [[ $host =~ ^[0-9.]+$ ]]; then
			[[ $host != 127.0.0.1 ]] && san+=",IP:$host"
		elif [[ $host != localhost ]]; then
			san+=",DNS:$host"
		fi
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
			-subj "/CN=Scolarite test CA" -keyout ca-key.pem -out ca.pem \
			-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=broker" \
			-keyout broker-key.pem -out broker.csr
		printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\n' "$san" >broker.ext
		openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
			-extfile broker.ext -out broker-cert.pem
		cat broker-key.pem broker-cert.pem ca.pem >broker.pem
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$user" \
			-keyout client-key.pem -out client.csr
		printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n' >client.ext
		openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
			-extfile client.ext -out client.pem
		rm -f ./*.csr ./*.ext ca.srl
		chmod 600 ./*key*.pem broker.pem
		echo "$host" >san
	) >"$logs/tls.log" 2>&1 || {
		cat "$logs/tls.log" >&2
		die "could not make the certificates"
	}
}

password() {
	if [[ ! -s $dir/sasl-password ]]; then
		need od "coreutils"
		od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/sasl-password"
		chmod 600 "$dir/sasl-password"
	fi
	cat "$dir/sasl-password"
}

write_config() {
	local pw=$1
	local scram='org.apache.kafka.common.security.scram.ScramLoginModule required;'
	local plain="org.apache.kafka.common.security.plain.PlainLoginModule required user_$user=\"$pw\";"
	cat >"$props" <<EOF
# Written by scripts/kafka.sh at every start: edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$host:$controller_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port,SSL://$host:$ssl_port,SASL_SSL://$host:$sasl_ssl_port,SASL_PLAINTEXT://$host:$sasl_port
advertised.listeners=PLAINTEXT://$host:$port,SSL://$host:$ssl_port,SASL_SSL://$host:$sasl_ssl_port,SASL_PLAINTEXT://$host:$sasl_port
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,SASL_PLAINTEXT:SASL_PLAINTEXT
log.dirs=$data

ssl.keystore.type=PEM
ssl.keystore.location=$tlsdir/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$tlsdir/ca.pem
ssl.client.auth=required
listener.name.sasl_ssl.ssl.client.auth=required

sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$scram
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$scram
listener.name.sasl_ssl.plain.sasl.jaas.config=$plain
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$scram
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$scram
listener.name.sasl_plaintext.plain.sasl.jaas.config=$plain

# One node; tests use short group sessions and create their own topics.
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=100
log.retention.hours=24
EOF
	chmod 600 "$props"
	cat >"$dir/log4j2.xml" <<EOF
<Configuration status="warn">
  <Appenders>
    <File name="file" fileName="$logs/server.log"><PatternLayout pattern="[%d] %p %m (%c)%n"/></File>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="warn"/>
    <Logger name="org.apache.kafka.controller" level="info"/>
    <Root level="info"><AppenderRef ref="file"/></Root>
  </Loggers>
</Configuration>
EOF
	cat >"$dir/log4j2-tools.xml" <<EOF
<Configuration status="warn">
  <Appenders>
    <File name="file" fileName="$logs/tools.log"><PatternLayout pattern="[%d] %p %m (%c)%n"/></File>
  </Appenders>
  <Loggers><Root level="warn"><AppenderRef ref="file"/></Root></Loggers>
</Configuration>
EOF
}

# java_cmd runs a tool of the jars (storage format, admin), logging to
# logs/tools.log.
java_cmd() {
	java -Xmx256m -Djava.awt.headless=true -Dlog4j2.configurationFile="$dir/log4j2-tools.xml" \
		-cp "$libs/*" "$@"
}

format() {
	[[ -f $data/meta.properties ]] && return 0
	local pw=$1 id
	id=$(java_cmd kafka.tools.StorageTool random-uuid 2>>"$logs/format.log") ||
		{ cat "$logs/format.log" >&2; die "could not make a cluster id"; }
	if ! java_cmd kafka.tools.StorageTool format -t "$id" -c "$props" \
		--add-scram "SCRAM-SHA-512=[name=$user,password=$pw]" \
		--add-scram "SCRAM-SHA-256=[name=$user,password=$pw]" >>"$logs/format.log" 2>&1; then
		cat "$logs/format.log" >&2
		die "could not format the storage in $data"
	fi
}

write_env() {
	local pw=$1
	cat >"$envfile" <<EOF
# Written by scripts/kafka.sh start: source it to run the tests against this broker.
export SCOLARITE_KAFKA_BROKERS=$host:$port
export SCOLARITE_KAFKA_SSL_BROKERS=$host:$ssl_port
export SCOLARITE_KAFKA_SASL_SSL_BROKERS=$host:$sasl_ssl_port
export SCOLARITE_KAFKA_SASL_BROKERS=$host:$sasl_port
export SCOLARITE_KAFKA_TLS_CA=$tlsdir/ca.pem
export SCOLARITE_KAFKA_TLS_CERT=$tlsdir/client.pem
export SCOLARITE_KAFKA_TLS_KEY=$tlsdir/client-key.pem
export SCOLARITE_KAFKA_SASL_USER=$user
export SCOLARITE_KAFKA_SASL_PASSWORD=$pw
EOF
	chmod 600 "$envfile"
}

port_open() {
	(exec 3<>"/dev/tcp/$host/$1") 2>/dev/null
}

start() {
	if running; then
		local was
		was=$(cat "$dir/address" 2>/dev/null || true)
		[[ $was == "$host:$port" ]] || die "the broker of $dir already runs on ${was:-another address}: stop it first"
		echo "$host:$port"
		return 0
	fi
	need java "apt-get install -y openjdk-17-jre-headless"
	mkdir -p "$dir" "$data" "$logs"
	local p
	for p in "$port" "$controller_port" "$ssl_port" "$sasl_ssl_port" "$sasl_port"; do
		if port_open "$p"; then
			die "$host:$p is taken by another program (the broker needs $port to $sasl_port: set KAFKA_PORT)"
		fi
	done
	fetch_jars
	make_tls
	local pw
	pw=$(password)
	write_config "$pw"
	format "$pw"
	write_env "$pw"
	: >"$logs/server.log"
	setsid java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
		-Dlog4j2.configurationFile="$dir/log4j2.xml" -Dkafka.logs.dir="$logs" \
		-cp "$libs/*" kafka.Kafka "$props" >"$logs/kafka.out" 2>&1 </dev/null &
	echo $! >"$pidfile"
	echo "$host:$port" >"$dir/address"
	local pid deadline
	pid=$(cat "$pidfile")
	deadline=$((SECONDS + timeout))
	until grep -q "Kafka Server started" "$logs/server.log" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 40 "$logs/server.log" "$logs/kafka.out" >&2 || true
			rm -f "$pidfile"
			die "the broker stopped while starting (logs in $logs)"
		fi
		if ((SECONDS > deadline)); then
			tail -n 40 "$logs/server.log" >&2 || true
			stop
			die "the broker did not start within ${timeout}s (logs in $logs)"
		fi
		sleep 0.5
	done
	# A metadata request through the admin client: the broker answers.
	until java_cmd org.apache.kafka.tools.TopicCommand --bootstrap-server "$host:$port" --list >"$logs/check.log" 2>&1; do
		if ((SECONDS > deadline)); then
			cat "$logs/check.log" >&2
			stop
			die "the broker does not answer on $host:$port (logs in $logs)"
		fi
		sleep 1
	done
	echo "$host:$port"
}

stop() {
	if ! running; then
		rm -f "$pidfile"
		return 0
	fi
	local pid i
	pid=$(cat "$pidfile")
	kill -TERM "$pid"
	for ((i = 0; i < 120; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "kafka.sh: the broker did not stop within 60s: killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
		while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
	fi
	rm -f "$pidfile"
}

case ${1:-} in
start) start ;;
stop) stop ;;
status)
	running || die "not running"
	cat "$dir/address"
	;;
*)
	echo "usage: $0 start|stop|status" >&2
	exit 2
	;;
esac
