#!/usr/bin/env bash
# The trade job's cost, side by side in one run, ROUNDS (3) rounds interleaved:
#   runners/bench/trades.sh [records] [runner]     (default 2,000,000 records, SparkRunner)
# One generated trade stream (5 symbols x 7 days, bursts, repeats 1 in 1000) and one ticker data set
# of the same number of records; contenders, each on a fresh JVM:
#   ticker-1d   the ticker job, daily candles (the baseline)
#   trade-1d    the trade job, one timeframe (1d), de-duplication on (its default)
#   trade-1d-nodedup   the same with --dedup=false (the cost of de-duplication)
#   trade-4tf   the trade job with --timeframes=1m,5m,1h,1d (goal: <= 1.3x trade-1d)
# Timed runs write no candle files (--sinks=: what is measured is read, parse, dedup, windows and
# combine, not one file per 1 m bar); after the rounds one run with --timeframes=1m,1h,1d and the
# JSON sink is checked against the generator's reference. Prints each run, then per contender the
# median wall time, the min-max spread, records/s and the ratios. Needs the jar
# (mvn -B -q -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/../.."
source runners/bench/stats.sh
records=${1:-2000000}; runner=${2:-SparkRunner}; rounds=${ROUNDS:-3}
jar=runners/target/candlebeam.jar
work=${BENCH_DIR:-/tmp/candlebeam-trades-bench}
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
export SPARK_LOCAL_IP=127.0.0.1
rm -rf "$work"; mkdir -p "$work"
per_day=$(( records / 5 / 7 ))
java -jar "$jar" generate --inputFormat=trade --out="$work/trades" --symbols=5 --days=7 \
  --tradesPerDay=$per_day --files=14 --malformedEvery=100000 --duplicateEvery=1000 --seed=11
java -jar "$jar" generate --out="$work/ticks" --symbols=5 --days=7 --ticksPerDay=$per_day \
  --files=14 --malformedEvery=100000 --seed=11
trade_lines=$(cat "$work"/trades/trades/*.jsonl | wc -l)
tick_lines=$(cat "$work"/ticks/ticks/*.jsonl | wc -l)
echo "data: trades $trade_lines lines, $(du -sm "$work/trades/trades" | cut -f1) MiB; ticks $tick_lines lines, $(du -sm "$work/ticks/ticks" | cut -f1) MiB, 14 files each; machine: $(nproc) cores; $runner"

contenders=(ticker-1d trade-1d trade-1d-nodedup trade-4tf)
flags() {
  case $1 in
    ticker-1d) echo "--input=$work/ticks/ticks/*.jsonl" ;;
    trade-1d) echo "--inputFormat=trade --input=$work/trades/trades/*.jsonl" ;;
    trade-1d-nodedup) echo "--inputFormat=trade --dedup=false --input=$work/trades/trades/*.jsonl" ;;
    trade-4tf) echo "--inputFormat=trade --timeframes=1m,5m,1h,1d --input=$work/trades/trades/*.jsonl" ;;
  esac
}
declare -A times
for round in $(seq "$rounds"); do
  for c in "${contenders[@]}"; do
    # shellcheck disable=SC2046
    /usr/bin/time -f "%e %M" -o "$work/$c-$round.time" java -jar "$jar" --runner="$runner" \
      $(flags "$c") --sinks= --outputDir="$work/out-$c" > "$work/$c-$round.out" 2> "$work/$c-$round.err" \
      || { echo "$c failed: $(tail -3 "$work/$c-$round.err")" >&2; exit 1; }
    read -r s kb < "$work/$c-$round.time"
    echo "round $round $c: $s s, peak RSS $(( kb / 1024 )) MiB; $(grep -m1 'records read' "$work/$c-$round.out")"
    times[$c]="${times[$c]:-} $s"
  done
done
base=$(median ${times[ticker-1d]}); one=$(median ${times[trade-1d]})
printf '\n| contender | median wall (s) | spread (s) | records/s | vs ticker-1d | vs trade-1d |\n|---|---:|---:|---:|---:|---:|\n'
for c in "${contenders[@]}"; do
  m=$(median ${times[$c]})
  n=$([ "$c" = ticker-1d ] && echo "$tick_lines" || echo "$trade_lines")
  awk -v c="$c" -v m="$m" -v sp="$(spread ${times[$c]})" -v n="$n" -v b="$base" -v o="$one" \
    'BEGIN { printf "| %s | %.1f | %s | %.0f | %.2fx time | %.2fx time |\n", c, m, sp, n / m, m / b, m / o }'
done
java -jar "$jar" --runner="$runner" --inputFormat=trade --timeframes=1m,1h,1d \
  --input="$work/trades/trades/*.jsonl" --sinks=json --outputDir="$work/check" > "$work/check.out" 2>&1
echo "bars of 1m,1h,1d = reference: $(java -cp "$jar" io.candlebeam.pipeline.bench.CheckTradeCandles \
  "$work/check/json" "$work/trades/expected/trade-candles.jsonl")"
