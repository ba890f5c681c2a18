"""Which of the moderators' standing rules (comments.models.Rule) match a comment.

Pure apart from reading the active rules: `matching()` takes the comment's fields and the
hosts it links to (comments.similarity.linked_hosts), and returns the rules in force that
match. Names and phrases are compared folded (case, Persian letter forms, digits, diacritics
and punctuation ignored), so "Spam-Word" catches "spam word".
"""

import ipaddress

from comments.models import Rule
from comments.similarity import comparable


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
    rules = Rule.objects.active() if rules is None else rules
    words = comparable(text)
    found = [
        rule
        for rule in rules
        if _matches(rule, name=name, email=email or "", ip=ip, hosts=hosts, words=words)
    ]
    return sorted(found, key=lambda rule: rule.action != Rule.Action.DENY)
