#!/usr/bin/env bash
# Runs the native Spark baseline: native-spark/run.sh stream|batch|check ARGS... (build first:
# mvn -B -q -DskipTests install). Spark's Java 17 flags, as for every Spark JVM here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
opens=$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' "$here/../pom.xml")
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# shellcheck disable=SC2086
exec java $opens ${NATIVE_JAVA_OPTS:-} -cp "$here/target/classes:$(cat "$here/target/native.classpath")" \
  io.candlebeam.nativespark.NativeSparkCandles "$@"
