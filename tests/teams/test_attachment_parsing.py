"""bots/attachments.py: which attachments of an employee's message are their files and pictures."""
from __future__ import annotations

from botbuilder.schema import Activity, Attachment

from bots.attachments import FILE_DOWNLOAD_INFO, attachments_of
from core.teams_chats import TeamsAttachment

PASTED = "https://smba.example/v3/attachments/abc/views/original"
DOWNLOAD = "https://contoso.sharepoint.example/download?tempauth=xyz"
SERVICE = "https://smba.trafficmanager.net/emea/"


def test_pictures_and_files_are_taken_in_order_the_html_rendering_and_cards_are_not():
    activity = Activity(type="message", service_url=SERVICE, attachments=[
        Attachment(content_type="image/*", content_url=PASTED),
        Attachment(content_type="text/html", content="<div><img src='...'></div>"),
        Attachment(content_type=FILE_DOWNLOAD_INFO, name="Q3 report.pdf",
                   content={"downloadUrl": DOWNLOAD, "uniqueId": "1", "fileType": "pdf"}),
        Attachment(content_type="application/vnd.microsoft.card.adaptive", content={"type": "AdaptiveCard"}),
        Attachment(content_type=FILE_DOWNLOAD_INFO, name="memo.M4A", content={"downloadUrl": DOWNLOAD + "2"}),
        Attachment(content_type=FILE_DOWNLOAD_INFO, name="data.xyz", content={"downloadUrl": DOWNLOAD + "3",
                                                                              "fileType": "xyz"}),
        Attachment(content_type=FILE_DOWNLOAD_INFO, name="no url.pdf", content={"fileType": "pdf"}),
    ])
    assert attachments_of(activity) == (
        TeamsAttachment(PASTED, "image/*", service_url=SERVICE),
        TeamsAttachment(DOWNLOAD, "application/pdf", "Q3 report.pdf", authenticated=False, service_url=SERVICE),
        TeamsAttachment(DOWNLOAD + "2", "audio/mp4", "memo.M4A", authenticated=False, service_url=SERVICE),
        TeamsAttachment(DOWNLOAD + "3", "application/octet-stream", "data.xyz", authenticated=False,
                        service_url=SERVICE),
    )


def test_a_message_without_attachments_has_none():
    assert attachments_of(Activity(type="message", text="hi")) == ()


def test_the_which_contact_card_previews_a_message_by_its_text_and_its_files():
    from bots.bridge_bot import _preview
    from services.outbound import TeamsMessage

    files = (TeamsAttachment(PASTED, "image/*"), TeamsAttachment(DOWNLOAD, "application/pdf", "Q3.pdf", False))
    message = TeamsMessage("conv", "a1", "", "aad", "Alice", {}, files)
    assert _preview(message) == "[image] [document] Q3.pdf"
    assert _preview(TeamsMessage("conv", "a1", "see", "aad", "Alice", {}, files[1:])) == "see [document] Q3.pdf"
