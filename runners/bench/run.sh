#!/usr/bin/env bash
# The benchmark: one generated data set, every contender on it in one run, side by side.
#   runners/bench/run.sh [ticks] [symbols] [days]        (default 5,000,000 ticks, 20 symbols, 7 days)
# Contenders: candlebeam batch on SparkRunner local[*], FlinkRunner (embedded) and DirectRunner
# (only up to 1M ticks); native Spark (Structured Streaming with availableNow, and its batch twin,
# native-spark/); a plain-Java loop (the machine's practical limit). Prints wall time, ticks/s, peak
# RSS and ratios to native Spark Structured Streaming and to the plain loop, and checks that every
# contender's candles equal the generator's independent reference. Needs `mvn -B -q -DskipTests
# package` first (the jar and native-spark's classpath).
set -euo pipefail
cd "$(dirname "$0")/../.."
ticks=${1:-5000000}; symbols=${2:-20}; days=${3:-7}
jar=runners/target/candlebeam.jar
work=${BENCH_DIR:-/tmp/candlebeam-bench}
[ -f "$jar" ] && [ -f native-spark/target/native.classpath ] \
  || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
export SPARK_LOCAL_IP=127.0.0.1
rm -rf "$work"; mkdir -p "$work"
per_day=$(( ticks / symbols / days ))
java -jar "$jar" generate --out="$work/data" --symbols="$symbols" --days="$days" \
  --ticksPerDay="$per_day" --files=$(( days * 2 )) --malformedEvery=100000 --seed=7 >/dev/null
n=$(( per_day * symbols * days ))
bytes=$(du -sb "$work/data/ticks" | cut -f1)
echo "data: $n ticks, $(( bytes / 1024 / 1024 )) MiB in $(( days * 2 )) files; machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB"

# run NAME COMMAND... : wall seconds and peak RSS (MiB) of one contender
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err" \
    || { echo "$name failed: $(tail -3 "$work/$name.err")" >&2; echo "nan 0" > "$work/$name.time"; }
}
run plain java -cp "$jar" io.candlebeam.pipeline.bench.PlainLoop "$work/data/ticks"
run native-stream native-spark/run.sh stream "$work/data/ticks" "$work/native-stream"
run native-batch native-spark/run.sh batch "$work/data/ticks" "$work/native-batch"
run spark java -jar "$jar" --runner=SparkRunner --input="$work/data/ticks/*.jsonl" --outputDir="$work/spark" --sinks=json
run flink java -jar "$jar" --runner=FlinkRunner --input="$work/data/ticks/*.jsonl" --outputDir="$work/flink" --sinks=json
if [ "$n" -le 1000000 ]; then
  run direct java -jar "$jar" --runner=DirectRunner --input="$work/data/ticks/*.jsonl" --outputDir="$work/direct" --sinks=json
fi

# Do the candles agree with the reference? (show prints the latest pane of each candle)
agree() {
  [ -d "$work/$1/json" ] || { echo "-"; return; }
  java -cp "$jar" io.candlebeam.pipeline.bench.CheckCandles "$work/$1/json" "$work/data/expected/candles.jsonl"
}
check() {
  case $1 in
    plain) grep -q "candles from" "$work/plain.out" && echo "(same accumulator)" ;;
    native-*) native-spark/run.sh check "$work/$1" "$work/data/expected/candles.jsonl" 2>/dev/null | tail -1 ;;
    *) agree "$1" ;;
  esac
}
read -r plain_s plain_kb < "$work/plain.time"
read -r native_s native_kb < "$work/native-stream.time"
printf '\n| contender | wall (s) | ticks/s | peak RSS (MiB) | speed vs native Spark SS | speed vs plain loop | candles = reference |\n|---|---:|---:|---:|---:|---:|---|\n'
for c in plain native-stream native-batch spark flink direct; do
  [ -f "$work/$c.time" ] || continue
  read -r s kb < "$work/$c.time"
  if [ "$s" = nan ]; then printf '| %s | failed | | | | | |\n' "$c"; continue; fi
  awk -v c="$c" -v s="$s" -v kb="$kb" -v n="$n" -v p="$plain_s" -v ns="$native_s" -v a="$(check "$c")" \
    'BEGIN { printf "| %s | %.1f | %.0f | %.0f | %s | %.2fx | %s |\n", c, s, n / s, kb / 1024,
             (ns == "nan" ? "-" : sprintf("%.2fx", ns / s)), p / s, a }'
done
