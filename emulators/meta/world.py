"""The emulated world's people: posts, comments and messages made outside Parley (test controls)."""

from __future__ import annotations

from collections.abc import Callable

from emulators.meta.store import Comment, Conversation, GraphStore, Item, Message, Person


class World:
    """Mixed into `MetaEmulator`: what customers (and the brand, by hand) post."""

    store: GraphStore
    clock: Callable[[], float]

    @property
    def page_id(self) -> str:
        return self.store.page.id

    @property
    def ig_user_id(self) -> str:
        return self.store.ig.id

    def _id(self, platform: str, item_id: str) -> str:
        n = self.store.next_id()
        return (
            f"{item_id.rsplit('_', maxsplit=1)[-1]}_{n}"
            if platform == "facebook"
            else f"1800000000000{n:04d}"
        )

    def add_post(self, text: str = "New on the Page", *, platform: str = "facebook") -> Item:
        with self.store.lock:
            n = self.store.next_id()
            if platform == "facebook":
                item = Item(f"{self.page_id}_{n}", self.page_id, text, self.clock(), platform)
            else:
                item = Item(f"1790000000000{n:04d}", self.ig_user_id, text, self.clock(), platform)
            self.store.items[item.id] = item
        return item

    def add_comment(self, item: Item, text: str, *, author: Person, parent: Comment | None = None) -> Comment:
        with self.store.lock:
            comment = Comment(
                self._id(item.platform, item.id),
                item.id,
                author,
                text,
                self.clock(),
                item.platform,
                parent.id if parent else None,
            )
            self.store.comments[comment.id] = comment
        return comment

    def add_foreign_post(self, text: str, *, author: Person, platform: str, mentions: bool = True) -> Item:
        """A post or media by someone else; it mentions the Page (or the IG account) when `mentions`."""
        with self.store.lock:
            n = self.store.next_id()
            target = self.page_id if platform == "facebook" else self.ig_user_id
            item_id = f"{author.id}_{n}" if platform == "facebook" else f"1790000000000{n:04d}"
            item = Item(
                item_id, author.id, text, self.clock(), platform, author, (target,) if mentions else ()
            )
            self.store.items[item.id] = item
        return item

    def add_message(
        self, text: str, *, author: Person, platform: str = "messenger", at: float | None = None
    ) -> Message:
        with self.store.lock:
            conversation = self.store.conversation_with(platform, author.id)
            if conversation is None:
                conversation = Conversation(f"t_{self.store.next_id()}", platform, author)
                self.store.conversations[conversation.id] = conversation
            prefix = "aWdfZAG" if platform == "instagram" else "m_"
            message = Message(
                f"{prefix}{self.store.next_id()}",
                conversation.id,
                author,
                text,
                self.clock() if at is None else at,
            )
            conversation.messages.append(message)
        return message
