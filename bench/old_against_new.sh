#!/usr/bin/env bash
# The benchmarks of two commits back to back in one sitting ("nothing slower", issue 18 point 7):
#     bash bench/old_against_new.sh OLD [NEW] [ROUNDS]      (NEW defaults to main, ROUNDS to 1)
# Each commit is checked out in a temporary worktree and run with this checkout's .venv
# (PYTHONPATH=src, so each runs its own code); ingest, publish, search and serve alternate their
# order between old and new. Run it on a quiet machine; the output is long, keep it (| tee).
set -euo pipefail
old=$1 new=${2:-main} rounds=${3:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
python="$here/.venv/bin/python"
work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/old" 2>/dev/null; git -C "$here" worktree remove --force "$work/new" 2>/dev/null; rm -rf "$work"' EXIT
git -C "$here" worktree add -q --detach "$work/old" "$old"
git -C "$here" worktree add -q --detach "$work/new" "$new"
# Commits before 1986968 call bench/search.py's load_corpus without the corpus kind (the publish
# benchmark stopped at its first step): mended in the old tree only, nothing else touched.
sed -i 's/load_corpus(args.articles - /load_corpus("generated", args.articles - /' "$work/old/bench/publish.py"
echo "old: $(git -C "$work/old" log --oneline -1)"; echo "new: $(git -C "$work/new" log --oneline -1)"
run() {  # which, label, command...
  local which=$1 label=$2; shift 2
  echo "=== $label, $which, $(date +%T), load $(cut -d' ' -f1 /proc/loadavg)"
  rm -rf "$work/data-$which" && mkdir -p "$work/data-$which"
  (cd "$work/$which" && PYTHONPATH=src HUIWEN_DATA_DIR="$work/data-$which" "$python" "$@" 2>&1 | tail -16)
}
for _ in $(seq "$rounds"); do
  for which in old new; do run $which ingest bench/ingest.py --pages 2000; done
  for which in new old; do run $which publish bench/publish.py --articles 10000; done
  for which in old new; do run $which search bench/search.py --articles 10000 --queries 300 --like-queries 3 \
    --related 300 --no-tantivy --data-dir "$work/data-$which/search"; done
  for which in new old; do run $which serve bench/serve.py --duration 6; done
done
