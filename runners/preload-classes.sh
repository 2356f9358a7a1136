#!/usr/bin/env bash
# Writes the class lists ClassPreloader loads ahead of a run (src/main/resources/.../preload/):
# for each runner, the classes a batch run of the bundled data loads after Main, in load order,
# only those read from candlebeam.jar (not the JDK's own, nor generated ones: lambdas, proxies,
# accessors, nor Flink's RPC classes, which it loads from a jar of its own).
# Run after `mvn -B -q -DskipTests package` when Beam, Spark or Flink change:
#   runners/preload-classes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jar=runners/target/candlebeam.jar
dest=runners/src/main/resources/io/candlebeam/runners/preload
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
export SPARK_LOCAL_IP=127.0.0.1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
for runner in SparkRunner FlinkRunner DirectRunner; do
  # the list of the run itself would make it load its classes ahead: record without one
  java -Dcandlebeam.preload=false -Xlog:class+load:file="$work/$runner.log" -jar "$jar" \
    --runner="$runner" --outputDir="$work/out-$runner" > /dev/null 2>&1
  { echo "# classes a batch run of the bundled data on the $runner loaded after Main, in load order"
    echo "# (runners/preload-classes.sh; ClassPreloader)"
    awk '/ io\.candlebeam\.runners\.Main /{on=1; next} on' "$work/$runner.log" \
      | grep " source: file:.*/$(basename "$jar")$" | awk '{print $2}'
  } > "$dest/$runner.classes"
  echo "$runner: $(grep -vc '^#' "$dest/$runner.classes") classes"
done
