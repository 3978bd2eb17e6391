"""X's recent-search query language (the subset the package docstring lists): parsing and matching."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from emulators.x.model import XTweet, XUser, mentions_handle

__all__ = ["OPERATOR_LIST_URL", "Node", "QueryError", "matches", "parse_query"]

OPERATOR_LIST_URL = (
    "https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query#list"
)
_STANDALONE_OPERATORS = frozenset({"from", "to"})
_CONJUNCTION_OPERATORS = frozenset({"is", "lang"})  # X refuses these without a standalone clause
_IS_VALUES = frozenset({"retweet", "reply", "quote"})
_QUERY_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<open>\()|(?P<close>\))|(?P<minus>-)(?=[^\s)])|"(?P<phrase>[^"]*)"|"""
    r"""(?P<bad>["'\[\]{}])|(?P<word>[^\s()"]+)"""
)
_HANDLE = re.compile(r"@?(\w{1,15}|\d{1,20})")  # a handle or a numeric user id


class QueryError(ValueError):
    """A query X would refuse; `position` is 1-based, as in X's messages."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.position = position


@dataclass(frozen=True)
class _Clause:
    kind: str  # "words" (keyword or phrase), "mention", "hashtag", "from", "to", "lang", "is"
    value: tuple[str, ...] | str
    position: int
    negated: bool = False


@dataclass(frozen=True)
class _Group:
    any_of: bool  # True: OR, False: AND
    parts: tuple[Node, ...]
    position: int
    negated: bool = False


Node = _Clause | _Group


def _words(text: str) -> tuple[str, ...]:
    """Text as X matches keywords: lower-cased runs of letters and digits."""
    return tuple(re.findall(r"\w+", text.casefold()))


@dataclass(frozen=True)
class _Token:
    kind: str  # "open", "close", "minus", "phrase", "word"
    text: str
    position: int


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _QUERY_TOKEN.finditer(query):
        kind = match.lastgroup or ""
        position = match.start() + 1
        if kind == "space":
            continue
        if kind == "bad":
            raise QueryError(f"no viable alternative at character '{match.group()}'", position)
        text = match.group("phrase") if kind == "phrase" else match.group()
        tokens.append(_Token(kind, text, position))
    return tokens


class _QueryParser:
    """query := any ; any := all ("OR" all)* ; all := unary+ ; unary := "-"? (group | phrase | word)."""

    def __init__(self, query: str) -> None:
        self._tokens = _tokenize(query)
        self._end = len(query) + 1
        self._at = 0

    def parse(self) -> Node:
        node = self._any()
        token = self._peek()
        if token is not None:  # only a stray ")" stops `_any` early
            raise QueryError(f"missing EOF at '{token.text}'", token.position)
        if not _anchored(node):
            loose = _loose_conjunction(node)
            if loose is not None:
                raise QueryError("is/has/lang cannot be used as a standalone operator", loose.position)
            raise QueryError("Rules must contain at least one positive, non-stopword clause", 1)
        return node

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self) -> _Token:
        token = self._tokens[self._at]
        self._at += 1
        return token

    @staticmethod
    def _is_or(token: _Token | None) -> bool:
        return token is not None and token.kind == "word" and token.text == "OR"

    def _any(self) -> Node:
        start = self._peek()
        parts = [self._all()]
        while self._is_or(self._peek()):
            self._take()
            parts.append(self._all())
        if len(parts) == 1:
            return parts[0]
        return _Group(any_of=True, parts=tuple(parts), position=start.position if start else 1)

    def _all(self) -> Node:
        parts: list[Node] = []
        while (token := self._peek()) is not None and token.kind != "close" and not self._is_or(token):
            parts.append(self._unary())
        if not parts:
            token = self._peek()
            text = token.text if token is not None else "<EOF>"
            raise QueryError(
                f"no viable alternative at input '{text}'", token.position if token else self._end
            )
        if len(parts) == 1:
            return parts[0]
        return _Group(any_of=False, parts=tuple(parts), position=parts[0].position)

    def _unary(self) -> Node:
        negated = False
        if (token := self._peek()) is not None and token.kind == "minus":
            self._take()
            negated = True
        token = self._peek()
        if token is None or token.kind == "close" or self._is_or(token):
            text = token.text if token is not None else "<EOF>"
            raise QueryError(
                f"no viable alternative at input '{text}'", token.position if token else self._end
            )
        token = self._take()
        if token.kind == "open":
            node = self._any()
            closing = self._peek()
            if closing is None or closing.kind != "close":
                raise QueryError("Missing closing parenthesis", self._end)
            self._take()
        elif token.kind == "phrase":
            words = _words(token.text)
            if not words:
                raise QueryError(f"no viable alternative at input '\"{token.text}\"'", token.position)
            node = _Clause("words", words, token.position)
        else:
            node = self._word(token)
        if negated:
            return replace(node, negated=not node.negated)
        return node

    @staticmethod
    def _word(token: _Token) -> _Clause:
        text, position = token.text, token.position
        if text.casefold() == "and":
            raise QueryError(
                'Ambiguous use of and as a keyword. Use a space to logically join two clauses, or "and" '
                "to find occurrences of and in text",
                position,
            )
        if text[0] in "@#":
            name = text[1:]
            if not re.fullmatch(r"\w+", name):
                raise QueryError(f"no viable alternative at input '{text}'", position)
            return _Clause("mention" if text[0] == "@" else "hashtag", name.casefold(), position)
        operator, colon, value = text.partition(":")
        if colon and re.fullmatch(r"[A-Za-z_]+", operator):
            operator = operator.casefold()
            value = value.casefold()
            handle = _HANDLE.fullmatch(value)
            if operator in _STANDALONE_OPERATORS and handle is not None:
                return _Clause(operator, handle.group(1), position)
            if (operator == "lang" and re.fullmatch(r"[a-z]{2,3}(-[a-z]+)?", value)) or (
                operator == "is" and value in _IS_VALUES
            ):
                return _Clause(operator, value, position)
            name = f"{operator}:{value}" if operator in ("is", "has") else operator
            raise QueryError(
                f"Reference to invalid operator '{name}'. Operator is not available in current product "
                f"or product packaging. Please refer to complete available operator list at "
                f"{OPERATOR_LIST_URL}.",
                position,
            )
        words = _words(text)
        if not words:
            raise QueryError(f"no viable alternative at input '{text}'", position)
        return _Clause("words", words, position)


def _anchored(node: Node) -> bool:
    """Whether every match of `node` needs a positive standalone clause (X's rule for is:/lang:)."""
    if node.negated:
        return False
    if isinstance(node, _Clause):
        return node.kind not in _CONJUNCTION_OPERATORS
    results = [_anchored(part) for part in node.parts]
    return all(results) if node.any_of else any(results)


def _loose_conjunction(node: Node) -> _Clause | None:
    if node.negated:
        return None
    if isinstance(node, _Clause):
        return node if node.kind in _CONJUNCTION_OPERATORS else None
    return next((c for part in node.parts if (c := _loose_conjunction(part)) is not None), None)


def parse_query(query: str) -> Node:
    """Parse a recent-search query; raises :class:`QueryError` with X's message when X would refuse it."""
    return _QueryParser(query).parse()


def matches(node: Node, tweet: XTweet, users: Mapping[str, XUser]) -> bool:
    """Whether `tweet` matches the parsed query `node`; `users` resolves from:/to: by id."""
    if isinstance(node, _Group):
        results = (matches(part, tweet, users) for part in node.parts)
        found = any(results) if node.any_of else all(results)
    else:
        found = _clause_matches(node, tweet, users)
    return found != node.negated


def _clause_matches(clause: _Clause, tweet: XTweet, users: Mapping[str, XUser]) -> bool:
    value = clause.value
    if clause.kind == "words":
        words, wanted = _words(tweet.text), tuple(value)
        return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))
    if clause.kind == "mention":
        return mentions_handle(tweet.text, str(value))
    if clause.kind == "hashtag":
        return re.search(rf"(?<![\w#])#{re.escape(str(value))}(?!\w)", tweet.text, re.IGNORECASE) is not None
    if clause.kind in ("from", "to"):
        user_id = tweet.author_id if clause.kind == "from" else tweet.in_reply_to_user_id
        user = users.get(user_id or "")
        return user is not None and value in (user.username.casefold(), user.id)
    if clause.kind == "lang":
        return tweet.lang.casefold() == value
    flags = {"retweet": tweet.retweet_of, "reply": tweet.in_reply_to_tweet_id, "quote": tweet.quote_of}
    return flags[str(value)] is not None
