"""Drop what was written and never read.

- `mentor_topic` and `mentor_language`: copies of each mentor's topic and
  language lists, rewritten on every save. Search and scoring read the
  topics through `mentor_profile.topic_mask` and the languages from the JSON
  list, so the copies go.
- `mentor_profile.requests_received`, `requests_answered`, `last_active_at`:
  counters kept on every move that nothing read. A mentor's responsiveness
  (requests answered, the share answered in time, the hours to an answer)
  is computed from the relationships themselves: each keeps its request's
  `created_at` and its answer's `responded_at`, which stay.

On SQLite the columns are dropped with `ALTER TABLE ... DROP COLUMN` (3.35+),
not by rebuilding the table as the schema editor would: a rebuild would lose
the full-text search triggers and the partial suggestion index that 0002
created on `mentor_profile`. None of them reads the dropped columns.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

UNREAD_COLUMNS = ("requests_received", "requests_answered", "last_active_at")


class DropMentorColumn(ops.RemoveField):
    """`RemoveField` of a `MentorProfile` column, in place on SQLite too."""

    def __init__(self, name: str) -> None:
        super().__init__(model_name="MentorProfile", name=name)

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is not None and state_editor.client.capabilities.dialect == "sqlite":
            await state_editor.client.execute_script(
                f'ALTER TABLE mentor_profile DROP COLUMN "{self.name}"'
            )
            return
        await super().database_forward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [("models", "0006_message_seq_trigger")]

    initial = False

    operations = [
        ops.DeleteModel(name="MentorTopic"),
        ops.DeleteModel(name="MentorLanguage"),
        *(DropMentorColumn(name) for name in UNREAD_COLUMNS),
    ]
