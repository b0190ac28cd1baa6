# Common code of the admin scripts (sourced, not run). Needs bash 4+ and curl; python3 only for tables.
#
#   PORTAL_URL          the portal (default http://localhost:8080)
#   PORTAL_TOKEN        a bearer token; otherwise the one portal-login saved in
#   PORTAL_TOKEN_FILE   (default ~/.portal-token)
#
# Secrets never go on a command line (visible in ps): request bodies reach curl on stdin and the
# Authorization header through a file descriptor.

PORTAL_PROG=${PORTAL_PROG:-$(basename "$0")}
PORTAL_URL=${PORTAL_URL:-http://localhost:8080}
PORTAL_URL=${PORTAL_URL%/}
PORTAL_TOKEN_FILE=${PORTAL_TOKEN_FILE:-$HOME/.portal-token}

# Set by portal_request: the response body and HTTP status of the last request.
PORTAL_BODY=
PORTAL_STATUS=

command -v curl >/dev/null 2>&1 || { echo "$PORTAL_PROG: curl is needed but not on PATH" >&2; exit 1; }

die() {
  echo "$PORTAL_PROG: $*" >&2
  exit 1
}

# A mistake on the command line: the message, a hint, exit 2.
usage_error() {
  echo "$PORTAL_PROG: $*" >&2
  echo "Try '$PORTAL_PROG --help'." >&2
  exit 2
}

# Prints the script's usage: the comment block after the shebang, without the leading '# '.
print_usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

# The value of an option that takes one: require_value --name "$2"
require_value() {
  [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || usage_error "$1 needs a value"
}

is_id() {
  [[ "$1" =~ ^[1-9][0-9]{0,17}$ ]]
}

require_id() {
  is_id "$2" || usage_error "$1 must be a positive integer, got '$2'"
}

# ------------------------------------------------------------------ JSON without jq

# A JSON string literal (with quotes) for any text.
json_str() {
  local s=$1 out= c i code
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  # any other control character becomes \u00XX
  if [[ "$s" =~ [[:cntrl:]] ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      if [[ "$c" =~ [[:cntrl:]] ]]; then
        printf -v code '%d' "'$c"
        printf -v c '\\u%04x' "$code"
      fi
      out+=$c
    done
    s=$out
  fi
  printf '"%s"' "$s"
}

# The first value of "KEY" in a JSON text: strings unescaped, numbers/true/false/null as is; empty when absent.
# Enough for the portal's replies, whose first "id" is the object's own and whose error bodies are flat.
json_get() {
  local json=$1 key=$2 raw
  raw=$(printf '%s' "$json" | tr -d '\n' | grep -o '"'"$key"'"[[:space:]]*:[[:space:]]*\("\([^"\\]\|\\.\)*"\|[-0-9.eE+]\+\|true\|false\|null\)' |
    head -n 1 | sed 's/^"'"$key"'"[[:space:]]*:[[:space:]]*//') || true
  [[ -z "$raw" || "$raw" == null ]] && return 0
  if [[ "$raw" == \"* ]]; then
    raw=${raw#\"}
    raw=${raw%\"}
    raw=${raw//\\\\/$'\x01'} # an escaped backslash must not start another escape
    raw=${raw//\\\"/\"}
    raw=${raw//\\\//\/}
    raw=${raw//\\n/$'\n'}
    raw=${raw//\\t/$'\t'}
    raw=${raw//$'\x01'/\\}
  fi
  printf '%s' "$raw"
}

# "field problem; field problem" from an error body's details, if any.
json_error_details() {
  printf '%s' "$1" | tr -d '\n' |
    grep -o '"field"[[:space:]]*:[[:space:]]*"\([^"\\]\|\\.\)*"[[:space:]]*,[[:space:]]*"problem"[[:space:]]*:[[:space:]]*"\([^"\\]\|\\.\)*"' |
    sed 's/^"field"[[:space:]]*:[[:space:]]*"\(.*\)"[[:space:]]*,[[:space:]]*"problem"[[:space:]]*:[[:space:]]*"\(.*\)"$/\1 \2/' |
    paste -sd ';' - | sed 's/;/; /g' || true
}

# ------------------------------------------------------------------ HTTP

url_encode() {
  local LC_ALL=C # byte by byte, so UTF-8 text becomes %XX per byte
  local s=$1 out= c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [a-zA-Z0-9.~_-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# The token to send: PORTAL_TOKEN, else the saved one; dies with a hint when neither exists.
portal_token() {
  if [[ -n "${PORTAL_TOKEN:-}" ]]; then
    printf '%s' "$PORTAL_TOKEN"
    return
  fi
  [[ -r "$PORTAL_TOKEN_FILE" ]] ||
    die "not signed in: run scripts/portal-login EMAIL first (or set PORTAL_TOKEN)"
  local token
  token=$(tr -d '[:space:]' <"$PORTAL_TOKEN_FILE")
  [[ -n "$token" ]] || die "the token file $PORTAL_TOKEN_FILE is empty: run scripts/portal-login EMAIL"
  printf '%s' "$token"
}

# portal_request METHOD PATH [BODY] [public]
# Sends the request (with the token unless "public") and sets PORTAL_BODY and PORTAL_STATUS.
# Returns 0 on a 2xx answer; otherwise 1 (the caller reports it with portal_error).
portal_request() {
  local method=$1 path=$2 body=${3:-} public=${4:-} token= out rc
  [[ "$public" == public ]] || token=$(portal_token) || exit 1
  local args=(-sS -X "$method" --max-time "${PORTAL_TIMEOUT:-30}" -H 'Accept: application/json'
    -w '\n%{http_code}')
  if [[ -n "$body" ]]; then
    args+=(-H 'Content-Type: application/json' --data-binary @-)
  fi
  if [[ -n "$token" ]]; then
    out=$(printf '%s' "$body" | curl "${args[@]}" -H @<(printf 'Authorization: Bearer %s\n' "$token") \
      "$PORTAL_URL/api$path" 2>&1)
  else
    out=$(printf '%s' "$body" | curl "${args[@]}" "$PORTAL_URL/api$path" 2>&1)
  fi
  rc=$?
  if [[ $rc -ne 0 ]]; then
    PORTAL_STATUS=000
    PORTAL_BODY=
    die "cannot reach the portal at $PORTAL_URL (${out##*curl: }) — is it running? (set PORTAL_URL)"
  fi
  PORTAL_STATUS=${out##*$'\n'}
  PORTAL_BODY=${out%$'\n'*}
  [[ "$PORTAL_STATUS" == 2?? ]]
}

# The contract's error message of the last answer: "message (HTTP 409 conflict)" plus details.
portal_error_text() {
  local code message details
  code=$(json_get "$PORTAL_BODY" code)
  message=$(json_get "$PORTAL_BODY" message)
  details=$(json_error_details "$PORTAL_BODY")
  [[ -n "$message" ]] || message="unexpected answer"
  printf '%s (HTTP %s%s)' "$message" "$PORTAL_STATUS" "${code:+ $code}"
  if [[ -n "$details" && "$details" != "$message" ]]; then printf ': %s' "$details"; fi
}

# user_id LABEL VALUE: the id of a user named by id or by email (an email is looked up with GET /users, exactly,
# in any case); dies when no account has that email.
user_id() {
  local label=$1 value=$2 email id
  if is_id "$value"; then
    printf '%s' "$value"
    return
  fi
  [[ "$value" == *@* ]] || usage_error "$label must be an id or an email, got '$value'"
  portal_request GET "/users?limit=200&q=$(url_encode "$value")" || portal_fail "could not look up $value"
  email=$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')
  # the portal writes each user as {"id":N,"email":"...",...}
  id=$(printf '%s' "$PORTAL_BODY" | tr -d '\n' | grep -o '"id":[0-9]*,"email":"[^"]*"' |
    while IFS= read -r pair; do
      e=${pair#*\"email\":\"}
      e=${e%\"}
      if [[ "$(printf '%s' "$e" | tr '[:upper:]' '[:lower:]')" == "$email" ]]; then
        pair=${pair#\"id\":}
        printf '%s\n' "${pair%%,*}"
      fi
    done | head -n 1)
  [[ -n "$id" ]] || die "$label: no account has the email $value"
  printf '%s' "$id"
}

# Reports the last failed answer on stderr and exits 1.
portal_fail() {
  die "${1:+$1: }$(portal_error_text)"
}

# 16 random letters and digits.
random_password() {
  local p=
  while [[ ${#p} -lt 16 ]]; do
    p+=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  done
  printf '%s' "${p:0:16}"
}
