#!/usr/bin/env bash
# The benchmark: one generated data set, every contender on it in one run, side by side.
#   runners/bench/run.sh [ticks] [symbols] [days]        (default 5,000,000 ticks, 20 symbols, 7 days)
# Prints wall time, ticks/s, peak RSS and ratios to the plain-Java loop, and checks that every
# contender's candles equal the generator's independent reference. Needs the jar (mvn package).
set -euo pipefail
cd "$(dirname "$0")/../.."
ticks=${1:-5000000}; symbols=${2:-20}; days=${3:-7}
jar=runners/target/candlebeam.jar
work=${BENCH_DIR:-/tmp/candlebeam-bench}
[ -f "$jar" ] || { echo "build the jar first: mvn -B -q -DskipTests package" >&2; exit 2; }
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
read -r plain_s plain_kb < "$work/plain.time"
printf '\n| contender | wall (s) | ticks/s | peak RSS (MiB) | wall vs plain loop | candles = reference |\n|---|---:|---:|---:|---:|---|\n'
for c in plain spark flink direct; do
  [ -f "$work/$c.time" ] || continue
  read -r s kb < "$work/$c.time"
  if [ "$s" = nan ]; then printf '| %s | failed | | | | |\n' "$c"; continue; fi
  check=$([ "$c" = plain ] && grep -q "candles from" "$work/plain.out" && echo "(same accumulator)" || agree "$c")
  awk -v c="$c" -v s="$s" -v kb="$kb" -v n="$n" -v p="$plain_s" -v a="$check" \
    'BEGIN { printf "| %s | %.1f | %.0f | %.0f | %.1fx | %s |\n", c, s, n / s, kb / 1024, s / p, a }'
done
