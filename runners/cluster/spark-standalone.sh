#!/usr/bin/env bash
# A Spark standalone cluster on this machine from candlebeam.jar (no Spark distribution needed):
#   runners/cluster/spark-standalone.sh start   # master on spark://127.0.0.1:7077, one worker
#   runners/cluster/spark-standalone.sh submit [flags]   # the candle job on it
#   runners/cluster/spark-standalone.sh stop
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$PWD/runners/target/candlebeam.jar"
home="${SPARK_STANDALONE_DIR:-/tmp/candlebeam-spark}"
master="spark://127.0.0.1:${SPARK_MASTER_PORT:-7077}"
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
    java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
    sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
case "${1:-}" in
  start)
    [ -f "$jar" ] || { echo "build the jar first: mvn -B -q -DskipTests package" >&2; exit 2; }
    mkdir -p "$home/spark-home/jars" "$home/work"
    ln -sf "$jar" "$home/spark-home/jars/candlebeam.jar"   # what the executors run from
    export SPARK_HOME="$home/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
    nohup java $opens -cp "$jar" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
      --port "${master##*:}" > "$home/master.log" 2>&1 & echo $! > "$home/master.pid"
    sleep 5
    nohup java $opens -cp "$jar" org.apache.spark.deploy.worker.Worker "$master" --host 127.0.0.1 \
      --cores "${SPARK_WORKER_CORES:-2}" --memory 2g --work-dir "$home/work" > "$home/worker.log" 2>&1 &
    echo $! > "$home/worker.pid"
    sleep 5
    echo "Spark master $master with one worker; logs in $home"
    ;;
  submit)
    shift
    exec java -Dspark.driver.host=127.0.0.1 "-Dspark.executor.extraJavaOptions=$opens" \
      -jar "$jar" --sparkMaster="$master" "$@"
    ;;
  stop)
    for p in worker master; do [ -f "$home/$p.pid" ] && kill "$(cat "$home/$p.pid")" 2>/dev/null || true; done
    ;;
  *) echo "usage: $0 start | submit [flags] | stop" >&2; exit 2 ;;
esac
