#!/usr/bin/env bash
# Generate an Alembic revision for one area from the table definitions.
#   scripts/new-migration.sh AREA REV_ID [DOWN_REVISION]
# e.g. scripts/new-migration.sh workforce 0003_workforce
# It upgrades a scratch SQLite database to all heads, autogenerates the difference (which must
# only concern AREA's tables), and chains the new revision after DOWN_REVISION (default
# 0001_taxonomy). Review the generated file before committing.
set -euo pipefail
area=$1; rev=$2; down=${3:-0001_taxonomy}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/alembic.ini" <<INI
[alembic]
script_location = $root/src/careshift/adapters/db/migrations
sqlalchemy.url = sqlite:///$tmp/scratch.db
INI
"$root/.venv/bin/alembic" -c "$tmp/alembic.ini" upgrade heads >/dev/null
"$root/.venv/bin/alembic" -c "$tmp/alembic.ini" revision --autogenerate -m "$area" \
  --rev-id "$rev" --branch-label "$area" --head base --splice >/dev/null
versions=$root/src/careshift/adapters/db/migrations/versions
generated=$(ls "$versions"/"$rev"_*.py)
target="$versions/$rev.py"
mv "$generated" "$target"
sed -i "/### commands auto generated/d; /### end Alembic commands/d; s/^down_revision = None/down_revision = '$down'/; s/^Revises: *\$/Revises: $down/" "$target"
"$root/.venv/bin/ruff" format -q "$target"
"$root/.venv/bin/ruff" check -q --fix "$target" || true
echo "$target"
