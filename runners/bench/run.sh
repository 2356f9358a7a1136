#!/usr/bin/env bash
# The batch benchmark: one generated data set, every contender on it, ROUNDS (3) rounds interleaved.
#   runners/bench/run.sh [ticks] [symbols] [days]        (default 5,000,000 ticks, 20 symbols, 7 days)
#   ROUNDS (3), CONTENDERS (default: plain native-stream native-batch spark spark-cds flink, and
#   direct up to 1 M ticks), SPARK_FLAGS / FLINK_FLAGS (more flags for the candle job on that runner).
# Contenders, each on a fresh JVM: a plain-Java loop (the same parser and accumulator on all cores,
# no engine: the practical limit); native Spark (Structured Streaming with availableNow, and its
# batch twin, native-spark/); candlebeam batch on SparkRunner local[*], FlinkRunner (embedded) and
# DirectRunner; spark-cds: the SparkRunner run on a JVM with a class-data-sharing archive of the
# jar's classes (written once, untimed, by a run of the default command). Prints the data's shape,
# every run (wall time, peak RSS), then per contender the median wall time and its min-max spread,
# ticks/s, median peak RSS, the ratios of the medians to native Spark Structured Streaming and to
# the plain loop, and whether every run's candles equal the generator's independent reference. Needs `mvn -B -q -DskipTests package` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source runners/bench/stats.sh
ticks=${1:-5000000}; symbols=${2:-20}; days=${3:-7}; rounds=${ROUNDS:-3}
jar=runners/target/candlebeam.jar
work=${BENCH_DIR:-/tmp/candlebeam-bench}
[ -f "$jar" ] && [ -f native-spark/target/native.classpath ] \
  || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
export SPARK_LOCAL_IP=127.0.0.1
rm -rf "$work"; mkdir -p "$work"
per_day=$(( ticks / symbols / days ))
files=$(( days * 2 ))
java -jar "$jar" generate --out="$work/data" --symbols="$symbols" --days="$days" \
  --ticksPerDay="$per_day" --files=$files --malformedEvery=100000 --seed=7 >/dev/null
n=$(( per_day * symbols * days ))
lines=$(cat "$work"/data/ticks/*.jsonl | wc -l)
bytes=$(du -cb "$work"/data/ticks/*.jsonl | tail -1 | cut -f1)
echo "data: $files files, $lines lines ($n ticks, $(( lines - n )) malformed), $(( bytes / 1024 / 1024 )) MiB, $(( bytes / lines )) bytes a line; machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $rounds rounds"

default=(plain native-stream native-batch spark spark-cds flink)
[ "$n" -le 1000000 ] && default+=(direct)
read -r -a contenders <<< "${CONTENDERS:-${default[*]}}"
if [[ " ${contenders[*]} " == *" spark-cds "* ]]; then
  java -XX:ArchiveClassesAtExit="$work/candlebeam.jsa" -jar "$jar" --outputDir="$work/cds-train" \
    > "$work/cds-train.out" 2>&1 && rm -rf "$work/cds-train"
  echo "class-data-sharing archive: $(( $(stat -c %s "$work/candlebeam.jsa") / 1024 / 1024 )) MiB"
fi
command_of() { # NAME ROUND: the contender's command line, writing to its own folder
  local out="$work/$1-$2"
  case $1 in
    plain) echo "java -cp $jar io.candlebeam.pipeline.bench.PlainLoop $work/data/ticks" ;;
    native-stream) echo "native-spark/run.sh stream $work/data/ticks $out" ;;
    native-batch) echo "native-spark/run.sh batch $work/data/ticks $out" ;;
    spark) echo "java -jar $jar --runner=SparkRunner --input=$work/data/ticks/*.jsonl --outputDir=$out --sinks=json ${SPARK_FLAGS:-}" ;;
    spark-cds) echo "java -XX:SharedArchiveFile=$work/candlebeam.jsa -jar $jar --runner=SparkRunner --input=$work/data/ticks/*.jsonl --outputDir=$out --sinks=json ${SPARK_FLAGS:-}" ;;
    flink) echo "java -jar $jar --runner=FlinkRunner --input=$work/data/ticks/*.jsonl --outputDir=$out --sinks=json ${FLINK_FLAGS:-}" ;;
    direct) echo "java -jar $jar --runner=DirectRunner --input=$work/data/ticks/*.jsonl --outputDir=$out --sinks=json" ;;
  esac
}
agrees() { # NAME ROUND: do this run's candles equal the reference?
  local out="$work/$1-$2"
  case $1 in
    plain) grep -q "candles from" "$out.stdout" && echo "(same accumulator)" || echo "no output" ;;
    native-*) native-spark/run.sh check "$out" "$work/data/expected/candles.jsonl" 2>/dev/null | tail -1 ;;
    *) java -cp "$jar" io.candlebeam.pipeline.bench.CheckCandles "$out/json" "$work/data/expected/candles.jsonl" ;;
  esac
}

declare -A wall rss check
for round in $(seq "$rounds"); do
  for c in "${contenders[@]}"; do
    # shellcheck disable=SC2046
    if /usr/bin/time -f "%e %M" -o "$work/$c-$round.time" $(command_of "$c" "$round") \
        > "$work/$c-$round.stdout" 2> "$work/$c-$round.stderr"; then
      read -r s kb < "$work/$c-$round.time"
      a=$(agrees "$c" "$round")
    else
      s=nan; kb=0; a="failed: $(tail -1 "$work/$c-$round.stderr")"
    fi
    echo "round $round $c: $s s, peak RSS $(( kb / 1024 )) MiB, candles: $a"
    wall[$c]="${wall[$c]:-} $s"; rss[$c]="${rss[$c]:-} $(( kb / 1024 ))"
    [ "$a" = "${check[$c]:-$a}" ] || a="differ between rounds"
    check[$c]=$a
    rm -rf "$work/$c-$round" # outputs of 3 rounds of every contender would fill the disk
  done
done

# shellcheck disable=SC2086
plain_s=$(median ${wall[plain]:-nan}); native_s=$(median ${wall[native-stream]:-nan})
printf '\n| contender | median wall (s) | spread (s) | ticks/s | median peak RSS (MiB) | vs native Spark SS | vs plain loop | candles = reference |\n|---|---:|---:|---:|---:|---:|---:|---|\n'
for c in "${contenders[@]}"; do
  # shellcheck disable=SC2086
  m=$(median ${wall[$c]}); sp=$(spread ${wall[$c]}); r=$(median ${rss[$c]})
  awk -v c="$c" -v m="$m" -v sp="$sp" -v r="$r" -v n="$n" -v p="$plain_s" -v ns="$native_s" \
      -v a="${check[$c]}" 'BEGIN {
    if (m == "nan") { printf "| %s | failed | | | | | | %s |\n", c, a; exit }
    printf "| %s | %.1f | %s | %.0f | %d | %s | %s | %s |\n", c, m, sp, n / m, r,
      (ns == "nan" ? "-" : sprintf("%.2fx", ns / m)), (p == "nan" ? "-" : sprintf("%.2fx", p / m)), a }'
done
