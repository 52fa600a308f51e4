#!/usr/bin/env bash
# The main job on Spark against one process: char-lm train for 40 iterations at a constant learning
# rate (--lr-final 1), same seed, once in this JVM and once with --spark local[2] --partitions 2; the
# validation losses at the end must agree within 0.01 nats/char. The model is the default's 2 x 256
# without dropout (medium-plain): on Spark dropout masks are drawn per partition, so with dropout the
# two runs differ by design (spark/README.md, "Dropout"). Needs the jars of mvn package.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
args=(char-lm train --model medium-plain --iterations 40 --lr-final 1 --validate-every 40 --sample-every 0
  --no-progress)
loss() { sed -n 's/^validation \([0-9.]*\) nats\/char.*at the end.*/\1/p' "$1"; }
java -jar examples/target/unroll-examples.jar "${args[@]}" --out "$out/local" > "$out/local.txt"
java -jar spark/target/unroll-spark.jar "${args[@]}" --out "$out/spark" --spark 'local[2]' --partitions 2 \
  > "$out/spark.txt"
grep -q '^gradients  on Spark (local\[2\]), the batch of 32 rows split over 2 partitions' "$out/spark.txt"
one=$(loss "$out/local.txt")
two=$(loss "$out/spark.txt")
echo "main job, 40 iterations: validation $one nats/char in one process, $two on Spark local[2] (2 partitions)"
awk -v a="$one" -v b="$two" 'BEGIN { d = a - b; if (d < 0) d = -d; if (a == "" || b == "" || d > 0.01) { print "differ by " d " (limit 0.01)"; exit 1 } }'
rm -rf "$out"
