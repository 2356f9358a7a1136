#!/usr/bin/env bash
# Kafka backlog throughput of one or more builds of the jar, side by side in one run:
#   runners/bench/backlog.sh [backlog ticks] [jar...]
#     (defaults 1,000,000 and runners/target/candlebeam.jar); RUNNER (SparkRunner), ROUNDS (3).
# One broker (started and stopped here), one generated backlog (20 symbols x 7 days, event-time
# order, topic bench-backlog); each round runs every jar once, in turn, reading the topic from
# earliest in update mode with --allowedLateness=30d (the flags of streaming.sh part 1, which the
# builds before the per-partition watermark needed to keep the backlog on time). Sustained ticks/s
# = ticks / (time the last tick is in a candle - time the first pane appeared), start-up excluded.
# Prints each run and, per jar, the medians and min-max spreads of the sustained rate and of the
# rate over the second half of the ticks (JIT warm-up behind).
set -euo pipefail
cd "$(dirname "$0")/../.."
source runners/bench/stats.sh
backlog=${1:-1000000}; shift || true
jars=("$@"); [ ${#jars[@]} -gt 0 ] || jars=(runners/target/candlebeam.jar)
runner=${RUNNER:-SparkRunner}; rounds=${ROUNDS:-3}
work=${BENCH_DIR:-/tmp/candlebeam-backlog-bench}
[ -f kafka-broker/target/broker.classpath ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
export SPARK_LOCAL_IP=127.0.0.1
rm -rf "$work"; mkdir -p "$work"
port=${KAFKA_PORT:-19093}
KAFKA_DATA="$work/kafka" KAFKA_PORT=$port kafka-broker/start.sh > "$work/broker.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null || true; wait $broker 2>/dev/null || true' EXIT
for _ in $(seq 60); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 1; done
bs=localhost:$port
jar0=${jars[0]}
per_day=$(( backlog / 20 / 7 ))
java -jar "$jar0" generate --out="$work/data" --symbols=20 --days=7 --ticksPerDay=$per_day \
  --files=7 --malformedEvery=0 --order=time --seed=11 > /dev/null
n=$(( per_day * 20 * 7 ))
java -jar "$jar0" produce --input="$work/data/ticks/*.jsonl" --topic=bench-backlog --rate=max \
  --bootstrapServers=$bs > "$work/produce.out" 2>&1
echo "machine: $(nproc) cores; $runner; backlog: $(tail -1 "$work/produce.out")"
declare -A results halves
for round in $(seq "$rounds"); do
  for i in "${!jars[@]}"; do
    name="r$round-j$i"
    java -jar "${jars[$i]}" --runner="$runner" --streaming --source=kafka --bootstrapServers=$bs \
      --topics=bench-backlog --startingOffsets=earliest --outputMode=update --allowedLateness=30d \
      --triggerInterval=1s --reportIntervalSeconds=5 --sinks=json --outputDir="$work/$name" \
      --checkpointDir="$work/$name-ckpt" > "$work/$name.out" 2> "$work/$name.err" &
    pid=$!
    line=$(java -cp "$jar0" io.candlebeam.pipeline.bench.AwaitTicks "$work/$name/json" $n 600 \
      || true)
    kill $pid 2>/dev/null || true
    for _ in $(seq 120); do kill -0 $pid 2>/dev/null || break; sleep 1; done
    kill -9 $pid 2>/dev/null || true
    rate=$(sustained "$line"); half=$(second_half "$line")
    echo "round $round ${jars[$i]}: $rate ticks/s, second half $half ticks/s"
    results[$i]="${results[$i]:-} $rate"
    halves[$i]="${halves[$i]:-} $half"
  done
done
for i in "${!jars[@]}"; do
  # shellcheck disable=SC2086
  echo "${jars[$i]}: median $(median ${results[$i]}) ticks/s, spread $(spread ${results[$i]});" \
    "second half median $(median ${halves[$i]}), spread $(spread ${halves[$i]}) ($rounds runs)"
done
