"""A subject's rules-only score (规则得分), kept apart from its stored index so that the dimensions from outside
the rules (dim_funds) are folded into the index from it, never into an index that already holds them.

Before this migration the platform never folded them in: every stored score was the rules' own, so existing rows
get rules_score = score.
"""

from typing import Any

from django.db import migrations, models


def copy_rules_scores(apps: Any, schema_editor: Any) -> None:
    """Rows without a rules score take their score as it (it was rules-only when they were stored)."""
    subject = apps.get_model("web", "Subject")
    subject.objects.filter(rules_score__isnull=True, score__isnull=False).update(rules_score=models.F("score"))


class Migration(migrations.Migration):

    dependencies = [
        ('web', '0003_linking_and_funds'),
    ]

    operations = [
        migrations.AddField(
            model_name='subject',
            name='rules_score',
            field=models.FloatField(blank=True, null=True, verbose_name='规则得分'),
        ),
        migrations.RunPython(copy_rules_scores, migrations.RunPython.noop),
    ]
