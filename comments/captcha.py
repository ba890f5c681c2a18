"""The CAPTCHA's web side: django-simple-captcha's challenges, served the way this site needs.

- New challenges come from the pool drawn ahead (comments.captcha_pool), and so do their
  images; a challenge not in the pool is drawn on request by the library, as before.
- Nothing here is kept by any cache (`no-store`): a challenge is one reader's.
- A new challenge (the "New image" button), and the making of a recording, are each limited
  per client address (`CAPTCHA_REFRESH_LIMIT` per `CAPTCHA_REFRESH_WINDOW` seconds), counted
  like comments.
- The audio version is our own. django-simple-captcha 0.7 speaks the characters with flite,
  which is deterministic: without noise the file served was byte for byte what anyone gets
  from `flite -t "K, X, I, K, E"`, so a solver could synthesise every candidate and compare.
  Its optional sox noise covers only the first two seconds and leaves the rest a fixed,
  scaled copy. Here the whole recording is changed by sox on every new challenge: a random
  lead-in and pause, a small pitch and tempo shift (never none), and noise of a random colour and
  level over its whole length. A person still hears the characters; a byte comparison (or a
  sample-by-sample one) with a local synthesis finds nothing. The file for a challenge is
  made once and kept in the cache, so that asking again does not give an attacker fresh
  noise to average away.
"""

import secrets
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

from captcha import views as captcha_views
from captcha.helpers import captcha_audio_url, captcha_image_url
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from ranged_response import RangedFileResponse

from cms.client import client_ip
from cms.flood import count_attempt
from comments import captcha_pool
from statements.formats import format_number
from statements.languages import current_language

_random = secrets.SystemRandom()


@never_cache
def image(request, key, scale=1):
    if scale == 1 and (png := captcha_pool.image(key)) is not None:
        return HttpResponse(png, content_type="image/png")
    return captcha_views.captcha_image(request, key, scale)


@never_cache
def refresh(request):
    """A new challenge, as JSON, for the "New image" button; limited per client address.

    As the library's view answers (a 404 without the XMLHttpRequest header), with a challenge
    from the pool."""
    if request.headers.get("x-requested-with") != "XMLHttpRequest":
        raise Http404("Asked for by the page's script only.")
    if retry_after := _over_limit("captcha-refresh", request):
        return _too_many(retry_after, gettext("Too many new images asked for."))
    key = captcha_pool.take()
    answer = {
        "key": key,
        "image_url": captcha_image_url(key),
        "audio_url": captcha_audio_url(key) if audio_available() else None,
    }
    return JsonResponse(answer)


def _over_limit(scope, request):
    return count_attempt(
        scope, client_ip(request), settings.CAPTCHA_REFRESH_LIMIT, settings.CAPTCHA_REFRESH_WINDOW
    )


def _too_many(retry_after, what):
    minutes = -(-retry_after // 60)
    message = ngettext(
        "%(what)s Please type the characters of the image shown, or try again in "
        "%(minutes)s minute.",
        "%(what)s Please type the characters of the image shown, or try again in "
        "%(minutes)s minutes.",
        minutes,
    ) % {"what": what, "minutes": format_number(minutes, current_language())}
    response = JsonResponse({"error": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def audio_available():
    """The audio version needs flite (the voice) and sox (the noise that protects it)."""
    return bool(settings.CAPTCHA_FLITE_PATH and settings.CAPTCHA_SOX_PATH)


@never_cache
def audio(request, key):
    if not audio_available():
        raise Http404("No audio version on this site.")
    store = CaptchaStore.objects.filter(hashkey=key).first()
    if store is None:
        return HttpResponse(status=410)  # as the library does: gone, not to be indexed
    cache_key = f"captcha-audio:{key}"
    wav = cache.get(cache_key)
    if wav is None:
        # Making one costs a quarter of a second of CPU: as limited per address as new images.
        if retry_after := _over_limit("captcha-audio", request):
            return _too_many(retry_after, gettext("Too many recordings asked for."))
        wav = spoken_challenge(store.challenge)
        cache.set(cache_key, wav, settings.CAPTCHA_TIMEOUT * 60)
    response = RangedFileResponse(request, BytesIO(wav), content_type="audio/wav")
    response["Content-Disposition"] = f'attachment; filename="{key}.wav"'
    return response


def spoken_challenge(challenge):
    """The characters of `challenge` spoken by flite, changed at random by sox (WAV bytes)."""
    text = ", ".join(challenge)
    with tempfile.TemporaryDirectory(prefix="captcha-") as folder:
        speech, shaped, noise, mixed = (
            Path(folder, name) for name in ("speech.wav", "shaped.wav", "noise.wav", "out.wav")
        )
        _run(settings.CAPTCHA_FLITE_PATH, "-t", text, "-o", speech)
        _sox(
            speech,
            "-r", "8000", "-b", "16", shaped,
            "pad", f"{_random.uniform(0.2, 0.9):.3f}", f"{_random.uniform(0.2, 0.6):.3f}",
            "pitch", str(_random.choice([-1, 1]) * _random.randint(50, 120)),
            "tempo", f"{1 + _random.choice([-1, 1]) * _random.uniform(0.03, 0.07):.3f}",
        )  # fmt: skip
        length = _run(settings.CAPTCHA_SOX_PATH, "--i", "-D", shaped).strip()
        colour = _random.choice(["whitenoise", "pinknoise", "brownnoise"])
        _sox("-n", "-r", "8000", "-c", "1", "-b", "16", noise, "synth", length, colour)
        # The noise's level follows the speech's: 9 to 14 dB below its average loudness
        # (pauses included), loud enough to cover every sample, quiet enough to hear through.
        snr = _random.uniform(9, 14)
        volume = _rms(shaped) / _rms(noise) * 10 ** (-snr / 20)
        _sox("-m", shaped, "-v", f"{volume:.4f}", noise, "-b", "16", mixed)
        return mixed.read_bytes()


def _rms(path):
    """The RMS amplitude of a recording, from `sox … -n stat` (which reports on stderr)."""
    report = subprocess.run(  # noqa: S603 (as in _run)
        [settings.CAPTCHA_SOX_PATH, str(path), "-n", "stat"],
        check=True,
        capture_output=True,
        text=True,
        timeout=20,
    ).stderr
    for line in report.splitlines():
        if line.startswith("RMS") and "amplitude" in line:
            return max(float(line.rsplit(":", 1)[1]), 1e-6)
    raise RuntimeError(f"sox stat reported no RMS amplitude: {report!r}")


def _sox(*args):
    # -R would make the noise repeatable: never. -V1: errors only.
    _run(settings.CAPTCHA_SOX_PATH, "-V1", *args)


def _run(*command):
    # The programs come from settings; the arguments are ours and the challenge's letters.
    return subprocess.run(  # noqa: S603
        [str(part) for part in command], check=True, capture_output=True, text=True, timeout=20
    ).stdout
