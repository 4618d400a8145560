#!/usr/bin/env sh
# The first README command: set up, migrate the embedded SQLite database, load the national demo data
# and serve the product at http://127.0.0.1:8000, with the background worker and its scheduler
# (docs/operations.md, "Worker and scheduler"). Ctrl+C stops both.
set -eu
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
DF=.venv/bin/digitalfront
export DIGITALFRONT_DATA_DIR="${DIGITALFRONT_DATA_DIR:-$PWD/var}"
mkdir -p "$DIGITALFRONT_DATA_DIR"
$DF migrate --noinput
$DF demo            # idempotent: a second run keeps what is there
$DF collectstatic --noinput -v0

WORKER=""
SERVER=""
# Whatever ends the script (Ctrl+C, SIGTERM, the server failing), stop both processes and wait for them:
# the worker finishes its running task and marks its heartbeat stopped.
stop_all() {
  trap - EXIT INT TERM
  for pid in $SERVER $WORKER; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $SERVER $WORKER; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

$DF worker --with-scheduler &
WORKER=$!
echo ""
echo "Mặt trận số đang chạy tại http://127.0.0.1:8000  (đăng nhập: quantri / ${DIGITALFRONT_DEMO_PASSWORD:-matran-demo-2026})"
echo "Các tài khoản dùng thử khác: trunguong, hanoi, badinh, baomat (cùng mật khẩu). Dừng: Ctrl+C"
echo "Người dân gửi phản ánh: http://127.0.0.1:8000/phan-anh/gui/  ·  cán bộ xử lý: http://127.0.0.1:8000/xu-ly/"
# In the background too, so that a signal to this script interrupts `wait` at once and runs the traps
# (a foreground command would delay them until it exits).
$DF runserver 127.0.0.1:8000 --noreload &
SERVER=$!
wait "$SERVER"
