"""One settings module, read from the environment.

PORTAL_ENV selects the profile:
- ``dev`` (default): embedded defaults (SQLite and a filesystem broker under ``var/``), demo
  logins, mail printed to the console.
- ``test``: used by the test suite against the real PostgreSQL and Redis.
- ``production``: refuses to start without SECRET_KEY and ALLOWED_HOSTS; secure cookies, HSTS.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import settings_api, test_workers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PORTAL_ENV = env.str("PORTAL_ENV", default="dev")
if PORTAL_ENV not in {"dev", "test", "production"}:
    raise ImproperlyConfigured("PORTAL_ENV must be one of dev, test, production.")
PRODUCTION = PORTAL_ENV == "production"
_TEST = PORTAL_ENV == "test"

# Parallel test processes (`make test`) each get Redis databases and a media folder of their own.
TEST_WORKER = test_workers.name() if _TEST else ""

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs SECRET_KEY (50 characters or more).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")
    DEBUG = False
else:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-only-for-local-use")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
    DEBUG = env.bool("DEBUG", default=PORTAL_ENV == "dev")

# Demo logins exist only in the embedded/dev configuration.
DEMO_MODE = PORTAL_ENV == "dev" and env.bool("DEMO_MODE", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "portal",
    "catalog",
    "municipalities",
    "suppliers",
    "tenders",
    "consultations",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Inside WhiteNoise (static files come precompressed) and outside everything that writes a
    # body: pages, JSON and text leave compressed (decision 0026, why that is safe from BREACH).
    "portal.compression.TextGZipMiddleware",
    # Outside everything that may answer for a signed-in user (a refused CSRF check, an API
    # problem, the 503 of a cache that is down): no-store unless public (decision 0014).
    "portal.cache_headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.ProjectTeamMfaMiddleware",
    "portal.middleware.StaffAdminMfaMiddleware",
    "portal.middleware.ApiVersionMiddleware",
    # Inside the version header's middleware, so that the problem it answers carries it too.
    "portal.api_errors.ApiProblemMiddleware",
    # Innermost: a cache that is down becomes a 503 (under /api/ turned into problem+json by
    # the middleware above).
    "portal.middleware.CacheUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "config.context_processors.team_menu",
            ],
        },
    },
]

if not PRODUCTION:
    VAR_DIR.mkdir(exist_ok=True)

if PORTAL_ENV == "test":
    _default_db = "postgres://postgres@127.0.0.1:5432/portal"
else:
    _default_db = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=_default_db)}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "TEST_DATABASE_NAME", default="test_portal"
    )
    # No JIT compilation: the portal's queries are short, and PostgreSQL compiles every query
    # its planner estimates as expensive (a correlated subquery over 3,420 municipalities
    # is), which cost 14 ms of a 27 ms query (decision 0027).
    _session_options = ["-c jit=off"]
    if PORTAL_ENV == "test":
        # The test database is emptied with TRUNCATE between transactional tests; the audit
        # trail's trigger refuses TRUNCATE unless the session allows it (portal migration 0006).
        _session_options.append("-c portal.audit_truncate=allow")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_session_options)
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Server-bound parameters, so psycopg prepares a statement that repeats on a connection
        # and PostgreSQL stops parsing and planning it again (decision 0037).
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env.int(
            "DATABASE_PREPARE_THRESHOLD", default=5
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if PORTAL_ENV == "test":
    # Hashing strength is not under test; a fast hasher keeps persona set-up cheap.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

# --- allauth -------------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[GT-portaal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so that the policy is visible and reviewable.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
# Proxies in front of the portal that append to X-Forwarded-For (the reverse proxy: 1), so
# that rate limits count per client, not per proxy; the API's throttling uses the same number.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "GT-portaal"
MFA_RECOVERY_CODE_COUNT = 10

# --- i18n and time -------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# First wins: our Dutch ("u", docs/woordenlijst.md) over Django's and allauth's.
LOCALE_PATHS = [BASE_DIR / "locale" / "overrides", BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# Uploaded files live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
if TEST_WORKER:
    MEDIA_ROOT = MEDIA_ROOT / TEST_WORKER
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
if PRODUCTION or env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="GT-portaal <noreply@gt-portaal.nl>")

# --- Celery --------------------------------------------------------------------------------
_redis_url = env.str(
    "REDIS_URL", default="redis://127.0.0.1:6379/0" if PORTAL_ENV == "test" else ""
)
# The cache holds allauth's rate-limit counters and used TOTP codes, so it must be shared by
# every process: Redis when there is one, a file cache under var/ in the embedded default.
# In a parallel test run each test process has Redis databases of its own (decision 0031).
REDIS_DATABASES = test_workers.redis_databases(
    broker_url=_redis_url,
    cache_url=env.str(
        "CACHE_URL", default=(_redis_url.rsplit("/", 1)[0] + "/1") if _redis_url else ""
    ),
)
REDIS_URL = REDIS_DATABASES.broker_url
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # An unacknowledged message (acks_late) comes back after this long when its whole worker
    # died: longer than the longest task (aggregation: 660 s) with its longest retry countdown
    # (300 s), so that no running task is delivered twice. The requeue sweep is faster still.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 1200}
else:
    # Embedded broker: kombu's filesystem transport under var/, shared by web and worker.
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
_cache_url = REDIS_DATABASES.cache_url
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": f"portal-{PORTAL_ENV}",
            # A cache that is down must fail fast (portal.middleware.CacheUnavailableMiddleware
            # answers 503), not hold a web worker until its own timeout.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
# Documents are rendered on a queue of their own, so that a burst of PDFs never delays
# aggregation or mail. Every PDF task is named "<entity>_render_task".
CELERY_TASK_ROUTES = {"*_render_task": {"queue": "pdf"}}
CELERY_BEAT_SCHEDULE: dict = {
    # Reminders before joining deadlines; each is sent once (see tenders.models.Reminder).
    "tenders-reminders-send": {
        "task": "tenders.reminders_send_task",
        "schedule": crontab(minute=7),
    },
    # A published tender closes for bids when its deadline passes.
    "tenders-close-due": {
        "task": "tenders.tenders_close_due_task",
        "schedule": crontab(),
    },
    # Work whose task was lost (broker down at the commit, broker data gone, a whole worker
    # killed) is queued again every minute; every task is idempotent.
    "tenders-requeue-lost-work": {
        "task": "tenders.requeue_lost_work_task",
        "schedule": crontab(),
    },
    "municipalities-requeue-lost-work": {
        "task": "municipalities.requeue_lost_work_task",
        "schedule": crontab(),
    },
    "consultations-requeue-lost-work": {
        "task": "consultations.requeue_lost_work_task",
        "schedule": crontab(),
    },
    # Outbox rows (mail, plain tasks) not sent after the commit, e.g. with the broker down.
    "portal-outbox-sweep": {
        "task": "portal.outbox_sweep_task",
        "schedule": crontab(),  # every minute
    },
    # Retention periods of personal data (RETENTION below), once a night.
    "portal-retention-apply": {
        "task": "portal.retention_apply_task",
        "schedule": crontab(hour=3, minute=17),
    },
}
# A job still queued this long after it was requested was never picked up (the broker was
# down at the commit, or lost its data): its task is sent again. A running job counts as lost
# after its own task's time limit (``JobKind.lost_after``). A task sent twice does the work once.
REQUEUE_LOST_AFTER_MINUTES = env.int("REQUEUE_LOST_AFTER_MINUTES", default=5)
# Outbox (portal.outbox). Mail goes through the worker; unit tests have none, and deliver in
# the process (still through the outbox row, once).
OUTBOX_MAIL_VIA_WORKER = env.bool("OUTBOX_MAIL_VIA_WORKER", default=PORTAL_ENV != "test")
OUTBOX_MAIL_MAX_RETRIES = env.int("OUTBOX_MAIL_MAX_RETRIES", default=5)
OUTBOX_MAIL_RETRY_BASE = env.int("OUTBOX_MAIL_RETRY_BASE", default=10)  # seconds, doubled
OUTBOX_MAIL_RETRY_MAX = env.int("OUTBOX_MAIL_RETRY_MAX", default=300)
# A mail whose delivery task has not succeeded after this many seconds is dispatched again.
OUTBOX_REDISPATCH_AFTER = env.int("OUTBOX_REDISPATCH_AFTER", default=300)
OUTBOX_SWEEP_BATCH = 500
# Retention periods of personal data, in days (portal.privacy.retention_apply, nightly). Every
# key has a rule registered by the app that holds the rows, and a line in the processing
# register (docs/privacy/verwerkingsregister.md). The audit trail has no period here: it is
# kept as the record of the tender (docs/decisions/0015-personal-data.md).
RETENTION = {
    # Outbox rows whose mail or task has left (their bodies are already erased on delivery).
    "outbox_sent_days": env.int("RETENTION_OUTBOX_SENT_DAYS", default=90),
    # Invitations never accepted, counted from when they expired or were revoked.
    "unaccepted_invitations_days": env.int("RETENTION_UNACCEPTED_INVITATIONS_DAYS", default=30),
    # Join requests a supplier declined, counted from the decision.
    "declined_join_requests_days": env.int("RETENTION_DECLINED_JOIN_REQUESTS_DAYS", default=365),
    # Accounts that never verified their address nor logged in and belong to no organisation.
    "inactive_unverified_accounts_days": env.int(
        "RETENTION_INACTIVE_UNVERIFIED_ACCOUNTS_DAYS", default=30
    ),
    # Tender subscriptions never confirmed (the confirmation link is valid for 7 days).
    "subscriptions_unconfirmed_days": env.int(
        "RETENTION_SUBSCRIPTIONS_UNCONFIRMED_DAYS", default=7
    ),
    # Tender subscriptions ended by the subscriber.
    "subscriptions_unsubscribed_days": env.int(
        "RETENTION_SUBSCRIPTIONS_UNSUBSCRIBED_DAYS", default=30
    ),
}
RETENTION_BATCH = env.int("RETENTION_BATCH", default=500)
# The most rows of one part (memberships, audit events, …) a download of one's own data holds.
PRIVACY_EXPORT_MAX_ROWS = env.int("PRIVACY_EXPORT_MAX_ROWS", default=5000)
CELERY_TIMEZONE = TIME_ZONE
BROKER_HEALTH_TIMEOUT = env.float("BROKER_HEALTH_TIMEOUT", default=2.0)

# --- REST API ------------------------------------------------------------------------------
# Rate limits (portal.api_throttling): 429 with Retry-After when exceeded. The test suite makes
# many calls per test (the permission matrix): tests of the limits set real rates themselves.
REST_FRAMEWORK = settings_api.rest_framework(
    env=env, test=_TEST, debug=DEBUG, proxies=ALLAUTH_TRUSTED_PROXY_COUNT
)
SPECTACULAR_SETTINGS = settings_api.SPECTACULAR_SETTINGS
API_VERSION = "1.0.0"

# --- security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The container health check calls /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    SESSION_COOKIE_AGE = 8 * 60 * 60

# --- portal --------------------------------------------------------------------------------
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# ClamAV's daemon that scans every upload before it is stored (portal.virus_scan):
# unix:///run/clamav/clamd.ctl or tcp://clamav:3310; empty = no scanning (embedded default).
# clamd's StreamMaxLength must be at least CLAMD_MAX_BYTES.
CLAMD_ADDRESS = env.str("CLAMD_ADDRESS", default="")
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)
CLAMD_MAX_BYTES = env.int("CLAMD_MAX_BYTES", default=UPLOAD_MAX_BYTES)
# Days before a programme's joining deadline on which unfinished organisations get a reminder.
REMINDER_DAYS_BEFORE = env.list("REMINDER_DAYS_BEFORE", cast=int, default=[14, 3])
# The portal's public address, for links in mail sent without a request (a worker, an event).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://localhost:8000")
# The portal's name as every mail signs it (with PORTAL_BASE_URL), never the request's host.
PORTAL_NAME = env.str("PORTAL_NAME", default="GT-portaal")
# The most rows one spreadsheet of contacts may have (municipalities.services.bulk_invite).
BULK_INVITATION_MAX_ROWS = env.int("BULK_INVITATION_MAX_ROWS", default=2000)
# How long a subscription's confirmation link works, and how often the subscribe form may mail
# one address (seconds).
SUBSCRIPTION_CONFIRM_VALID_DAYS = env.int("SUBSCRIPTION_CONFIRM_VALID_DAYS", default=7)
SUBSCRIPTION_MAIL_INTERVAL = env.int("SUBSCRIPTION_MAIL_INTERVAL", default=60 * 60)

# Attempt and rate limits (portal.attempts): purpose -> (attempts, window, lockout), seconds.
# Code entry locks for ``lockout`` after ``attempts`` wrong codes within ``window``; a rate limit
# allows ``attempts`` actions per ``window`` (its lockout is unused).
ATTEMPT_LIMITS = {
    # A TOTP code when signing a mandate in the portal: per user.
    "mandate_sign": (5, 15 * 60, 15 * 60),
    # A token in a link (subscription confirmation, invitation): per client address.
    "link_token": (20, 15 * 60, 15 * 60),
    # Mail a user can make the portal send, per user and per organisation, an hour; mail an
    # anonymous visitor can make it send (a subscription's confirmation), per client address.
    "invitation_user": (20, 60 * 60, 0),
    "invitation_organisation": (50, 60 * 60, 0),
    # Uploads of a spreadsheet of contacts by the project team, per user: each upload is one
    # action bounded by its rows (municipalities.services.bulk_invite.MAX_ROWS).
    "bulk_invitation": (10, 60 * 60, 0),
    "mail_user": (30, 60 * 60, 0),
    "mail_address": (20, 60 * 60, 0),
}
if _TEST:
    # Tests make many requests as one user; the tests of the limits set real values.
    ATTEMPT_LIMITS |= {
        purpose: (10_000, window, lockout)
        for purpose, (_attempts, window, lockout) in ATTEMPT_LIMITS.items()
        if purpose != "mandate_sign"
    }

# Open data (OCDS, docs/ocds.md). The ocid prefix is registered with the Open Contracting
# Partnership ("ocds-" and six characters); the placeholder marks data as not yet registered.
# Each tender's ocid is the prefix, "-" and its reference, fixed by its first release.
OCDS_OCID_PREFIX = env.str("OCDS_OCID_PREFIX", default="ocds-xxxxxx")
OCDS_PUBLISHER_NAME = env.str("OCDS_PUBLISHER_NAME", default="Vereniging van Nederlandse Gemeenten")
# The central purchasing body in the data: its KvK number (org-id.guide scheme NL-KVK, verify).
OCDS_CENTRAL_PURCHASING_BODY_KVK = env.str("OCDS_CENTRAL_PURCHASING_BODY_KVK", default="40594571")
OCDS_LICENSE = env.str("OCDS_LICENSE", default="https://creativecommons.org/publicdomain/zero/1.0/")
OCDS_PUBLICATION_POLICY = env.str("OCDS_PUBLICATION_POLICY", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
