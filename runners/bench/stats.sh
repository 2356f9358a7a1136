# Shared by the benchmark scripts (sourced): the median and the min-max spread of a list of numbers,
# and the two rates of an AwaitTicks line (0 when the line has none: the job did not get there).
#   median 3.1 2.9 3.4   -> 3.1
#   spread 3.1 2.9 3.4   -> 2.9-3.4
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
spread() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%s-%s", a[1], a[NR]}'; }
#   sustained "... 84125 ticks/s sustained, second half 105411 ticks/s"   -> 84125
#   second_half "... 84125 ticks/s sustained, second half 105411 ticks/s" -> 105411
sustained() { echo "$1" | grep -o '[0-9]* ticks/s sustained' | grep -o '^[0-9]*' || echo 0; }
second_half() { echo "$1" | grep -o 'second half [0-9]*' | grep -o '[0-9]*$' || echo 0; }
