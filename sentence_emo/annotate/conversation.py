"""One text's conversation with the model: the per-text annotation job.

Send the prompt; sanitise the reply (:mod:`.sanitise`); when the reply is unusable, continue the
conversation with the prompt's follow-up instruction up to ``reply_retries`` times; return the
store record (an answer, or a content failure such as a refusal). Transport problems are not
handled here: the ``chat`` callable (:meth:`.client.RunClient.chat`) raises :class:`RowFailed`
(the text fails this run and is asked again by the next) or :class:`Aborted` (the run stops).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sentence_emo.annotate.config import AnnotateConfig, now_iso
from sentence_emo.annotate.prompts import Prompt
from sentence_emo.annotate.sanitise import SanitisedReply, sanitise_reply, sanitise_taxonomy_reply
from sentence_emo.annotate.store import Key

Chat = Callable[[list[dict[str, str]]], Awaitable["Reply"]]


@dataclass
class Reply:
    """The part of a chat completion the annotator uses."""

    content: str | None
    finish_reason: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class Work:
    """A unique text to annotate; ``initial`` is a reply obtained elsewhere (batch output) to validate first."""

    key: Key
    text: str
    id: str
    initial: Reply | None = None


class MalformedReply(ValueError):
    """The HTTP body is not a chat completion."""


class RowFailed(Exception):
    """The text failed transiently in this run (not stored; a re-run asks again)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class Aborted(Exception):
    """The run is stopping: abandon this text (it is reported as ``aborted``/``interrupted``)."""


def reply_from_body(data: Any) -> Reply:
    """The :class:`Reply` in a chat-completion JSON body; :class:`MalformedReply` when it has none."""
    if not isinstance(data, dict) or not isinstance(data.get("choices"), list) or not data["choices"]:
        raise MalformedReply("the reply has no 'choices'")
    choice = data["choices"][0]
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(message, dict):
        raise MalformedReply("the reply's first choice has no 'message'")
    content = message.get("content")
    if isinstance(content, list):  # content parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    if content is not None and not isinstance(content, str):
        raise MalformedReply(f"message content is {type(content).__name__}, not text")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    tokens = [usage.get(k) for k in ("prompt_tokens", "completion_tokens")]
    tokens = [int(t) if isinstance(t, (int, float)) else 0 for t in tokens]
    return Reply(content, choice.get("finish_reason"), tokens[0], tokens[1])


class Conversation:
    """Annotates one text at a time for ``config`` and its prompt; counts follow-ups in ``stats``."""

    def __init__(self, config: AnnotateConfig, stats: Counter) -> None:
        self.config = config
        self.prompt: Prompt = config.prompt  # type: ignore[assignment]  # set by AnnotateConfig.__post_init__
        self.stats = stats

    def sanitise(self, content: str | None) -> SanitisedReply:
        """Validate one reply for this run's prompt kind (descriptors/labels or taxonomy JSON)."""
        if self.prompt.kind == "taxonomy":
            return sanitise_taxonomy_reply(content)
        return sanitise_reply(content, labels=self.prompt.labels, max_descriptors=self.config.max_descriptors,
                              max_words=self.config.max_words)

    def is_final(self, reply: Reply) -> bool:
        """True when ``reply`` needs no follow-up turn (usable, filtered, or no follow-ups allowed)."""
        return (reply.finish_reason == "content_filter" or self.config.reply_retries == 0
                or self.sanitise(reply.content).ok)

    async def annotate(self, work: Work, chat: Chat | None) -> dict[str, Any]:
        """Run the conversation for ``work``; returns the store record (ok or content failure).

        ``chat`` may be ``None`` when ``work.initial`` is final (:meth:`is_final`): no request is made.
        """
        cfg = self.config
        messages = self.prompt.messages(work.text)
        replies: list[str] = []
        requests = prompt_tokens = completion_tokens = 0
        result = None
        reason: str | None = None
        for turn in range(cfg.reply_retries + 1):
            if turn == 0 and work.initial is not None:
                reply = work.initial
            else:
                if turn > 0:
                    self.stats["followups"] += 1
                if chat is None:
                    raise ValueError(f"text {work.id!r} needs a follow-up request but no chat client was given")
                reply = await chat(messages)
            requests += 1
            prompt_tokens += reply.prompt_tokens
            completion_tokens += reply.completion_tokens
            replies.append(reply.content or "")
            if reply.finish_reason == "content_filter":
                reason, result = "content_filter", None
                break
            result = self.sanitise(reply.content)
            if result.ok:
                reason = None
                break
            reason = result.problem
            messages = [*messages, {"role": "assistant", "content": reply.content or ""},
                        {"role": "user", "content": self.prompt.followup(result.problem, result.offending)}]
        record: dict[str, Any] = {
            "model": cfg.model, "prompt_version": self.prompt.version_id, "text_sha256": work.key[2],
            "prompt_sha": self.prompt.sha, "id": work.id, "text": work.text,
            "status": "ok" if reason is None else "failed",
            "descriptors": result.descriptors if reason is None and result is not None else [],
            "reason": reason, "detail": None, "replies": replies, "requests": requests,
            "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "via": "batch" if work.initial is not None else "api", "created_at": now_iso(),
        }
        if reason == "content_filter":
            record["detail"] = "the server's content filter stopped the reply"
        elif reason is not None and result is not None:
            record["detail"] = (f"{reason} after {requests} replies"
                                + (f"; offending: {', '.join(result.offending)[:300]}" if result.offending else ""))
        if result is not None and result.dropped:
            record["dropped"] = result.dropped
        if self.prompt.kind == "taxonomy":
            record["taxonomy"] = result.taxonomy if reason is None and result is not None else None
        return record
