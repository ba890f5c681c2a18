"""Settings for the statements CMS, read from the environment with safe defaults.

One naming rule: every variable this file reads starts with `DJANGO_`, followed by the name
of the setting it fills where there is one (DJANGO_COMMENTS_FLOOD_LIMIT →
COMMENTS_FLOOD_LIMIT); only DATABASE_URL and REDIS_URL keep the names every host and tool
already uses. Every variable is listed and explained in `.env.example`
(tests/test_environment.py fails when one is missing). With nothing set, the site runs on
SQLite and a local-memory cache with DEBUG off, and refuses to start without
DJANGO_SECRET_KEY.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    """The one way this file reads the environment (so the documentation test sees it all)."""
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(env(name, str(default)))


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "(`make run` writes one for local development)."
    )
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Same bar as Django's security.W009 check, but enforced: a weak key in production
    # lets anyone forge sessions and the signed pending-comment tokens.
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak: use 50+ random characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, on the staff site (second factor, checked redirects): staff/sites.py.
    "staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "captcha",
    "staff.apps.SignInAttemptsConfig",  # django-axes, its admin section named in Persian too
    "reversion",
    "django_tasks",
    "staff.apps.BackgroundTasksConfig",  # django-tasks-db, likewise
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # The rich-text editor of statement and page bodies (its static files): statements/widgets.py.
    "django_prose_editor",
    "statements",
    "comments",
    "staff",
    "pages",
    "mirror",
]

MIDDLEWARE = [
    # First: X-Forwarded-Proto and X-Real-IP are dropped unless a trusted proxy sent them.
    "cms.middleware.ForwardedHeadersMiddleware",
    # Second: a kept statement page is answered before anything else runs (its docstring).
    "statements.caching.KeptPageMiddleware",
    # The language of the address (/fa/…, /en/…), for every answer below it, error pages
    # included; see its docstring for why not LocaleMiddleware.
    "cms.middleware.LanguageMiddleware",
    "cms.middleware.ServiceUnavailableMiddleware",
    "cms.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page, and 304 answers to caches and browsers that already have it.
    "django.middleware.http.ConditionalGetMiddleware",
    # Above sessions and CSRF: a response that sets a cookie is never shared.
    "cms.middleware.NoSharedCookiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who showed a second factor (django-otp); staff who did not are anonymous outside the
    # sign-in steps (staff.middleware).
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"
# Django 6's default for URL fields typed without a scheme; opting in now silences its warning.
FORMS_URLFIELD_ASSUME_HTTPS = True
# Form widgets look in templates/ too, so that the CAPTCHA widget can be the site's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mirror.context_processors.mirror",
                "pages.context_processors.site_identity",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        # A "SELECT 1" before reusing a connection: no failed request after a database
        # restart, at the cost of one round trip per request.
        conn_health_checks=env_bool("DJANGO_CONN_HEALTH_CHECKS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_cache(url):
    """The Redis cache, which carries on while Redis is down (django-redis).

    IGNORE_EXCEPTIONS answers a failed call as an empty cache would (a miss, nothing
    stored) and logs it, so pages are rendered afresh; the client reconnects by itself, so
    caching resumes when Redis is back, without a restart. Flood control (cms.flood)
    then admits comments (they still need a CAPTCHA and a moderator) and searches.
    django-redis replaced our own wrapper of Django's RedisCache at the same speed (issue
    11's note has figures).
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env("DJANGO_CACHE_PREFIX", "cms"),
        "OPTIONS": {
            # Fail fast when Redis is away, rather than hold a request up.
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": True,
        },
    }


REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Log each ignored Redis error (to the "django_redis.cache" logger).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Passwords: at least 12 characters, not on Django's list of common passwords (19,640), not
# all digits, not like the username or e-mail.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign in with a password and then a second factor (staff/): a passkey or security key,
# an authenticator app, or a one-time backup code. On unless DEBUG (so off under `make run`);
# DJANGO_STAFF_2FA_REQUIRED=1 or =0 decides either way.
STAFF_2FA_REQUIRED = env_bool("DJANGO_STAFF_2FA_REQUIRED", not DEBUG)
# A staff session ends this many hours after sign-in, busy or not.
STAFF_SESSION_AGE = int(float(env("DJANGO_STAFF_SESSION_HOURS", "12")) * 3600)
# A failed code makes the next try wait 1, 2, 4, 8 ... seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Passkeys: a second factor after the password, never a way round it (nor round django-axes).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "staff.passkeys.SiteWebAuthnHelper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "staff.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "staff.passkeys.relying_party_name"
SILENCED_SYSTEM_CHECKS = [
    # "No allowed origins": the origin is the site's own, from the request (staff.passkeys).
    "otp_webauthn.E030",
    # "SQLite does not support indexes with non-key columns": only `make run` and the SQLite
    # tests use SQLite, where the archive's covering index (statement_listing) is a plain one.
    "models.W040",
]

# The site's languages (codes Django knows, in the order the language switcher lists them) and
# the one the site root, unprefixed pages and the 404 page of an unknown prefix use.
SITE_LANGUAGES = env_list("DJANGO_SITE_LANGUAGES", "fa,en")
SITE_DEFAULT_LANGUAGE = env("DJANGO_SITE_DEFAULT_LANGUAGE", SITE_LANGUAGES[0]).strip()
if SITE_DEFAULT_LANGUAGE not in SITE_LANGUAGES:
    raise ImproperlyConfigured(
        f"SITE_DEFAULT_LANGUAGE={SITE_DEFAULT_LANGUAGE!r} is not one of SITE_LANGUAGES."
    )
_KNOWN_LANGUAGES = dict(global_settings.LANGUAGES)
if unknown := [code for code in SITE_LANGUAGES if code not in _KNOWN_LANGUAGES]:
    raise ImproperlyConfigured(f"SITE_LANGUAGES has codes Django does not know: {unknown}.")
LANGUAGES = [(code, _KNOWN_LANGUAGES[code]) for code in SITE_LANGUAGES]
LANGUAGE_CODE = SITE_DEFAULT_LANGUAGE
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("DJANGO_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MANIFEST_STATIC = env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
# Without collected files (development, tests), whitenoise serves straight from the sources.
WHITENOISE_USE_FINDERS = not MANIFEST_STATIC
# Files staff upload (organizations' logos) and images the site draws (statements' OpenGraph
# images). nginx serves /media/ from disk in production; Django serves it otherwise (cms.urls).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production (after collectstatic); plain names when
        # DEBUG or testing, so that nobody has to run collectstatic first.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if MANIFEST_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: console by default; set DJANGO_EMAIL_HOST to send through a real server.
EMAIL_HOST = env("DJANGO_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
# Only the background worker talks to the mail server, so a patient timeout costs no reader.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (Django's tasks API through the django-tasks backport): every e-mail is
# queued in the database and sent by `manage.py db_worker` (the `mail-worker` service), never
# inside a reader's request. A failed delivery is tried up to MAIL_RETRIES times in all,
# first again after MAIL_RETRY_BACKOFF seconds, then after twice as long each time.
# Three queues: "default" (work on new comments, scheduled jobs), "mail" (every e-mail) and
# "captcha" (refilling the CAPTCHA pool), each with its own worker, so that a slow mail server
# or a spike of new comments never holds the rest up.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "captcha"],
    }
}
MAIL_RETRIES = env_int("DJANGO_MAIL_RETRIES", 6)
MAIL_RETRY_BACKOFF = env_int("DJANGO_MAIL_RETRY_BACKOFF", 30)
# The scheduler (`python -m cms.scheduler`, the `scheduler` service) queues these management
# commands as tasks, each every so many seconds. One list, so that every job is in one place.
SCHEDULED_COMMANDS = {
    "purge_comment_ips": 24 * 3600,
    "captcha_clean": 3600,
    "refill_captcha_pool": 60,
    "forget_fingerprints": 3600,
    "expire_reports": 24 * 3600,
    "clean_unconfirmed_addresses": 3600,
}

# HTTPS: off for local development and tests, on in production (DJANGO_HTTPS=1).
HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", HTTPS)
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
# The proxies (addresses and CIDR ranges) whose X-Real-IP and X-Forwarded-Proto are believed;
# from anyone else those headers are dropped (cms.middleware) and ignored (cms.client).
# Behind a proxy on the same machine the loopback addresses are the default.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1" if BEHIND_PROXY else "")
if BEHIND_PROXY:
    # nginx sets X-Forwarded-Proto itself, never passing on the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: our own scripts, styles and images only; no inline code anywhere
# (the JSON-LD block is data, which CSP does not govern).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "manifest-src": ["'self'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# Admin logins: after AXES_FAILURE_LIMIT failures for one username from one IP, that pair is
# locked out for AXES_COOLOFF_TIME hours (a 429 page).
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = float(env("DJANGO_AXES_COOLOFF_TIME", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.client.client_ip"
AXES_LOCKOUT_TEMPLATE = "lockout.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; failures and lockouts still show at WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

SITE_NAME = env("DJANGO_SITE_NAME", "Joint Statements")
# The name authenticator apps show beside a staff member's code.
OTP_TOTP_ISSUER = SITE_NAME

# How long browsers (max-age) and shared caches (s-maxage) keep public pages, in seconds.
# Short, so that an approved comment or an edit reaches readers within seconds.
PUBLIC_MAX_AGE = env_int("DJANGO_PUBLIC_MAX_AGE", 0)
PUBLIC_SHARED_MAX_AGE = env_int("DJANGO_PUBLIC_SHARED_MAX_AGE", 5)
# Rendered statement pages are kept this long in the cache (a change makes a new key at once).
STATEMENT_PAGE_CACHE_SECONDS = 600
# Each comment's rendered HTML is kept this long (comments.templatetags.comment_tags): keyed by
# what it shows and what it is made with (the code, translations, time zone), so nothing waits
# for it to expire; it only frees the cache of comments no page shows any more.
COMMENT_ARTICLE_CACHE_SECONDS = 86400
# s-maxage + stale-while-revalidate bounds how late a change can reach readers: 10 seconds.
PUBLIC_STALE_WHILE_REVALIDATE = env_int("DJANGO_PUBLIC_STALE_WHILE_REVALIDATE", 5)
# When a statement's pages change, their copies are purged at once (statements.caching.purge):
# from nginx at CACHE_PURGE_URL (the purge server of deploy/nginx/site.conf.template; empty:
# copies expire by themselves), each request given CACHE_PURGE_TIMEOUT seconds; and, for a
# CDN in front, by CACHE_PURGE_COMMAND, run by the worker with the full addresses on its
# standard input, one a line (README, "A CDN in front").
CACHE_PURGE_URL = env("DJANGO_CACHE_PURGE_URL").rstrip("/")
CACHE_PURGE_TIMEOUT = float(env("DJANGO_CACHE_PURGE_TIMEOUT", "0.5"))
CACHE_PURGE_COMMAND = env("DJANGO_CACHE_PURGE_COMMAND")

# Search (statements.search): a query is cut to SEARCH_MAX_LENGTH characters and its first
# SEARCH_MAX_WORDS words (the reader is told); at most SEARCH_RATE_LIMIT searches per IP
# address per SEARCH_RATE_WINDOW seconds, then a 429 page. Copies kept by shared caches
# (nginx, a CDN) answer repeated searches without reaching Django or being counted.
SEARCH_MAX_LENGTH = env_int("DJANGO_SEARCH_MAX_LENGTH", 200)
SEARCH_MAX_WORDS = env_int("DJANGO_SEARCH_MAX_WORDS", 10)
SEARCH_RATE_LIMIT = env_int("DJANGO_SEARCH_RATE_LIMIT", 30)
SEARCH_RATE_WINDOW = env_int("DJANGO_SEARCH_RATE_WINDOW", 60)
# A search's database time is cut off here (PostgreSQL); the reader is asked for fewer words.
SEARCH_TIMEOUT_MS = env_int("DJANGO_SEARCH_TIMEOUT_MS", 500)
SEARCH_PAGE_SIZE = 10
# Past this many matches, results come newest first rather than ranked, and only this many
# are listed (statements.search).
SEARCH_MAX_RESULTS = 1000
# Public lists show this many statements a page; a sitemap file lists at most SITEMAP_LIMIT
# addresses (each with its other languages), beyond which /sitemap.xml becomes an index.
PAGE_SIZE = 20
SITEMAP_LIMIT = env_int("DJANGO_SITEMAP_LIMIT", 1000)
# Rendered sitemap files are kept this long, or until a public statement changes.
SITEMAP_CACHE_SECONDS = 3600
# The statement list's links to each year are kept this long (statements.views.archive_years).
YEARS_CACHE_SECONDS = 300

# The admin's address; move it off the well-known /admin/ to shed drive-by login attempts.
ADMIN_URL = env("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Full address of the site, for links in e-mails.
SITE_URL = env("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The origin that static copies of the site (manage.py export_site) send readers to for what
# a copy cannot do: posting comments. Its host must be in DJANGO_ALLOWED_HOSTS.
ORIGIN_URL = env("DJANGO_ORIGIN_URL", SITE_URL).rstrip("/")
# The site's onion service (http://….onion): public pages announce it in `Onion-Location`,
# which Tor Browser offers to switch to; "How to reach us" lists it.
ONION_URL = env("DJANGO_ONION_URL").rstrip("/")
if ONION_URL:
    ALLOWED_HOSTS.append(urlsplit(ONION_URL).hostname)

# Comments. Flood control: at most COMMENTS_FLOOD_LIMIT comments per IP per window (seconds).
COMMENTS_MAX_LENGTH = 5000
COMMENTS_PER_PAGE = 50
COMMENTS_FLOOD_LIMIT = env_int("DJANGO_COMMENTS_FLOOD_LIMIT", 5)
COMMENTS_FLOOD_WINDOW = env_int("DJANGO_COMMENTS_FLOOD_WINDOW", 600)
# Spam signals (a comment is never refused for these, only flagged for moderators).
COMMENTS_MAX_LINKS = env_int("DJANGO_COMMENTS_MAX_LINKS", 3)
COMMENTS_SPAM_WORDS = env_list("DJANGO_COMMENTS_SPAM_WORDS", "viagra,casino,cialis,payday loan")
COMMENTS_MIN_SECONDS = env_int("DJANGO_COMMENTS_MIN_SECONDS", 5)
COMMENTS_NOTIFY_MODERATORS = env_bool("DJANGO_COMMENTS_NOTIFY_MODERATORS", True)
# How long the link that shows an author their own pending comment stays valid (seconds).
COMMENTS_PENDING_TOKEN_MAX_AGE = env_int("DJANGO_COMMENTS_PENDING_TOKEN_MAX_AGE", 86400)
# Rules: an author (same name and e-mail) with this many approved comments is published at
# once; 0 turns it off.
COMMENTS_TRUSTED_AFTER = env_int("DJANGO_COMMENTS_TRUSTED_AFTER", 3)
# Campaigns: comments with the same or near-identical text, or linking the same domain, from
# at least COMMENTS_CAMPAIGN_MIN_ADDRESSES addresses within COMMENTS_CAMPAIGN_WINDOW seconds.
COMMENTS_CAMPAIGN_MIN_ADDRESSES = env_int("DJANGO_COMMENTS_CAMPAIGN_MIN_ADDRESSES", 3)
COMMENTS_CAMPAIGN_WINDOW = env_int("DJANGO_COMMENTS_CAMPAIGN_WINDOW", 6 * 3600)
# Links to these (and their subdomains) are too common to make a campaign by themselves.
COMMENTS_COMMON_DOMAINS = env_list(
    "DJANGO_COMMENTS_COMMON_DOMAINS",
    "wikipedia.org,youtube.com,youtu.be,x.com,twitter.com,instagram.com,facebook.com,t.me,"
    "telegram.me,google.com,bbc.com,bbc.co.uk,iranintl.com,radiofarda.com",
)
# Where readers write to appeal a moderation decision (shown on the transparency page).
MODERATION_CONTACT_EMAIL = env("DJANGO_MODERATION_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# Commenters' e-mail: a confirmation link is valid COMMENTS_CONFIRM_DAYS days (and addresses
# never confirmed are forgotten after that); an unsubscribe link COMMENTS_UNSUBSCRIBE_DAYS.
COMMENTS_CONFIRM_DAYS = env_int("DJANGO_COMMENTS_CONFIRM_DAYS", 7)
COMMENTS_UNSUBSCRIBE_DAYS = env_int("DJANGO_COMMENTS_UNSUBSCRIBE_DAYS", 365)
# A moderator may undo their last decision for this many seconds (the keyboard queue's U).
COMMENTS_UNDO_SECONDS = env_int("DJANGO_COMMENTS_UNDO_SECONDS", 30)
# Reader reports: this many (one per address) send an approved comment back to the queue,
# hidden until a moderator decides. A report form is valid for COMMENTS_REPORT_FORM_MAX_AGE
# seconds; `manage.py expire_reports` deletes reports older than COMMENTS_REPORT_DAYS days
# whose comment a moderator has decided on since.
COMMENTS_REPORTS_TO_HIDE = env_int("DJANGO_COMMENTS_REPORTS_TO_HIDE", 3)
COMMENTS_REPORT_FORM_MAX_AGE = env_int("DJANGO_COMMENTS_REPORT_FORM_MAX_AGE", 3600)
COMMENTS_REPORT_DAYS = env_int("DJANGO_COMMENTS_REPORT_DAYS", 30)
# `manage.py purge_comment_ips` forgets IP addresses of comments older than this (days).
COMMENTS_IP_RETENTION_DAYS = env_int("DJANGO_COMMENTS_IP_RETENTION_DAYS", 30)

# CAPTCHA: a challenge is single-use (the library deletes it on any attempt) and expires after
# CAPTCHA_TIMEOUT minutes, long enough to write a considered comment.
CAPTCHA_TIMEOUT = 30
CAPTCHA_LENGTH = 5
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 30
# An audio version is offered where `flite` (the voice) and `sox` (the noise that keeps a
# machine from matching it with its own flite) are installed: apt-get install flite sox.
# Without sox there is no audio version: flite alone can be solved offline (comments.captcha).
CAPTCHA_SOX_PATH = env("DJANGO_CAPTCHA_SOX_PATH") or shutil.which("sox")
CAPTCHA_FLITE_PATH = (
    env("DJANGO_CAPTCHA_FLITE_PATH") or shutil.which("flite") if CAPTCHA_SOX_PATH else None
)
# "New image" hands out a new challenge: at most this many per client address per window.
CAPTCHA_REFRESH_LIMIT = env_int("DJANGO_CAPTCHA_REFRESH_LIMIT", 20)
CAPTCHA_REFRESH_WINDOW = env_int("DJANGO_CAPTCHA_REFRESH_WINDOW", 600)
# With Redis, challenges are drawn ahead into a pool of this many (comments.captcha_pool), so
# that a reader's request only takes one; one waits there at most CAPTCHA_POOL_MAX_AGE seconds.
# About 8.5 KB of Redis memory each (its PNG); drawing one costs about 20 ms of CPU. 0: no pool.
CAPTCHA_POOL_SIZE = env_int("DJANGO_CAPTCHA_POOL_SIZE", 1000)
CAPTCHA_POOL_MAX_AGE = env_int("DJANGO_CAPTCHA_POOL_MAX_AGE", 3600)
# Tells the library that challenges come from a pool (ours: the widget and "New image" take
# from comments.captcha_pool, never the library's random pick), so that checking an answer no
# longer deletes every expired challenge first (an unindexed scan of the table on every
# comment); the scheduled `captcha_clean` does that, and an expired challenge still fails.
CAPTCHA_GET_FROM_POOL = True
