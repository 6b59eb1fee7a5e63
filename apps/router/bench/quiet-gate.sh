#!/bin/sh
# Runs a command only when the machine is quiet (round 11): inside the bench lock, the machine's busy CPU
# (/proc/stat: user+nice+system+irq+softirq+steal) over 3 s is read first; above $QUIET_MAX_CORES (default
# 0.25) cores the command is not run and the script exits 75, so the caller releases the lock and retries
# later instead of measuring other engineers' work (tasks that do not take the lock) or the hypervisor's steal.
#
#   flock /work/bench.lock sh apps/router/bench/quiet-gate.sh <command…>
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
b0=$(busy); sleep 3; b1=$(busy)
cores=$(awk -v a="$b0" -v b="$b1" 'BEGIN{printf "%.2f", (b-a)/100/3}')
max=${QUIET_MAX_CORES:-0.25}
echo "$(date -u +%T) quiet-gate: $cores cores busy over 3 s (max $max), load $(cat /proc/loadavg)" >&2
if awk -v c="$cores" -v m="$max" 'BEGIN{exit !(c > m)}'; then exit 75; fi
exec "$@"
