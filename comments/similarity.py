"""Fingerprints of a comment's text, for finding the same message sent from many addresses.

Pure: text in, numbers out; no models, no request. comments.campaigns stores the numbers and
looks them up. Three kinds of fingerprint, each a signed 64-bit integer (a database bigint):

- ``TEXT``: a hash of the folded text without its spaces, so that "the same text" survives
  changes of case, Persian letter forms (ی/ي, ک/ك), zero-width non-joiners, digits,
  diacritics, punctuation and spacing.
- ``BAND``: near-identical text, by MinHash with locality-sensitive hashing. The folded text
  is cut into overlapping 5-character shingles, and a 64-value MinHash signature is made (two
  texts agree on one value with a probability equal to the Jaccard similarity of their
  shingle sets); the signature is cut into 16 bands of 4 values, and each band is hashed to
  one number. Two texts that share two bands or more are near-identical: for a Jaccard
  similarity of 0.8 that happens with probability 0.9997, for 0.5 with 0.26, for 0.3 with
  0.008.
- ``DOMAIN``: a hash of each host that the text (or the homepage) links to.

Why our own few dozen lines rather than datasketch: datasketch needs numpy and scipy (tens of
megabytes) and keeps its LSH index in memory or in Redis; here the bands are rows in the
database, so every gunicorn worker shares one index that survives restarts, and the lookup is
one indexed query (``python -m bench.campaigns`` measures it against the last 10,000 comments).
The signature is made by one-permutation hashing with densification (Li, Owen and Zhang 2012;
Shrivastava and Li 2014): each shingle is hashed once with BLAKE2b, its low 6 bits choose one
of the 64 slots and the slot keeps the smallest rest; empty slots borrow from the next filled
one. One hash per shingle instead of 64: a 5,000-character comment costs about 2 ms, not 30.
"""

import hashlib
import re

from comments.formatting import render_comment
from statements.text import fold

__all__ = ["BAND", "DOMAIN", "TEXT", "comparable", "fingerprints", "linked_hosts"]

TEXT, BAND, DOMAIN = "text", "band", "domain"
SHINGLE = 5
BANDS, ROWS = 16, 4
# Near-duplicate bands only for texts with at least this many characters once folded: two
# short greetings ("Thank you!") are alike without being a campaign (the TEXT hash still
# groups exact repeats).
MIN_NEAR_LENGTH = 40

_SLOT_BITS = 6  # 2**6 = BANDS * ROWS slots
_SLOT_MASK = (1 << _SLOT_BITS) - 1

_NOT_WORD = re.compile(r"[\W_]+")


def comparable(text):
    """The folded words of `text` (statements.text.fold: case, Persian letter forms, hamza,
    harakat, half-spaces, digits), joined by single spaces, punctuation dropped."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def _hash64(value):
    """A stable signed 64-bit hash (a PostgreSQL bigint), the same in every process."""
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _bands(words):
    signature = [None] * (BANDS * ROWS)
    shingles = {words[i : i + SHINGLE] for i in range(max(1, len(words) - SHINGLE + 1))}
    for shingle in shingles:
        digest = hashlib.blake2b(shingle.encode(), digest_size=8).digest()
        h = int.from_bytes(digest, "big")
        slot, value = h & _SLOT_MASK, h >> _SLOT_BITS
        if signature[slot] is None or value < signature[slot]:
            signature[slot] = value
    # Densification: an empty slot borrows the value of the next filled one to its right, with
    # the distance, so that two texts agree on it only if they agree on that neighbour.
    size = len(signature)
    filled = [
        next(
            (signature[(slot + d) % size], d)
            for d in range(size)
            if signature[(slot + d) % size] is not None
        )
        for slot in range(size)
    ]
    return [
        _hash64(f"{band}:" + ",".join(map(str, filled[band * ROWS : (band + 1) * ROWS])))
        for band in range(BANDS)
    ]


_HREF_HOST = re.compile(r'href="(?:(?:https?|ftp)://(?:[^/"?#@]*@)?|mailto:[^"@]*@)([^/"?#:]+)')


def linked_hosts(text, homepage=""):
    """The host names `text` links to (as the comment pipeline links them), and the homepage's.

    Lower case, without a leading "www.".
    """
    hosts = {m.group(1) for m in _HREF_HOST.finditer(render_comment(text))}
    if homepage:
        hosts.update(m.group(1) for m in _HREF_HOST.finditer(f'href="{homepage}"'))
    return {host.lower().removeprefix("www.").rstrip(".") for host in hosts if host}


def fingerprints(text, hosts=()):
    """Return ``[(kind, value), ...]``: the TEXT hash, the MinHash bands, one per linked host."""
    words = comparable(text)
    # Without spaces: "می‌خواهم", "می خواهم" and "میخواهم" are the same text here.
    found = [(TEXT, _hash64("text:" + words.replace(" ", "")))] if words else []
    if len(words) >= MIN_NEAR_LENGTH:
        found += [(BAND, value) for value in _bands(words)]
    found += [(DOMAIN, _hash64("domain:" + host)) for host in sorted(hosts)]
    return found
