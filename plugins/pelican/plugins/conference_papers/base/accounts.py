"""Social accounts as a conference's ``Timeline:`` names them (issue 4).

A leaf: the content format (schema), the settings check and the timeline code
(build and fetch) all read a ``Timeline`` value, so the one parser lives below
all of them and imports nothing of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

PROVIDER_NAMES = {"mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X"}
BLUESKY_APPVIEW = "https://public.api.bsky.app"
ACCOUNT_HINT = (
    "write e.g. 'Timeline: mastodon @KeuperLabs@sigmoid.social', "
    "'Timeline: bluesky keuperlabs.bsky.social' or 'Timeline: x KeuperLabs'"
)

HOST_PATTERN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
_MASTODON_USER = r"[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*"
_MASTODON_ACCT = re.compile(
    rf"^@?(?P<user>{_MASTODON_USER})@(?P<host>{HOST_PATTERN})$", re.I
)
_MASTODON_PATH = re.compile(rf"^/@(?P<user>{_MASTODON_USER})/?$")
_BLUESKY_ACTOR = re.compile(
    rf"^@?(?P<user>{HOST_PATTERN}|did:plc:[a-z2-7]{{24}})$", re.I
)
_BLUESKY_PATH = re.compile(r"^/profile/(?P<user>[^/]+)/?$")
_X_USER = re.compile(r"^@?(?P<user>[A-Za-z0-9_]{1,15})$")
_X_HOSTS = {
    "x.com",
    "www.x.com",
    "twitter.com",
    "www.twitter.com",
    "mobile.twitter.com",
}
POST_ID = re.compile(r"^[A-Za-z0-9_.~-]{1,64}$")


class AccountError(ValueError):
    """A ``Timeline`` value that names no account we can use."""

    def __init__(self, message: str, hint: str = ACCOUNT_HINT):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Account:
    """Whose posts a timeline shows: ``provider`` is mastodon, bluesky or x."""

    provider: str
    user: str  # KeuperLabs, keuperlabs.bsky.social (or a did:plc:), KeuperLabs
    host: str = ""  # the Mastodon instance

    @property
    def spec(self) -> str:
        """The canonical ``Timeline`` value, as kept in a snapshot."""
        return f"{self.provider} {self.handle}"

    @property
    def handle(self) -> str:
        if self.provider == "mastodon":
            return f"@{self.user}@{self.host}"
        return f"@{self.user}"

    @property
    def site(self) -> str:
        """The host a visitor's browser talks to for the live posts."""
        return {"mastodon": self.host, "bluesky": "bsky.app", "x": "x.com"}[
            self.provider
        ]

    @property
    def profile_url(self) -> str:
        if self.provider == "mastodon":
            return f"https://{self.host}/@{self.user}"
        if self.provider == "bluesky":
            return f"https://bsky.app/profile/{self.user}"
        return f"https://x.com/{self.user}"

    def tag_url(self, hashtag: str) -> str:
        """The account's posts with ``hashtag`` on the provider's own site."""
        if not hashtag:
            return self.profile_url
        tag = quote(hashtag)
        if self.provider == "mastodon":
            return f"{self.profile_url}/tagged/{tag}"
        if self.provider == "bluesky":
            return f"https://bsky.app/hashtag/{tag}?author={quote(self.user)}"
        return f"https://x.com/search?q={quote(f'#{hashtag} from:{self.user}')}&f=live"


def parse_account(text: str) -> Account:
    """``mastodon @user@host`` (or the profile URL), ``bluesky handle``, ``x user``."""
    words = text.split()
    if len(words) != 2:
        raise AccountError(f"Timeline '{text}' does not name a provider and an account")
    provider, value = words[0].lower(), words[1]
    provider = "x" if provider == "twitter" else provider
    if provider not in PROVIDER_NAMES:
        raise AccountError(
            f"Timeline '{text}': '{words[0]}' is not a provider we know "
            "(mastodon, bluesky or x)"
        )
    url = urlsplit(value) if "://" in value else None
    if url is not None and url.scheme != "https":
        raise AccountError(
            f"Timeline '{text}': the profile address must start with https://"
        )
    return _PARSERS[provider](text, value, url)


def _mastodon(text: str, value: str, url) -> Account:
    if url is not None:
        match = _MASTODON_PATH.match(url.path)
        host = (url.hostname or "").lower()
        if match and re.fullmatch(HOST_PATTERN, host):
            return Account("mastodon", match["user"], host)
    else:
        match = _MASTODON_ACCT.match(value)
        if match:
            return Account("mastodon", match["user"], match["host"].lower())
    raise AccountError(
        f"Timeline '{text}': '{value}' is not a Mastodon account",
        "write it as 'mastodon @user@instance', e.g. "
        "'Timeline: mastodon @KeuperLabs@sigmoid.social'",
    )


def _bluesky(text: str, value: str, url) -> Account:
    written = value
    if url is not None:
        match = _BLUESKY_PATH.match(url.path) if url.hostname == "bsky.app" else None
        value = match["user"] if match else ""
    match = _BLUESKY_ACTOR.match(value)
    if match:
        return Account("bluesky", match["user"].lower())
    raise AccountError(
        f"Timeline '{text}': '{written}' is not a Bluesky handle",
        "write the handle, e.g. 'Timeline: bluesky keuperlabs.bsky.social'",
    )


def _x(text: str, value: str, url) -> Account:
    written = value
    if url is not None:
        path = url.path.strip("/")
        value = path if url.hostname in _X_HOSTS and "/" not in path else ""
    match = _X_USER.match(value)
    if match:
        return Account("x", match["user"])
    raise AccountError(
        f"Timeline '{text}': '{written}' is not an X user name",
        "write the name without the @, e.g. 'Timeline: x KeuperLabs'",
    )


#: One reader a provider (PROVIDER_NAMES), after the shared checks.
_PARSERS = {"mastodon": _mastodon, "bluesky": _bluesky, "x": _x}


def check_site_timeline(value: str) -> str | None:
    """Why CONFERENCE_PAPERS_TIMELINE cannot be used, or None (settings check)."""
    if not value:
        return None
    try:
        parse_account(value)
    except AccountError as error:
        return f"{error.message}; {error.hint}"
    return None
