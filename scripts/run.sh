#!/usr/bin/env sh
# The first README command: set up, migrate the embedded SQLite database, load the national demo data
# and serve the product at http://127.0.0.1:8000.
set -eu
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
DF=.venv/bin/digitalfront
export DIGITALFRONT_DATA_DIR="${DIGITALFRONT_DATA_DIR:-$PWD/var}"
mkdir -p "$DIGITALFRONT_DATA_DIR"
$DF migrate --noinput
$DF demo            # idempotent: a second run keeps what is there
$DF collectstatic --noinput -v0
echo ""
echo "Mặt trận số đang chạy tại http://127.0.0.1:8000  (đăng nhập: quantri / ${DIGITALFRONT_DEMO_PASSWORD:-matran-demo-2026})"
echo "Các tài khoản dùng thử khác: trunguong, hanoi, badinh (cùng mật khẩu). Dừng: Ctrl+C"
exec $DF runserver 127.0.0.1:8000 --noreload
