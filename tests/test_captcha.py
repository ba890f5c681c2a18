"""The CAPTCHA: its audio cannot be matched with a local synthesis, its challenges are nobody
else's to keep, new ones are limited per address, and expired ones are cleaned away."""

import array
import io
import math
import re
import shutil
import subprocess
import wave
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.tools import unavailable

pytestmark = pytest.mark.django_db

AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def speech_tools(settings):
    for tool in ("flite", "sox"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} not found: apt-get install flite sox to test the audio CAPTCHA")
    settings.CAPTCHA_FLITE_PATH = shutil.which("flite")
    settings.CAPTCHA_SOX_PATH = shutil.which("sox")


def challenge_key(client, statement):
    page = client.get(statement.get_comment_url()).content.decode()
    return re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def local_flite(text, tmp_path):
    """What an attacker gets from their own flite for a candidate answer."""
    path = tmp_path / f"{len(list(tmp_path.iterdir()))}.wav"
    subprocess.run(["flite", "-t", text, "-o", str(path)], check=True, timeout=30)
    return path.read_bytes()


def samples(wav_bytes):
    with wave.open(io.BytesIO(wav_bytes)) as recording:
        assert recording.getsampwidth() == 2 and recording.getnchannels() == 1
        assert recording.getframerate() == 8000
        return array.array("h", recording.readframes(recording.getnframes()))


def envelope(signal, frame=160):
    """Loudness every 20 ms: where speech is, whatever its pitch or the noise's fine detail."""
    return [
        math.sqrt(sum(v * v for v in signal[i : i + frame]) / frame)
        for i in range(0, len(signal) - frame, frame)
    ]


def correlation(a, b):
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    mean_a, mean_b = sum(a) / n, sum(b) / n
    covariance = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    spread = math.sqrt(sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b))
    return covariance / spread if spread else 0.0


def best_alignment(served, reference, max_lag):
    """(correlation, lag) of `reference`, slowed or sped up by up to 8 % (the served audio's
    tempo is changed), against `served` shifted by up to `max_lag` frames."""
    best = (-1.0, 0)
    for percent in range(92, 109):
        stretched = [
            reference[int(i * 100 / percent)] for i in range(len(reference) * percent // 100)
        ]
        best = max(best, *((correlation(served[lag:], stretched), lag) for lag in range(max_lag)))
    return best


def test_audio_challenge_differs_from_a_local_synthesis_yet_speaks_it(
    client, statement, speech_tools, tmp_path
):
    """The review's solver: synthesise the answer with flite and compare. It finds nothing:
    not the file, not any stretch of its samples, not the waveform; yet the loudness of what
    is served follows the spoken answer (speech is there) and not a wrong one."""
    key = challenge_key(client, statement)
    answer = CaptchaStore.objects.get(hashkey=key).challenge
    response = client.get(reverse("captcha-audio", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    served = body(response)
    local = local_flite(", ".join(answer), tmp_path)

    assert served != local
    local_pcm = local[44:]
    for start in range(0, len(local_pcm) - 64, len(local_pcm) // 8):
        assert local_pcm[start : start + 64] not in served

    heard, spoken = samples(served), samples(local)
    loudness_match, lag = best_alignment(envelope(heard), envelope(spoken), max_lag=80)
    wrong = samples(local_flite(", ".join("QWJVZ" if answer != "QWJVZ" else "MPRTU"), tmp_path))
    wrong_match, _ = best_alignment(envelope(heard), envelope(wrong), max_lag=80)
    assert loudness_match > 0.85, "the spoken characters should still be heard"
    assert loudness_match > wrong_match

    offset = lag * 160
    waveform_match = max(
        abs(correlation(heard[offset + shift : offset + shift + 8000], spoken[:8000]))
        for shift in range(-160, 161, 2)
        if offset + shift >= 0
    )
    assert waveform_match < 0.5, "the waveform should not match a local synthesis"

    quiet = sorted(envelope(heard))[:10]
    assert min(quiet) > 0, "noise should cover the pauses too"


def test_audio_for_a_challenge_is_made_once(client, statement, speech_tools):
    """Asking again gives the same file: no fresh noise to average away."""
    url = reverse("captcha-audio", args=[challenge_key(client, statement)])
    assert body(client.get(url)) == body(client.get(url))


def test_audio_is_not_offered_without_sox(client, statement, settings):
    settings.CAPTCHA_SOX_PATH = None
    key = challenge_key(client, statement)
    assert client.get(reverse("captcha-audio", args=[key])).status_code == 404


def test_audio_of_an_unknown_challenge_is_gone(client, speech_tools):
    assert client.get(reverse("captcha-audio", args=["0" * 40])).status_code == 410


def test_challenge_image_audio_and_refresh_are_never_stored(client, statement, speech_tools):
    key = challenge_key(client, statement)
    for response in (
        client.get(reverse("captcha-image", args=[key])),
        client.get(reverse("captcha-audio", args=[key])),
        client.get(reverse("captcha-refresh"), **AJAX),
    ):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_new_challenges_are_limited_per_client_address(client, settings):
    settings.CAPTCHA_REFRESH_LIMIT = 3
    url = reverse("captcha-refresh")
    statuses = [client.get(url, **AJAX).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get(url, **AJAX)
    assert 0 < int(refused["Retry-After"]) <= settings.CAPTCHA_REFRESH_WINDOW
    assert "Too many new images" in refused.json()["error"]
    assert "no-store" in refused["Cache-Control"]
    elsewhere = client.get(url, REMOTE_ADDR="203.0.113.8", **AJAX)
    assert elsewhere.status_code == 200
    assert set(elsewhere.json()) >= {"key", "image_url"}


def test_expired_challenges_are_removed_by_the_scheduled_job(client, statement):
    fresh = challenge_key(client, statement)
    expired = challenge_key(client, statement)
    CaptchaStore.objects.filter(hashkey=expired).update(
        expiration=timezone.now() - timedelta(minutes=1)
    )
    call_command("captcha_clean", verbosity=0)
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [fresh]


def test_recordings_made_are_limited_per_client_address(client, statement, speech_tools, settings):
    settings.CAPTCHA_REFRESH_LIMIT = 2
    keys = [challenge_key(client, statement) for _ in range(3)]
    statuses = [client.get(reverse("captcha-audio", args=[key])).status_code for key in keys]
    assert statuses == [200, 200, 429]
    assert client.get(reverse("captcha-audio", args=[keys[0]])).status_code == 200  # kept


def ask_for_a_new_image(client, statement, **fields):
    """Press "New image" on the comment page without JavaScript: the form is sent back."""
    data = {
        "name": "Ada <Reader>",
        "email": "ada@example.org",
        "homepage": "https://ada.example.org",
        "text": "First line <b>kept</b>\n\nSecond paragraph.",
        "notify": "on",
        "url": "",
        "captcha_0": challenge_key(client, statement),
        "captcha_1": "my guess",
        "new_image": "1",
        **fields,
    }
    return data, client.post(statement.get_comment_url(), data)


def test_new_image_without_javascript_keeps_everything_typed_and_shows_a_new_challenge(
    client, statement
):
    data, response = ask_for_a_new_image(client, statement)
    content = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'value="Ada &lt;Reader&gt;"' in content
    assert 'value="ada@example.org"' in content
    assert 'value="https://ada.example.org"' in content
    assert "First line &lt;b&gt;kept&lt;/b&gt;\n\nSecond paragraph.</textarea>" in content
    assert re.search(r'<input type="checkbox" name="notify"[^>]* checked', content)
    new_key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', content).group(1)
    assert new_key != data["captcha_0"]
    assert CaptchaStore.objects.filter(hashkey=new_key).exists()
    answer = re.search(r'<input type="text" name="captcha_1"[^>]*>', content).group()
    assert "my guess" not in answer and "autofocus" in answer  # empty, and where to type next
    assert 'class="error"' not in content  # nothing was checked: no error to show
    from comments.models import Comment

    assert not Comment.objects.exists()


def test_new_image_without_javascript_keeps_the_reply_and_the_start_of_the_form(
    client, statement, comment
):
    started = "a-stamp-from-the-first-showing"
    _, response = ask_for_a_new_image(client, statement, parent=str(comment.pk), started=started)
    content = response.content.decode()
    assert "Reply to Ada" in content
    assert re.search(rf'name="parent" value="{comment.pk}"', content)
    assert f'name="started" value="{started}"' in content


def test_new_image_without_javascript_uses_no_comment_allowance(client, statement, settings):
    from tests.builders import solved_comment_data

    settings.COMMENTS_FLOOD_LIMIT = 1
    for _ in range(3):
        assert ask_for_a_new_image(client, statement)[1].status_code == 200
    data = solved_comment_data(client, statement)
    assert client.post(statement.get_comment_url(), data).status_code == 302


def test_new_image_button_follows_the_post_button_which_enter_presses(client, statement):
    content = client.get(statement.get_comment_url()).content.decode()
    form = re.search(r'<form class="comment-form".*?</form>', content, re.S).group()
    buttons = re.findall(r'<button type="submit"[^>]*>', form)
    assert buttons[0] == '<button type="submit">'
    assert 'name="new_image"' in buttons[1]
