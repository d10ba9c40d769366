"""WeChat API errors, typed by errcode.

WeChat answers almost every failure with HTTP 200 and `{"errcode": n, "errmsg": ...}`; callers
need to tell "try again later" (transient) from "this will never go through" without knowing
the numbers, so each code the bridge acts on gets a class, chosen through one table.
"""
from __future__ import annotations


class WeChatApiError(Exception):
    """WeChat refused a call. `transient`: the same call may succeed later."""

    transient: bool = False

    def __init__(self, errcode: int | None, errmsg: str = "") -> None:
        self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"{errcode} {errmsg}".strip())


class OutsideWindow(WeChatApiError):
    """45015: the user has not written for 48 hours, or unfollowed."""


class ResponseQuotaExhausted(WeChatApiError):
    """45047: the messages allowed since the user's last action are spent."""


class NotFollower(WeChatApiError):
    """43004: the user does not follow the account (template messages)."""


class InvalidOpenId(WeChatApiError):
    """40003"""


class DailyApiQuota(WeChatApiError):
    """45009: the account's daily quota for this API is spent; retrying today will not help."""


class MinuteApiQuota(WeChatApiError):
    """45011: per-minute quota; the next minute may succeed."""

    transient = True


class SystemBusy(WeChatApiError):
    """-1: WeChat asks to retry later."""

    transient = True


class AccessTokenInvalid(WeChatApiError):
    """40001 / 40014 / 42001: the token is invalid, not the latest, or expired: refresh, retry once."""


class ContentTooLong(WeChatApiError):
    """45002"""


class Blacklisted(WeChatApiError):
    """43019: the user blocked the account."""


class MessagesRefused(WeChatApiError):
    """48002: the user turned messages from the account off."""


class ApiUnauthorized(WeChatApiError):
    """48001: this account type may not call this API."""


class InvalidMediaId(WeChatApiError):
    """40007: unknown or expired media_id."""


class MediaRefused(WeChatApiError):
    """WeChat refused a medium the account uploaded: its type, format or size. Uploading it again will
    not help; `reason` says why, for the employee (see MEDIA_REASONS)."""

    @property
    def reason(self) -> str:
        return MEDIA_REASONS.get(self.errcode or 0, "refused")


class UploadTooLarge(MediaRefused):
    """40009 image, 40010 voice, 40011 video, 40012 thumbnail: over WeChat's size for the type."""


class InvalidTemplateId(WeChatApiError):
    """40037"""


class WeChatTransportError(WeChatApiError):
    """No WeChat answer at all: network error, timeout, HTTP 5xx, a body that is not JSON.

    A subclass of WeChatApiError so callers catch one type and look at `transient`; `errcode`
    is None because WeChat never said anything. `status` is the HTTP status when there was one.
    """

    def __init__(self, message: str, *, status: int | None = None, transient: bool = True) -> None:
        super().__init__(None, message)
        self.status = status
        self.transient = transient

    def __str__(self) -> str:
        return self.errmsg


class MediaTooLarge(WeChatApiError):
    """A medium WeChat sends is larger than the caller takes: refused while it streams (not WeChat's errcode)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(None, f"the medium is larger than {max_bytes} bytes")
        self.max_bytes = max_bytes

    def __str__(self) -> str:
        return self.errmsg


class WeChatOutcomeUnknown(WeChatTransportError):
    """The request may have reached WeChat, but no answer came (a timeout after it was sent, the
    connection lost before the answer, a gateway's 504): the call may or may not have taken effect.
    Never retried for a call whose double costs something (a message to the guest)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, status=status, transient=False)


# The one table from errcode to class. Codes not listed raise the base class (not transient).
ERRORS: dict[int, type[WeChatApiError]] = {
    45015: OutsideWindow,
    45047: ResponseQuotaExhausted,
    43004: NotFollower,
    40003: InvalidOpenId,
    45009: DailyApiQuota,
    45011: MinuteApiQuota,
    -1: SystemBusy,
    40001: AccessTokenInvalid,
    40014: AccessTokenInvalid,
    42001: AccessTokenInvalid,
    45002: ContentTooLong,
    43019: Blacklisted,
    48002: MessagesRefused,
    48001: ApiUnauthorized,
    40007: InvalidMediaId,
    40004: MediaRefused,
    40005: MediaRefused,
    40006: MediaRefused,
    41005: MediaRefused,
    40009: UploadTooLarge,
    40010: UploadTooLarge,
    40011: UploadTooLarge,
    40012: UploadTooLarge,
    40037: InvalidTemplateId,
}

# What each of WeChat's media refusals means, as a key the employee's notice is chosen by.
MEDIA_REASONS = {
    40004: "media_type",  # not image | voice | video | thumb
    40005: "file_type",  # a format WeChat does not take for that type
    40006: "file_size",  # empty, or a voice note over 60 s
    41005: "no_data",  # the upload carried no file
    40009: "image_too_large",  # 2 MB
    40010: "voice_too_large",  # 2 MB
    40011: "video_too_large",  # 10 MB
    40012: "thumb_too_large",  # 64 KB
}


def error_for(errcode: int, errmsg: str = "") -> WeChatApiError:
    return ERRORS.get(errcode, WeChatApiError)(errcode, errmsg)
