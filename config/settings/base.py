"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import everything from here and
override what differs. Secrets and service URLs always come from the environment.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.logging import logging_config

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-change-me")
# The build being run (image tag or git commit), if the deployment says: kept pages are
# stamped with it (config.release; without it, a digest of the checkout's sources).
RELEASE = env_str("RELEASE", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.apps.StaffUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    # For its admin templates (org.admin.OrgUnitAdmin is a TreeAdmin); without it the org
    # unit list in the Django admin was a 500.
    "treebeard",
]
LOCAL_APPS = [
    "core",
    "org",
    "lms",
    "content",
    "courses",
    "surveys",
    "audit",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "config.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's own language comes first.
    "config.middleware.JapaneseFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Refuses a sign-in POST from an address with too many failures, before the view runs.
    "lms.accounts.middleware.SignInThrottleMiddleware",
    # Last, so that it sees failed logins raised by every authentication backend.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.current_member",
            ],
        },
    },
]

# Database: SQLite for trying it out, PostgreSQL in production (DATABASE_URL).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# People
AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "lms.accounts.backends.EmployeeNumberOrEmailBackend",
]
LOGIN_URL = "lms:login"
LOGIN_REDIRECT_URL = "lms:my_training"
LOGOUT_REDIRECT_URL = "lms:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# --- Roster import and enrolment (org.roster, lms.completion.receivers) --------------------
# A roster apply that adds or changes at most this many people enrols them in its own
# transaction (new hires and transfers, with their own due dates); a larger one (a city's
# first import, a reorganisation) records the enrolment as queued work in that transaction
# and the worker does it after the commit, so the apply stays short.
ROSTER_ENROL_IN_APPLY_MAX = env_int("ROSTER_ENROL_IN_APPLY_MAX", 20_000)

# --- First sign-in with activation codes (lms.accounts.activation) ------------------------------
# README "First sign-in without IT: activation codes". HR prints one-time codes; a code is good
# to the end of the ACTIVATION_CODE_DAYS-th day after it was issued, and one issue covers at
# most ACTIVATION_SHEET_MAX_PEOPLE people: hashing and printing one request's slips took 22 s
# for 300 and 39-53 s for 500 on the busy 2-core machine (gunicorn's timeout is 60 s).
ACTIVATION_CODE_DAYS = env_int("ACTIVATION_CODE_DAYS", 14)
ACTIVATION_SHEET_MAX_PEOPLE = env_int("ACTIVATION_SHEET_MAX_PEOPLE", 300)
# Checks 職員番号 + code after the axes backend, so failures count towards the same lockout.
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "lms.accounts.backends.ActivationCodeBackend"]
# Axes keeps the form fields of failed sign-ins; these are masked (axes' defaults, the
# activation code, and new passwords).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "new_password1", "new_password2"]
# --- end of activation codes ---------------------------------------------------------------------

# Sessions expire: after SESSION_COOKIE_AGE of inactivity, and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failures (django-axes), per user name and address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Count failures per normalised login, so "１２３４５６" and "123456" share one counter.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "lms.accounts.backends.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Axes names the client in its lockout warning; ours leaves the login (personal data) out.
AXES_CLIENT_STR_CALLABLE = "config.logging.axes_client_str"
# The client's address (core.http.client_address): REMOTE_ADDR, or behind this many trusted
# proxies that append to X-Forwarded-For, the address the outermost one saw. Set it to the
# number of proxies in front of the application, or every person shares the proxy's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
# Across accounts, per client address (lms.accounts.throttle): sign-in pauses after this many
# failures in the window; reset mails: one per account per interval, so many per address per
# hour. A refused reset shows the same page as any other.
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 50)
SIGN_IN_ADDRESS_WINDOW = 30 * 60  # seconds
PASSWORD_RESET_ACCOUNT_INTERVAL = 15 * 60  # seconds
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 20)

# --- Sign-in with the city's on-premises Active Directory / LDAP (lms.accounts.ldap) --------
# Off unless LDAP_SERVER_URI is set; then the directory is asked after the local password
# (and after django-axes, whose lockout counts directory failures too). See the README,
# "Sign-in with an on-premises Active Directory (LDAP)". `manage.py check` reports a plain
# ldap:// without StartTLS, a missing search base, a filter that cannot work and an
# unreadable CA file (lms.E101-E104).
# ldaps://dc01.city.local:636, or ldap://dc01.city.local:389 with LDAP_START_TLS=true; a
# plain ldap:// without StartTLS is refused (the password would cross the network in clear).
LDAP_SERVER_URI = env_str("LDAP_SERVER_URI", "")
LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
# The read-only service account that looks people up (empty: search anonymously).
LDAP_BIND_DN = env_str("LDAP_BIND_DN", "")
LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD", "")
# Where people are, and how the typed login finds one of them ({login}, escaped as RFC 4515
# says): by default an Active Directory account by its sign-in name or its employee ID.
LDAP_USER_SEARCH_BASE = env_str("LDAP_USER_SEARCH_BASE", "")
LDAP_USER_FILTER = env_str(
    "LDAP_USER_FILTER",
    "(&(objectCategory=person)(objectClass=user)(|(sAMAccountName={login})(employeeID={login})))",
)
# The attribute that holds the 職員番号, matched to the roster (AD: employeeID).
LDAP_EMPLOYEE_NUMBER_ATTR = env_str("LDAP_EMPLOYEE_NUMBER_ATTR", "employeeID")
# PEM file of the CA that signed the directory's certificate (empty: the system's CAs).
LDAP_CA_FILE = env_str("LDAP_CA_FILE", "")
# Seconds to wait for the directory to connect and to answer each request.
LDAP_TIMEOUT = env_int("LDAP_TIMEOUT", 5)
if LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "lms.accounts.ldap.DirectoryBackend"]
# A sign-in the directory could not answer, when no local password was checked either, tried
# no password: axes (and the per-address limit) do not count it, so an outage locks nobody out.
AXES_WHITELIST_CALLABLE = "lms.accounts.ldap.failure_not_counted"

# --- Sign-in with OpenID Connect (lms.accounts.oidc) -----------------------------------------
# Microsoft Entra ID or any OpenID provider; README "Sign-in with Microsoft Entra ID or another
# OpenID provider". Off unless OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set;
# some without the others is an error of `manage.py check` (lms.E111), never a silent "off".
# The provider's endpoints and keys come from OIDC_ISSUER's discovery document.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").strip()
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
# The ID token claim that carries the 職員番号 (Entra ID: an optional claim mapped from
# employeeId); matched as the roster import spells numbers.
OIDC_EMPLOYEE_NUMBER_CLAIM = env_str("OIDC_EMPLOYEE_NUMBER_CLAIM", "employee_number").strip()
# Also match by a verified e-mail address that belongs to exactly one person of the roster.
OIDC_MATCH_EMAIL = env_bool("OIDC_MATCH_EMAIL", False)
# The button's words; empty: 「組織アカウントでサインイン」 (translated in English).
OIDC_BUTTON_LABEL = env_str("OIDC_BUTTON_LABEL", "").strip()
# Only the button on the sign-in page; the password form only at /accounts/login/?local=1.
OIDC_ONLY = env_bool("OIDC_ONLY", False)
# Seconds the provider's clock may differ from ours (exp, iat, nbf); at most 300 (lms.E114).
OIDC_CLOCK_SKEW = env_int("OIDC_CLOCK_SKEW", 60)
# Seconds to wait for the provider (discovery, keys, token exchange).
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# Sessions of people signed in by the provider name this backend; it never authenticates a
# password (lms.accounts.oidc.RosterOIDCBackend).
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "lms.accounts.oidc.RosterOIDCBackend"]
# --- end of OpenID Connect ---------------------------------------------------------------------

# Internationalisation: Japanese first, English second.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads with people's data (roster files): outside MEDIA_ROOT, never served as media, sent
# only by views that check permission (core.storage).
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Roster files of 100,000 rows are about 10 MB as CSV; refuse anything far larger early.
ROSTER_MAX_UPLOAD_BYTES = env_int("ROSTER_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# Lines of a roster file (header and blank lines included): above the 100,000 people the
# benchmark imports and far above any city hall; it bounds the memory of a check (about 230 MB
# at the cap, tests/org/test_roster_memory.py) and refuses a file of millions of rows as it
# is read, not after.
ROSTER_MAX_ROWS = env_int("ROSTER_MAX_ROWS", 110_000)
# Question bank imports (GIFT, Moodle XML): far larger than any real bank, refused early.
QUESTION_IMPORT_MAX_UPLOAD_BYTES = env_int("QUESTION_IMPORT_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
# Questions in one import (one transaction): a real bank has a few hundred.
QUESTION_IMPORT_MAX_QUESTIONS = env_int("QUESTION_IMPORT_MAX_QUESTIONS", 2000)
# SCORM packages (courses.scorm): refused before extraction above these limits. Vendors'
# packages with narrated video run to a few hundred MB; a zip bomb compresses far more than
# 100 times.
SCORM_MAX_UPLOAD_BYTES = env_int("SCORM_MAX_UPLOAD_BYTES", 500 * 1024 * 1024)
SCORM_MAX_UNCOMPRESSED_BYTES = env_int("SCORM_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
SCORM_MAX_FILES = env_int("SCORM_MAX_FILES", 10_000)
SCORM_MAX_COMPRESSION_RATIO = env_int("SCORM_MAX_COMPRESSION_RATIO", 100)
# One save of a learner's runtime data (SCORM 2004 allows 64,000 characters of suspend data).
SCORM_MAX_CMI_BYTES = env_int("SCORM_MAX_CMI_BYTES", 512 * 1024)
# The policy of a package's own files (courses.scorm.views): vendors' packages run inline
# scripts and styles and draw on canvases, so those are allowed there and only there; they
# still load nothing from other hosts, post nowhere else and may be framed by our pages only.
SCORM_CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Form fields of one request, files excluded; the question import's confirm step posts the
# previewed text back as one field, so this stays above QUESTION_IMPORT_MAX_UPLOAD_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
# Uploads above this are streamed to a temporary file instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dx-training@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = env_str("REDIS_URL", "")

# Caches: each process's own memory by default; rendered "my training" pages in Redis when
# REDIS_URL is set (invalidated by versions the writers renew, see lms/caching.py), and not
# kept at all without it.
CACHES = {
    # This process's memory: Wagtail's site look-ups and the guidebook's own entries, which
    # must keep working when Redis is away.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Counters of the sign-in and reset limits (lms.accounts.throttle): shared by every web
    # process when Redis is there, so that each process does not get the limit anew.
    "throttle": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dx",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
    # Rendered "my training" pages (lms.my_training.cache), shared by the web and Celery
    # processes so that a worker's change reaches every web process; the code copes with it
    # being away.
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dx",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
    ),
}

# Celery: JSON only, acknowledge after the work is done, re-deliver when a worker dies.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis re-delivers a task whose worker died (acks_late) once it has been unacknowledged this
# long; keep it above the longest hard time limit, or a running task is delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
    "socket_connect_timeout": 5,
}
# Workers log through LOGGING below (personal data masked, JSON when asked), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Without a broker the tasks run in-process, so trying the product needs nothing but Python.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE: dict = {
    # Send again the work queued after a commit whose message was lost (core.queue).
    "core-queued-tasks-sweep": {
        "task": "core.queued_tasks_sweep",
        "schedule": env_int("CORE_QUEUE_SWEEP_SECONDS", 60),
    },
    # Submit quiz attempts whose time ran out; grade again those that failed or were lost.
    "courses-attempts-sweep": {
        "task": "courses.attempts_sweep",
        "schedule": env_int("COURSES_SWEEP_SECONDS", 60),
    },
    # E-mail SVO review decisions a mail-server outage held up.
    "courses-reviews-notify-sweep": {
        "task": "courses.svo_reviews_notify_sweep",
        "schedule": env_int("COURSES_SWEEP_SECONDS", 60),
    },
    # Recurring assignments open their next cycle (April 1 for every 年度) and people whose
    # certificates are about to expire are enrolled again, just after midnight in Tokyo.
    "lms-compliance-cycles-daily": {
        "task": "lms.compliance_cycles_daily",
        "schedule": crontab(hour=0, minute=1),
    },
    # "Overdue" moves with the date: recount this year's per-unit figures after midnight.
    "lms-stats-rebuild": {
        "task": "lms.stats_rebuild",
        "schedule": crontab(hour=0, minute=5),
    },
    # Notices whose task was lost: people not told of an assignment, certificates issued.
    "lms-notices-sweep": {
        "task": "lms.notices_sweep",
        "schedule": env_int("LMS_NOTICES_SWEEP_SECONDS", 300),
    },
    # One digest per person for due-soon (7/3/1 days) and overdue training, then escalations.
    "lms-reminders-daily": {
        "task": "lms.reminders_send_daily",
        "schedule": crontab(hour=8, minute=0),
    },
    # The people lists HR scheduled (weekly or monthly), before the working day starts.
    "lms-scheduled-reports": {
        "task": "lms.scheduled_reports_send",
        "schedule": crontab(hour=7, minute=30),
    },
}

# Where people reach this site, scheme and host without a trailing slash: the one setting that
# every absolute link is built from (e-mails, the certificate's check address, Wagtail's own
# notification e-mails), whatever host a request or a Wagtail Site names.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who signs the e-mails and how staff reach them, e.g. 「人事課 研修担当（内線 1234）」.
TRAINING_CONTACT = env_str("TRAINING_CONTACT", "人事課 研修担当")
# Chat channels for reminders (core.notices), each off unless configured here; e-mail is
# always the fallback. Requests to a chat service time out after this many seconds.
NOTICE_CHANNEL_TIMEOUT = env_int("NOTICE_CHANNEL_TIMEOUT", 5)
# Only https addresses are posted to; http to a loopback address only with this on (tests).
NOTICE_ALLOW_HTTP_LOOPBACK = env_bool("NOTICE_ALLOW_HTTP_LOOPBACK", False)
# Microsoft Teams: post reminders to the channel of a person's unit (HR stores each unit's
# Workflows webhook URL in the CMS, "Teams channels").
TEAMS_ENABLED = env_bool("TEAMS_ENABLED", False)
# LINE WORKS Bot API 2.0 to the person (service account with JWT); on only when all five of
# client id, client secret, service account, private key (PEM text or a file) and bot id are
# set (a half-set configuration fails the system check core.E010).
LINEWORKS_CLIENT_ID = env_str("LINEWORKS_CLIENT_ID", "")
LINEWORKS_CLIENT_SECRET = env_str("LINEWORKS_CLIENT_SECRET", "")
LINEWORKS_SERVICE_ACCOUNT = env_str("LINEWORKS_SERVICE_ACCOUNT", "")
LINEWORKS_PRIVATE_KEY = env_str("LINEWORKS_PRIVATE_KEY", "")
LINEWORKS_PRIVATE_KEY_FILE = env_str("LINEWORKS_PRIVATE_KEY_FILE", "")
LINEWORKS_BOT_ID = env_str("LINEWORKS_BOT_ID", "")
LINEWORKS_AUTH_URL = env_str("LINEWORKS_AUTH_URL", "https://auth.worksmobile.com/oauth2/v2.0/token")
LINEWORKS_API_URL = env_str("LINEWORKS_API_URL", "https://www.worksapis.com/v1.0")
# Who issues the certificates of completion, e.g. 「○○市長 ○○ ○○」 or 「人事課長」.
CERTIFICATE_ISSUER = env_str("CERTIFICATE_ISSUER", "人事課長")

# A refused form gets the site's own page (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Wagtail
WAGTAIL_SITE_NAME = _("DX training")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
# No avatars from gravatar.com: it would send a hash of every editor's e-mail address abroad.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The admin never calls home to releases.wagtail.io: the policy blocks it and editors cannot
# act on it; upgrades follow constraints.txt.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's own sign-in form leaves the password label untranslated.
WAGTAILADMIN_USER_LOGIN_FORM = "content.admin_forms.CmsLoginForm"

# Content-Security-Policy (config.middleware.ContentSecurityPolicyMiddleware). Our templates have
# no inline scripts or styles. Embedded videos come from the hosts in CSP_FRAME_SRC.
CSP_FRAME_SRC = env_list(
    "CSP_FRAME_SRC",
    "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
)
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "frame-src": ["'self'", *CSP_FRAME_SRC],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# The Wagtail 8 admin still renders inline scripts (inline panels, date and time widgets) and
# inline styles, draws images from blob: URLs while uploading and frames its own preview; the
# Django admin has inline styles. Both get this policy instead.
CSP_ADMIN_PATHS = ["/cms/", "/django-admin/"]
CSP_ADMIN_POLICY = {
    **CSP_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}

# Logs go to the console; LOG_FORMAT=json writes one JSON object per line (production's
# default). Personal data is masked (config.logging.PersonalDataFilter).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOGGING = logging_config(json_format=LOG_FORMAT == "json", level=env_str("LOG_LEVEL", "INFO"))
