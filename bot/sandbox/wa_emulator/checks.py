"""What the Cloud API refuses in a message, refused the way Meta refuses it (code, message, details)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


class WaError(Exception):
    def __init__(self, code: int, message: str, details: str = "", status: int = 400) -> None:
        super().__init__(f"{code}: {message} {details}".strip())
        self.code, self.message, self.details, self.status = code, message, details, status

    def body(self) -> Json:
        return {"error": {"message": self.message, "type": "OAuthException", "code": self.code,
                          "error_data": {"messaging_product": "whatsapp", "details": self.details},
                          "fbtrace_id": "emulator"}}


def invalid(details: str) -> WaError:
    return WaError(100, "(#100) Invalid parameter", details)


TOP_KEYS = {"messaging_product", "recipient_type", "to", "type", "context", "biz_opaque_callback_data",
            "text", "interactive", "image", "document", "template", "location"}
Templates = dict[tuple[str, str], int]  # (name, language) → number of body parameters


def check_message(m: Any, media_ids: set[str], templates: Templates) -> str:
    """The message's type when Meta would accept it; else raises WaError."""
    if not isinstance(m, dict):
        raise invalid("the body must be a JSON object")
    if unknown := set(m) - TOP_KEYS:
        raise invalid(f"Unexpected key {sorted(unknown)[0]!r} on param")
    if m.get("messaging_product") != "whatsapp":
        raise invalid("messaging_product must be 'whatsapp'")
    if m.get("recipient_type", "individual") != "individual":
        raise invalid("recipient_type must be 'individual'")
    to = str(m.get("to", "")).lstrip("+")
    if not to.isdigit() or not 6 <= len(to) <= 18:
        raise WaError(131009, "(#131009) Parameter value is not valid", "to is not a phone number")
    kind = m.get("type", "text")
    part = m.get(kind)
    if kind not in ("text", "interactive", "image", "document", "template", "location") or not isinstance(part, dict):
        raise WaError(131051, "Unsupported message type", f"type {str(kind)[:20]!r} with its object")
    if kind == "text":
        _text(part.get("body"), "text['body']", 4096)
    elif kind == "interactive":
        _interactive(part)
    elif kind in ("image", "document"):
        if part.get("id") not in media_ids:
            raise WaError(131053, "Media upload error", f"{kind} id {str(part.get('id'))[:30]!r} not found")
        if "caption" in part:
            _text(part["caption"], f"{kind}['caption']", 1024)
    elif kind == "template":
        _template(part, templates)
    return str(kind)


def _text(value: Any, name: str, limit: int, minimum: int = 1) -> None:
    if not isinstance(value, str) or len(value.strip()) < minimum:
        raise invalid(f"Param {name} is required and must be a non-empty string")
    if len(value) > limit:
        raise invalid(f"Param {name} must be at most {limit} characters long")
    if "\x00" in value:
        raise invalid(f"Param {name} contains a NUL character")


def _interactive(i: Json) -> None:
    kind = i.get("type")
    body = i.get("body")
    _text(body.get("text") if isinstance(body, dict) else None, "interactive['body']['text']", 1024)
    if isinstance(i.get("header"), dict) and i["header"].get("type") == "text":
        _text(i["header"].get("text"), "interactive['header']['text']", 60)
    if isinstance(i.get("footer"), dict):
        _text(i["footer"].get("text"), "interactive['footer']['text']", 60)
    action = i.get("action")
    if not isinstance(action, dict):
        raise invalid("Param interactive['action'] is required")
    if kind == "button":
        buttons = action.get("buttons")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            raise invalid("Param interactive['action']['buttons'] must have between 1 and 3 elements")
        ids, titles = [], []
        for b in buttons:
            reply = b.get("reply") if isinstance(b, dict) and b.get("type") == "reply" else None
            if not isinstance(reply, dict):
                raise invalid("each button is {'type': 'reply', 'reply': {id, title}}")
            _text(reply.get("id"), "button['reply']['id']", 256)
            _text(reply.get("title"), "button['reply']['title']", 20)
            ids.append(reply["id"])
            titles.append(reply["title"])
        if len(set(ids)) != len(ids) or len(set(titles)) != len(titles):
            raise invalid("Button titles and ids must be unique")
    elif kind == "list":
        _text(action.get("button"), "interactive['action']['button']", 20)
        sections = action.get("sections")
        if not isinstance(sections, list) or not 1 <= len(sections) <= 10:
            raise invalid("Param interactive['action']['sections'] must have between 1 and 10 elements")
        rows = [r for s in sections if isinstance(s, dict) for r in (s.get("rows") or [])]
        if not 1 <= len(rows) <= 10:
            raise WaError(131009, "(#131009) Parameter value is not valid", "Total row count exceed max allowed count: 10")
        if len(sections) > 1:
            for s in sections:
                _text(s.get("title"), "section['title']", 24)
        for r in rows:
            if not isinstance(r, dict):
                raise invalid("a row is an object")
            _text(r.get("id"), "row['id']", 200)
            _text(r.get("title"), "row['title']", 24)
            if "description" in r:
                _text(r["description"], "row['description']", 72, minimum=0)
        if len({r["id"] for r in rows}) != len(rows):
            raise WaError(131009, "(#131009) Parameter value is not valid", "Row ids must be unique")
    elif kind == "location_request_message":
        if action.get("name") != "send_location":
            raise invalid("action['name'] must be 'send_location'")
    else:
        raise invalid(f"interactive type {str(kind)[:20]!r} is not supported")


def _template(t: Json, templates: Templates) -> None:
    lang = t.get("language")
    code = lang.get("code") if isinstance(lang, dict) else None
    key = (str(t.get("name")), str(code))
    if key not in templates:
        raise WaError(132001, "Template name does not exist in the translation",
                      f"template name ({key[0][:40]}) does not exist in {key[1][:10]}")
    params: list[Any] = []
    for c in t.get("components") or []:
        if isinstance(c, dict) and c.get("type") == "body":
            params += c.get("parameters") or []
    if len(params) != templates[key]:
        raise WaError(132000, "Number of parameters does not match the expected number of params",
                      f"body: number of localizable_params ({len(params)}) does not match the expected "
                      f"number of params ({templates[key]})")
    for p in params:
        text = p.get("text") if isinstance(p, dict) and p.get("type") == "text" else None
        if not isinstance(text, str) or not text.strip():
            raise invalid("a template parameter is {'type': 'text', 'text': non-empty}")
        if "\n" in text or "\t" in text or "     " in text:
            raise WaError(132018, "There was an issue with the parameters in your template",
                          "Param text cannot have new-line/tab characters or more than 4 consecutive spaces")
