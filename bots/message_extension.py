"""The message extension (`findContact`): the employee's contacts, to insert into a message."""
from __future__ import annotations

from botbuilder.core import CardFactory
from botbuilder.schema import ThumbnailCard
from botbuilder.schema.teams import (MessagingExtensionAttachment, MessagingExtensionQuery,
                                     MessagingExtensionResponse, MessagingExtensionResult)

from bots.turn import Turn
from cards.contacts import ContactsTexts, contact_card
from services.enablement import NOT_ENABLED


async def contacts_found(turn: Turn, query: MessagingExtensionQuery) -> MessagingExtensionResponse:
    texts = turn.texts
    if not await turn.services.enablement.allows(turn.aad):
        return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(type="message",
                                                                                    text=texts(NOT_ENABLED)))
    text = next((str(p.value or "") for p in query.parameters or [] if p.name == "query"), "")
    found = await turn.services.contacts.find(turn.aad or "", "" if text == "true" else text)  # initialRun: "true"
    card_texts = texts.card(ContactsTexts)
    attachments = []
    for f in found:
        facts = [f.view.phone or card_texts.not_validated, f.view.where]
        preview = CardFactory.thumbnail_card(ThumbnailCard(title=f.view.name, text=" · ".join(filter(None, facts))))
        attachments.append(MessagingExtensionAttachment(content_type=CardFactory.content_types.adaptive_card,
                                                        content=contact_card(f.view, card_texts), preview=preview))
    return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(
        type="result", attachment_layout="list", attachments=attachments))
