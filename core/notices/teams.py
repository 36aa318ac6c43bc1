"""Microsoft Teams: a message to a unit's channel through a Workflows webhook.

HR stores the webhook URL of a unit's channel (the Workflows template "Post to a channel when
a webhook request is received"); the product posts an Adaptive Card that mentions the person
by their sign-in address, so Teams notifies them, with the notice's text and a button that
opens the link. Workflows answers ``202 Accepted``; anything else is a failure.
"""

from __future__ import annotations

from django.utils.translation import gettext

from .transport import ChannelError, post


def teams_card(*, title: str, text: str, link: str, name: str, email: str) -> dict:
    """The webhook payload: one Adaptive Card (1.4) mentioning the person when they have an
    address."""
    mention = f"<at>{name}</at>"
    body: list[dict] = [
        {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True},
    ]
    entities = []
    if email:
        body.append({"type": "TextBlock", "text": mention, "wrap": True})
        entities.append(
            {"type": "mention", "text": mention, "mentioned": {"id": email, "name": name}}
        )
    body.append({"type": "TextBlock", "text": text, "wrap": True})
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": gettext("Open"), "url": link}],
        "msteams": {"width": "Full", "entities": entities},
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def teams_post(
    *, webhook_url: str, title: str, text: str, link: str, name: str, email: str
) -> None:
    """Post the card; ``ChannelError`` unless Teams accepted it."""
    status, _body = post(
        webhook_url,
        json_body=teams_card(title=title, text=text, link=link, name=name, email=email),
    )
    if status not in (200, 201, 202):
        raise ChannelError(f"HTTP {status}")
