#!/usr/bin/env bash
# The streaming benchmark, against a real Kafka broker this script starts (and stops):
#   runners/bench/streaming.sh [backlog ticks] [live ticks/s] [live seconds] [state symbols]
#     (defaults 1,000,000  50,000  60  1,000)
#   THROUGHPUT_RUNNERS / LATENCY_RUNNERS (default "SparkRunner FlinkRunner") and STATE=0 pick parts;
#   STATE_SECONDS (180), STATE_HEAP (512m), STATE_FLAGS (more flags for the job) and
#   STATE_BASELINE_JAR (an older jar to compare) shape part 3; CANDLEBEAM_JAR runs another build
#   of the jar throughout; ROUNDS (3) rounds of parts 1 and 2, interleaved, then medians and spreads.
# 1. Throughput: a backlog of generated ticks in topic bench-backlog, read from the earliest offset
#    by the candle job (update mode) on SparkRunner and FlinkRunner; sustained ticks/s = ticks /
#    the ticks in candles after the first pane / (time the last tick is in - time of that pane),
#    start-up excluded; and the same over the second half of the ticks (JIT warm-up excluded).
# 2. Latency: LiveTicks sends wall-clock ticks at a steady rate for N seconds into bench-live while
#    the job runs in update mode (early panes every second, --batchIntervalMillis=1000 on Spark);
#    latency of an early pane = written - appended of the newest tick in it; p50/p99/max of the
#    panes from 10 s after the first on, and p99 of those from half the feed's length on that
#    were written while the feed ran (the warm-up behind, and not the last panes, which wait out
#    the trigger's delay once the feed has stopped: what a job caught up with a running feed gives).
# 3. State: the Spark streaming job over 1,000 symbols x 1-day windows under -Xmx512m, fed live
#    for 180 s; heap after a full GC every 30 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
source runners/bench/stats.sh
backlog=${1:-1000000}; rate=${2:-50000}; seconds=${3:-60}; state_symbols=${4:-1000}
state_seconds=${STATE_SECONDS:-180}
jar=${CANDLEBEAM_JAR:-runners/target/candlebeam.jar}
work=${BENCH_DIR:-/tmp/candlebeam-stream-bench}
[ -f "$jar" ] && [ -f kafka-broker/target/broker.classpath ] \
  || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
export SPARK_LOCAL_IP=127.0.0.1
rm -rf "$work"; mkdir -p "$work"
port=${KAFKA_PORT:-19092}
KAFKA_DATA="$work/kafka" KAFKA_PORT=$port kafka-broker/start.sh > "$work/broker.log" 2>&1 &
broker=$!
cleanup() { kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 60); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 1; done
bs=localhost:$port
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; broker on $bs (same machine)"

# job NAME RUNNER EXTRA... : starts the candle job in the background, streaming from Kafka
job() {
  local name=$1 runner=$2; shift 2
  java ${JOB_JAVA_OPTS:-} -jar "$jar" --runner="$runner" --streaming --source=kafka \
    --bootstrapServers=$bs --outputDir="$work/$name" --sinks=json \
    --triggerInterval=1s --reportIntervalSeconds=5 "$@" > "$work/$name.out" 2> "$work/$name.err" &
  echo $!
}
# stop PID: a graceful stop (SIGTERM), awaited for up to 120 s, then SIGKILL; the job is not a
# child of this shell (started in $(...)), so `wait` cannot await it
stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 120); do kill -0 "$1" 2>/dev/null || return 0; sleep 1; done
  kill -9 "$1" 2>/dev/null || true
}
# topic NAME: created up front by sending it one old tick (the broker auto-creates topics; KafkaIO
# cannot start on a topic that does not exist yet)
topic() {
  head -1 "$(ls "$work"/data/ticks/*.jsonl | head -1)" > "$work/one.jsonl"
  java -jar "$jar" produce --input="$work/one.jsonl" --topic="$1" --bootstrapServers=$bs \
    > /dev/null 2>&1
}

# 1. Throughput from a backlog
per_day=$(( backlog / 20 / 7 ))
java -jar "$jar" generate --out="$work/data" --symbols=20 --days=7 --ticksPerDay=$per_day \
  --files=7 --malformedEvery=0 --order=time --seed=11 > /dev/null
n=$(( per_day * 20 * 7 ))
java -jar "$jar" produce --input="$work/data/ticks/*.jsonl" --topic=bench-backlog --rate=max \
  --bootstrapServers=$bs > "$work/produce.out" 2>&1
echo "backlog: $(tail -1 "$work/produce.out")"
printf '\n| streaming | SparkRunner | FlinkRunner |\n|---|---|---|\n' > "$work/table.md"
declare -A through=([SparkRunner]=- [FlinkRunner]=-) latency=([SparkRunner]=- [FlinkRunner]=-)
declare -A rates halves p50s p99s late99s
rounds=${ROUNDS:-3}
for round in $(seq "$rounds"); do
  for runner in ${THROUGHPUT_RUNNERS-SparkRunner FlinkRunner}; do
    name="through-$runner-r$round"
    pid=$(job "$name" $runner --topics=bench-backlog --startingOffsets=earliest \
      --outputMode=update --allowedLateness=30d)
    line=$(java -cp "$jar" io.candlebeam.pipeline.bench.AwaitTicks "$work/$name/json" $n 600 || true)
    stop "$pid"
    echo "round $round throughput $runner: $line"
    rates[$runner]="${rates[$runner]:-} $(sustained "$line")"
    halves[$runner]="${halves[$runner]:-} $(second_half "$line")"
  done

  # 2. Latency of early panes from a live feed
  for runner in ${LATENCY_RUNNERS-SparkRunner FlinkRunner}; do
    name="live-$runner-r$round"
    topic bench-$name
    pid=$(job "$name" $runner --topics=bench-$name --startingOffsets=latest --outputMode=update)
    sleep 20 # start-up, so that the feed is read live
    java -cp "$jar" io.candlebeam.pipeline.bench.LiveTicks $bs bench-$name 20 $rate $seconds \
      > "$work/$name.feed"
    sleep 5
    stop "$pid"
    line="$(cat "$work/$name.feed"); $(java -cp "$jar" \
      io.candlebeam.pipeline.bench.PaneLatency "$work/$name/json" 10)"
    late=$(java -cp "$jar" io.candlebeam.pipeline.bench.PaneLatency "$work/$name/json" $(( seconds / 2 )))
    echo "round $round latency $runner: $line; from $(( seconds / 2 )) s on: $late"
    p50s[$runner]="${p50s[$runner]:-} $(echo "$line" | grep -o 'p50 [0-9.]*' | head -1 | grep -o '[0-9.]*$' || echo 999)"
    p99s[$runner]="${p99s[$runner]:-} $(echo "$line" | grep -o 'p99 [0-9.]*' | head -1 | grep -o '[0-9.]*$' || echo 999)"
    late99s[$runner]="${late99s[$runner]:-} $(echo "$late" | grep -o 'p99 [0-9.]*' | tail -1 | grep -o '[0-9.]*$' || echo 999)"
  done
done
# shellcheck disable=SC2086
for runner in SparkRunner FlinkRunner; do
  if [ -n "${rates[$runner]:-}" ]; then
    through[$runner]="median $(median ${rates[$runner]}) ticks/s ($(spread ${rates[$runner]})); second half of the ticks $(median ${halves[$runner]}) ($(spread ${halves[$runner]}))"
  fi
  if [ -n "${p50s[$runner]:-}" ]; then
    latency[$runner]="median p50 $(median ${p50s[$runner]}) s ($(spread ${p50s[$runner]})), p99 $(median ${p99s[$runner]}) s ($(spread ${p99s[$runner]})); p99 of the panes from $(( seconds / 2 )) s on, written while fed, $(median ${late99s[$runner]}) s ($(spread ${late99s[$runner]}))"
  fi
done

# 3. State for many symbols: a live feed over $state_symbols symbols (all in today's window) into
#    the Spark job under -Xmx512m (1 s micro-batches); heap after a forced full GC (jstat: survivors
#    + eden + old) every 30 s, and the records the job read (must equal those sent). Flat = state
#    grows with symbols x windows; rising = with micro-batches.
#    STATE_BASELINE_JAR=<an older candlebeam.jar> measures that jar the same way, in the same run.
heap_after_gc() {
  jcmd "$1" GC.run > /dev/null 2>&1 || true
  jstat -gc "$1" 2>/dev/null | awk 'NR==2 {printf "%.0f", ($3+$4+$6+$8)/1024}'
}
# state_run LABEL JAR: prints the heap samples, whether the job survived, the ticks sent and the
# records the job read
state_run() {
  local label=$1 state_jar=$2 heap=${STATE_HEAP:-512m} samples="" pid feed alive
  topic bench-state-$label
  pid=$(jar=$state_jar JOB_JAVA_OPTS="-Xmx$heap" job state-$label SparkRunner \
    --topics=bench-state-$label --startingOffsets=latest --outputMode=update ${STATE_FLAGS:-})
  sleep 20
  java -cp "$jar" io.candlebeam.pipeline.bench.LiveTicks $bs bench-state-$label $state_symbols 20000 \
    $state_seconds > "$work/state-$label.feed" &
  feed=$!
  for t in $(seq 30 30 "$state_seconds"); do
    sleep 30
    samples="$samples ${t}s: $(heap_after_gc "$pid") MiB;"
  done
  wait $feed || true
  alive=$(kill -0 "$pid" 2>/dev/null && echo "ran within -Xmx$heap" || echo "DIED (see $work/state-$label.err)")
  stop "$pid"
  echo "heap after full GC at$samples $alive ($(cat "$work/state-$label.feed"); job: $(grep -o 'records read [0-9]*' \
    "$work/state-$label.out" | tail -1))"
}
state_result=-
if [ "${STATE:-1}" = 1 ]; then
  state_result=$(state_run current "$jar")
  echo "state: $state_result"
  if [ -n "${STATE_BASELINE_JAR:-}" ]; then
    state_baseline=$(state_run baseline "$STATE_BASELINE_JAR")
    echo "state, baseline $STATE_BASELINE_JAR: $state_baseline"
    state_result="$state_result<br>baseline ($(basename "$STATE_BASELINE_JAR")): $state_baseline"
  fi
fi

{
  printf '| sustained ticks/s from a Kafka backlog (%d ticks) | %s | %s |\n' $n "${through[SparkRunner]}" "${through[FlinkRunner]}"
  printf '| early-pane latency, live feed %s ticks/s for %s s | %s | %s |\n' $rate $seconds "${latency[SparkRunner]}" "${latency[FlinkRunner]}"
  printf '| state, %s symbols x 1-day windows, live 20,000 ticks/s for %s s | %s | - |\n' $state_symbols $state_seconds "$state_result"
} >> "$work/table.md"
cat "$work/table.md"
