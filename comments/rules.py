"""Which of the moderators' standing rules (comments.models.Rule) match a comment.

Pure apart from reading the active rules (`active_rules()`): `matching()` takes the
comment's fields and the hosts it links to (comments.similarity.linked_hosts), and returns the
rules in force that match. Names and phrases are compared folded (case, Persian letter forms,
digits, diacritics and punctuation ignored), so "Spam-Word" catches "spam word".
"""

import ipaddress

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from comments.models import Rule
from comments.similarity import comparable

RULES = "comment-rules"


def active_rules():
    """The rules in force, kept in the cache until a rule is saved or deleted.

    Every comment sent is matched against them, and rules change a few times a day: one query
    fewer for each of a spike's submissions. Kept are the rules not yet expired when read;
    the ones that expire since are dropped here.
    """
    kept = cache.get(RULES)
    if kept is None:
        kept = list(Rule.objects.active())
        cache.set(RULES, kept, None)
    now = timezone.now()
    return [rule for rule in kept if rule.expires_at is None or rule.expires_at > now]


@receiver([post_save, post_delete], sender=Rule, dispatch_uid="comment-rules-changed")
def rules_changed(**kwargs):
    cache.delete(RULES)


def _matches(rule, *, name, email, ip, hosts, words):
    pattern = rule.pattern
    match rule.kind:
        case Rule.Kind.EMAIL:
            email = email.lower()
            if pattern.startswith("@"):
                domain = pattern[1:]
                return email.endswith(pattern) or email.endswith("." + domain)
            return email == pattern
        case Rule.Kind.NAME:
            return bool(name) and comparable(name) == comparable(pattern)
        case Rule.Kind.ADDRESS:
            if not ip:
                return False
            try:
                return ipaddress.ip_address(ip) in ipaddress.ip_network(pattern, strict=False)
            except ValueError:  # a rule saved before validation, or a mixed IP version
                return False
        case Rule.Kind.DOMAIN:
            return any(host == pattern or host.endswith("." + pattern) for host in hosts)
        case Rule.Kind.PHRASE:
            phrase = comparable(pattern)
            return bool(phrase) and f" {phrase} " in f" {words} "
    return False


def matching(*, name, email, ip, text, hosts, rules=None):
    """The active rules that match a comment with these fields, deny rules first."""
    rules = active_rules() if rules is None else rules
    words = comparable(text)
    found = [
        rule
        for rule in rules
        if _matches(rule, name=name, email=email or "", ip=ip, hosts=hosts, words=words)
    ]
    return sorted(found, key=lambda rule: rule.action != Rule.Action.DENY)
