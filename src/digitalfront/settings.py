"""Settings for Digital Front. Everything that differs between machines comes from the environment.

See the README ("Configuration") for the list of variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.functional import lazy

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("DIGITALFRONT_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("DIGITALFRONT_PRODUCTION"):
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - embedded default only

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "digitalfront.core",
    "digitalfront.accounts",
    "digitalfront.orgs",
    "digitalfront.ai",
    "digitalfront.feedback",
    "digitalfront.library",
    "digitalfront.assistant",
    "digitalfront.congresses",
    "django_tasks_db",
    # after the project's apps, whose templates (Vietnamese consent and logout pages) take precedence
    "oauth2_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "digitalfront.accounts.middleware.SessionTimeoutMiddleware",
    "digitalfront.accounts.middleware.AccountRequirementsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "digitalfront.urls"
WSGI_APPLICATION = "digitalfront.wsgi.application"
ASGI_APPLICATION = "digitalfront.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN so
        # that two writers queue on the busy timeout instead of failing on a lock upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DIGITALFRONT_TEST_DB", "")} if os.environ.get(
        "DIGITALFRONT_TEST_DB"
    ) else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orgs:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own, with a Vietnamese message (its "vi" catalogue lacks this one)
    {"NAME": "digitalfront.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's hashers (PBKDF2 first), plus the light one for temporary passwords (accounts.passwords)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "digitalfront.accounts.passwords.TemporaryPasswordHasher",
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's "vi" locale has no grouping: without this, intcomma prints 1700 instead of 1.700
NUMBER_GROUPING = 3
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "frame-ancestors": [CSP.NONE],
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Organisation types and the levels they exist at: a JSON file (see orgs/config/organisations.json).
DIGITALFRONT_ORGANISATIONS_FILE = os.environ.get("DIGITALFRONT_ORGANISATIONS_FILE", "")
# How many villages `load-units` and `demo` generate by default (national scale).
DIGITALFRONT_VILLAGES = int(os.environ.get("DIGITALFRONT_VILLAGES", "100000"))


# Staff security (docs/accounts.md, "Staff security"): sessions end after this long without a request,
# and this long after sign-in whatever happens.
DIGITALFRONT_SESSION_IDLE_SECONDS = int(os.environ.get("DIGITALFRONT_SESSION_IDLE_SECONDS", "1800"))
DIGITALFRONT_SESSION_MAX_SECONDS = int(os.environ.get("DIGITALFRONT_SESSION_MAX_SECONDS", str(12 * 3600)))
# Lockouts: this many failed sign-ins within the window lock the account (or block the IP address) for
# DIGITALFRONT_LOCKOUT_SECONDS.
DIGITALFRONT_LOCKOUT_ACCOUNT_FAILURES = int(os.environ.get("DIGITALFRONT_LOCKOUT_ACCOUNT_FAILURES", "5"))
DIGITALFRONT_LOCKOUT_IP_FAILURES = int(os.environ.get("DIGITALFRONT_LOCKOUT_IP_FAILURES", "20"))
DIGITALFRONT_LOCKOUT_WINDOW_SECONDS = int(os.environ.get("DIGITALFRONT_LOCKOUT_WINDOW_SECONDS", "900"))
DIGITALFRONT_LOCKOUT_SECONDS = int(os.environ.get("DIGITALFRONT_LOCKOUT_SECONDS", "900"))
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; otherwise the client's
# address is REMOTE_ADDR.
DIGITALFRONT_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("DIGITALFRONT_TRUSTED_PROXIES", "").split(",") if p.strip()
]


# The platform as its own OpenID Connect provider (django-oauth-toolkit): see docs/accounts.md.
def _oidc_active_key() -> str:
    from digitalfront.accounts.signing import active_private_key

    return active_private_key()


def _oidc_inactive_keys() -> list[str]:
    from digitalfront.accounts.signing import inactive_private_keys

    return inactive_private_keys()


# Signing in through VNeID (or any OpenID Connect provider): accounts.federation, docs/accounts.md.
# Off unless an issuer and a client id are set.
DIGITALFRONT_VNEID_ISSUER = os.environ.get("DIGITALFRONT_VNEID_ISSUER", "")
DIGITALFRONT_VNEID_CLIENT_ID = os.environ.get("DIGITALFRONT_VNEID_CLIENT_ID", "")
DIGITALFRONT_VNEID_CLIENT_SECRET = os.environ.get("DIGITALFRONT_VNEID_CLIENT_SECRET", "")
DIGITALFRONT_VNEID_SCOPE = os.environ.get("DIGITALFRONT_VNEID_SCOPE", "openid profile citizen")
# the claim that carries the 12-digit personal identification number
DIGITALFRONT_VNEID_CITIZEN_ID_CLAIM = os.environ.get("DIGITALFRONT_VNEID_CITIZEN_ID_CLAIM", "citizen_id")
DIGITALFRONT_VNEID_LABEL = os.environ.get("DIGITALFRONT_VNEID_LABEL", "VNeID")

# A PEM key from the environment wins; otherwise the key lives in the database, read on every use.
OIDC_PRIVATE_KEY = os.environ.get("DIGITALFRONT_OIDC_PRIVATE_KEY", "").replace("\\n", "\n").strip()
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_PRIVATE_KEY or lazy(_oidc_active_key, str)(),
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [] if OIDC_PRIVATE_KEY else lazy(_oidc_inactive_keys, list)(),
    "OIDC_ISS_ENDPOINT": os.environ.get("DIGITALFRONT_OIDC_ISSUER", "").rstrip("/"),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # with a valid id_token_hint of the signed-in person the sign-out happens at once; otherwise the
    # confirmation page asks (OpenID Connect RP-Initiated Logout 1.0, section 2)
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "OAUTH2_VALIDATOR_CLASS": "digitalfront.accounts.oidc.Validator",
    "SCOPES": {
        "openid": "Đăng nhập bằng tài khoản Mặt trận số",
        "profile": "Họ tên, tên đăng nhập và loại tài khoản",
        "units": "Các đơn vị và vai trò của bạn",
        "api": "Dùng dữ liệu của nền tảng thay mặt bạn, trong phạm vi quyền của bạn",
        "citizen": "Số định danh cá nhân của bạn",
    },
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 600,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "auto",
    # RFC 9700: no implicit grant, no password grant, no "plain" PKCE, tokens only in headers.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}



# Notifications (docs/notifications.md): e-mail through Django's e-mail framework (MAILERS, which
# replaces the EMAIL_* settings deprecated in Django 6.1), SMS through a pluggable backend.
# With EMAIL_HOST set, e-mail goes out by SMTP; otherwise it is written to files in DATA_DIR/outbox/email.
DEFAULT_FROM_EMAIL = os.environ.get("DIGITALFRONT_EMAIL_FROM", "Mặt trận số <khong-tra-loi@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": os.environ["EMAIL_HOST"],
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 10,
    }}}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                           "OPTIONS": {"file_path": str(DATA_DIR / "outbox" / "email")}}}
# digitalfront.core.notifications.FileSMSBackend (DATA_DIR/outbox/sms), .MemorySMSBackend (tests) or
# .GatewaySMSBackend (POST JSON to the gateway URL with the bearer token)
DIGITALFRONT_SMS_BACKEND = os.environ.get("DIGITALFRONT_SMS_BACKEND", "digitalfront.core.notifications.FileSMSBackend")
DIGITALFRONT_SMS_GATEWAY_URL = os.environ.get("DIGITALFRONT_SMS_GATEWAY_URL", "")
DIGITALFRONT_SMS_GATEWAY_TOKEN = os.environ.get("DIGITALFRONT_SMS_GATEWAY_TOKEN", "")

# Background work (docs/operations.md, "Worker and scheduler"): Django's Tasks framework with the
# ORM-backed backend; `digitalfront worker` runs the tasks, `digitalfront scheduler` enqueues the
# periodic ones. Tests may switch to "django.tasks.backends.immediate.ImmediateBackend".
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DIGITALFRONT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "ai", "notifications"],
    }
}

# Models trained by the project (the feedback classifier): written by `digitalfront feedback retrain`.
DIGITALFRONT_MODELS_DIR = Path(os.environ.get("DIGITALFRONT_MODELS_DIR", DATA_DIR / "models"))

# Feedback (docs/feedback.md). The sender's identity is sealed with these Fernet keys (comma-separated,
# the first encrypts; without them a key is derived from SECRET_KEY: set them in production).
DIGITALFRONT_IDENTITY_KEYS = os.environ.get("DIGITALFRONT_IDENTITY_KEYS", "")
# group commit of submissions (feedback.intake_batch)
DIGITALFRONT_INTAKE_BATCH = env_bool("DIGITALFRONT_INTAKE_BATCH", True)
# the public address of the site, for links in e-mails and SMS (e.g. https://matranso.vn)
DIGITALFRONT_PUBLIC_URL = os.environ.get("DIGITALFRONT_PUBLIC_URL", "")
# the staff case page links a case's map point to this web map ({lat}, {lon}); empty: no link
DIGITALFRONT_MAP_LINK = os.environ.get(
    "DIGITALFRONT_MAP_LINK", "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")
DIGITALFRONT_FEEDBACK_REOPEN_DAYS = int(os.environ.get("DIGITALFRONT_FEEDBACK_REOPEN_DAYS", "30"))
DIGITALFRONT_FEEDBACK_ESCALATE_AFTER_DAYS = int(os.environ.get("DIGITALFRONT_FEEDBACK_ESCALATE_AFTER_DAYS", "2"))

# The cache holds rate limits and one-time challenge answers, so it must be shared by every web process:
# Redis in production (REDIS_URL), a table of the database on the embedded default.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "digitalfront_cache"}}
# submissions per hour allowed per IP address, device and account before the challenge (feedback.guard),
# e.g. "ip=60,device=6,account=12"
DIGITALFRONT_FEEDBACK_LIMITS = {
    key.strip(): int(value)
    for key, value in (
        item.split("=", 1) for item in os.environ.get("DIGITALFRONT_FEEDBACK_LIMITS", "ip=60,device=6,account=12")
        .split(",") if "=" in item
    )
}

# The library's search index: "embedded" (SQLite FTS5 in a file, no server) or "postgres" (PostgreSQL
# full-text search in the main database, for production on PostgreSQL). docs/library.md.
LIBRARY_SEARCH_BACKEND = os.environ.get("DIGITALFRONT_SEARCH_BACKEND", "embedded")
LIBRARY_SEARCH_PATH = Path(os.environ.get("DIGITALFRONT_SEARCH_PATH", DATA_DIR / "search" / "library.sqlite3"))

# The virtual assistant (docs/assistant.md). Without a model it answers extractively (quoted sentences
# with citations). With DIGITALFRONT_LLM_URL (the base URL of an OpenAI-compatible API: vLLM, Ollama,
# llama.cpp server, e.g. http://127.0.0.1:8080/v1) it generates grounded answers, streaming.
ASSISTANT_LLM_URL = os.environ.get("DIGITALFRONT_LLM_URL", "")
ASSISTANT_LLM_MODEL = os.environ.get("DIGITALFRONT_LLM_MODEL", "default")
ASSISTANT_LLM_API_KEY = os.environ.get("DIGITALFRONT_LLM_API_KEY", "")
ASSISTANT_LLM_TIMEOUT = float(os.environ.get("DIGITALFRONT_LLM_TIMEOUT", "60"))
ASSISTANT_LLM_MAX_TOKENS = int(os.environ.get("DIGITALFRONT_LLM_MAX_TOKENS", "400"))
# questions per user per hour
ASSISTANT_QUESTIONS_PER_HOUR = int(os.environ.get("DIGITALFRONT_ASSISTANT_PER_HOUR", "240"))

# Live events (the congress dashboard's pushed updates), core/live.py: "database" (a table polled by the
# event streams; works across processes on SQLite and PostgreSQL) or "redis" (Redis Streams; the default
# when REDIS_URL is set, and what production uses with several web processes).
LIVE_BACKEND = os.environ.get("DIGITALFRONT_LIVE_BACKEND", "")
LIVE_REDIS_URL = os.environ.get("REDIS_URL", "")
