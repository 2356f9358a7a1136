#!/usr/bin/env python3
"""CPU seconds of a command's threads, by group (docs/benchmarks.md, "Session 18").

    runners/bench/cpu-by-thread.py java -jar runners/target/candlebeam.jar --input=... ...

Runs the command and reads each of its threads' CPU time from /proc/<pid>/task every 0.2 s.
It prints the groups' totals at exit: the JIT compiler's C2 and C1 threads, Spark's or Flink's
task threads, GC, candlebeam's class preloader, and the rest (main, driver, Kafka client). It
also prints the time the first task thread was busy, with the totals up to then. If MARK names a
file, the totals are printed too when that file appears (touch it when a streaming job has read
what it should). A thread that ends between two samples loses its last 0.2 s.
"""
import collections
import os
import re
import subprocess
import sys
import time

GROUPS = [('^C2 Compiler', 'JIT C2'), ('^C1 Compiler', 'JIT C1'),
          ('^Executor task', 'Spark tasks'),
          ('^(Source|CHAIN|DataSource|GroupReduce|MapPartition)', 'Flink tasks'),
          ('^GC Thread|^G1 ', 'GC'), ('^candlebeam-prel', 'class preloader')]
TASKS = ('Spark tasks', 'Flink tasks')  # the groups whose threads run the job's tasks
HZ = os.sysconf('SC_CLK_TCK')


def group(name):
    for pattern, label in GROUPS:
        if re.search(pattern, name):
            return label
    return 'rest'


def totals(threads):
    by_group = collections.Counter()
    for name, ticks in threads.values():
        by_group[group(name)] += ticks / HZ
    return by_group


def line(by_group):
    return f'CPU {sum(by_group.values()):.1f} s: ' + ', '.join(
        f'{g} {v:.1f}' for g, v in by_group.most_common())


def main():
    start = time.time()
    job = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    threads, first_task, mark = {}, None, os.environ.get('MARK')
    while job.poll() is None:
        try:
            tids = os.listdir(f'/proc/{job.pid}/task')
        except FileNotFoundError:
            break
        for tid in tids:
            try:
                with open(f'/proc/{job.pid}/task/{tid}/stat') as f:
                    stat = f.read()
            except OSError:
                continue
            name = stat[stat.index('(') + 1:stat.rindex(')')]
            fields = stat[stat.rindex(')') + 2:].split()
            ticks = int(fields[11]) + int(fields[12])  # utime + stime
            threads[tid] = (name, max(ticks, threads.get(tid, ('', 0))[1]))
            if first_task is None and group(name) in TASKS and ticks > 0:
                first_task = time.time() - start
                print(f'first task busy at {first_task:.1f} s; up to then {line(totals(threads))}',
                      flush=True)
        if mark and os.path.exists(mark):
            print(f'{mark} at {time.time() - start:.1f} s: {line(totals(threads))}', flush=True)
            mark = None
        time.sleep(0.2)
    job.wait()
    print(f'wall {time.time() - start:.1f} s, exit {job.returncode}, {line(totals(threads))}')


if __name__ == '__main__':
    main()
