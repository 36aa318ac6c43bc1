"""Answers to a quiz attempt read from its own snapshot, and republishing a page."""

from decimal import Decimal


def matching_response(question: dict, *, right: bool) -> dict:
    """Each item of a matching question paired with its own answer, or with another one."""
    options = question["options"]
    pairs = {}
    for item in (a for a in question["answers"] if a["text"]):
        fits = [o for o in options if (o["text"] == item["match_text"]) == right]
        pairs[item["key"]] = fits[0]["key"]
    return pairs


def right_responses(attempt) -> dict:
    """The right response for each question of an attempt, read from its snapshot (a
    description asks nothing; an essay gets a sentence, for its marker)."""
    responses = {}
    for question in attempt.questions:
        best = [a for a in question["answers"] if Decimal(a["fraction"]) > 0]
        if question["type"] == "description":
            continue
        if question["type"] == "matching":
            responses[question["key"]] = matching_response(question, right=True)
        elif question["type"] == "essay":
            responses[question["key"]] = "窓口の受付担当が、申請書の記載を確認する。"
        elif question["type"] == "multiple":
            responses[question["key"]] = [a["key"] for a in best]
        elif question["type"] in ("single", "truefalse"):
            responses[question["key"]] = best[0]["key"]
        elif question["type"] == "numeric":
            responses[question["key"]] = str(best[0]["value"])
        else:
            responses[question["key"]] = best[0]["text"]
    return responses


def wrong_responses(attempt) -> dict:
    responses = {}
    for question in attempt.questions:
        zero = [a for a in question["answers"] if Decimal(a["fraction"]) <= 0]
        if question["type"] == "description":
            continue
        if question["type"] == "matching":
            responses[question["key"]] = matching_response(question, right=False)
        elif question["type"] in ("single", "truefalse"):
            responses[question["key"]] = zero[0]["key"]
        elif question["type"] == "multiple":
            responses[question["key"]] = [zero[0]["key"]]
        else:
            responses[question["key"]] = "まちがい"
    return responses


def republish(page, **fields):
    """Change fields of a page, publish a new revision, return the page as now stored."""
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)
