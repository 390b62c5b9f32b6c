#!/usr/bin/env bash
# The README's two commands, as a newcomer runs them: a throw-away clone of the committed tree
# (no node_modules, no dist, nothing beside it), `npm install && npm start` answering a question
# in the console chat (then a second, warm start that must not rebuild), and `npm test`.
# Run by CI after the main suite; locally: npm run test:fresh-clone.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/fresh-clone-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "fresh-clone: FAIL: $*" >&2; exit 1; }

git clone --quiet --no-hardlinks "$repo" "$work/bot"
cd "$work/bot"
[ ! -e node_modules ] && [ ! -e dist ] || fail "the clone already has node_modules or dist"
[ ! -e ../shared ] || fail "something lies beside the clone"

# A newcomer's shell has no bot tokens; ours might (CI's does not, but be sure).
unset TELEGRAM_BOT_TOKEN DISCORD_TOKEN OPENAI_API_KEY OPENAI_BASE_URL STORE_URL ROLES || true

echo "fresh-clone: npm install"
npm install --no-audit --no-fund >"$work/install.log" 2>&1 || { tail -20 "$work/install.log"; fail "npm install"; }

ask() { printf '%s\n/quit\n' "$1" | timeout 180 npm start 2>"$work/start.err"; }
echo "fresh-clone: npm start (first: builds)"
first=$(ask "How many suspects were arrested?") || { cat "$work/start.err"; fail "npm start exited non-zero"; }
grep -q "No platform token set" <<<"$first" || fail "no console-chat hint in: $first"
grep -q "數百名" <<<"$first" && grep -q "\[p3\]" <<<"$first" || fail "the answer does not quote p3's 數百名: $first"
grep -q "building dist/" "$work/start.err" || fail "the first start did not build"
[ -f dist/adapters/main.js ] || fail "no dist/ after the first start"

echo "fresh-clone: npm start (warm: no build)"
second=$(ask "第三條建議是什麼?") || { cat "$work/start.err"; fail "the second npm start exited non-zero"; }
! grep -q "building dist/" "$work/start.err" || fail "the warm start rebuilt dist/"
grep -q "\[rec3\]" <<<"$second" || fail "the third recommendation was not cited: $second"

echo "fresh-clone: npm test"
if npm test >"$work/test.log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$work/test.log" | grep -E '^\s*(Test Files|Tests)\s' | sed 's/^/fresh-clone: /'
  echo "fresh-clone: ok"
else
  tail -60 "$work/test.log"
  fail "npm test failed in the fresh clone"
fi
