#!/usr/bin/env bash
# Walk docs/operating.md ("Production in detail") on this machine, step by step, and check that what
# the guide says happens: PostgreSQL and Redis on 127.0.0.1, `nearer serve` (gunicorn), `nearer worker`
# (Celery + beat), nginx in front with a self-signed certificate on 127.0.0.1, then /healthz through
# nginx, a backup and its check, and `nearer check --deploy`.
#
# Needs: PostgreSQL at 127.0.0.1:5432 (user postgres, trust), Redis at 127.0.0.1:6379, nginx, openssl,
# curl. Everything it creates is temporary and removed at the end (a database and role named
# nearer_guide_<random>, Redis database NEARER_GUIDE_REDIS_DB (default 13), a temporary folder).
# NEARER_PYTHON picks the interpreter (default .venv/bin/python; scripts/install.sh makes it).
# CI runs it through tests/test_operating_guide.py. Exit status 0 = the guide holds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="${NEARER_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || { scripts/install.sh; PY=$ROOT/.venv/bin/python; }
nearer() { PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m nearer.cli "$@"; }
step() { echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

TMP=$(mktemp -d /tmp/nearer-guide-XXXXXX)
SUFFIX=$(basename "$TMP" | tr -dc 'a-z0-9' | tail -c 6 | tr 'A-Z' 'a-z')
NAME="nearer_guide_${SUFFIX}"
REDIS_DB="${NEARER_GUIDE_REDIS_DB:-13}"
APP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(18))')
PIDS=()
cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 1 20); do  # Celery's warm shutdown takes a few seconds
    alive=0; for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  psql -h 127.0.0.1 -U postgres -d postgres -XAtqc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1
  psql -h 127.0.0.1 -U postgres -d postgres -XAtqc "DROP ROLE IF EXISTS $NAME" >/dev/null 2>&1
  redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT

step "PostgreSQL: a role and a database (TCP server: -h 127.0.0.1 -U postgres)"
# The guide: createuser -h 127.0.0.1 -U postgres nearer --pwprompt && createdb -h 127.0.0.1 -U postgres -O nearer nearer
# (--pwprompt asks on the terminal; here the password is set with psql instead.)
createuser -h 127.0.0.1 -U postgres "$NAME"
psql -h 127.0.0.1 -U postgres -d postgres -XAtqc "ALTER ROLE $NAME PASSWORD '$PASSWORD'" >/dev/null
createdb -h 127.0.0.1 -U postgres -O "$NAME" "$NAME"

step "Environment (docs/operating.md, Environment variables)"
export NEARER_VAR_DIR="$TMP/var" NEARER_BACKUP_DIR="$TMP/backups"
mkdir -p "$NEARER_VAR_DIR" && mkdir -m 700 "$NEARER_BACKUP_DIR"
NEARER_ENCRYPTION_KEYS=$(nearer rotate-keys --generate)
NEARER_BACKUP_KEY=$(nearer backup --generate-key)
export NEARER_ENCRYPTION_KEYS NEARER_BACKUP_KEY
export NEARER_ENV=production \
  DATABASE_URL="postgres://$NAME:$PASSWORD@127.0.0.1:5432/$NAME" \
  NEARER_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  NEARER_ALLOWED_HOSTS=127.0.0.1 \
  NEARER_SITE_URL="https://127.0.0.1:$HTTPS_PORT" NEARER_CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$HTTPS_PORT" \
  NEARER_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" NEARER_EMBEDDED_SCHEDULER=false \
  NEARER_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend NEARER_LOG_LEVEL=WARNING
unset DJANGO_SETTINGS_MODULE
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null

step "nearer migrate && nearer collectstatic --noinput"
nearer migrate --verbosity 0
nearer collectstatic --noinput --verbosity 0

step "nearer serve (gunicorn) on 127.0.0.1:$APP_PORT and nearer worker (Celery + beat)"
nearer serve --no-migrate --host 127.0.0.1 --port "$APP_PORT" --workers 2 >"$TMP/serve.log" 2>&1 &
PIDS+=($!)
mkdir -p "$TMP/elsewhere"
(cd "$TMP/elsewhere" && exec env PYTHONPATH="$ROOT" "$PY" -m nearer.cli worker --concurrency 1) >"$TMP/worker.log" 2>&1 &
PIDS+=($!)

step "nginx with a self-signed certificate on 127.0.0.1:$HTTPS_PORT"
mkdir -p "$TMP/nginx/logs" "$TMP/nginx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$TMP/nginx/key.pem" -out "$TMP/nginx/cert.pem" 2>/dev/null
cat >"$TMP/nginx/nginx.conf" <<NGINX
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
    client_body_temp_path $TMP/nginx/tmp/body;
    proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
    uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    # The site from docs/operating.md, on 127.0.0.1 with the self-signed certificate:
    server {
        listen 127.0.0.1:$HTTPS_PORT ssl http2;
        server_name 127.0.0.1;
        ssl_certificate     $TMP/nginx/cert.pem;
        ssl_certificate_key $TMP/nginx/key.pem;
        client_max_body_size 6m;
        access_log off;
        location / {
            proxy_pass http://127.0.0.1:$APP_PORT;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_read_timeout 60s;
        }
    }
}
NGINX
nginx -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g "daemon off;" 2>"$TMP/nginx-t.log" \
  || { cat "$TMP/nginx-t.log" >&2; fail "nginx rejects the guide's site"; }
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g "daemon off;" 2>"$TMP/nginx.log" &
PIDS+=($!)

URL="https://127.0.0.1:$HTTPS_PORT"
CURL=(curl -sS --max-time 10 --cacert "$TMP/nginx/cert.pem")
step "Waiting for $URL/healthz through nginx"
for _ in $(seq 1 120); do
  "${CURL[@]}" -o /dev/null "$URL/healthz" 2>/dev/null && break
  sleep 0.5
done
"${CURL[@]}" -o /dev/null "$URL/healthz" || { tail -20 "$TMP/serve.log" >&2; fail "the app did not answer through nginx"; }

step "A scheduled job through Celery (beat's first tick is a minute away, so send one now)"
PYTHONPATH="$ROOT" "$PY" -m celery -A nearer.celery call nearer.ops.run_periodic --args='["safety_escalation"]' >/dev/null
health=""
for _ in $(seq 1 60); do
  health=$("${CURL[@]}" "$URL/healthz")
  grep -q '"worker": {"status": "ok"' <<<"$health" && break
  sleep 1
done
echo "   /healthz: $health"
grep -q '"status": "ok", "database": "ok", "redis": "ok", "worker": {"status": "ok"' <<<"$health" \
  || { tail -20 "$TMP/worker.log" >&2; fail "/healthz does not report database, Redis and worker ok"; }

step "HTTPS behind the proxy: pages answer 200 (no redirect loop), HSTS and secure cookies"
headers=$("${CURL[@]}" -D - -o /dev/null "$URL/accounts/login/")
# The status line by parameter expansion: `echo | head -1` under pipefail fails when head exits before
# echo has written everything (SIGPIPE), which happened once with a 200 in hand.
status_line=${headers%%$'\n'*}
[[ "$status_line" == *" 200"* ]] || fail "login page: $status_line"
grep -qi "^strict-transport-security: max-age=31536000" <<<"$headers" || fail "no HSTS header"
csrf_cookie=$(grep -i "^set-cookie: csrftoken" <<<"$headers" || true)
[[ "${csrf_cookie,,}" == *secure* ]] || fail "the CSRF cookie is not Secure"
home_code=$("${CURL[@]}" -o /dev/null -w "%{http_code}" "$URL/")
[[ "$home_code" == 200 ]] || fail "home page: $home_code"

step "Beat keeps its schedule in var/, not in the directory the worker started from"
[ -e "$NEARER_VAR_DIR/celerybeat-schedule" ] || ls "$NEARER_VAR_DIR"/celerybeat-schedule* >/dev/null 2>&1 \
  || fail "no beat schedule in $NEARER_VAR_DIR"
[ -z "$(ls -A "$TMP/elsewhere")" ] || fail "the worker wrote into its current directory: $(ls "$TMP/elsewhere")"

step "nearer backup (into NEARER_BACKUP_DIR) and nearer restore --check"
nearer backup | tee "$TMP/backup.out"
file=$(ls "$NEARER_BACKUP_DIR"/*.backup | head -1)
[ "$(stat -c %a "$file")" = 600 ] || fail "the backup is not mode 600"
nearer restore --check "$file" | tee "$TMP/check.out"
grep -q "stays readable after key rotation" "$TMP/check.out" || fail "the backup does not carry its keys"

step "nearer check --deploy (nothing from Nearer's own checks)"
nearer check --deploy >"$TMP/check-deploy.out" 2>&1 || { cat "$TMP/check-deploy.out" >&2; fail "check --deploy"; }
if grep -q "nearer\.[EW]" "$TMP/check-deploy.out"; then cat "$TMP/check-deploy.out" >&2; fail "check --deploy flags Nearer issues"; fi
cat "$TMP/check-deploy.out"

echo "Operating guide walked: OK"
