#!/usr/bin/env bash
# Starts a local Apache Kafka broker (KRaft, one node) on localhost:9092 in the foreground, from the
# Maven Central jars this module resolves. Data in ${KAFKA_DATA:-/tmp/candlebeam-kafka}; Ctrl+C stops it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${KAFKA_DATA:-/tmp/candlebeam-kafka}"
port="${KAFKA_PORT:-9092}"
[ -f "$here/target/broker.classpath" ] || mvn -q -B -f "$here/pom.xml" generate-resources
cp="$(cat "$here/target/broker.classpath")"
mkdir -p "$data"
cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((port + 1))
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://localhost:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${data}/logs
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
if [ ! -f "$data/logs/meta.properties" ]; then
  # a random cluster id (16 bytes, base64url); its first character is a letter, since one that
  # begins with "-" is taken for an option (about one start in 64 failed so)
  id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | head -c22)
  java -cp "$cp" kafka.tools.StorageTool format -t "A${id:1}" -c "$data/server.properties"
fi
echo "Kafka broker on localhost:${port} (data in ${data}); Ctrl+C to stop"
exec java -Xmx512m -cp "$cp" kafka.Kafka "$data/server.properties"
