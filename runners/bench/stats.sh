# Shared by the benchmark scripts (sourced): the median and the min-max spread of a list of numbers.
#   median 3.1 2.9 3.4   -> 3.1
#   spread 3.1 2.9 3.4   -> 2.9-3.4
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
spread() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%s-%s", a[1], a[NR]}'; }
